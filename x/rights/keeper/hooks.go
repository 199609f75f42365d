package keeper

import (
	"bytes"
	"context"
	"slices"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// What x/registry calls: the registry decides when an asset's rights begin
// and end, this module owns them.
var _ regtypes.Rights = Keeper{}

// MintRoot mints the root right of a newly registered asset to its
// registrant: the holding right (持有权) of a dataset and of every kind but
// data_product, the operation right (经营权) of a data product. A root right
// has the full scope (every operation, any purpose), no end, may always
// grant (sublicensable), and is transferable unless it is the holding right
// of public data, which never is.
func (k Keeper) MintRoot(ctx context.Context, root store.KV, a *regtypes.Asset) (string, error) {
	if err := types.ValidateAssetID("asset_id", a.GetId()); err != nil {
		return "", err
	}
	holder, err := types.ParseAddress("registrant", a.GetRegistrant())
	if err != nil {
		return "", err
	}
	if bz := k.kv(root).Get(rootKey(a.Id)); bz != nil {
		return "", types.ErrRootExists.Wrapf("asset %s already has root right %s", a.Id, types.RightID(decodeN(bz)))
	}
	kind := types.RightKind_RIGHT_KIND_HOLDING
	if a.Kind == regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT {
		kind = types.RightKind_RIGHT_KIND_OPERATION
	}
	public := a.Classification == regtypes.Classification_CLASSIFICATION_PUBLIC
	h := env.BlockOf(ctx).Height
	r := &types.Right{
		AssetId: a.Id, Kind: kind, Holder: holder, Scope: types.FullScope(),
		Transferable: !(kind == types.RightKind_RIGHT_KIND_HOLDING && public), Sublicensable: true,
		ValidFrom: types.Timestamp(now(ctx)), Status: types.RightStatus_RIGHT_STATUS_ACTIVE,
		StatusHeight: h, GrantedHeight: h,
	}
	k.create(root, r)
	env.Emit(ctx, types.EventRightMinted, env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, a.Id),
		env.Indexed(types.AttrParty, holder), env.Indexed(types.AttrKind, types.KindName(kind)))
	return r.Id, nil
}

// HolderOf is the holder of the asset's root right, whatever its status.
func (k Keeper) HolderOf(root store.KV, a *regtypes.Asset) (string, error) {
	r, err := k.rootOf(root, a.GetId())
	if err != nil {
		return "", err
	}
	return r.Holder, nil
}

// CheckDerive returns the right that lets party derive a product from
// input, and the authorisation it was granted under: party must hold a
// live right on input whose scope includes derive (a root right always
// does; an operator's right under an active authorisation does when the
// authorisation allows derive). The oldest such right is the one returned. Unconditionally open public data needs
// no grant to be read (SPEC), but deriving a product that will be operated
// is more than reading: it needs a right, which the holder grants on
// request. A party holds few rights on one asset, so reading them through
// the holder index is cheap.
func (k Keeper) CheckDerive(ctx context.Context, root store.KV, party string, input *regtypes.Asset) (rightID, authorizationID string, err error) {
	p, err := types.ParseAddress("party", party)
	if err != nil {
		return "", "", err
	}
	var ids []uint64
	prefix := holderAssetPrefix(p, input.GetId())
	it := k.kv(root).Iterator(prefix, store.PrefixEnd(prefix))
	for ; it.Valid() && len(ids) < maxDeriveScan; it.Next() {
		ids = append(ids, lastN(it.Key()))
	}
	_ = it.Close()
	var last error
	for _, n := range ids {
		r := k.mustRightN(root, n)
		if !slices.Contains(r.Scope.GetOperations(), types.Operation_OPERATION_DERIVE) {
			continue
		}
		if last = k.Live(ctx, root, r); last == nil {
			return r.Id, r.AuthorizationId, nil
		}
	}
	if last != nil {
		return "", "", types.ErrDeriveNotAllowed.Wrapf("%s on asset %s: %v", p, input.GetId(), last)
	}
	return "", "", types.ErrDeriveNotAllowed.Wrapf("%s holds no right on asset %s whose scope includes derive", p, input.GetId())
}

// maxDeriveScan bounds the rights CheckDerive reads for one party on one
// asset, oldest first.
const maxDeriveScan = 1000

// EndAll revokes every right on the asset (its registration was cancelled):
// the root and, through the cascade, every descendant.
func (k Keeper) EndAll(ctx context.Context, root store.KV, a *regtypes.Asset, reason string) error {
	r, err := k.rootOf(root, a.GetId())
	if err != nil {
		return err
	}
	if ended(r) {
		return nil
	}
	k.revokeTree(ctx, root, r, reason, int(k.Params(root).MaxCascade))
	return nil
}

// Recheck re-applies the red lines to every right on a reclassified asset:
// a right that now breaks one is suspended; one that now needs the data
// admin's approval (and has none under the new classification) goes back
// to pending_approval. Up to max_cascade rights are rechecked at once, the
// rest at the end of the block; Live applies the same rules meanwhile, so
// no right that breaks a red line is ever usable.
func (k Keeper) Recheck(ctx context.Context, root store.KV, a *regtypes.Asset) error {
	r, err := k.rootOf(root, a.GetId())
	if err != nil {
		return err
	}
	k.work(ctx, root, []job{{op: jobRecheck, n: mustN(r.Id)}}, int(k.Params(root).MaxCascade), a)
	return nil
}

// recheckOne applies the red lines to one right that has not ended. A
// suspended right stays suspended: resuming it checks again.
func (k Keeper) recheckOne(ctx context.Context, root store.KV, r *types.Right, a *regtypes.Asset) {
	if r.Status == types.RightStatus_RIGHT_STATUS_SUSPENDED {
		return
	}
	attrs := []env.Attr{env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId), env.Indexed(types.AttrParty, r.Holder)}
	verdict, err := types.CheckRedLines(a, r.Grantor, r.Holder, r.Scope)
	n := mustN(r.Id)
	switch {
	case err != nil:
		reason := "reclassification: " + err.Error()
		k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_SUSPENDED, reason)
		env.Emit(ctx, types.EventRightSuspended, append(attrs, env.Plain(types.AttrReason, reason))...)
	case verdict == types.NeedsApproval && r.Status == types.RightStatus_RIGHT_STATUS_ACTIVE &&
		!bytes.Equal(k.kv(root).Get(stampKey(n)), types.Stamp(a)):
		reason := "reclassification: needs the data admin's approval under the new classification"
		k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL, reason)
		if k.kv(root).Has(stampKey(n)) {
			k.kv(root).Delete(stampKey(n))
		}
		env.Emit(ctx, types.EventRightPendingApproval, append(attrs, env.Plain(types.AttrReason, reason))...)
	}
}
