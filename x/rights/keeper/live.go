package keeper

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// Live returns nil if the right may be exercised now, else ErrNotLive
// saying why. A right is live when
//
//   - its asset is not frozen, disputed or cancelled;
//   - it is active, and valid_from <= block time < valid_until;
//   - it breaks no red line under the asset's current classification (and,
//     where a red line needs the data admin, was approved under it);
//   - no revoke-all still queued covers it;
//   - and the same holds for every ancestor up to the root.
//
// The ancestor walk is what makes large cascades safe to finish later: a
// descendant of a revoked right is dead at once, whatever its own status
// says until the end-of-block cleanup reaches it. The walk is bounded by
// the right's depth, which max_depth bounded when it was granted. Checking
// the term here, not only in the expiry queue, means a lagging queue can
// never make a right usable past its term.
func (k Keeper) Live(ctx context.Context, root store.KV, r *types.Right) error {
	_, _, err := k.liveChain(ctx, root, r)
	return err
}

// LiveRight is Live by id: the right, if it exists and is live.
func (k Keeper) LiveRight(ctx context.Context, root store.KV, id string) (*types.Right, error) {
	r, err := k.Right(root, id)
	if err != nil {
		return nil, err
	}
	return r, k.Live(ctx, root, r)
}

// liveChain checks that r is live and returns its chain (r first, the root
// last) and its asset.
func (k Keeper) liveChain(ctx context.Context, root store.KV, r *types.Right) ([]*types.Right, *regtypes.Asset, error) {
	asset, err := k.registry.Asset(root, r.AssetId)
	if err != nil {
		return nil, nil, err
	}
	if why := types.Blocked(asset); why != "" {
		return nil, nil, types.ErrNotLive.Wrapf("right %s: %s", r.Id, why)
	}
	chain := k.chain(root, r)
	t := now(ctx)
	marks := k.revokeAllMarks(root, r.AssetId)
	for i, link := range chain {
		why := k.whyNotLive(root, link, asset, t, marks)
		switch {
		case why == "":
		case i == 0:
			return nil, nil, types.ErrNotLive.Wrapf("right %s %s", r.Id, why)
		default:
			return nil, nil, types.ErrNotLive.Wrapf("right %s: ancestor %s %s", r.Id, link.Id, why)
		}
	}
	return chain, asset, nil
}

// chain returns r and its ancestors up to the root. A right of depth d has
// exactly d ancestors; more is corruption.
func (k Keeper) chain(root store.KV, r *types.Right) []*types.Right {
	out := []*types.Right{r}
	for cur := r; cur.ParentId != ""; {
		if len(out) > int(r.Depth) {
			panic(&store.Fault{Err: fmt.Errorf("rights: %s has depth %d but a longer parent chain", r.Id, r.Depth)})
		}
		cur = k.mustRightN(root, mustN(cur.ParentId))
		out = append(out, cur)
	}
	return out
}

// whyNotLive says why one right, by itself, is not live ("" if it is).
func (k Keeper) whyNotLive(root store.KV, r *types.Right, asset *regtypes.Asset, t time.Time, marks []revokeAllMark) string {
	switch r.Status {
	case types.RightStatus_RIGHT_STATUS_ACTIVE:
	case types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL:
		return "is pending the data admin's approval"
	case types.RightStatus_RIGHT_STATUS_SUSPENDED:
		return fmt.Sprintf("is suspended since height %d: %s", r.StatusHeight, r.StatusReason)
	case types.RightStatus_RIGHT_STATUS_REVOKED:
		return fmt.Sprintf("was revoked at height %d: %s", r.StatusHeight, r.StatusReason)
	case types.RightStatus_RIGHT_STATUS_EXPIRED:
		return "expired at " + formatTime(r.ValidUntil.AsTime())
	case types.RightStatus_RIGHT_STATUS_EXITED:
		return fmt.Sprintf("exited at height %d: %s", r.StatusHeight, r.StatusReason)
	default:
		return "has status " + types.StatusName(r.Status)
	}
	if from := r.ValidFrom.AsTime(); t.Before(from) {
		return "is not valid before " + formatTime(from)
	}
	if r.ValidUntil != nil && !t.Before(r.ValidUntil.AsTime()) {
		return "expired at " + formatTime(r.ValidUntil.AsTime())
	}
	if r.ParentId == "" {
		return "" // a root right is the source's own; the red lines govern what leaves it
	}
	n := mustN(r.Id)
	for _, m := range marks {
		if m.grantor == r.Grantor && n <= m.upTo && !operatorRight(r) {
			return "was revoked by its grantor's revoke-all on asset " + r.AssetId
		}
	}
	verdict, err := types.CheckRedLines(asset, r.Grantor, r.Holder, r.Scope)
	if err != nil {
		return "breaks a red line after the asset's reclassification: " + err.Error()
	}
	if verdict == types.NeedsApproval && !bytes.Equal(k.kv(root).Get(stampKey(n)), types.Stamp(asset)) {
		return "needs the data admin's approval under the asset's current classification"
	}
	return ""
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
