package keeper

import (
	"context"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// Request returns a request by id, or ErrRequestNotFound.
func (k Keeper) Request(root store.KV, id string) (*types.Request, error) {
	q, err := types.ParseRequestID("request_id", id)
	if err != nil {
		return nil, err
	}
	bz := k.kv(root).Get(RequestKey(q))
	if bz == nil {
		return nil, types.ErrRequestNotFound.Wrapf("no request has id %s", id)
	}
	req := &types.Request{}
	store.Decode(bz, req)
	return req, nil
}

// RequestRight: any party asks the holder of an asset's root right for a
// use right (数据共享申请). A request the red lines could never let through
// (core data to an outsider, important or personal data in the clear) is
// refused now rather than left for the holder.
func (k Keeper) RequestRight(ctx context.Context, root store.KV, m *types.MsgRequestRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	asset, err := k.registry.Asset(root, m.AssetId)
	if err != nil {
		return "", err
	}
	if why := types.Blocked(asset); why != "" {
		return "", types.ErrAssetBlocked.Wrap(why)
	}
	top, err := k.rootOf(root, asset.Id)
	if err != nil {
		return "", err
	}
	if top.Holder == actor.Address {
		return "", types.ErrInvalidGrantee.Wrapf("%s holds asset %s's root right %s already", actor.Address, asset.Id, top.Id)
	}
	scope, _ := types.RequestScope(m)
	until, _ := types.Time("valid_until", m.ValidUntil)
	if !now(ctx).Before(until) {
		return "", types.ErrInvalidTerm.Wrapf("valid_until %s has passed", formatTime(until))
	}
	if _, err := types.CheckRedLines(asset, top.Holder, actor.Address, scope); err != nil {
		return "", err
	}
	q := k.nextSeq(root, requestSeqKey)
	req := &types.Request{
		Id: types.RequestID(q), AssetId: asset.Id, Requester: actor.Address, Holder: top.Holder, Scope: scope,
		Purpose: m.Purpose, ValidUntil: m.ValidUntil, Status: types.RequestStatus_REQUEST_STATUS_PENDING,
		Height: env.BlockOf(ctx).Height,
	}
	kv := k.kv(root)
	kv.Set(RequestKey(q), store.Encode(req))
	kv.Set(requesterKey(req.Requester, q), store.Marker)
	kv.Set(reqHolderKey(req.Holder, q), store.Marker)
	env.Emit(ctx, types.EventRightRequested, env.Indexed(types.AttrRequestID, req.Id), env.Indexed(types.AttrAssetID, asset.Id),
		env.Indexed(types.AttrParty, req.Requester), env.Indexed(types.AttrHolder, req.Holder), env.Plain(types.AttrPurpose, m.Purpose))
	return req.Id, nil
}

// ApproveRequest: the holder the request is addressed to grants it: a use
// right with the requested scope and end, from parent_id (default: the
// asset's root right), neither transferable nor sublicensable. Every grant
// rule applies.
func (k Keeper) ApproveRequest(ctx context.Context, root store.KV, m *types.MsgApproveRequest) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, req, err := k.pendingRequest(ctx, root, m.RequestId)
	if err != nil {
		return "", err
	}
	var parent *types.Right
	if m.ParentId == "" {
		parent, err = k.rootOf(root, req.AssetId)
	} else {
		parent, err = k.Right(root, m.ParentId)
	}
	if err != nil {
		return "", err
	}
	if parent.AssetId != req.AssetId {
		return "", types.ErrInvalidFields.Wrapf("parent %s is a right on asset %s; the request is for %s", parent.Id, parent.AssetId, req.AssetId)
	}
	until, _ := types.Time("valid_until", req.ValidUntil)
	r, err := k.grant(ctx, root, actor, parent, child{
		grantee: req.Requester, kind: types.RightKind_RIGHT_KIND_USE, scope: req.Scope, until: until, requestID: req.Id,
	})
	if err != nil {
		return "", err
	}
	req.Status, req.RightId = types.RequestStatus_REQUEST_STATUS_APPROVED, r.Id
	k.kv(root).Set(RequestKey(mustRequestN(req.Id)), store.Encode(req))
	env.Emit(ctx, types.EventRequestApproved, env.Indexed(types.AttrRequestID, req.Id), env.Indexed(types.AttrAssetID, req.AssetId),
		env.Indexed(types.AttrParty, req.Requester), env.Indexed(types.AttrRightID, r.Id))
	return r.Id, nil
}

// RejectRequest: the holder declines, with a reason the requester sees.
func (k Keeper) RejectRequest(ctx context.Context, root store.KV, m *types.MsgRejectRequest) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	_, req, err := k.pendingRequest(ctx, root, m.RequestId)
	if err != nil {
		return "", err
	}
	req.Status, req.Reason = types.RequestStatus_REQUEST_STATUS_REJECTED, m.Reason
	k.kv(root).Set(RequestKey(mustRequestN(req.Id)), store.Encode(req))
	env.Emit(ctx, types.EventRequestRejected, env.Indexed(types.AttrRequestID, req.Id), env.Indexed(types.AttrAssetID, req.AssetId),
		env.Indexed(types.AttrParty, req.Requester), env.Plain(types.AttrReason, m.Reason))
	return req.Id, nil
}

// pendingRequest returns the acting party and the request, which must be
// pending and addressed to it.
func (k Keeper) pendingRequest(ctx context.Context, root store.KV, id string) (string, *types.Request, error) {
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", nil, err
	}
	req, err := k.Request(root, id)
	if err != nil {
		return "", nil, err
	}
	if req.Holder != actor.Address {
		return "", nil, types.ErrNotRequestHolder.Wrapf("%s is addressed to %s, not %s", req.Id, req.Holder, actor.Address)
	}
	if req.Status != types.RequestStatus_REQUEST_STATUS_PENDING {
		return "", nil, types.ErrRequestNotPending.Wrapf("%s is %s", req.Id, types.RequestStatusName(req.Status))
	}
	return actor.Address, req, nil
}

func mustRequestN(id string) uint64 {
	q, err := types.ParseRequestID("id", id)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return q
}

// transferable: a public-data holding right never moves (public data stays
// with its department; others get use rights or authorisations); any
// other right moves only if granted transferable.
func transferable(r *types.Right, c regtypes.Classification) error {
	if r.Kind == types.RightKind_RIGHT_KIND_HOLDING && c == regtypes.Classification_CLASSIFICATION_PUBLIC {
		return types.ErrPublicHoldingNotTransferable.Wrapf("%s is the holding right of public data asset %s", r.Id, r.AssetId)
	}
	if !r.Transferable {
		return types.ErrNotTransferable.Wrapf("%s was granted non-transferable", r.Id)
	}
	return nil
}
