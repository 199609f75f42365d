package keeper

import (
	"context"
	"math"
	"strconv"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/types"
)

// Registration is in register.go; the handlers below act on a registered
// asset. Each checks everything before it writes anything.

// ObjectAsset raises an objection (异议) during the notice period: any
// active party but the registrant, with evidence and a reason. The asset
// leaves the notice queue and waits for the data admin.
func (k Keeper) ObjectAsset(ctx context.Context, root store.KV, m *types.MsgObjectAsset) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, a, err := k.actorAndAsset(ctx, root, m.AssetId)
	if err != nil {
		return "", err
	}
	if err := checkInNotice(ctx, a); err != nil {
		return "", err
	}
	if actor.Address == a.Registrant {
		return "", types.ErrOwnRegistration.Wrapf("%s registered %s", actor.Address, a.Id)
	}
	b := env.BlockOf(ctx)
	old := clone(a)
	a.Status = types.AssetStatus_ASSET_STATUS_DISPUTED
	a.Objection = &types.Objection{Objector: actor.Address, EvidenceHash: m.EvidenceHash, Reason: m.Reason, Height: b.Height, Time: timestamppb.New(b.Time)}
	k.setAsset(root, old, a)
	env.Emit(ctx, types.EventAssetObjected, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrEvidenceHash, m.EvidenceHash), env.Plain(types.AttrReason, m.Reason))
	return a.Id, nil
}

// checkInNotice admits an objection only while the notice period runs. The
// period is over at notice_ends, even if the end-of-block step has not yet
// reached the asset (a backlog beyond max_certifications_per_block): an
// objection must not depend on how busy the chain is.
func checkInNotice(ctx context.Context, a *types.Asset) error {
	if a.Status != types.AssetStatus_ASSET_STATUS_IN_NOTICE {
		return types.ErrNotInNotice.Wrapf("%s is %s", a.Id, types.StatusName(a.Status))
	}
	if end := a.NoticeEnds.AsTime(); !env.BlockOf(ctx).Time.Before(end) {
		return types.ErrNotInNotice.Wrapf("the notice period of %s ended at %s", a.Id, end.UTC().Format(timeFormat))
	}
	return nil
}

// ResolveObjection: the data admin upholds an objection (the registration
// is cancelled, its catalogue code and hashes are released, and every right
// on it ends) or dismisses it (the asset is certified now; core data,
// reclassified during the dispute, is catalogued instead).
func (k Keeper) ResolveObjection(ctx context.Context, root store.KV, m *types.MsgResolveObjection) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	admin, a, err := k.adminAndAsset(ctx, root, m.AssetId)
	if err != nil {
		return "", err
	}
	if a.Status != types.AssetStatus_ASSET_STATUS_DISPUTED {
		return "", types.ErrNotDisputed.Wrapf("%s is %s", a.Id, types.StatusName(a.Status))
	}
	outcome := types.OutcomeDismissed
	if m.Uphold {
		outcome = types.OutcomeUpheld
	}
	env.Emit(ctx, types.EventObjectionResolved, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, admin.Address),
		env.Plain(types.AttrOutcome, outcome), env.Plain(types.AttrReason, m.Reason))
	old := clone(a)
	a.StatusReason = m.Reason
	if !m.Uphold {
		k.certify(ctx, root, a)
		k.setAsset(root, old, a)
		return a.Id, nil
	}
	a.Status = types.AssetStatus_ASSET_STATUS_CANCELLED
	k.setAsset(root, old, a)
	k.release(root, a)
	env.Emit(ctx, types.EventAssetCancelled, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, admin.Address),
		env.Plain(types.AttrReason, m.Reason))
	if err := k.rights.EndAll(ctx, root, a, m.Reason); err != nil {
		return "", err
	}
	return a.Id, nil
}

