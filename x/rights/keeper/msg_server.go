package keeper

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// GrantRight mints a child right from a right the signer holds (grant or
// sublicense). See grant for the rules.
func (k Keeper) GrantRight(ctx context.Context, root store.KV, m *types.MsgGrantRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.grantMsg(ctx, root, actor.Address, m)
	if err != nil {
		return "", err
	}
	return r.Id, nil
}

// grantMsg runs a grant message, checked by ValidateBasic, for actor: the
// one path of MsgGrantRight and of the market's licences (License), so
// that a sale applies exactly the rules of a grant.
func (k Keeper) grantMsg(ctx context.Context, root store.KV, actor string, m *types.MsgGrantRight) (*types.Right, error) {
	parent, err := k.Right(root, m.ParentId)
	if err != nil {
		return nil, err
	}
	grantee, _ := types.ParseAddress("grantee", m.Grantee)
	scope, _ := types.NormalizeScope(m.Scope)
	from, _ := types.Time("valid_from", m.ValidFrom)
	until, _ := types.Time("valid_until", m.ValidUntil)
	return k.grant(ctx, root, actor, parent, child{
		grantee: grantee, kind: m.Kind, scope: scope, exclusive: m.Exclusive,
		transferable: m.Transferable, sublicensable: m.Sublicensable, from: from, until: until,
	})
}

// ApproveGrant: the data admin lets a pending right take effect. The right
// must still be grantable: its parent live, its term not over, and no red
// line broken under the asset's current classification. The approval is
// stamped with that classification; a reclassification voids it.
func (k Keeper) ApproveGrant(ctx context.Context, root store.KV, m *types.MsgApproveGrant) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, err := k.dataAdmin(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.Right(root, m.RightId)
	if err != nil {
		return "", err
	}
	if r.Status != types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL {
		return "", types.ErrNotPendingApproval.Wrapf("%s is %s", r.Id, types.StatusName(r.Status))
	}
	asset, err := k.registry.Asset(root, r.AssetId)
	if err != nil {
		return "", err
	}
	if why := types.Blocked(asset); why != "" {
		return "", types.ErrAssetBlocked.Wrap(why)
	}
	if r.ParentId != "" {
		if err := k.Live(ctx, root, k.mustRightN(root, mustN(r.ParentId))); err != nil {
			return "", err
		}
	}
	if r.ValidUntil != nil && !now(ctx).Before(r.ValidUntil.AsTime()) {
		return "", types.ErrNotLive.Wrapf("right %s expired at %s", r.Id, formatTime(r.ValidUntil.AsTime()))
	}
	if _, err := types.CheckRedLines(asset, r.Grantor, r.Holder, r.Scope); err != nil {
		return "", err
	}
	k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_ACTIVE, "approved by the data admin "+admin.Address)
	if r.ParentId != "" {
		k.kv(root).Set(stampKey(mustN(r.Id)), types.Stamp(asset))
	}
	env.Emit(ctx, types.EventGrantApproved, env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId),
		env.Indexed(types.AttrParty, r.Holder), env.Indexed(types.AttrActor, admin.Address))
	return r.Id, nil
}

// TransferRight moves a transferable right to another active party. The
// right keeps its id, scope and term; its children keep their grantor (who
// may still revoke them). The red lines apply to the new holder as to a
// grantee: if they need the data admin, the right waits in pending_approval.
func (k Keeper) TransferRight(ctx context.Context, root store.KV, m *types.MsgTransferRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.Right(root, m.RightId)
	if err != nil {
		return "", err
	}
	if err := k.transfer(ctx, root, actor.Address, r, m.To); err != nil {
		return "", err
	}
	return r.Id, nil
}

// transfer moves r from actor to another party (to, checked by
// ValidateBasic): the one path of MsgTransferRight and of the market's
// sales (Transfer). The right must be held by actor, live and transferable;
// the new holder active and not actor; the red lines must let it go.
func (k Keeper) transfer(ctx context.Context, root store.KV, actor string, r *types.Right, to string) error {
	if r.Holder != actor {
		return types.ErrNotHolder.Wrapf("%s is held by %s, not %s", r.Id, r.Holder, actor)
	}
	_, asset, err := k.liveChain(ctx, root, r)
	if err != nil {
		return err
	}
	if err := transferable(r, asset.Classification); err != nil {
		return err
	}
	to, _ = types.ParseAddress("to", to)
	if _, err := k.activeParty(root, to); err != nil {
		return err
	}
	if to == r.Holder {
		return types.ErrInvalidGrantee.Wrapf("%s already holds %s", to, r.Id)
	}
	verdict, err := types.CheckRedLines(asset, r.Grantor, to, r.Scope)
	if err != nil {
		return err
	}
	k.move(ctx, root, r, to, verdict)
	return nil
}

