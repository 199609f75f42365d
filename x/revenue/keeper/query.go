package keeper

import (
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/revenue/types"
)

// QueryPolicy answers /revenue/policy. The value is the policy exactly as
// stored and proofKey its key in the state tree, so that the app can
// attach a proof of (key, value), or of the key's absence: an asset
// without a policy pays everything to its holder.
func (k Keeper) QueryPolicy(root store.KV, req *types.QueryPolicyRequest) (value, proofKey []byte, err error) {
	if err := types.CheckID("asset_id", req.AssetId); err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(PolicyKey(req.AssetId))
	if bz == nil {
		return nil, FullPolicyKey(req.AssetId), types.ErrPolicyNotFound.Wrapf("%s has no revenue policy; its holder receives everything", req.AssetId)
	}
	return bz, FullPolicyKey(req.AssetId), nil
}

// QueryDistributions answers /revenue/distributions: the distributions of
// one trade, paying one beneficiary, or touching one asset (sold, or
// reached through the lineage), in settlement order, one page at a time.
func (k Keeper) QueryDistributions(root store.KV, req *types.QueryDistributionsRequest) (*types.QueryDistributionsResponse, error) {
	var prefixes [][]byte
	if req.TradeId != "" {
		if err := types.CheckID("trade_id", req.TradeId); err != nil {
			return nil, err
		}
		prefixes = append(prefixes, byTrade(req.TradeId))
	}
	if req.Beneficiary != "" {
		b, err := types.ParseAddress("beneficiary", req.Beneficiary)
		if err != nil {
			return nil, err
		}
		prefixes = append(prefixes, byBeneficiary(b))
	}
	if req.AssetId != "" {
		if err := types.CheckID("asset_id", req.AssetId); err != nil {
			return nil, err
		}
		prefixes = append(prefixes, byAsset(req.AssetId))
	}
	if len(prefixes) != 1 {
		return nil, types.ErrInvalidFields.Wrap("filter by one of trade, beneficiary or asset")
	}
	resp := &types.QueryDistributionsResponse{}
	var err error
	resp.Distributions, resp.Page, err = k.distributionsUnder(root, prefixes[0], req.Page)
	return resp, err
}

// distributionsUnder pages an index of distribution numbers.
func (k Keeper) distributionsUnder(root store.KV, prefix []byte, page *query.PageRequest) ([]*types.Distribution, *query.PageResponse, error) {
	var out []*types.Distribution
	kv := k.kv(root)
	resp, err := query.Paginate(kv, prefix, page, func(key, _ []byte) error {
		bz := kv.Get(distributionKey(lastN(key)))
		if bz == nil {
			panic(&store.Fault{Err: types.ErrInvalidFields.Wrapf("an index names distribution %d, which is not stored", lastN(key))})
		}
		d := &types.Distribution{}
		store.Decode(bz, d)
		out = append(out, d)
		return nil
	})
	return out, resp, err
}

// QueryEarnings answers /revenue/earnings: a party's total received
// through distributions and its number of lines.
func (k Keeper) QueryEarnings(root store.KV, req *types.QueryEarningsRequest) (*types.QueryEarningsResponse, error) {
	p, err := types.ParseAddress("party", req.Party)
	if err != nil {
		return nil, err
	}
	return k.Earnings(root, p), nil
}

// QueryFund answers /revenue/fund: the public service fund's address, its
// total (levies and authorisations' public-service shares) and a page of
// the distributions that paid it.
func (k Keeper) QueryFund(root store.KV, req *types.QueryFundRequest) (*types.QueryFundResponse, error) {
	resp := &types.QueryFundResponse{Address: types.FundAddress, TotalFen: k.Earnings(root, types.FundAddress).TotalFen}
	var err error
	resp.History, resp.Page, err = k.distributionsUnder(root, byBeneficiary(types.FundAddress), req.Page)
	return resp, err
}
