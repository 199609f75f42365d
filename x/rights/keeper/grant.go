package keeper

import (
	"context"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// child is what a grant asks for, already checked statelessly (scope
// normalised, term well-formed).
type child struct {
	grantee                                string
	kind                                   types.RightKind
	scope                                  *types.Scope
	exclusive, transferable, sublicensable bool
	from, until                            time.Time // from zero: the block time
	requestID                              string    // set when approving a request
	// authorizationID is set when minting the operator's right of an
	// approved authorisation (MintUnder). The authorisation's approval,
	// which for important data includes the data admin's co-approval,
	// stands for the data admin's approval the red lines may ask for.
	authorizationID string
}

// grant mints a child of parent for actor, checking in order: actor holds
// parent; parent is live; parent may have children of this kind; the depth
// bound; the grantee; narrowing (scope, term); the red lines; exclusivity.
// A grant the red lines let out only with the data admin's approval is
// minted pending_approval, unless it is an authorisation's operator right
// (approved already, and stamped so).
func (k Keeper) grant(ctx context.Context, root store.KV, actor string, parent *types.Right, c child) (*types.Right, error) {
	if parent.Holder != actor {
		return nil, types.ErrNotHolder.Wrapf("%s is held by %s, not %s", parent.Id, parent.Holder, actor)
	}
	chain, asset, err := k.liveChain(ctx, root, parent)
	if err != nil {
		return nil, err
	}
	if err := mayHaveChild(parent, c.kind); err != nil {
		return nil, err
	}
	if max := k.Params(root).MaxDepth; parent.Depth+1 > max {
		return nil, types.ErrDepthLimit.Wrapf("%s is at depth %d; max_depth is %d", parent.Id, parent.Depth, max)
	}
	if _, err := k.activeParty(root, c.grantee); err != nil {
		return nil, err
	}
	if c.grantee == actor {
		return nil, types.ErrInvalidGrantee.Wrap("a party cannot grant a right to itself")
	}
	if err := types.ScopeSubset(c.scope, parent.Scope); err != nil {
		return nil, err
	}
	from, err := term(now(ctx), parent, c)
	if err != nil {
		return nil, err
	}
	verdict, err := types.CheckRedLines(asset, actor, c.grantee, c.scope)
	if err != nil {
		return nil, err
	}
	if c.kind == types.RightKind_RIGHT_KIND_USE {
		if err := k.checkExclusive(root, asset.Id, chain, c.exclusive); err != nil {
			return nil, err
		}
	}
	h := env.BlockOf(ctx).Height
	authz := parent.AuthorizationId // children inherit the authorisation they are granted under
	if c.authorizationID != "" {
		authz = c.authorizationID
	}
	r := &types.Right{
		AssetId: parent.AssetId, Kind: c.kind, Holder: c.grantee, Grantor: actor, ParentId: parent.Id,
		AuthorizationId: authz, Scope: c.scope, Exclusive: c.exclusive,
		Transferable: c.transferable, Sublicensable: c.sublicensable,
		ValidFrom: types.Timestamp(from), ValidUntil: types.Timestamp(c.until),
		Status: types.RightStatus_RIGHT_STATUS_ACTIVE, StatusHeight: h, GrantedHeight: h, Depth: parent.Depth + 1,
	}
	ev := types.EventRightGranted
	approved := verdict == types.NeedsApproval && c.authorizationID != ""
	if verdict == types.NeedsApproval && !approved {
		r.Status, r.StatusReason, ev = types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL, "awaits the data admin's approval (red lines)", types.EventRightPendingApproval
	}
	k.create(root, r)
	if approved {
		k.kv(root).Set(stampKey(mustN(r.Id)), types.Stamp(asset))
	}
	attrs := []env.Attr{
		env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId), env.Indexed(types.AttrParty, r.Holder),
		env.Indexed(types.AttrGrantor, actor), env.Indexed(types.AttrParentID, parent.Id), env.Indexed(types.AttrKind, types.KindName(r.Kind)),
		env.Plain(types.AttrValidUntil, formatTime(c.until)),
	}
	if c.requestID != "" {
		attrs = append(attrs, env.Indexed(types.AttrRequestID, c.requestID))
	}
	if r.AuthorizationId != "" {
		attrs = append(attrs, env.Indexed(types.AttrAuthorizationID, r.AuthorizationId))
	}
	env.Emit(ctx, ev, attrs...)
	return r, nil
}

