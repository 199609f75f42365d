package keeper_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/keeper"
	"github.com/datarights/datarights/x/revenue/types"
)

// policyFixture: a-1 public dataset (d1), a-2 enterprise dataset (e1),
// a-3 product of a-1:6000 and a-2:4000 (e1).
func policyFixture(h *harness) {
	h.registry.put(dataset("a-1", public, d1))
	h.registry.put(dataset("a-2", enterprise, e1))
	h.registry.put(productOf("a-3", enterprise, e1, in("a-1", 6000), in("a-2", 4000)))
}

func TestSetPolicy(t *testing.T) {
	many := make([]*types.Share, types.MaxShares+1)
	for i := range many {
		many[i] = &types.Share{Beneficiary: address.FromBytes(bytes.Repeat([]byte{byte(0x40 + i)}, 20)), Bps: 1}
	}
	cases := []struct {
		name   string
		setup  []*types.MsgSetPolicy // by e1, each must succeed
		holder map[string]string     // x/rights overrides
		signer *idtypes.Party        // nil: a stranger
		msg    *types.MsgSetPolicy
		want   error
		check  func(t *testing.T, p *types.Policy)
	}{
		{name: "product with shares and upstream", signer: e1,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 1000), share(ind, 500)}, UpstreamBps: 2000},
			check: func(t *testing.T, p *types.Policy) {
				if len(p.Shares) != 2 || p.UpstreamBps != 2000 || p.SetBy != e1.Address || p.Height != 5 {
					t.Fatalf("policy %v", p)
				}
			}},
		{name: "exactly 10000 bps", signer: e1,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 6000)}, UpstreamBps: 4000}},
		{name: "dataset without upstream", signer: d1,
			msg: &types.MsgSetPolicy{AssetId: "a-1", Shares: []*types.Share{share(op, 2500)}}},
		{name: "lower-case beneficiary is stored canonical", signer: e1,
			msg: &types.MsgSetPolicy{AssetId: "a-2", Shares: []*types.Share{{Beneficiary: strings.ToLower(e2.Address), Bps: 10}}},
			check: func(t *testing.T, p *types.Policy) {
				if p.Shares[0].Beneficiary != e2.Address {
					t.Fatalf("beneficiary %s, want %s", p.Shares[0].Beneficiary, e2.Address)
				}
			}},
		{name: "replaces the policy", signer: e1,
			setup: []*types.MsgSetPolicy{{AssetId: "a-3", Shares: []*types.Share{share(e2, 1000)}, UpstreamBps: 100}},
			msg:   &types.MsgSetPolicy{AssetId: "a-3"},
			check: func(t *testing.T, p *types.Policy) {
				if len(p.Shares) != 0 || p.UpstreamBps != 0 {
					t.Fatalf("policy %v, want the empty one", p)
				}
			}},
		{name: "new holder after a transfer", signer: e2, holder: map[string]string{"a-3": e2.Address},
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e1, 100)}}},

		{name: "non-holder", signer: e2, want: types.ErrNotHolder,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 1000)}}},
		{name: "registrant no longer holds", signer: e1, holder: map[string]string{"a-3": e2.Address}, want: types.ErrNotHolder,
			msg: &types.MsgSetPolicy{AssetId: "a-3"}},
		{name: "shares and upstream over 10000", signer: e1, want: types.ErrBpsTooHigh,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 6000), share(ind, 3000)}, UpstreamBps: 1001}},
		{name: "shares over 10000", signer: e1, want: types.ErrBpsTooHigh,
			msg: &types.MsgSetPolicy{AssetId: "a-2", Shares: []*types.Share{share(e2, 10001)}}},
		{name: "upstream alone over 10000", signer: e1, want: types.ErrBpsTooHigh,
			msg: &types.MsgSetPolicy{AssetId: "a-3", UpstreamBps: 10001}},
		{name: "huge bps do not wrap", signer: e1, want: types.ErrBpsTooHigh,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 1<<31), share(ind, 1<<31)}, UpstreamBps: 1 << 31}},
		{name: "duplicate beneficiary", signer: e1, want: types.ErrDuplicateBeneficiary,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 100), {Beneficiary: strings.ToLower(e2.Address), Bps: 200}}}},
		{name: "upstream without inputs", signer: e1, want: types.ErrUpstreamWithoutInputs,
			msg: &types.MsgSetPolicy{AssetId: "a-2", UpstreamBps: 100}},
		{name: "too many shares", signer: e1, want: types.ErrTooManyShares,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: many}},
		{name: "zero bps share", signer: e1, want: types.ErrInvalidFields,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(e2, 0)}}},
		{name: "malformed beneficiary", signer: e1, want: types.ErrInvalidFields,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{{Beneficiary: "0x12", Bps: 1}}}},
		{name: "empty asset id", signer: e1, want: types.ErrInvalidFields, msg: &types.MsgSetPolicy{}},
		{name: "suspended beneficiary", signer: e1, want: types.ErrInactiveBeneficiary,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{share(susp, 100)}}},
		{name: "unknown beneficiary", signer: e1, want: idtypes.ErrPartyNotFound,
			msg: &types.MsgSetPolicy{AssetId: "a-3", Shares: []*types.Share{{Beneficiary: stranger, Bps: 100}}}},
		{name: "unknown asset", signer: e1, want: regtypes.ErrAssetNotFound, msg: &types.MsgSetPolicy{AssetId: "a-9"}},
		{name: "unknown signer", want: idtypes.ErrUnknownSigner, msg: &types.MsgSetPolicy{AssetId: "a-3"}},
	}
	tree := openTree(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			policyFixture(h)
			for id, holder := range tc.holder {
				h.rights.holders[id] = holder
			}
			kv := store.NewBranch(tree)
			for _, m := range tc.setup {
				if _, _, err := h.run(kv, e1.Address, m); err != nil {
					t.Fatalf("setup: %v", err)
				}
			}
			signer := stranger
			if tc.signer != nil {
				signer = tc.signer.Address
			}
			before := testkit.Dump(kv)
			id, events, err := h.run(kv, signer, tc.msg)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !testkit.SameDump(before, testkit.Dump(kv)) {
					t.Fatal("a rejected message changed the store")
				}
				if len(events) != 0 {
					t.Fatalf("a rejected message emitted %v", eventTypes(events))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id != tc.msg.AssetId {
				t.Fatalf("id %q, want %q", id, tc.msg.AssetId)
			}
			if got := eventTypes(events); !slices.Equal(got, []string{types.EventPolicySet}) {
				t.Fatalf("events %v", got)
			}
			if v, indexed := attr(events[0], types.AttrAssetID); v != id || !indexed {
				t.Fatalf("asset_id %q indexed %v", v, indexed)
			}
			if v, indexed := attr(events[0], types.AttrParty); v != signer || !indexed {
				t.Fatalf("party %q indexed %v", v, indexed)
			}
			p := h.k.Policy(kv, id)
			if p == nil {
				t.Fatal("no policy stored")
			}
			// The policy query answers with the stored bytes under the full key.
			value, key, err := h.k.QueryPolicy(kv, &types.QueryPolicyRequest{AssetId: id})
			if err != nil || !bytes.Equal(key, keeper.FullPolicyKey(id)) || !bytes.Equal(value, store.Encode(p)) {
				t.Fatalf("QueryPolicy: %v, key %X", err, key)
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

func TestPolicyKeyUnderPrefix(t *testing.T) {
	k := keeper.FullPolicyKey("a-3")
	want := append([]byte{0x07, 0x01, 3}, "a-3"...)
	if !bytes.Equal(k, want) {
		t.Fatalf("FullPolicyKey %X, want %X", k, want)
	}
}
