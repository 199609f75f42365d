package keeper

import (
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/revenue/types"
)

// Keeper owns the revenue module's state: policies, distributions and
// earnings. Like every keeper it holds no state of its own: each method
// takes the store it works on. It asks x/identity who acts and who may
// benefit, x/registry for assets and their lineage, x/rights who holds an
// asset and x/authorization for an authorisation's terms, only through the
// interfaces in types/expected.go.
type Keeper struct {
	identity types.Identity
	registry types.Registry
	rights   types.Rights
	auth     types.Authorization
}

// New returns the revenue keeper. The app builds it after the identity,
// registry, rights and authorisation keepers (it reads all four; none of
// them needs it) and before the market, which calls Split.
func New(id types.Identity, reg types.Registry, rights types.Rights, auth types.Authorization) Keeper {
	return Keeper{identity: id, registry: reg, rights: rights, auth: auth}
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Policy returns an asset's revenue policy, or nil when it has none (the
// holder of its root right then receives everything the policy would
// split).
func (k Keeper) Policy(root store.KV, assetID string) *types.Policy {
	if types.CheckID("asset_id", assetID) != nil {
		return nil
	}
	bz := k.kv(root).Get(PolicyKey(assetID))
	if bz == nil {
		return nil
	}
	p := &types.Policy{}
	store.Decode(bz, p)
	return p
}

// Earnings returns a party's running total (zero when it never received).
func (k Keeper) Earnings(root store.KV, party string) *types.QueryEarningsResponse {
	bz := k.kv(root).Get(earningsKey(party))
	if bz == nil {
		return &types.QueryEarningsResponse{Party: party}
	}
	e := &types.QueryEarningsResponse{}
	store.Decode(bz, e)
	return e
}

// Params returns the module's params (the defaults if genesis set none).
func (k Keeper) Params(root store.KV) *types.Params {
	bz := k.kv(root).Get(paramsKey)
	if bz == nil {
		return types.DefaultParams()
	}
	p := &types.Params{}
	store.Decode(bz, p)
	return p
}

// SetParams validates and stores the params (genesis, x/governance).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return types.ErrInvalidParams.Wrap(err.Error())
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}
