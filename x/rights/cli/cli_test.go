package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/x/rights/types"
)

// TestTxInputChecked: bad input is refused before any key is loaded or any
// node contacted, with the module's own errors.
func TestTxInputChecked(t *testing.T) {
	to := "0x00000000000000000000000000000000000000A1"
	for _, tc := range []struct {
		args []string
		want error
	}{
		{[]string{"grant", "r-1", "--to", to, "--duration", "1h"}, types.ErrInvalidScope},
		{[]string{"grant", "r-1", "--to", to, "--operations", "query,fly", "--duration", "1h"}, types.ErrInvalidScope},
		{[]string{"grant", "r-1", "--to", to, "--kind", "holding", "--operations", "query", "--duration", "1h"}, types.ErrInvalidFields},
		{[]string{"grant", "x-1", "--to", to, "--operations", "query", "--duration", "1h"}, types.ErrInvalidID},
		{[]string{"request", "--asset", "a-1", "--operations", "query", "--duration", "1h"}, types.ErrInvalidScope},
		{[]string{"reject", "q-1"}, types.ErrInvalidReason},
		{[]string{"revoke-all", "--asset", "a-1"}, types.ErrInvalidReason},
		{[]string{"record-usage", "r-1", "--purpose", "p", "--operation", "query", "--result-hash", "xyz"}, types.ErrInvalidFields},
		{[]string{"record-usage", "--purpose", "p", "--operation", "train", "--result-hash", strings.Repeat("a", 64)}, types.ErrInvalidFields},
		{[]string{"transfer", "r-1", "--to", "nobody"}, types.ErrInvalidFields},
	} {
		cmd := TxCmd()
		cmd.SetArgs(append(tc.args, "--from", "k"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); !errors.Is(err, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.args, err, tc.want)
		}
	}
	cmd := TxCmd()
	cmd.SetArgs([]string{"grant", "r-1", "--to", to, "--operations", "query", "--from", "k"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--valid-until or --duration") {
		t.Errorf("grant without an end: %v", err)
	}
}

func TestPrintChain(t *testing.T) {
	mk := func(id, parent string, kind types.RightKind) *types.Right {
		return &types.Right{Id: id, ParentId: parent, Kind: kind, Holder: "0xH", Scope: &types.Scope{Operations: []types.Operation{1}},
			Status: types.RightStatus_RIGHT_STATUS_ACTIVE, ValidFrom: timestamppb.New(timestamppb.Now().AsTime())}
	}
	var b bytes.Buffer
	printChain(&b, []*types.Right{mk("r-9", "r-5", types.RightKind_RIGHT_KIND_USE), mk("r-5", "r-1", types.RightKind_RIGHT_KIND_USE), mk("r-1", "", types.RightKind_RIGHT_KIND_HOLDING)})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "r-1 holding (数据资源持有权)") ||
		!strings.HasPrefix(lines[1], "└── r-5 use") || !strings.HasPrefix(lines[2], "    └── r-9 use") {
		t.Fatalf("chain tree:\n%s", b.String())
	}
}
