package keeper

import (
	"strings"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// Queries read committed state. Lists are paged by query.Paginate over an
// ordered key range; filters (kind, status) apply within a page, so a
// filtered page may hold fewer entries than its limit: follow next_key.
// Statuses are as stored; Live is what says whether a right may be
// exercised now.

// QueryRight answers /rights/right. The value is the right exactly as
// stored and proofKey its key in the state tree, so that the app can attach
// a proof of (key, value), or of absence, against the app hash.
func (k Keeper) QueryRight(root store.KV, req *types.QueryRightRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseRightID("id", req.Id)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(RightKey(n))
	if bz == nil {
		return nil, FullRightKey(n), types.ErrRightNotFound.Wrapf("no right has id %s", req.Id)
	}
	return bz, FullRightKey(n), nil
}

// QueryRights answers /rights/list: by holder or by asset (or all, in id
// order), optionally of one kind and one status.
func (k Keeper) QueryRights(root store.KV, req *types.QueryRightsRequest) (*types.QueryRightsResponse, error) {
	if err := checkFilters(req.Kind, req.Status); err != nil {
		return nil, err
	}
	var prefix []byte
	switch {
	case req.Holder != "" && req.AssetId != "":
		return nil, types.ErrInvalidFields.Wrap("list by holder or by asset, not both")
	case req.Holder != "":
		h, err := types.ParseAddress("holder", req.Holder)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(holderPrefix, address.Bytes(h))
	case req.AssetId != "":
		if err := types.ValidateAssetID("asset_id", req.AssetId); err != nil {
			return nil, err
		}
		prefix = store.Concat(assetPrefix, assetKey(req.AssetId))
	default:
		prefix = rightPrefix
	}
	resp := &types.QueryRightsResponse{}
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		r := k.mustRightN(root, lastN(key))
		if (req.Kind == 0 || r.Kind == req.Kind) && (req.Status == 0 || r.Status == req.Status) {
			resp.Rights = append(resp.Rights, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

func checkFilters(kind types.RightKind, status types.RightStatus) error {
	if _, ok := types.RightKind_name[int32(kind)]; !ok {
		return types.ErrInvalidFields.Wrapf("kind %d", kind)
	}
	if _, ok := types.RightStatus_name[int32(status)]; !ok {
		return types.ErrInvalidFields.Wrapf("status %d", status)
	}
	return nil
}

// QueryChildren answers /rights/children: the rights granted from a right,
// in grant order.
func (k Keeper) QueryChildren(root store.KV, req *types.QueryChildrenRequest) (*types.QueryRightsResponse, error) {
	r, err := k.Right(root, req.Id)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryRightsResponse{}
	page, err := query.Paginate(k.kv(root), childrenOf(mustN(r.Id)), req.Page, func(key, _ []byte) error {
		resp.Rights = append(resp.Rights, k.mustRightN(root, lastN(key)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

// QueryChain answers /rights/chain: the right, its parent, ... its root
// (at most max_depth + 1 rights).
func (k Keeper) QueryChain(root store.KV, req *types.QueryChainRequest) (*types.QueryChainResponse, error) {
	r, err := k.Right(root, req.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryChainResponse{Rights: k.chain(root, r)}, nil
}

// QueryRequests answers /rights/requests: by requester or by the holder
// they are addressed to (or all), optionally of one status.
func (k Keeper) QueryRequests(root store.KV, req *types.QueryRequestsRequest) (*types.QueryRequestsResponse, error) {
	if _, ok := types.RequestStatus_name[int32(req.Status)]; !ok {
		return nil, types.ErrInvalidFields.Wrapf("status %d", req.Status)
	}
	var prefix []byte
	switch {
	case req.Requester != "" && req.Holder != "":
		return nil, types.ErrInvalidFields.Wrap("list by requester or by holder, not both")
	case req.Requester != "":
		a, err := types.ParseAddress("requester", req.Requester)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(requesterPrefix, address.Bytes(a))
	case req.Holder != "":
		a, err := types.ParseAddress("holder", req.Holder)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(reqHolderPrefix, address.Bytes(a))
	default:
		prefix = requestPrefix
	}
	resp := &types.QueryRequestsResponse{}
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		r, err := k.Request(root, types.RequestID(lastN(key)))
		if err != nil {
			return err
		}
		if req.Status == 0 || r.Status == req.Status {
			resp.Requests = append(resp.Requests, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

// QueryUsage answers /rights/usage, oldest first: the uses recorded under
// a right ("r-<n>"), or, given an asset id instead, the uses of
// unconditionally open public data recorded without a right.
func (k Keeper) QueryUsage(root store.KV, req *types.QueryUsageRequest) (*types.QueryUsageResponse, error) {
	var prefix []byte
	if strings.HasPrefix(req.RightId, types.RightIDPrefix) {
		n, err := types.ParseRightID("right_id", req.RightId)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(usagePrefix, u64(n))
	} else {
		if err := types.ValidateAssetID("right_id", req.RightId); err != nil {
			return nil, err
		}
		prefix = store.Concat(openUsagePrefix, assetKey(req.RightId))
	}
	resp := &types.QueryUsageResponse{}
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(_, value []byte) error {
		u := &types.Usage{}
		store.Decode(value, u)
		resp.Usage = append(resp.Usage, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}
