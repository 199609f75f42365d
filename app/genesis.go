package app

import (
	"bytes"
	"fmt"
	"slices"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/store"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	govkeeper "github.com/datarights/datarights/x/governance/keeper"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	marketkeeper "github.com/datarights/datarights/x/market/keeper"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
)

// ParseGenesis decodes and validates an app_state (protobuf JSON; unknown
// fields are an error, so a typo in genesis.json cannot pass silently).
func ParseGenesis(appState []byte) (*genesis.GenesisState, error) {
	gs := &genesis.GenesisState{}
	if len(bytes.TrimSpace(appState)) == 0 {
		return nil, fmt.Errorf("genesis app_state is empty")
	}
	if err := protojson.Unmarshal(appState, gs); err != nil {
		return nil, fmt.Errorf("decode genesis app_state: %w", err)
	}
	if err := idkeeper.ValidateGenesis(gs.GetIdentity()); err != nil {
		return nil, err
	}
	if err := regkeeper.ValidateGenesis(gs.GetRegistry()); err != nil {
		return nil, err
	}
	if err := rightskeeper.ValidateGenesis(gs.GetRights()); err != nil {
		return nil, err
	}
	if err := authkeeper.ValidateGenesis(gs.GetAuthorization()); err != nil {
		return nil, err
	}
	if err := revkeeper.ValidateGenesis(gs.GetRevenue()); err != nil {
		return nil, err
	}
	if err := marketkeeper.ValidateGenesis(gs.GetMarket()); err != nil {
		return nil, err
	}
	if err := govkeeper.ValidateGenesis(gs.GetGovernance()); err != nil {
		return nil, err
	}
	return gs, nil
}

// MarshalGenesis encodes an app_state as indented protobuf JSON.
func MarshalGenesis(gs *genesis.GenesisState) ([]byte, error) {
	return protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(gs)
}

// initGenesis writes the genesis state into the working version and returns
// the departments' validators.
func (a *App) initGenesis(kv store.KV, chainID string, gs *genesis.GenesisState) []abci.ValidatorUpdate {
	kv.Set(chainIDKey, []byte(chainID))
	a.identity.InitGenesis(kv, gs.GetIdentity())
	a.registry.InitGenesis(kv, gs.GetRegistry())
	if err := a.rights.InitGenesis(kv, gs.GetRights()); err != nil {
		panic(err) // validated by ParseGenesis
	}
	if err := a.auth.InitGenesis(kv, gs.GetAuthorization()); err != nil {
		panic(err) // validated by ParseGenesis
	}
	if err := a.revenue.InitGenesis(kv, gs.GetRevenue()); err != nil {
		panic(err) // validated by ParseGenesis
	}
	if err := a.market.InitGenesis(kv, gs.GetMarket()); err != nil {
		panic(err) // validated by ParseGenesis
	}
	a.governance.InitGenesis(kv, gs.GetGovernance())
	var vals []abci.ValidatorUpdate
	for _, p := range a.identity.Validators(kv) {
		vals = append(vals, abci.Ed25519ValidatorUpdate(p.Validator.PubKey, p.Validator.Power))
	}
	return vals
}

// sameValidators reports whether CometBFT's genesis validators (if it
// names any) are the departments' validators.
func sameValidators(fromComet, fromApp []abci.ValidatorUpdate) bool {
	if len(fromComet) == 0 {
		return true
	}
	key := func(v abci.ValidatorUpdate) string { return fmt.Sprintf("%x/%d", v.PubKey.GetEd25519(), v.Power) }
	var a, b []string
	for _, v := range fromComet {
		a = append(a, key(v))
	}
	for _, v := range fromApp {
		b = append(b, key(v))
	}
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
