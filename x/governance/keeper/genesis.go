package keeper

import (
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
)

// ValidateGenesis checks the governance genesis without touching state.
// Governance's genesis is its params (the departments are x/identity's
// genesis; proposals are made on chain); no params means the defaults.
func ValidateGenesis(gs *types.GenesisState) error {
	if p := gs.GetParams(); p != nil {
		if err := p.Validate(); err != nil {
			return types.ErrInvalidGenesis.Wrapf("params: %v", err)
		}
	}
	return nil
}

// InitGenesis stores the genesis params, or the defaults when there are
// none. Call ValidateGenesis first: invalid params here are a bug of the
// caller and stop the chain at InitChain rather than start it broken.
func (k Keeper) InitGenesis(root store.KV, gs *types.GenesisState) {
	p := gs.GetParams()
	if p == nil {
		p = types.DefaultParams()
	}
	if err := k.SetParams(root, p); err != nil {
		panic(err)
	}
}

// ExportGenesis reads the params back.
func (k Keeper) ExportGenesis(root store.KV) *types.GenesisState {
	return &types.GenesisState{Params: k.Params(root)}
}
