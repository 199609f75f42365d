package keeper

import (
	"context"
	"strconv"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/revenue/types"
)

// SetPolicy: the holder of an asset's root right (holding right of an
// asset, operation right of a product) sets its revenue policy, replacing
// any before it. Beneficiaries are active parties; an upstream share needs
// inputs to flow to. The policy applies to settlements from the next one
// on; past distributions stay as they were.
func (k Keeper) SetPolicy(ctx context.Context, root store.KV, m *types.MsgSetPolicy) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	a, err := k.registry.Asset(root, m.AssetId)
	if err != nil {
		return "", err
	}
	holder, err := k.rights.HolderOf(root, a)
	if err != nil {
		return "", err
	}
	if holder != actor.Address {
		return "", types.ErrNotHolder.Wrapf("%s is held by %s, not %s", a.Id, holder, actor.Address)
	}
	if m.UpstreamBps > 0 && len(a.Inputs) == 0 {
		return "", types.ErrUpstreamWithoutInputs.Wrapf("%s has no inputs; upstream_bps %d", a.Id, m.UpstreamBps)
	}
	shares := make([]*types.Share, len(m.Shares))
	for i, s := range m.Shares {
		b, _ := types.ParseAddress("beneficiary", s.Beneficiary) // checked by ValidateBasic
		p, err := k.identity.Party(root, b)
		if err != nil {
			return "", err
		}
		if !p.IsActive() {
			return "", types.ErrInactiveBeneficiary.Wrapf("%s (%s) is %s", p.Name, b, p.Status)
		}
		shares[i] = &types.Share{Beneficiary: b, Bps: s.Bps}
	}
	pol := &types.Policy{AssetId: a.Id, Shares: shares, UpstreamBps: m.UpstreamBps,
		SetBy: actor.Address, Height: env.BlockOf(ctx).Height}
	k.kv(root).Set(PolicyKey(a.Id), store.Encode(pol))
	env.Emit(ctx, types.EventPolicySet,
		env.Indexed(types.AttrAssetID, a.Id),
		env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrShares, strconv.Itoa(len(shares))),
		env.Plain(types.AttrUpstreamBps, strconv.FormatUint(uint64(m.UpstreamBps), 10)))
	return a.Id, nil
}
