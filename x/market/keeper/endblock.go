package keeper

import (
	"bytes"
	"context"
	"fmt"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
)

var _ module.EndBlocker = Keeper{}

// EndBlock expires open listings and bids whose expiry has come (expires
// <= block time), at most max_expiries_per_block of them, earliest first;
// the rest wait for the next block, in order. An expired bid's escrow
// returns to the buyer. The lag costs nothing: Buy and AcceptBid refuse a
// listing or bid past its expiry whether or not this step has run. An
// error here is corruption and stops the node.
func (k Keeper) EndBlock(ctx context.Context, root store.KV) error {
	t := now(ctx)
	if t.Unix() <= 0 {
		return nil // no block time: nothing can be due
	}
	limit := int(k.Params(root).MaxExpiriesPerBlock)
	end := store.Concat(expiryPrefix, u64(uint64(t.UnixNano())+1))
	var due [][]byte
	it := k.kv(root).Iterator(expiryPrefix, end)
	for ; it.Valid() && len(due) < limit; it.Next() {
		due = append(due, bytes.Clone(it.Key()))
	}
	_ = it.Close()
	for _, key := range due {
		if len(key) != 1+8+1+8 {
			return &store.Fault{Err: fmt.Errorf("market: expiry key %X has the wrong length", key)}
		}
		n := lastN(key)
		switch key[9] {
		case expListing:
			l := &types.Listing{}
			if !k.get(root, ListingKey(n), l) || l.Status != listingOpen {
				return &store.Fault{Err: fmt.Errorf("market: expiry queue names %s, which is not an open listing", types.ListingID(n))}
			}
			k.closeListing(root, l, types.ListingStatus_LISTING_STATUS_EXPIRED)
			env.Emit(ctx, types.EventListingExpired, env.Indexed(types.AttrListingID, l.Id), env.Indexed(types.AttrAssetID, l.AssetId),
				env.Indexed(types.AttrParty, l.Seller))
		case expBid:
			b := &types.Bid{}
			if !k.get(root, BidKey(n), b) || b.Status != bidOpen {
				return &store.Fault{Err: fmt.Errorf("market: expiry queue names %s, which is not an open bid", types.BidID(n))}
			}
			if err := k.unlock(root, b.Buyer, b.PriceFen); err != nil {
				return &store.Fault{Err: fmt.Errorf("market: returning the escrow of %s: %w", b.Id, err)}
			}
			k.closeBid(root, b, types.BidStatus_BID_STATUS_EXPIRED)
			env.Emit(ctx, types.EventBidExpired, env.Indexed(types.AttrBidID, b.Id), env.Indexed(types.AttrAssetID, b.AssetId),
				env.Indexed(types.AttrParty, b.Buyer), env.Plain(types.AttrAmountFen, fen(b.PriceFen)))
		default:
			return &store.Fault{Err: fmt.Errorf("market: expiry key %X has unknown kind", key)}
		}
	}
	return nil
}
