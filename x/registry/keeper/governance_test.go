package keeper_test

import (
	"context"
	"errors"
	"testing"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

// SetFrozen is the freeze of governance: no acting party (it runs at the
// end of a block), otherwise the data admin's freeze, with its checks and
// events.
func TestSetFrozen(t *testing.T) {
	tree := base(t)
	cancel5 := []step{object5, {admin, &types.MsgResolveObjection{AssetId: "a-5", Uphold: true, Reason: "r"}}}
	cases := []struct {
		name   string
		setup  []step
		id     string
		frozen bool
		reason string
		want   *errs.Error // nil: success
		event  string
	}{
		{name: "freeze", id: "a-1", frozen: true, reason: "departments' decision", event: types.EventAssetFrozen},
		{name: "freeze in notice", id: "a-4", frozen: true, reason: "r", event: types.EventAssetFrozen},
		{name: "unfreeze the data admin's freeze", setup: []step{{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "audit"}}},
			id: "a-1", reason: "cleared by vote", event: types.EventAssetUnfrozen},

		{name: "freeze twice", setup: []step{{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "audit"}}}, id: "a-1", frozen: true, reason: "r", want: types.ErrFrozen},
		{name: "unfreeze what is not frozen", id: "a-1", reason: "r", want: types.ErrNotFrozen},
		{name: "cancelled", setup: cancel5, id: "a-5", frozen: true, reason: "r", want: types.ErrCancelled},
		{name: "unknown asset", id: "a-9", frozen: true, reason: "r", want: types.ErrAssetNotFound},
		{name: "malformed id", id: "asset-1", frozen: true, reason: "r", want: types.ErrInvalidField},
		{name: "no reason", id: "a-1", frozen: true, reason: " ", want: types.ErrInvalidField},
		{name: "unfreeze without reason", setup: []step{{admin, &types.MsgFreezeAsset{AssetId: "a-1", Reason: "audit"}}}, id: "a-1", want: types.ErrInvalidField},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			kv := store.NewBranch(tree)
			h.mustRun(t, kv, testHeight-1, t4, tc.setup...)
			before := testkit.Dump(kv)
			ev := &env.Events{}
			ctx := env.WithTx(env.WithBlock(context.Background(), env.Block{Height: testHeight, Time: t4}), env.Tx{}, ev)
			err := h.k.SetFrozen(ctx, kv, tc.id, tc.frozen, tc.reason)
			checkLayout(t, kv)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !testkit.SameDump(before, testkit.Dump(kv)) {
					t.Fatal("refused change changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			a := asset(t, kv, tc.id)
			if a.Frozen != tc.frozen || (a.FrozenReason == tc.reason) != tc.frozen {
				t.Fatalf("asset %v", a)
			}
			events := ev.List()
			if len(events) != 1 || events[0].Type != tc.event {
				t.Fatalf("events %v, want one %s", events, tc.event)
			}
			if id, indexed := attr(events[0], types.AttrAssetID); id != tc.id || !indexed {
				t.Fatalf("asset_id %q indexed %v", id, indexed)
			}
			if _, ok := attr(events[0], types.AttrParty); ok {
				t.Fatal("a governance freeze names a party")
			}
			if r, _ := attr(events[0], types.AttrReason); r != tc.reason {
				t.Fatalf("reason %q", r)
			}
		})
	}
}