// mayHaveChild: kinds only narrow, holding > operation > use. A holding
// right may grant use or operation rights (and always may grant: it is
// the source's own); an operation right may sublicense operation or use
// rights; a use right only use rights. Beyond the holding right, only a
// sublicensable parent has children.
func mayHaveChild(parent *types.Right, kind types.RightKind) error {
	if parent.Kind != types.RightKind_RIGHT_KIND_HOLDING && !parent.Sublicensable {
		return types.ErrNotSublicensable.Wrapf("%s was granted without the right to sublicense", parent.Id)
	}
	if parent.Kind == types.RightKind_RIGHT_KIND_USE && kind != types.RightKind_RIGHT_KIND_USE {
		return types.ErrKindNotAllowed.Wrapf("%s is a use right: it can only sublicense use rights, not %s rights", parent.Id, types.KindName(kind))
	}
	return nil
}

// term returns the child's start (the block time unless given) after
// checking that the term is inside the parent's. A grant cannot be
// backdated: a right cannot start before it exists.
func term(t time.Time, parent *types.Right, c child) (time.Time, error) {
	from := c.from
	if from.IsZero() {
		from = t
	}
	if from.Before(t) {
		return time.Time{}, types.ErrInvalidTerm.Wrapf("valid_from %s is before the block time %s: a right cannot start before it is granted", formatTime(from), formatTime(t))
	}
	if !from.Before(c.until) {
		return time.Time{}, types.ErrInvalidTerm.Wrapf("valid_until %s is not after the start %s", formatTime(c.until), formatTime(from))
	}
	if from.Before(parent.ValidFrom.AsTime()) {
		return time.Time{}, types.ErrTermOutsideParent.Wrapf("it starts %s, before %s does (%s)", formatTime(from), parent.Id, formatTime(parent.ValidFrom.AsTime()))
	}
	if parent.ValidUntil != nil && c.until.After(parent.ValidUntil.AsTime()) {
		return time.Time{}, types.ErrTermOutsideParent.Wrapf("it ends %s, after %s does (%s)", formatTime(c.until), parent.Id, formatTime(parent.ValidUntil.AsTime()))
	}
	return from, nil
}

// checkExclusive refuses a use right that would share the asset with an
// exclusive one. The asset's exclusive use right (if any) and its count of
// use rights that have not ended are kept in two keys, so the check reads
// two keys, not every right on the asset. A grant under the exclusive right
// (its own sublicenses) does not conflict with it; an exclusive grant
// needs every other use right on the asset, but its own ancestors, ended.
func (k Keeper) checkExclusive(root store.KV, asset string, chain []*types.Right, exclusive bool) error {
	inChain := func(n uint64) bool {
		for _, r := range chain {
			if mustN(r.Id) == n {
				return true
			}
		}
		return false
	}
	if bz := k.kv(root).Get(exclusiveKey(asset)); bz != nil {
		if x := decodeN(bz); !inChain(x) {
			return types.ErrExclusiveConflict.Wrapf("%s is an exclusive use right on asset %s", types.RightID(x), asset)
		}
	}
	if !exclusive {
		return nil
	}
	uses := uint64(0)
	for _, r := range chain {
		if r.Kind == types.RightKind_RIGHT_KIND_USE {
			uses++
		}
	}
	if others := k.useCount(root, asset) - uses; others > 0 {
		return types.ErrExclusiveConflict.Wrapf("asset %s has %d other use right(s) that have not ended", asset, others)
	}
	return nil
}
