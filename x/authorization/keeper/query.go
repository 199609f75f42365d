package keeper

import (
	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/validate"
	"github.com/datarights/datarights/x/authorization/types"
)

// Queries read committed state. Lists are paged by query.Paginate over an
// ordered key range; a status filter on a list by party or asset applies
// within a page, so such a page may hold fewer entries than its limit:
// follow next_key.

// QueryAuthorization answers /authorization/show. The value is the
// authorisation exactly as stored and proofKey its key in the state tree,
// so that the app can attach a proof of (key, value), or of absence,
// against the app hash.
func (k Keeper) QueryAuthorization(root store.KV, req *types.QueryAuthorizationRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseID("id", req.Id)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(AuthorizationKey(n))
	if bz == nil {
		return nil, FullAuthorizationKey(n), types.ErrNotFound.Wrapf("no authorisation has id %s", req.Id)
	}
	return bz, FullAuthorizationKey(n), nil
}

// QueryAuthorizations answers /authorization/list: by operator, by
// authoriser or by asset (at most one), or by status, or all, in id order;
// a status narrows a list by party or asset.
func (k Keeper) QueryAuthorizations(root store.KV, req *types.QueryAuthorizationsRequest) (*types.QueryAuthorizationsResponse, error) {
	if !types.ValidStatus(req.Status) {
		return nil, types.ErrInvalidFields.Wrapf("status %d is not defined", req.Status)
	}
	set := 0
	for _, s := range []string{req.Operator, req.Authoriser, req.AssetId} {
		if s != "" {
			set++
		}
	}
	if set > 1 {
		return nil, types.ErrInvalidFields.Wrap("list by operator, by authoriser or by asset: one of them")
	}
	var prefix []byte
	filter := req.Status
	switch {
	case req.Operator != "":
		a, err := types.ParseAddress("operator", req.Operator)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(operatorPrefix, address.Bytes(a))
	case req.Authoriser != "":
		a, err := types.ParseAddress("authoriser", req.Authoriser)
		if err != nil {
			return nil, err
		}
		prefix = store.Concat(authoriserPrefix, address.Bytes(a))
	case req.AssetId != "":
		if err := validate.Code("asset_id", req.AssetId, types.MaxAssetIDBytes); err != nil {
			return nil, types.ErrInvalidFields.Wrap(err.Error())
		}
		prefix = store.Concat(assetPrefix, assetKey(req.AssetId))
	case req.Status != 0:
		prefix, filter = store.Concat(statusPrefix, []byte{byte(req.Status)}), 0
	default:
		prefix = authPrefix
	}
	resp := &types.QueryAuthorizationsResponse{}
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(key, _ []byte) error {
		a := k.mustAuthorizationN(root, lastN(key))
		if filter == 0 || a.Status == filter {
			resp.Authorizations = append(resp.Authorizations, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

// QueryEvaluations answers /authorization/evaluations: an authorisation's
// evaluations, oldest first.
func (k Keeper) QueryEvaluations(root store.KV, req *types.QueryEvaluationsRequest) (*types.QueryEvaluationsResponse, error) {
	a, err := k.Authorization(root, req.Id)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryEvaluationsResponse{}
	page, err := query.Paginate(k.kv(root), evaluationsOf(mustN(a.Id)), req.Page, func(_, value []byte) error {
		e := &types.Evaluation{}
		store.Decode(value, e)
		resp.Evaluations = append(resp.Evaluations, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}
