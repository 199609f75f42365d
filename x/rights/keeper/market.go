package keeper

import (
	"context"
	"time"

	"github.com/datarights/datarights/store"
	markettypes "github.com/datarights/datarights/x/market/types"
	"github.com/datarights/datarights/x/rights/types"
)

// What x/market calls: delivery of what was bought. A sale is the seller's
// grant or transfer, run through the same code as the seller's own
// MsgGrantRight and MsgTransferRight, so that no rule can be bypassed by
// selling instead of granting.
var _ markettypes.Rights = Keeper{}

// License mints a use right from parentID to buyer, granted by the
// parent's holder (the seller): not exclusive, not transferable, not
// sublicensable, valid from the block time to until, with every grant rule
// and red line applied as for MsgGrantRight. Where the red lines need the
// data admin, the licence is minted pending_approval, as a grant would be.
func (k Keeper) License(ctx context.Context, root store.KV, parentID, buyer string, scope *types.Scope, until time.Time) (string, error) {
	m := &types.MsgGrantRight{
		ParentId: parentID, Grantee: buyer, Kind: types.RightKind_RIGHT_KIND_USE,
		Scope: scope, ValidUntil: types.Timestamp(until),
	}
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	parent, err := k.Right(root, parentID)
	if err != nil {
		return "", err
	}
	r, err := k.grantMsg(ctx, root, parent.Holder, m)
	if err != nil {
		return "", err
	}
	return r.Id, nil
}

// Transfer moves a transferable right to buyer as its current holder's
// sale, with the rules of MsgTransferRight.
func (k Keeper) Transfer(ctx context.Context, root store.KV, rightID, to string) error {
	m := &types.MsgTransferRight{RightId: rightID, To: to}
	if err := m.ValidateBasic(); err != nil {
		return err
	}
	r, err := k.Right(root, rightID)
	if err != nil {
		return err
	}
	return k.transfer(ctx, root, r.Holder, r, m.To)
}
