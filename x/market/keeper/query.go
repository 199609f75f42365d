package keeper

import (
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
)

// Queries read committed state. Lists are paged by query.Paginate over an
// ordered key range; a status filter on a list by party or asset applies
// within a page, so such a page may hold fewer entries than its limit:
// follow next_key.

// QueryListing answers /market/listing: the listing as stored and its key
// in the state tree, so that a proof of it (or of its absence) can be
// attached.
func (k Keeper) QueryListing(root store.KV, req *types.QueryListingRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseID("id", req.Id, types.ListingIDPrefix)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(ListingKey(n))
	if bz == nil {
		return nil, FullListingKey(n), types.ErrListingNotFound.Wrapf("no listing has id %s", req.Id)
	}
	return bz, FullListingKey(n), nil
}

// QueryTrade answers /market/trade, like QueryListing.
func (k Keeper) QueryTrade(root store.KV, req *types.QueryTradeRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseID("id", req.Id, types.TradeIDPrefix)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(TradeKey(n))
	if bz == nil {
		return nil, FullTradeKey(n), types.ErrTradeNotFound.Wrapf("no trade has id %s", req.Id)
	}
	return bz, FullTradeKey(n), nil
}

// listPrefix chooses the index of a list query: by an address, by an
// asset (at most one of them), by status, or all.
func listPrefix(field1, v1 string, p1 []byte, v2 string, p2 []byte, status byte, pStatus, all []byte) ([]byte, bool, error) {
	if v1 != "" && v2 != "" {
		return nil, false, types.ErrInvalidFields.Wrapf("list by %s or by asset: one of them", field1)
	}
	switch {
	case v1 != "":
		a, err := types.ParseAddress(field1, v1)
		if err != nil {
			return nil, false, err
		}
		return store.Concat(p1, addr(a)), true, nil
	case v2 != "":
		if err := types.ValidateAssetID("asset_id", v2); err != nil {
			return nil, false, err
		}
		return store.Concat(p2, assetKey(v2)), true, nil
	case status != 0:
		return store.Concat(pStatus, []byte{status}), false, nil
	}
	return all, false, nil
}

// QueryListings answers /market/listings: by seller or by asset, or by
// status, or all, in id order; a status narrows a list by seller or asset.
func (k Keeper) QueryListings(root store.KV, req *types.QueryListingsRequest) (*types.QueryListingsResponse, error) {
	if _, ok := types.ListingStatus_name[int32(req.Status)]; !ok {
		return nil, types.ErrInvalidFields.Wrapf("status %d is not defined", req.Status)
	}
	prefix, filter, err := listPrefix("seller", req.Seller, listingSellerPrefix, req.AssetId, listingAssetPrefix,
		byte(req.Status), listingStatusPrefix, listingPrefix)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryListingsResponse{}
	resp.Page, err = query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		l := &types.Listing{}
		if !k.get(root, ListingKey(lastN(key)), l) {
			panic(&store.Fault{Err: types.ErrListingNotFound.Wrapf("an index names %s, which is not stored", types.ListingID(lastN(key)))})
		}
		if !filter || req.Status == 0 || l.Status == req.Status {
			resp.Listings = append(resp.Listings, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// QueryTrades answers /market/trades: by buyer, by seller or by asset (at
// most one), or all, in id order.
func (k Keeper) QueryTrades(root store.KV, req *types.QueryTradesRequest) (*types.QueryTradesResponse, error) {
	var prefix []byte
	var err error
	switch {
	case req.Buyer != "" && (req.Seller != "" || req.AssetId != ""):
		return nil, types.ErrInvalidFields.Wrap("list by buyer, by seller or by asset: one of them")
	case req.Buyer != "":
		prefix, _, err = listPrefix("buyer", req.Buyer, tradeBuyerPrefix, "", nil, 0, nil, nil)
	default:
		prefix, _, err = listPrefix("seller", req.Seller, tradeSellerPrefix, req.AssetId, tradeAssetPrefix, 0, nil, tradePrefix)
	}
	if err != nil {
		return nil, err
	}
	resp := &types.QueryTradesResponse{}
	resp.Page, err = query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		t := &types.Trade{}
		if !k.get(root, TradeKey(lastN(key)), t) {
			panic(&store.Fault{Err: types.ErrTradeNotFound.Wrapf("an index names %s, which is not stored", types.TradeID(lastN(key)))})
		}
		resp.Trades = append(resp.Trades, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// QueryBids answers /market/bids: by buyer or by asset, or by status, or
// all, in id order; a status narrows a list by buyer or asset.
func (k Keeper) QueryBids(root store.KV, req *types.QueryBidsRequest) (*types.QueryBidsResponse, error) {
	if _, ok := types.BidStatus_name[int32(req.Status)]; !ok {
		return nil, types.ErrInvalidFields.Wrapf("status %d is not defined", req.Status)
	}
	prefix, filter, err := listPrefix("buyer", req.Buyer, bidBuyerPrefix, req.AssetId, bidAssetPrefix,
		byte(req.Status), bidStatusPrefix, bidPrefix)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryBidsResponse{}
	resp.Page, err = query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		b := &types.Bid{}
		if !k.get(root, BidKey(lastN(key)), b) {
			panic(&store.Fault{Err: types.ErrBidNotFound.Wrapf("an index names %s, which is not stored", types.BidID(lastN(key)))})
		}
		if !filter || req.Status == 0 || b.Status == req.Status {
			resp.Bids = append(resp.Bids, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// QueryWithdrawals answers /market/withdrawals: by owner, or all, in id
// order.
func (k Keeper) QueryWithdrawals(root store.KV, req *types.QueryWithdrawalsRequest) (*types.QueryWithdrawalsResponse, error) {
	prefix, _, err := listPrefix("owner", req.Owner, withdrawalOwnerPrefix, "", nil, 0, nil, withdrawalPrefix)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryWithdrawalsResponse{}
	resp.Page, err = query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		w := &types.Withdrawal{}
		if !k.get(root, WithdrawalKey(lastN(key)), w) {
			panic(&store.Fault{Err: types.ErrWithdrawalNotFound.Wrapf("an index names %s, which is not stored", types.WithdrawalID(lastN(key)))})
		}
		resp.Withdrawals = append(resp.Withdrawals, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