// AddVersion: the holder of the asset's root right appends a new content
// hash; the history is kept. The hash must be new to the whole ledger.
func (k Keeper) AddVersion(ctx context.Context, root store.KV, m *types.MsgAddVersion) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, a, err := k.actorAndAsset(ctx, root, m.AssetId)
	if err != nil {
		return "", err
	}
	if err := checkActive(a); err != nil {
		return "", err
	}
	if err := k.checkHolder(root, actor, a); err != nil {
		return "", err
	}
	if err := k.checkHashFree(root, m.ContentHash); err != nil {
		return "", err
	}
	if a.Version == math.MaxUint32 {
		return "", types.ErrInvalidField.Wrapf("%s has the most versions an asset can have", a.Id)
	}
	old := clone(a)
	a.Version++
	a.ContentHash = m.ContentHash
	k.setAsset(root, old, a)
	k.putVersion(ctx, root, a, actor.Address, m.Note)
	env.Emit(ctx, types.EventVersionAdded, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrVersion, strconv.FormatUint(uint64(a.Version), 10)), env.Plain(types.AttrContentHash, a.ContentHash))
	return a.Id, nil
}

// checkActive admits a change to an asset that is neither cancelled nor
// frozen.
func checkActive(a *types.Asset) error {
	switch {
	case a.IsCancelled():
		return types.ErrCancelled.Wrapf("%s was cancelled: %s", a.Id, a.StatusReason)
	case a.Frozen:
		return types.ErrFrozen.Wrapf("%s is frozen: %s", a.Id, a.FrozenReason)
	}
	return nil
}

// checkHolder admits the holder of the asset's root right, as x/rights
// says: the holding right moves with transfers, the registrant stays.
func (k Keeper) checkHolder(root store.KV, actor *idtypes.Party, a *types.Asset) error {
	holder, err := k.rights.HolderOf(root, a)
	if err != nil {
		return err
	}
	if holder != actor.Address {
		return types.ErrNotHolder.Wrapf("%s holds %s, not %s (%s)", holder, a.Id, actor.Name, actor.Address)
	}
	return nil
}

// RecordValuation: an assessor (评估机构) records a value in fen with its
// method and report hash. A frozen or core asset may still be valued
// (valuation is bookkeeping, not use); a cancelled one is not an asset.
func (k Keeper) RecordValuation(ctx context.Context, root store.KV, m *types.MsgRecordValuation) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, a, err := k.actorAndAsset(ctx, root, m.AssetId)
	if err != nil {
		return "", err
	}
	if !actor.HasRole(idtypes.Role_ROLE_ASSESSOR) {
		return "", types.ErrNotAssessor.Wrapf("%s (%s) is not an assessor", actor.Name, actor.Address)
	}
	if a.IsCancelled() {
		return "", types.ErrCancelled.Wrapf("%s was cancelled: %s", a.Id, a.StatusReason)
	}
	n := number(a)
	last := k.lastValuation(root, n)
	if last == math.MaxUint32 {
		return "", types.ErrInvalidField.Wrapf("%s has the most valuations an asset can have", a.Id)
	}
	b := env.BlockOf(ctx)
	v := &types.Valuation{Number: last + 1, Assessor: actor.Address, ValueFen: m.ValueFen, Method: m.Method,
		ReportHash: m.ReportHash, Height: b.Height, Time: timestamppb.New(b.Time)}
	k.kv(root).Set(valuationKey(n, v.Number), store.Encode(v))
	env.Emit(ctx, types.EventValuationRecorded, env.Indexed(types.AttrAssetID, a.Id), env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrValuation, strconv.FormatUint(uint64(v.Number), 10)), env.Plain(types.AttrValueFen, strconv.FormatUint(v.ValueFen, 10)),
		env.Plain(types.AttrMethod, types.MethodName(v.Method)), env.Plain(types.AttrReportHash, v.ReportHash))
	return a.Id, nil
}

// lastValuation is the number of asset n's latest valuation (0: none),
// read from the end of its range: no counter to keep.
func (k Keeper) lastValuation(root store.KV, n uint64) uint32 {
	p := valuationsOf(n)
	it := k.kv(root).ReverseIterator(p, store.PrefixEnd(p))
	defer it.Close()
	if !it.Valid() {
		return 0
	}
	v := &types.Valuation{}
	store.Decode(it.Value(), v)
	return v.Number
}

