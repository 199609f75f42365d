package keeper

import (
	"context"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

const bidOpen = types.BidStatus_BID_STATUS_OPEN

// PlaceBid: a buyer escrows a price for a use right on an asset with the
// bid's scope and term; the price is locked until the bid is accepted,
// cancelled or expires.
func (k Keeper) PlaceBid(ctx context.Context, root store.KV, m *types.MsgBid) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	buyer, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	if _, err := k.registry.Asset(root, m.AssetId); err != nil {
		return "", err
	}
	expires, _ := types.Expiry("expires", m.Expires)
	if !expires.After(now(ctx)) {
		return "", types.ErrInvalidExpiry.Wrapf("expires %s is not after the block time %s", formatTime(expires), formatTime(now(ctx)))
	}
	if err := k.lock(root, buyer.Address, m.PriceFen); err != nil {
		return "", err
	}
	scope, _ := rightstypes.NormalizeScope(m.Scope)
	kv, n := k.kv(root), k.nextN(root, seqBid)
	b := &types.Bid{Id: types.BidID(n), Buyer: buyer.Address, AssetId: m.AssetId, Scope: scope, LicenseSeconds: m.LicenseSeconds,
		PriceFen: m.PriceFen, Expires: m.Expires, Status: bidOpen, Height: env.BlockOf(ctx).Height}
	kv.Set(BidKey(n), store.Encode(b))
	kv.Set(store.Concat(bidBuyerPrefix, addr(b.Buyer), u64(n)), store.Marker)
	kv.Set(store.Concat(bidAssetPrefix, assetKey(b.AssetId), u64(n)), store.Marker)
	kv.Set(store.Concat(bidStatusPrefix, []byte{byte(b.Status)}, u64(n)), store.Marker)
	kv.Set(expiryKey(expires, expBid, n), store.Marker)
	env.Emit(ctx, types.EventBidPlaced, env.Indexed(types.AttrBidID, b.Id), env.Indexed(types.AttrAssetID, b.AssetId),
		env.Indexed(types.AttrParty, b.Buyer), env.Indexed(types.AttrBuyer, b.Buyer), env.Plain(types.AttrPriceFen, fen(b.PriceFen)))
	return b.Id, nil
}

// AcceptBid: a holder who can grant the bid's terms accepts it from one of
// its rights on the asset: the licence is minted to the buyer, the escrow
// is split by x/revenue and paid out by the lines, and the trade recorded.
func (k Keeper) AcceptBid(ctx context.Context, root store.KV, m *types.MsgAcceptBid) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	seller, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	b, err := k.openBid(ctx, root, m.BidId)
	if err != nil {
		return "", err
	}
	if b.Buyer == seller.Address {
		return "", types.ErrSelfTrade.Wrapf("%s is %s's own bid", b.Id, b.Buyer)
	}
	r, a, err := k.listable(ctx, root, seller.Address, m.RightId)
	if err != nil {
		return "", err
	}
	if r.AssetId != b.AssetId {
		return "", types.ErrAssetMismatch.Wrapf("%s is a right on asset %s; %s bids for asset %s", r.Id, r.AssetId, b.Id, b.AssetId)
	}
	tradeID := types.TradeID(k.peekN(root, seqTrade))
	if err := k.release(root, b.Buyer, b.PriceFen); err != nil {
		return "", err
	}
	if err := k.pay(ctx, root, tradeID, a, r.AuthorizationId, b.PriceFen); err != nil {
		return "", err
	}
	until := now(ctx).Add(time.Duration(b.LicenseSeconds) * time.Second)
	id, err := k.deliverLicence(ctx, root, r.Id, b.Buyer, b.Scope, until)
	if err != nil {
		return "", err
	}
	tr := k.record(ctx, root, &types.Trade{BidId: b.Id, Buyer: b.Buyer, Seller: seller.Address, AssetId: b.AssetId,
		Quantity: 1, AmountFen: b.PriceFen, RightIds: []string{id}})
	b.TradeId = tr.Id
	k.closeBid(root, b, types.BidStatus_BID_STATUS_ACCEPTED)
	env.Emit(ctx, types.EventBidAccepted, env.Indexed(types.AttrBidID, b.Id), env.Indexed(types.AttrAssetID, b.AssetId),
		env.Indexed(types.AttrTradeID, tr.Id), env.Indexed(types.AttrRightID, r.Id),
		env.Indexed(types.AttrBuyer, b.Buyer), env.Indexed(types.AttrSeller, seller.Address), env.Indexed(types.AttrActor, seller.Address))
	return tr.Id, nil
}

// CancelBid: the buyer withdraws an open bid; the escrow returns.
func (k Keeper) CancelBid(ctx context.Context, root store.KV, m *types.MsgCancelBid) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	b, err := k.Bid(root, m.BidId)
	if err != nil {
		return "", err
	}
	if b.Buyer != actor.Address {
		return "", types.ErrNotBuyer.Wrapf("%s was placed by %s, not %s", b.Id, b.Buyer, actor.Address)
	}
	if b.Status != bidOpen {
		return "", types.ErrBidNotOpen.Wrapf("%s is %s", b.Id, types.BidStatusName(b.Status))
	}
	if err := k.unlock(root, b.Buyer, b.PriceFen); err != nil {
		return "", err
	}
	k.closeBid(root, b, types.BidStatus_BID_STATUS_CANCELLED)
	env.Emit(ctx, types.EventBidCancelled, env.Indexed(types.AttrBidID, b.Id), env.Indexed(types.AttrAssetID, b.AssetId),
		env.Indexed(types.AttrParty, b.Buyer), env.Plain(types.AttrAmountFen, fen(b.PriceFen)))
	return b.Id, nil
}

// openBid returns a bid that is open and not expired.
func (k Keeper) openBid(ctx context.Context, root store.KV, id string) (*types.Bid, error) {
	b, err := k.Bid(root, id)
	if err != nil {
		return nil, err
	}
	if b.Status != bidOpen {
		return nil, types.ErrBidNotOpen.Wrapf("%s is %s", b.Id, types.BidStatusName(b.Status))
	}
	if !now(ctx).Before(b.Expires.AsTime()) {
		return nil, types.ErrBidExpired.Wrapf("%s expired at %s", b.Id, formatTime(b.Expires.AsTime()))
	}
	return b, nil
}

// closeBid ends an open bid: its status (and index) changes and it leaves
// the expiry queue. The escrow is the caller's.
func (k Keeper) closeBid(root store.KV, b *types.Bid, to types.BidStatus) {
	kv, n := k.kv(root), mustN(b.Id, types.BidIDPrefix)
	kv.Delete(store.Concat(bidStatusPrefix, []byte{byte(b.Status)}, u64(n)))
	kv.Set(store.Concat(bidStatusPrefix, []byte{byte(to)}, u64(n)), store.Marker)
	if key := expiryKey(b.Expires.AsTime(), expBid, n); kv.Has(key) {
		kv.Delete(key)
	}
	b.Status = to
	kv.Set(BidKey(n), store.Encode(b))
}