// move gives r to a new holder: the holder index follows, an approval of
// the old holder lapses, and the right waits for the data admin if the red
// lines need it for the new one.
func (k Keeper) move(ctx context.Context, root store.KV, r *types.Right, to string, verdict types.Verdict) {
	kv, n, from := k.kv(root), mustN(r.Id), r.Holder
	kv.Delete(holderKey(from, r.AssetId, n))
	kv.Set(holderKey(to, r.AssetId, n), store.Marker)
	if kv.Has(stampKey(n)) {
		kv.Delete(stampKey(n))
	}
	r.Holder = to
	if verdict == types.NeedsApproval {
		k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL, "transferred: awaits the data admin's approval (red lines)")
	} else {
		k.setRight(root, r)
	}
	attrs := []env.Attr{env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId), env.Indexed(types.AttrParty, to)}
	env.Emit(ctx, types.EventRightTransferred, append(attrs, env.Indexed(types.AttrFrom, from))...)
	if verdict == types.NeedsApproval {
		env.Emit(ctx, types.EventRightPendingApproval, attrs...)
	}
}

// RevokeRight: the grantor ends a right and every right granted from it.
// A revoked right cannot come back; pending and suspended rights may be
// revoked too.
func (k Keeper) RevokeRight(ctx context.Context, root store.KV, m *types.MsgRevokeRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.Right(root, m.RightId)
	if err != nil {
		return "", err
	}
	switch {
	case r.ParentId == "":
		return "", types.ErrRootNotRevocable.Wrapf("%s is the root right of asset %s", r.Id, r.AssetId)
	case r.Grantor != actor.Address:
		return "", types.ErrNotGrantor.Wrapf("%s was granted by %s, not %s", r.Id, r.Grantor, actor.Address)
	case operatorRight(r):
		return "", types.ErrUnderAuthorization.Wrapf("%s carries authorisation %s: terminate the authorisation (tx authorization terminate)", r.Id, r.AuthorizationId)
	case ended(r):
		return "", types.ErrRightEnded.Wrapf("%s is %s since height %d", r.Id, types.StatusName(r.Status), r.StatusHeight)
	}
	k.revokeTree(ctx, root, r, m.Reason, int(k.Params(root).MaxCascade))
	return r.Id, nil
}

// RevokeAll revokes every right the signer granted on an asset (granted
// before this message), each with its descendants; an authorisation's
// operator right is left to its authorisation.
func (k Keeper) RevokeAll(ctx context.Context, root store.KV, m *types.MsgRevokeAll) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	if _, err := k.registry.Asset(root, m.AssetId); err != nil {
		return "", err
	}
	j := job{op: jobRevokeAll, n: k.lastSeq(root, rightSeqKey), grantor: addr(actor.Address), asset: m.AssetId, reason: m.Reason}
	k.work(ctx, root, []job{j}, int(k.Params(root).MaxCascade), nil)
	return m.AssetId, nil
}

// SuspendRight: the data admin stops an active right (and, through
// liveness, everything granted from it) until resumed.
func (k Keeper) SuspendRight(ctx context.Context, root store.KV, m *types.MsgSuspendRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, err := k.dataAdmin(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.Right(root, m.RightId)
	if err != nil {
		return "", err
	}
	if r.Status != types.RightStatus_RIGHT_STATUS_ACTIVE {
		return "", types.ErrNotActive.Wrapf("%s is %s", r.Id, types.StatusName(r.Status))
	}
	k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_SUSPENDED, m.Reason)
	env.Emit(ctx, types.EventRightSuspended, env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId),
		env.Indexed(types.AttrParty, r.Holder), env.Indexed(types.AttrActor, admin.Address), env.Plain(types.AttrReason, m.Reason))
	return r.Id, nil
}

