package keeper

import (
	"context"
	"fmt"
	"strings"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// The steps the handlers share: what may be covered, who may operate,
// activation, suspension and the end, each with its event.

// coverable checks every asset of a against the rules of authorised
// operation, in order, and returns the assets and whether any is of
// important grade (which needs the data admin's co-approval):
//
//   - core data is never authorised (red line), whatever its class;
//   - only public data (公共数据) is operated under authorisation;
//   - a frozen, disputed or cancelled asset blocks it;
//   - important data only for privacy-preserving computation: the red
//     lines never let important data out otherwise, so the operator's
//     rights would never be live;
//   - the authoriser holds the asset (the holder of its root right).
//
// It runs at application (early, clear refusals) and again at approval and
// co-approval, since an asset may be reclassified, frozen or disputed in
// between.
func (k Keeper) coverable(root store.KV, a *types.Authorization) ([]*regtypes.Asset, bool, error) {
	out := make([]*regtypes.Asset, 0, len(a.AssetIds))
	important := false
	for _, id := range a.AssetIds {
		asset, err := k.registry.Asset(root, id)
		if err != nil {
			return nil, false, fmt.Errorf("asset %s: %w", id, err)
		}
		switch {
		case asset.GetGrade() == regtypes.Grade_GRADE_CORE:
			return nil, false, types.ErrCoreData.Wrapf("asset %s is core data", id)
		case asset.GetClassification() != regtypes.Classification_CLASSIFICATION_PUBLIC:
			return nil, false, types.ErrNotPublicData.Wrapf("asset %s is %s data", id, regtypes.ClassificationName(asset.GetClassification()))
		}
		if why := rightstypes.Blocked(asset); why != "" {
			return nil, false, types.ErrAssetBlocked.Wrap(why)
		}
		if asset.GetGrade() == regtypes.Grade_GRADE_IMPORTANT {
			if !a.Scope.GetPrivacyComputingOnly() {
				return nil, false, types.ErrImportantNeedsPrivacy.Wrapf("asset %s is important data; apply with privacy-computing-only", id)
			}
			important = true
		}
		holder, err := k.rights.HolderOf(root, asset)
		if err != nil {
			return nil, false, fmt.Errorf("asset %s: %w", id, err)
		}
		if holder != a.Authoriser {
			return nil, false, types.ErrNotHolder.Wrapf("asset %s is held by %s, not by the authoriser %s", id, holder, a.Authoriser)
		}
		out = append(out, asset)
	}
	return out, important, nil
}

// checkAuthoriser: the department that holds the data, registered,
// active, and not the operator itself.
func (k Keeper) checkAuthoriser(root store.KV, authoriser, operator string) error {
	if authoriser == operator {
		return types.ErrInvalidAuthoriser.Wrap("an operator cannot authorise itself")
	}
	p, err := k.identity.Party(root, authoriser)
	switch {
	case err != nil:
		return types.ErrInvalidAuthoriser.Wrapf("%s is not a registered party", authoriser)
	case !p.IsDepartment():
		return types.ErrInvalidAuthoriser.Wrapf("%s (%s) is not a department", p.Name, authoriser)
	case !p.IsActive():
		return types.ErrInvalidAuthoriser.Wrapf("%s (%s) is suspended", p.Name, authoriser)
	}
	return nil
}

// checkOperator: at activation the operator must still be an active party
// with the operator role (governance may have revoked it since applying).
func (k Keeper) checkOperator(root store.KV, a *types.Authorization) error {
	p, err := k.identity.Party(root, a.Operator)
	switch {
	case err != nil:
		return types.ErrNotOperatorRole.Wrapf("operator %s is not a registered party", a.Operator)
	case !p.IsActive():
		return types.ErrNotOperatorRole.Wrapf("operator %s (%s) is suspended", p.Name, a.Operator)
	case !p.HasRole(idtypes.Role_ROLE_OPERATOR):
		return types.ErrNotOperatorRole.Wrapf("%s (%s) no longer holds the operator role", p.Name, a.Operator)
	}
	return nil
}

// activate starts the term (from the block time, for term_seconds), has
// x/rights mint the operator one use right per covered asset (in asset
// order: operator_right_ids[i] is the right on asset_ids[i]), and queues
// the expiry. The rights are minted before anything here is written.
func (k Keeper) activate(ctx context.Context, root store.KV, a *types.Authorization, assets []*regtypes.Asset, actor, reason string) error {
	from := now(ctx)
	until := from.Add(secondsDuration(a.TermSeconds))
	ids := make([]string, len(assets))
	for i, asset := range assets {
		id, err := k.rights.MintUnder(ctx, root, asset, a.Operator, a.Scope, until, a.Id)
		if err != nil {
			return fmt.Errorf("asset %s: %w", asset.Id, err)
		}
		ids[i] = id
	}
	a.ValidFrom, a.ValidUntil, a.OperatorRightIds = rightstypes.Timestamp(from), rightstypes.Timestamp(until), ids
	k.setStatus(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE, reason)
	k.kv(root).Set(expiryKey(until, mustN(a.Id)), store.Marker)
	emit(ctx, types.EventActivated, a, actor, env.Plain(types.AttrValidUntil, formatTime(until)),
		env.Plain(types.AttrRightIDs, strings.Join(ids, ",")))
	return nil
}

// suspend stops an active authorisation: its operator rights are
// suspended, and with them (by liveness) everything granted under it.
func (k Keeper) suspend(ctx context.Context, root store.KV, a *types.Authorization, actor, reason string, extra ...env.Attr) error {
	if err := k.rights.SuspendUnder(ctx, root, a.OperatorRightIds, fmt.Sprintf("authorisation %s suspended: %s", a.Id, reason)); err != nil {
		return err
	}
	k.setStatus(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED, reason)
	emit(ctx, types.EventSuspended, a, actor, append(extra, env.Plain(types.AttrReason, reason))...)
	return nil
}

// finish ends a running authorisation with a final status (terminated,
// exited, expired): every right granted under it ends in the same block
// (x/rights' bounded cascade; whatever it leaves is dead at once), and it
// leaves the expiry queue.
func (k Keeper) finish(ctx context.Context, root store.KV, a *types.Authorization, to types.AuthorizationStatus, ev, actor, reason string, extra ...env.Attr) error {
	if err := k.rights.EndUnder(ctx, root, a.OperatorRightIds, fmt.Sprintf("authorisation %s %s: %s", a.Id, types.StatusName(to), reason)); err != nil {
		return err
	}
	if a.ValidUntil != nil {
		k.kv(root).Delete(expiryKey(a.ValidUntil.AsTime(), mustN(a.Id)))
	}
	k.setStatus(ctx, root, a, to, reason)
	emit(ctx, ev, a, actor, append(extra, env.Plain(types.AttrReason, reason))...)
	return nil
}

// wrongStatus refuses an action in the wrong status, naming the status the
// authorisation is in and what the action needs.
func wrongStatus(a *types.Authorization, action string, want ...types.AuthorizationStatus) error {
	names := make([]string, len(want))
	for i, s := range want {
		names[i] = types.StatusName(s)
	}
	return types.ErrWrongStatus.Wrapf("%s is %s since height %d; %s needs %s", a.Id, types.StatusName(a.Status), a.StatusHeight, action, strings.Join(names, " or "))
}

// emit records a change of a: one event per covered asset, each with a's
// id, the operator, the authoriser, the actor (when one signed), that
// asset and the event's own details, so that tx_search finds it by any of
// them and no event names a key twice (CometBFT's PostgreSQL sink keeps
// one value per key). The event's type says which status a is now in.
func emit(ctx context.Context, typ string, a *types.Authorization, actor string, extra ...env.Attr) {
	for _, id := range a.AssetIds {
		attrs := []env.Attr{env.Indexed(types.AttrAuthorizationID, a.Id), env.Indexed(types.AttrOperator, a.Operator),
			env.Indexed(types.AttrAuthoriser, a.Authoriser), env.Indexed(types.AttrActor, actor), env.Indexed(types.AttrAssetID, id)}
		env.Emit(ctx, typ, append(attrs, extra...)...)
	}
}
