package server

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	cmttypes "github.com/cometbft/cometbft/types"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/genesis"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	govtypes "github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// GenesisFile is the path of a home's genesis.json.
func GenesisFile(home string) string { return filepath.Join(home, "config", "genesis.json") }

// InitHome creates a node's home: configs, node key, validator key and a
// genesis with an empty app_state that `genesis add-department` fills.
// It refuses to touch an existing genesis unless overwrite is set.
func InitHome(home, moniker, chainID string, conf *cmtcfg.Config, overwrite bool) error {
	if chainID == "" {
		return fmt.Errorf("--chain-id is required")
	}
	if _, err := os.Stat(GenesisFile(home)); err == nil && !overwrite {
		return fmt.Errorf("%s already exists (use --overwrite to replace it)", GenesisFile(home))
	}
	if conf == nil {
		conf = DefaultCometConfig()
	}
	conf.SetRoot(home)
	conf.Moniker = moniker
	cmtcfg.EnsureRoot(home)
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
	if err := WriteAppConfig(home, DefaultAppConfig()); err != nil {
		return err
	}
	if _, err := p2p.LoadOrGenNodeKey(conf.NodeKeyFile()); err != nil {
		return err
	}
	privval.LoadOrGenFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	gs := DefaultGenesis()
	doc := &cmttypes.GenesisDoc{
		ChainID: chainID, GenesisTime: time.Now().UTC().Truncate(time.Second),
		InitialHeight: 1, ConsensusParams: DefaultConsensusParams(),
	}
	return SaveGenesis(GenesisFile(home), doc, gs)
}

// DefaultBlockMaxBytes is the genesis block.max_bytes: 4 MiB of txs (about
// 18,000 usage records), the default of CometBFT's v1 line. CometBFT
// v0.40's own default (~53 MiB) lets a proposer take a whole 50,000-tx
// mempool into one block, which a small validator set then spends 10-20 s
// gossiping, checking and executing, past its propose timeout: throughput
// stalls instead of rising (docs/decisions.md, docs/bench/).
const DefaultBlockMaxBytes = 4 << 20

// DefaultConsensusParams are CometBFT's with block.max_bytes
// DefaultBlockMaxBytes.
func DefaultConsensusParams() *cmttypes.ConsensusParams {
	p := cmttypes.DefaultConsensusParams()
	p.Block.MaxBytes = DefaultBlockMaxBytes
	return p
}

// DefaultCometConfig is CometBFT's default config with the network's
// permissioning on: peers are filtered by the node ids registered on chain
// (app/filter.go), and peer exchange is off, since the departments' nodes
// are known and listed as persistent peers.
func DefaultCometConfig() *cmtcfg.Config {
	conf := cmtcfg.DefaultConfig()
	conf.FilterPeers = true
	conf.P2P.PexReactor = false
	return conf
}

// DefaultGenesis is an app_state with no parties and every module's
// default parameters written out, so operators see what they can tune.
func DefaultGenesis() *genesis.GenesisState {
	return &genesis.GenesisState{
		Identity:      &idtypes.GenesisState{},
		Registry:      &regtypes.GenesisState{Params: regtypes.DefaultParams()},
		Rights:        &rightstypes.GenesisState{Params: rightstypes.DefaultParams()},
		Governance:    &govtypes.GenesisState{Params: govtypes.DefaultParams()},
		Authorization: &authtypes.GenesisState{Params: authtypes.DefaultParams()},
		Revenue:       &revtypes.GenesisState{Params: revtypes.DefaultParams()},
		Market:        &markettypes.GenesisState{Params: markettypes.DefaultParams()},
	}
}

// LoadGenesis reads a genesis.json and its app_state (not yet validated:
// a genesis under construction may have no department yet).
func LoadGenesis(path string) (*cmttypes.GenesisDoc, *genesis.GenesisState, error) {
	doc, err := cmttypes.GenesisDocFromFile(path)
	if err != nil {
		return nil, nil, err
	}
	gs := &genesis.GenesisState{}
	if len(doc.AppState) > 0 {
		if err := protojson.Unmarshal(doc.AppState, gs); err != nil {
			return nil, nil, fmt.Errorf("%s: app_state: %w", path, err)
		}
	}
	if gs.Identity == nil {
		gs.Identity = &idtypes.GenesisState{}
	}
	return doc, gs, nil
}

// SaveGenesis writes doc with gs as its app_state.
func SaveGenesis(path string, doc *cmttypes.GenesisDoc, gs *genesis.GenesisState) error {
	bz, err := app.MarshalGenesis(gs)
	if err != nil {
		return err
	}
	doc.AppState = bz
	return doc.SaveAs(path)
}

// ValidateGenesis checks a genesis.json as the node will at InitChain: the
// CometBFT part, the app_state, and that both name the same validators.
func ValidateGenesis(path string) error {
	doc, err := cmttypes.GenesisDocFromFile(path)
	if err != nil {
		return err
	}
	gs, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		return err
	}
	want := map[string]int64{}
	for _, p := range gs.GetIdentity().GetParties() {
		if v := p.GetValidator(); v != nil {
			want[fmt.Sprintf("%X", v.PubKey)] = v.Power
		}
	}
	if len(doc.Validators) > 0 {
		if len(doc.Validators) != len(want) {
			return fmt.Errorf("genesis.json lists %d validators, app_state %d departments with validators", len(doc.Validators), len(want))
		}
		for _, v := range doc.Validators {
			if p, ok := want[fmt.Sprintf("%X", v.PubKey.Bytes())]; !ok || p != v.Power {
				return fmt.Errorf("validator %s (%s) has no matching department in app_state", v.Name, v.Address)
			}
		}
	}
	return nil
}

// AddParty appends a party to a genesis file. A department also joins the
// validators of genesis.json, with pubKey and power.
func AddParty(path string, p *idtypes.Party) error {
	doc, gs, err := LoadGenesis(path)
	if err != nil {
		return err
	}
	for _, q := range gs.Identity.Parties {
		if q.Address == p.Address {
			return fmt.Errorf("%s is already in %s as %q", p.Address, path, q.Name)
		}
	}
	gs.Identity.Parties = append(gs.Identity.Parties, p)
	if v := p.GetValidator(); v != nil {
		pk := ed25519.PubKey(v.PubKey)
		doc.Validators = append(doc.Validators, cmttypes.GenesisValidator{Address: pk.Address(), PubKey: pk, Power: v.Power, Name: p.Name})
	}
	return SaveGenesis(path, doc, gs)
}

// ValidatorPubKey reads the ed25519 public key of a priv_validator_key.json.
func ValidatorPubKey(keyFile string) ([]byte, error) {
	if _, err := os.Stat(keyFile); err != nil {
		return nil, err
	}
	pv := privval.LoadFilePVEmptyState(keyFile, "")
	pk, err := pv.GetPubKey()
	if err != nil {
		return nil, err
	}
	if pk.Type() != ed25519.KeyType {
		return nil, fmt.Errorf("%s: validator key is %s, want ed25519", keyFile, pk.Type())
	}
	return pk.Bytes(), nil
}