// ResumeRight: the data admin lifts a suspension. The red lines are checked
// again under the asset's current classification; where they need the
// data admin, resuming is that approval.
func (k Keeper) ResumeRight(ctx context.Context, root store.KV, m *types.MsgResumeRight) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, err := k.dataAdmin(ctx, root)
	if err != nil {
		return "", err
	}
	r, err := k.Right(root, m.RightId)
	if err != nil {
		return "", err
	}
	if r.Status != types.RightStatus_RIGHT_STATUS_SUSPENDED {
		return "", types.ErrNotSuspended.Wrapf("%s is %s", r.Id, types.StatusName(r.Status))
	}
	asset, err := k.registry.Asset(root, r.AssetId)
	if err != nil {
		return "", err
	}
	if r.ParentId != "" {
		verdict, err := types.CheckRedLines(asset, r.Grantor, r.Holder, r.Scope)
		if err != nil {
			return "", err
		}
		if verdict == types.NeedsApproval {
			k.kv(root).Set(stampKey(mustN(r.Id)), types.Stamp(asset))
		}
	}
	k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_ACTIVE, m.Reason)
	env.Emit(ctx, types.EventRightResumed, env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId),
		env.Indexed(types.AttrParty, r.Holder), env.Indexed(types.AttrActor, admin.Address), env.Plain(types.AttrReason, m.Reason))
	return r.Id, nil
}

// RecordUsage records one use under a live right the signer holds, inside
// its scope; or, naming only an asset, one use of unconditionally open
// public data, which needs no right. It writes exactly one key.
func (k Keeper) RecordUsage(ctx context.Context, root store.KV, m *types.MsgRecordUsage) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	b, t := env.BlockOf(ctx), env.TxOf(ctx)
	suffix := usageSuffix(b.Height, t.Hash, t.MsgIndex)
	u := &types.Usage{RightId: m.RightId, AssetId: m.AssetId, User: actor.Address, Purpose: m.Purpose, Operation: m.Operation,
		ResultHash: m.ResultHash, Height: b.Height, Time: types.Timestamp(b.Time), TxHash: strings.ToUpper(hex.EncodeToString(t.Hash))}
	var key []byte
	if m.RightId == "" {
		if key, err = k.openUsage(root, m.AssetId, suffix); err != nil {
			return "", err
		}
	} else {
		r, err := k.Right(root, m.RightId)
		if err != nil {
			return "", err
		}
		if key, err = k.rightUsage(ctx, root, r, m, actor.Address, suffix); err != nil {
			return "", err
		}
		u.AssetId = r.AssetId
	}
	k.kv(root).Set(key, store.Encode(u))
	env.Emit(ctx, types.EventUsageRecorded, env.Indexed(types.AttrRightID, m.RightId), env.Indexed(types.AttrAssetID, u.AssetId),
		env.Indexed(types.AttrParty, actor.Address), env.Plain(types.AttrPurpose, m.Purpose),
		env.Plain(types.AttrOperation, types.OperationName(m.Operation)), env.Plain(types.AttrResultHash, m.ResultHash))
	if m.RightId == "" {
		return m.AssetId, nil
	}
	return m.RightId, nil
}

// rightUsage checks a use under a right and returns its record's key.
func (k Keeper) rightUsage(ctx context.Context, root store.KV, r *types.Right, m *types.MsgRecordUsage, actor string, suffix []byte) ([]byte, error) {
	if r.Holder != actor {
		return nil, types.ErrNotHolder.Wrapf("%s is held by %s, not %s", r.Id, r.Holder, actor)
	}
	if m.AssetId != "" && m.AssetId != r.AssetId {
		return nil, types.ErrInvalidFields.Wrapf("%s is a right on asset %s, not %s", r.Id, r.AssetId, m.AssetId)
	}
	if err := k.Live(ctx, root, r); err != nil {
		return nil, err
	}
	if err := types.CheckUse(r.Scope, m.Purpose, m.Operation); err != nil {
		return nil, err
	}
	return usageKey(mustN(r.Id), suffix), nil
}

// openUsage checks a use of open data without a right and returns its
// record's key.
func (k Keeper) openUsage(root store.KV, asset string, suffix []byte) ([]byte, error) {
	a, err := k.registry.Asset(root, asset)
	if err != nil {
		return nil, err
	}
	if !types.OpenToAll(a) {
		return nil, types.ErrRightRequired.Wrapf("asset %s is not unconditionally open public data; record the use under a right (right_id)", asset)
	}
	if why := types.Blocked(a); why != "" {
		return nil, types.ErrAssetBlocked.Wrap(why)
	}
	return openUsageKey(asset, suffix), nil
}