// FreezeAsset: the data admin freezes an asset. x/rights reads the flag:
// while frozen, every right on the asset is blocked.
func (k Keeper) FreezeAsset(ctx context.Context, root store.KV, m *types.MsgFreezeAsset) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	admin, err := k.dataAdmin(ctx, root)
	if err != nil {
		return "", err
	}
	return k.setFrozen(ctx, root, m.AssetId, true, m.Reason, admin.Address)
}

// UnfreezeAsset: the data admin lifts a freeze.
func (k Keeper) UnfreezeAsset(ctx context.Context, root store.KV, m *types.MsgUnfreezeAsset) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	admin, err := k.dataAdmin(ctx, root)
	if err != nil {
		return "", err
	}
	return k.setFrozen(ctx, root, m.AssetId, false, m.Reason, admin.Address)
}

// SetFrozen freezes or unfreezes an asset on the departments' decision
// (x/governance, at the end of the block in which the proposal passed):
// the data admin's freeze without the data admin. Its events carry no
// party; governance's proposal_executed beside them names the proposal.
func (k Keeper) SetFrozen(ctx context.Context, root store.KV, assetID string, frozen bool, reason string) error {
	var err error
	if frozen {
		err = (&types.MsgFreezeAsset{AssetId: assetID, Reason: reason}).Validate()
	} else {
		err = (&types.MsgUnfreezeAsset{AssetId: assetID, Reason: reason}).Validate()
	}
	if err != nil {
		return err
	}
	_, err = k.setFrozen(ctx, root, assetID, frozen, reason, "")
	return err
}

// setFrozen is every freeze and unfreeze: by is the data admin who decided
// it, or empty for governance.
func (k Keeper) setFrozen(ctx context.Context, root store.KV, id string, freeze bool, reason, by string) (string, error) {
	a, err := k.Asset(root, id)
	if err != nil {
		return "", err
	}
	switch {
	case a.IsCancelled():
		return "", types.ErrCancelled.Wrapf("%s was cancelled: %s", a.Id, a.StatusReason)
	case freeze && a.Frozen:
		return "", types.ErrFrozen.Wrapf("%s is already frozen: %s", a.Id, a.FrozenReason)
	case !freeze && !a.Frozen:
		return "", types.ErrNotFrozen.Wrapf("%s", a.Id)
	}
	old := clone(a)
	a.Frozen, a.FrozenReason = freeze, reason
	ev := types.EventAssetFrozen
	if !freeze {
		a.FrozenReason, ev = "", types.EventAssetUnfrozen
	}
	k.setAsset(root, old, a)
	attrs := []env.Attr{env.Indexed(types.AttrAssetID, a.Id)}
	if by != "" {
		attrs = append(attrs, env.Indexed(types.AttrParty, by))
	}
	env.Emit(ctx, ev, append(attrs, env.Plain(types.AttrReason, reason))...)
	return a.Id, nil
}

// actorAndAsset returns the acting party and the asset the message is about.
func (k Keeper) actorAndAsset(ctx context.Context, root store.KV, id string) (*idtypes.Party, *types.Asset, error) {
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	a, err := k.Asset(root, id)
	if err != nil {
		return nil, nil, err
	}
	return actor, a, nil
}

// adminAndAsset is actorAndAsset for the data admin's messages.
func (k Keeper) adminAndAsset(ctx context.Context, root store.KV, id string) (*idtypes.Party, *types.Asset, error) {
	actor, err := k.dataAdmin(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	a, err := k.Asset(root, id)
	if err != nil {
		return nil, nil, err
	}
	return actor, a, nil
}

// dataAdmin returns the acting party if it is the data admin.
func (k Keeper) dataAdmin(ctx context.Context, root store.KV) (*idtypes.Party, error) {
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	if !actor.HasRole(idtypes.Role_ROLE_DATA_ADMIN) {
		return nil, types.ErrNotDataAdmin.Wrapf("%s (%s) is not the data admin", actor.Name, actor.Address)
	}
	return actor, nil
}
