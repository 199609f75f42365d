package keeper_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/revenue/keeper"
	"github.com/datarights/datarights/x/revenue/types"
)

func TestGenesis(t *testing.T) {
	if err := keeper.ValidateGenesis(&types.GenesisState{}); err != nil {
		t.Fatalf("empty genesis: %v", err)
	}
	bad := &types.GenesisState{Params: &types.Params{MaxLineageDepth: 0, MaxLines: 8}}
	if err := keeper.ValidateGenesis(bad); !errors.Is(err, types.ErrInvalidGenesis) {
		t.Fatalf("bad genesis: %v", err)
	}
	h := newHarness()
	kv := store.NewBranch(openTree(t, nil))
	if got := h.k.ExportGenesis(kv); !proto.Equal(got.Params, types.DefaultParams()) {
		t.Fatalf("nil params exported %v", got)
	}
	p := &types.Params{PublicLevyBps: 500, MaxLineageDepth: 3, MaxLines: 64}
	if err := h.k.InitGenesis(kv, &types.GenesisState{Params: p}); err != nil {
		t.Fatal(err)
	}
	if got := h.k.ExportGenesis(kv); !proto.Equal(got.Params, p) {
		t.Fatalf("exported %v, want %v", got.Params, p)
	}
	if err := h.k.SetParams(kv, &types.Params{MaxLineageDepth: 8, MaxLines: 1}); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("SetParams: %v", err)
	}
}

// TestKeysUnderPrefix: every key Split and SetPolicy write lies under
// StorePrefix 0x07.
func TestKeysUnderPrefix(t *testing.T) {
	h := newHarness()
	policyFixture(h)
	tree := openTree(t, nil)
	kv := store.NewBranch(tree)
	mustPolicy(t, h, kv, e1, &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 100)}, UpstreamBps: 100})
	ctx, _ := txCtx(op.Address)
	if _, err := h.k.Split(ctx, kv, "t-1", h.registry.assets["a-3"], "", 12345); err != nil {
		t.Fatal(err)
	}
	for _, p := range testkit.Dump(kv) {
		if p.Key[0] != keeper.StorePrefix[0] {
			t.Fatalf("key %X outside the prefix", p.Key)
		}
	}
}
