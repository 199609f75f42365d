package keeper

import (
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
)

// The market's genesis holds its params only: money enters by the
// exchange's deposits on chain, so that every fen has a bank reference.

// ValidateGenesis checks the genesis; nil or absent params mean the
// defaults.
func ValidateGenesis(gs *types.GenesisState) error {
	if p := gs.GetParams(); p != nil {
		if err := p.Validate(); err != nil {
			return types.ErrInvalidGenesis.Wrapf("params: %v", err)
		}
	}
	return nil
}

// InitGenesis writes the params (the defaults when gs names none). Call
// ValidateGenesis first.
func (k Keeper) InitGenesis(root store.KV, gs *types.GenesisState) error {
	p := gs.GetParams()
	if p == nil {
		p = types.DefaultParams()
	}
	return k.SetParams(root, p)
}

// ExportGenesis reads the params back.
func (k Keeper) ExportGenesis(root store.KV) *types.GenesisState {
	return &types.GenesisState{Params: k.Params(root)}
}
