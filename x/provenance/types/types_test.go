package types

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	abci "github.com/cometbft/cometbft/abci/types"
)

// The key layout is a contract with audit verify and the explorer.
func TestHistoryKeyLayout(t *testing.T) {
	got := HistoryKey("a-7", 0x0102030405060708, 0xFFFFFFFF, 3)
	want := []byte{0x0A, 0x01, 3, 'a', '-', '7', 1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 3}
	if !bytes.Equal(got, want) {
		t.Fatalf("HistoryKey = %X, want %X", got, want)
	}
	if !bytes.HasPrefix(got, HistoryPrefix("a-7")) || bytes.HasPrefix(HistoryKey("a-70", 1, 0, 0), HistoryPrefix("a-7")) {
		t.Fatal("an id's prefix must not cover a longer id")
	}
	h, tx, ev, err := ParseHistorySuffix(got[len(HistoryPrefix("a-7")):])
	if err != nil || h != 0x0102030405060708 || tx != 0xFFFFFFFF || ev != 3 {
		t.Fatalf("ParseHistorySuffix: %d %d %d %v", h, tx, ev, err)
	}
	// Chain order: height, then tx, then event.
	keys := [][]byte{HistoryKey("x", 2, 0, 0), HistoryKey("x", 1, EndBlockTxIndex, 0), HistoryKey("x", 1, 1, 5), HistoryKey("x", 1, 1, 2)}
	slices.SortFunc(keys, bytes.Compare)
	want2 := [][]byte{HistoryKey("x", 1, 1, 2), HistoryKey("x", 1, 1, 5), HistoryKey("x", 1, EndBlockTxIndex, 0), HistoryKey("x", 2, 0, 0)}
	if !slices.EqualFunc(keys, want2, bytes.Equal) {
		t.Fatal("keys do not sort in chain order")
	}
}

func ev(typ string, attrs ...abci.EventAttribute) abci.Event {
	return abci.Event{Type: typ, Attributes: attrs}
}
func ix(k, v string) abci.EventAttribute { return abci.EventAttribute{Key: k, Value: v, Index: true} }
func pl(k, v string) abci.EventAttribute { return abci.EventAttribute{Key: k, Value: v} }

func TestSubjects(t *testing.T) {
	for _, c := range []struct {
		name string
		ev   abci.Event
		want []string
	}{
		{"granted", ev("right_granted", ix("right_id", "r-2"), ix("asset_id", "a-1"), ix("party", "0xB"), pl("msg_index", "0")), []string{"r-2", "a-1"}},
		{"party on identity event", ev("party_registered", ix("party", "0xB"), ix("actor", "0xA")), []string{"0xB"}},
		{"party on balance event", ev("deposited", ix("party", "0xB"), ix("actor", "0xE")), []string{"0xB"}},
		{"traded, rights list", ev("traded", ix("trade_id", "t-1"), ix("listing_id", "l-1"), ix("asset_id", "a-1"), ix("party", "0xB"),
			ix("party", "0xS"), pl("right_ids", "r-5,r-6")), []string{"t-1", "l-1", "a-1", "r-5", "r-6"}},
		{"same id twice", ev("bid_accepted", ix("bid_id", "b-1"), ix("right_id", "r-1"), pl("right_ids", "r-1")), []string{"b-1", "r-1"}},
		{"plain id is not history", ev("revenue_line", ix("beneficiary", "0xB"), pl("trade_id", "t-1"), pl("asset_id", "a-1")), nil},
		{"usage", ev("usage_recorded", ix("right_id", "r-1"), ix("asset_id", "a-1")), nil},
		{"message", ev("message", ix("action", "grant_right"), ix("sender", "0xA")), nil},
		{"tx", ev("tx", ix("signer", "0xA"), ix("actor", "0xA")), nil},
	} {
		if got := Subjects(c.ev); !slices.Equal(got, c.want) {
			t.Errorf("%s: Subjects = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	e := ev("right_granted", ix("right_id", "r-2"), ix("asset_id", "a-1"), ix("party", "0xB"), pl("kind", "use"), pl("msg_index", "1"))
	if got := Summary(e, "r-2"); got != "asset_id=a-1 party=0xB kind=use" {
		t.Fatalf("Summary for r-2 = %q", got)
	}
	if got := Summary(e, "a-1"); got != "right_id=r-2 party=0xB kind=use" {
		t.Fatalf("Summary for a-1 = %q", got)
	}
	long := ev("x", pl("reason", strings.Repeat("数据", 200)))
	got := Summary(long, "")
	if len(got) > MaxSummaryBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Fatalf("long summary: %d bytes, valid %v: %q", len(got), utf8.ValidString(got), got)
	}
}
