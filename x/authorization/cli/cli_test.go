package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/authorization/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TestTxInputChecked: bad input is refused before any key is loaded or any
// node contacted, with the module's own errors.
func TestTxInputChecked(t *testing.T) {
	dept := "0x00000000000000000000000000000000000000A1"
	h := strings.Repeat("a", 64)
	applyArgs := func(extra ...string) []string {
		base := []string{"apply", "--authoriser", dept, "--assets", "a-1,a-2", "--operations", "query,derive",
			"--terms-hash", h, "--term", "8760h", "--operator-share-bps", "3000", "--public-share-bps", "1000"}
		return append(base, extra...)
	}
	for _, tc := range []struct {
		args []string
		want error
	}{
		{applyArgs("--assets", "a-1,a-1"), types.ErrDuplicateAsset},
		{applyArgs("--operations", "query,fly"), rightstypes.ErrInvalidScope},
		{applyArgs("--operations", ""), types.ErrInvalidScope},
		{applyArgs("--terms-hash", "abc"), types.ErrInvalidHash},
		{applyArgs("--public-share-bps", "7001"), types.ErrInvalidRevenue},
		{applyArgs("--term", "0s"), types.ErrInvalidTerm},
		{applyArgs("--term", "300000h"), types.ErrTermTooLong},
		{applyArgs("--authoriser", "dept"), types.ErrInvalidFields},
		{applyArgs("--privacy-computing-only", "--operations", "redistribute"), types.ErrInvalidScope},
		{[]string{"approve", "a-1"}, types.ErrInvalidID},
		{[]string{"co-approve", "au-0"}, types.ErrInvalidID},
		{[]string{"reject", "au-1"}, types.ErrInvalidReason},
		{[]string{"evaluate", "au-1", "--score", "101", "--report-hash", h}, types.ErrInvalidScore},
		{[]string{"evaluate", "au-1", "--score", "50", "--report-hash", "x"}, types.ErrInvalidHash},
		{[]string{"suspend", "au-1"}, types.ErrInvalidReason},
		{[]string{"resume", "au-1"}, types.ErrInvalidReason},
		{[]string{"terminate", "au-x", "--reason", "r"}, types.ErrInvalidID},
		{[]string{"exit", "au-1"}, types.ErrInvalidHash},
	} {
		cmd := TxCmd()
		cmd.SetArgs(append(tc.args, "--from", "k"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); !errors.Is(err, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.args, err, tc.want)
		}
	}
	for _, args := range [][]string{
		applyArgs("--term", "1500ms"),
		{"evaluate", "au-1", "--report-hash", h},
	} {
		cmd := TxCmd()
		cmd.SetArgs(append(args, "--from", "k"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "give") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

func TestQueryInputChecked(t *testing.T) {
	for _, args := range [][]string{
		{"show", "a-1"},
		{"list", "--operator", "0x00000000000000000000000000000000000000A1", "--asset", "a-1"},
		{"list", "--status", "revoked"},
		{"evaluations", "au-0"},
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

func TestPrintAuthorization(t *testing.T) {
	var b bytes.Buffer
	printAuthorization(&b, &types.Authorization{Id: "au-1", Status: types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE,
		AssetIds: []string{"a-1", "a-2"}, TermSeconds: 86400, OperatorRightIds: []string{"r-3", "r-4"},
		Revenue: &types.RevenueTerms{OperatorShareBps: 3000, PublicServiceShareBps: 1000}})
	for _, want := range []string{"status:", "active", "a-1,a-2", "24h0m0s", "operator 3000 bps, public service 1000 bps", "r-3,r-4"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}
