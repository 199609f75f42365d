package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/datarights/datarights/x/revenue/types"
)

// TestTxInputChecked: bad input is refused before any key is loaded or any
// node contacted, with the module's own errors.
func TestTxInputChecked(t *testing.T) {
	a := "0x00000000000000000000000000000000000000A1"
	b := "0x00000000000000000000000000000000000000b2"
	for _, tc := range []struct {
		args []string
		want error
	}{
		{[]string{"set-policy", "a-1", "--share", a + ":6000," + b + ":4001"}, types.ErrBpsTooHigh},
		{[]string{"set-policy", "a-1", "--share", a + ":100", "--upstream-bps", "9901"}, types.ErrBpsTooHigh},
		{[]string{"set-policy", "a-1", "--share", a + ":1," + a + ":2"}, types.ErrDuplicateBeneficiary},
		{[]string{"set-policy", "a-1", "--share", a}, types.ErrInvalidFields},
		{[]string{"set-policy", "a-1", "--share", a + ":x"}, types.ErrInvalidFields},
		{[]string{"set-policy", "a-1", "--share", "nobody:5"}, types.ErrInvalidFields},
		{[]string{"set-policy", "", "--share", a + ":5"}, types.ErrInvalidFields},
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

func TestParseShares(t *testing.T) {
	got, err := ParseShares(" 0x00000000000000000000000000000000000000A1:250 ,0x00000000000000000000000000000000000000b2:1")
	if err != nil || len(got) != 2 || got[0].Bps != 250 || got[1].Bps != 1 {
		t.Fatalf("%v, %v", got, err)
	}
	if got, err := ParseShares(""); err != nil || got != nil {
		t.Fatalf("empty: %v, %v", got, err)
	}
}
