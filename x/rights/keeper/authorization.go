package keeper

import (
	"context"
	"fmt"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// What x/authorization calls. An approved authorisation (公共数据授权运营)
// is carried by one use right per covered asset, minted to the operator
// from the asset's root right and marked with the authorisation's id: the
// operator right. Everything the operator grants descends from it and
// inherits the mark, so the authorisation's suspension, resumption and end
// reach all of it through the machinery every right already has: liveness
// for suspension, the bounded cascade for the end.
//
// The operator right's status is the authorisation's business: its grantor
// (the authoriser) cannot revoke it, alone or by revoke-all; the
// authorisation is terminated instead.
var _ authtypes.Rights = Keeper{}

// operatorRight reports whether r is an authorisation's operator right:
// minted from the root (depth 1) under an authorisation. Rights the
// operator grants carry the mark too, but sit deeper.
func operatorRight(r *types.Right) bool { return r.AuthorizationId != "" && r.Depth == 1 }

// MintUnder mints the operator right of authorisation authorizationID on
// asset: a sublicensable, non-transferable, non-exclusive use right from
// the asset's root right, with scope, from the block time to until. It is
// a grant (see grant) by the root's holder with two differences: the red
// lines' need for the data admin's approval is met by the authorisation's
// approval (x/authorization has the data admin co-approve important data
// before it calls this), and the right carries the authorisation's id.
// Everything else applies: the root is live, the scope narrows the root's,
// the term is inside the root's, the operator is an active party other
// than the holder, no red line is broken (core data, important data
// without privacy-computing-only: such a right could never be live), and
// no exclusive use right stands in the way.
func (k Keeper) MintUnder(ctx context.Context, root store.KV, asset *regtypes.Asset, operator string, scope *types.Scope, until time.Time, authorizationID string) (string, error) {
	if authorizationID == "" {
		return "", types.ErrInvalidFields.Wrap("authorization_id is required")
	}
	parent, err := k.rootOf(root, asset.GetId())
	if err != nil {
		return "", err
	}
	grantee, err := types.ParseAddress("operator", operator)
	if err != nil {
		return "", err
	}
	s, err := types.NormalizeScope(scope)
	if err != nil {
		return "", err
	}
	if until.Unix() <= 0 || until.After(types.MaxTime) {
		return "", types.ErrInvalidTerm.Wrapf("valid_until %s: want a time after 1970 and before %s", formatTime(until), formatTime(types.MaxTime))
	}
	r, err := k.grant(ctx, root, parent.Holder, parent, child{
		grantee: grantee, kind: types.RightKind_RIGHT_KIND_USE, scope: s, sublicensable: true,
		until: until, authorizationID: authorizationID,
	})
	if err != nil {
		return "", err
	}
	return r.Id, nil
}

// underAuthorization reads the operator rights of an authorisation.
func (k Keeper) underAuthorization(root store.KV, ids []string) ([]*types.Right, error) {
	out := make([]*types.Right, 0, len(ids))
	for _, id := range ids {
		r, err := k.Right(root, id)
		if err != nil {
			return nil, err
		}
		if !operatorRight(r) {
			return nil, types.ErrInvalidFields.Wrapf("%s is not an authorisation's operator right", id)
		}
		out = append(out, r)
	}
	return out, nil
}

// SuspendUnder suspends the active operator rights of an authorisation.
// Like a suspension by the data admin it is lazy: everything granted from
// them keeps its status and is not live until they resume. Rights not
// active (already suspended, pending, ended) are left as they are.
func (k Keeper) SuspendUnder(ctx context.Context, root store.KV, rightIDs []string, reason string) error {
	rs, err := k.underAuthorization(root, rightIDs)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Status != types.RightStatus_RIGHT_STATUS_ACTIVE {
			continue
		}
		k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_SUSPENDED, reason)
		env.Emit(ctx, types.EventRightSuspended, authAttrs(r, reason)...)
	}
	return nil
}

// ResumeUnder resumes the suspended operator rights of an authorisation.
// As when the data admin resumes a right, the red lines are checked again
// under each asset's current classification (a reclassification may have
// happened meanwhile); where they need the data admin, resuming the
// authorisation (the data admin's act) is that approval. Every right is
// checked before any changes, so a refusal changes nothing.
func (k Keeper) ResumeUnder(ctx context.Context, root store.KV, rightIDs []string, reason string) error {
	rs, err := k.underAuthorization(root, rightIDs)
	if err != nil {
		return err
	}
	stamps := make([][]byte, len(rs))
	for i, r := range rs {
		if r.Status != types.RightStatus_RIGHT_STATUS_SUSPENDED {
			continue
		}
		asset, err := k.registry.Asset(root, r.AssetId)
		if err != nil {
			return err
		}
		verdict, err := types.CheckRedLines(asset, r.Grantor, r.Holder, r.Scope)
		if err != nil {
			return fmt.Errorf("right %s: %w", r.Id, err)
		}
		if verdict == types.NeedsApproval {
			stamps[i] = types.Stamp(asset)
		}
	}
	for i, r := range rs {
		if r.Status != types.RightStatus_RIGHT_STATUS_SUSPENDED {
			continue
		}
		if stamps[i] != nil {
			k.kv(root).Set(stampKey(mustN(r.Id)), stamps[i])
		}
		k.setStatus(ctx, root, r, types.RightStatus_RIGHT_STATUS_ACTIVE, reason)
		env.Emit(ctx, types.EventRightResumed, authAttrs(r, reason)...)
	}
	return nil
}

// EndUnder ends an authorisation's operator rights with status exited and,
// through the children index, every right granted from them, in the same
// block: the same bounded cascade as a revocation, with exited instead of
// revoked. Up to max_cascade descendants are ended at once; the rest go to
// the cleanup queue that EndBlock continues, and meanwhile none of them is
// live (an ancestor has exited). Rights that have already ended (an
// operator right that expired at the same time, or ended with its asset)
// are skipped with their descendants, which ended with them.
func (k Keeper) EndUnder(ctx context.Context, root store.KV, rightIDs []string, reason string) error {
	rs, err := k.underAuthorization(root, rightIDs)
	if err != nil {
		return err
	}
	var jobs []job
	for _, r := range rs {
		if ended(r) {
			continue
		}
		k.end(ctx, root, r, types.RightStatus_RIGHT_STATUS_EXITED, reason, "")
		n := mustN(r.Id)
		jobs = append(jobs, job{op: jobEnd, status: types.RightStatus_RIGHT_STATUS_EXITED, n: n, top: n,
			reason: fmt.Sprintf("ancestor %s exited: %s", r.Id, reason)})
	}
	k.work(ctx, root, jobs, int(k.Params(root).MaxCascade), nil)
	return nil
}

// authAttrs are the attributes of an event on an operator right.
func authAttrs(r *types.Right, reason string) []env.Attr {
	return []env.Attr{
		env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId), env.Indexed(types.AttrParty, r.Holder),
		env.Indexed(types.AttrAuthorizationID, r.AuthorizationId), env.Plain(types.AttrReason, reason),
	}
}
