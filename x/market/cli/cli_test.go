package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/market/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TestTxInputChecked: bad input is refused before any key is loaded or any
// node contacted, with the module's own errors.
func TestTxInputChecked(t *testing.T) {
	party := "0x00000000000000000000000000000000000000A1"
	for _, tc := range []struct {
		args []string
		want error
	}{
		{[]string{"deposit", "--to", "x", "--amount", "5", "--bank-ref", "R1"}, types.ErrInvalidFields},
		{[]string{"deposit", "--to", party, "--amount", "0", "--bank-ref", "R1"}, types.ErrInvalidFields},
		{[]string{"deposit", "--to", party, "--amount", "5", "--bank-ref", "a b"}, types.ErrInvalidFields},
		{[]string{"request-withdrawal"}, types.ErrInvalidFields},
		{[]string{"withdraw", "l-1", "--bank-ref", "R"}, types.ErrInvalidID},
		{[]string{"list", "r-1", "--kind", "swap", "--price", "1", "--expires", "72h"}, types.ErrInvalidFields},
		{[]string{"list", "r-1", "--kind", "transfer", "--price", "1", "--quantity", "2", "--expires", "72h"}, types.ErrInvalidFields},
		{[]string{"list", "r-1", "--price", "1", "--operations", "query", "--expires", "72h"}, types.ErrInvalidFields},
		{[]string{"list", "r-1", "--price", "1", "--operations", "fly", "--license-seconds", "60", "--expires", "72h"}, rightstypes.ErrInvalidScope},
		{[]string{"list", "r-1", "--price", "1", "--operations", "query", "--license-seconds", "60", "--expires", "soon"}, types.ErrInvalidFields},
		{[]string{"list", "x-1", "--price", "1", "--operations", "query", "--license-seconds", "60", "--expires", "72h"}, rightstypes.ErrInvalidID},
		{[]string{"cancel-listing", "b-1"}, types.ErrInvalidID},
		{[]string{"buy", "l-1"}, types.ErrInvalidFields},
		{[]string{"buy", "l-0", "--max-price", "5"}, types.ErrInvalidID},
		{[]string{"bid", "--asset", "a-1", "--price", "5", "--operations", "query", "--expires", "72h"}, types.ErrInvalidFields},
		{[]string{"bid", "--asset", "a-1", "--operations", "query", "--license-seconds", "60", "--expires", "72h"}, types.ErrInvalidFields},
		{[]string{"accept-bid", "b-1", "--right", "l-1"}, rightstypes.ErrInvalidID},
		{[]string{"cancel-bid", "t-1"}, types.ErrInvalidID},
	} {
		cmd := TxCmd()
		cmd.SetArgs(append(tc.args, "--from", "k"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); !errors.Is(err, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.args, err, tc.want)
		}
	}
}

func TestQueryInputChecked(t *testing.T) {
	for _, args := range [][]string{
		{"listing", "t-1"},
		{"trade", "l-1"},
		{"listings", "--seller", "0x00000000000000000000000000000000000000A1", "--asset", "a-1"},
		{"listings", "--status", "sold"},
		{"trades", "--buyer", "0x00000000000000000000000000000000000000A1", "--asset", "a-1"},
		{"bids", "--status", "won"},
		{"balance", "nobody"},
	} {
		cmd := QueryCmd()
		cmd.SetArgs(append(args, "--node", "tcp://127.0.0.1:1"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		if err == nil || strings.Contains(err.Error(), "127.0.0.1:1") {
			t.Errorf("%v: %v (want an input error before contacting the node)", args, err)
		}
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	printListing(&b, &types.Listing{Id: "l-1", Kind: types.ListingKind_LISTING_KIND_LICENSE, Status: types.ListingStatus_LISTING_STATUS_OPEN,
		PriceFen: 100, Quantity: 3, Sold: 2, LicenseSeconds: 3600, Scope: &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}}})
	printTrade(&b, &types.Trade{Id: "t-1", ListingId: "l-1", RightIds: []string{"r-7", "r-8"}, AmountFen: 200})
	printSupply(&b, &types.Supply{DepositsFen: 10, BalancesFen: 10, Holds: true})
	for _, want := range []string{"open", "license", "3 / 2", "1h0m0s", "t-1", "r-7,r-8", "200 fen", "HOLDS"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}
