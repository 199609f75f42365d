package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	"github.com/cometbft/cometbft/light/store"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/app"
)

// live reads from RPC nodes; its headers come from a light client.
type live struct {
	cfg     Config
	rpc     *rpchttp.HTTP
	lc      *light.Client
	db      dbm.DB
	store   store.Store
	root    string // how the trust root was established
	rootErr error  // the trust root could not be established
	solo    bool   // no witnesses: the primary witnesses itself
	// chainDown makes lightBlock verify (and so store) every header between
	// a height below the trust root and the root, one step at a time: the
	// light client keeps no intermediate headers of backwards verification,
	// and a bundle needs them to hash-chain down offline.
	chainDown bool
}

// openLive checks cfg and sets up the light client. A configuration that
// cannot work is an error; a network that answers wrongly (or not at all)
// is left in rootErr, to become a FAILED item.
func openLive(ctx context.Context, cfg Config) (*live, error) {
	if cfg.Primary == "" {
		return nil, errors.New("no node to ask: give at least one --node")
	}
	if cfg.TrustingPeriod == 0 {
		cfg.TrustingPeriod = DefaultTrustingPeriod
	}
	root, err := loadRoot(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.ChainID == "" {
		cfg.ChainID = root.chainID
	}
	if cfg.ChainID == "" {
		return nil, errors.New("no chain id: give --chain-id (or --genesis)")
	}
	rpc, err := rpchttp.New(cfg.Primary, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", cfg.Primary, err)
	}
	primary, err := lighthttp.New(cfg.ChainID, cfg.Primary)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", cfg.Primary, err)
	}
	var witnesses []provider.Provider
	for _, w := range cfg.Witnesses {
		p, err := lighthttp.New(cfg.ChainID, w)
		if err != nil {
			return nil, fmt.Errorf("witness %s: %w", w, err)
		}
		witnesses = append(witnesses, p)
	}
	l := &live{cfg: cfg, rpc: rpc}
	if len(witnesses) == 0 { // the light client needs one; nothing is cross-checked
		witnesses, l.solo = []provider.Provider{primary}, true
	}
	if cfg.HomeDir == "" {
		l.db = dbm.NewMemDB()
	} else if l.db, err = dbm.NewGoLevelDB("light", cfg.HomeDir); err != nil {
		return nil, fmt.Errorf("light client store in %s: %w", cfg.HomeDir, err)
	}
	opts, note, err := root.trustOptions(ctx, cfg, primary)
	if err != nil {
		l.rootErr = err
		return l, nil
	}
	l.root = note
	l.store = lightdb.New(l.db, cfg.ChainID)
	l.lc, l.rootErr = light.NewClient(ctx, cfg.ChainID, opts, primary, witnesses, l.store,
		light.SkippingVerification(light.DefaultTrustLevel), light.PruningSize(0),
		light.Logger(log.NewNopLogger()), light.MaxRetryAttempts(3))
	return l, nil
}

func (l *live) close() {
	if l.db != nil {
		_ = l.db.Close()
	}
}

// trustedChain is every light block in the light client's store: the
// root, the pivots of skipping verification and the heights used.
func (l *live) trustedChain() []*types.LightBlock {
	var out []*types.LightBlock
	if l.store == nil {
		return nil
	}
	h, err := l.store.LastLightBlockHeight()
	if err != nil || h < 1 {
		return nil
	}
	lb, err := l.store.LightBlock(h)
	for err == nil {
		out = append(out, lb)
		lb, err = l.store.LightBlockBefore(lb.Height)
	}
	return out
}

func (l *live) latest(ctx context.Context) (*types.LightBlock, error) {
	if l.rootErr != nil {
		return nil, fmt.Errorf("trust root: %w", l.rootErr)
	}
	lb, err := l.lc.Update(ctx, time.Now())
	if err != nil {
		return nil, fmt.Errorf("light client: %w", err)
	}
	if lb != nil {
		return lb, nil
	}
	return l.lc.TrustedLightBlock(0) // nothing newer: the latest trusted
}

func (l *live) lightBlock(ctx context.Context, h int64) (*types.LightBlock, error) {
	if l.rootErr != nil {
		return nil, l.rootErr
	}
	if l.chainDown {
		first, err := l.lc.FirstTrustedHeight()
		for k := first - 1; err == nil && k > h; k-- {
			_, err = l.lc.VerifyLightBlockAtHeight(ctx, k, time.Now())
		}
		if err != nil {
			return nil, fmt.Errorf("light client: %w", err)
		}
	}
	lb, err := l.lc.VerifyLightBlockAtHeight(ctx, h, time.Now())
	if err != nil {
		return nil, fmt.Errorf("light client: %w", err)
	}
	return lb, nil
}

func (l *live) query(ctx context.Context, path string, data []byte, height int64) (*abci.ResponseQuery, error) {
	res, err := l.rpc.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return nil, fmt.Errorf("query %s on %s: %w", path, l.cfg.Primary, err)
	}
	return &res.Response, nil
}

func (l *live) txEvidence(ctx context.Context, height int64, index uint32) (*TxEvidence, error) {
	b, err := l.rpc.Block(ctx, &height)
	if err != nil {
		return nil, fmt.Errorf("block %d from %s: %w", height, l.cfg.Primary, err)
	}
	br, err := l.rpc.BlockResults(ctx, &height)
	if err != nil {
		return nil, fmt.Errorf("block results %d from %s: %w", height, l.cfg.Primary, err)
	}
	return evidenceFrom(height, index, b.Block.Txs, br.TxsResults)
}

func (l *live) findTx(ctx context.Context, hash []byte) (int64, uint32, error) {
	res, err := l.rpc.Tx(ctx, hash, false)
	if err != nil {
		return 0, 0, fmt.Errorf("tx %X on %s: %w", hash, l.cfg.Primary, err)
	}
	return res.Height, res.Index, nil
}

func (l *live) trustNote(top *types.LightBlock) string {
	w := fmt.Sprintf("cross-checked with %d witnesses", len(l.cfg.Witnesses))
	if l.solo {
		w = "no witnesses (give more --node to cross-check)"
	}
	return fmt.Sprintf("verified by the light client from %s (skipping verification, trust level 1/3); %s; app hash %X", l.root, w, top.AppHash)
}

// root is the auditor's trust root as configured.
type root struct {
	chainID string
	genesis *types.GenesisDoc
}

func loadRoot(cfg Config) (*root, error) {
	switch {
	case cfg.GenesisFile != "" && (cfg.TrustHeight != 0 || len(cfg.TrustHash) != 0):
		return nil, errors.New("give either the genesis file or a trusted height and hash, not both")
	case cfg.GenesisFile != "":
		doc, err := types.GenesisDocFromFile(cfg.GenesisFile)
		if err != nil {
			return nil, fmt.Errorf("genesis file: %w", err)
		}
		if cfg.ChainID != "" && cfg.ChainID != doc.ChainID {
			return nil, fmt.Errorf("chain id %q, but the genesis file is of %q", cfg.ChainID, doc.ChainID)
		}
		return &root{chainID: doc.ChainID, genesis: doc}, nil
	case cfg.TrustHeight > 0 && len(cfg.TrustHash) == 32:
		return &root{chainID: cfg.ChainID}, nil
	default:
		return nil, errors.New("no trust root: give --genesis FILE, or --trust-height H and --trust-hash (64 hex digits)")
	}
}

// trustOptions are the light client's trust options. With a genesis file,
// header 1 (from the primary) is trusted only if the genesis validators
// signed it with more than 2/3 of their power.
func (r *root) trustOptions(ctx context.Context, cfg Config, primary provider.Provider) (light.TrustOptions, string, error) {
	if r.genesis == nil {
		return light.TrustOptions{Period: cfg.TrustingPeriod, Height: cfg.TrustHeight, Hash: cfg.TrustHash},
			fmt.Sprintf("trusted header %d (%X)", cfg.TrustHeight, cfg.TrustHash), nil
	}
	first, err := primary.LightBlock(ctx, 1)
	if err != nil {
		return light.TrustOptions{}, "", fmt.Errorf("header 1 from %s: %w", cfg.Primary, err)
	}
	if err := checkGenesisBlock(r.genesis, first); err != nil {
		return light.TrustOptions{}, "", err
	}
	return light.TrustOptions{Period: cfg.TrustingPeriod, Height: 1, Hash: first.Hash()},
		fmt.Sprintf("header 1 (%X), signed by the genesis validators", first.Hash()), nil
}

// checkGenesisBlock checks that lb is header 1 of doc's chain, signed by
// more than 2/3 of the power of doc's validators.
func checkGenesisBlock(doc *types.GenesisDoc, lb *types.LightBlock) error {
	vals, err := genesisValidators(doc)
	if err != nil {
		return err
	}
	if lb.Height != 1 || lb.ChainID != doc.ChainID {
		return fmt.Errorf("header is %d of chain %q, want 1 of %q", lb.Height, lb.ChainID, doc.ChainID)
	}
	if err := lb.ValidateBasic(doc.ChainID); err != nil {
		return fmt.Errorf("header 1: %w", err)
	}
	if !bytes.Equal(lb.ValidatorsHash, vals.Hash()) {
		return fmt.Errorf("header 1 names validators %X, the genesis file's are %X", lb.ValidatorsHash, vals.Hash())
	}
	if err := vals.VerifyCommitLight(doc.ChainID, lb.Commit.BlockID, 1, lb.Commit); err != nil {
		return fmt.Errorf("header 1 is not signed by the genesis validators: %w", err)
	}
	return nil
}

// genesisValidators is the validator set of header 1: genesis.json's
// validators, or when it names none (InitChain decides them), the
// departments' validator keys in app_state.
func genesisValidators(doc *types.GenesisDoc) (*types.ValidatorSet, error) {
	var vs []*types.Validator
	for _, v := range doc.Validators {
		vs = append(vs, types.NewValidator(v.PubKey, v.Power))
	}
	if len(vs) == 0 {
		gs, err := app.ParseGenesis(doc.AppState)
		if err != nil {
			return nil, fmt.Errorf("genesis app_state: %w", err)
		}
		for _, p := range gs.GetIdentity().GetParties() {
			if v := p.GetValidator(); v != nil {
				vs = append(vs, types.NewValidator(ed25519.PubKey(v.PubKey), v.Power))
			}
		}
	}
	if len(vs) == 0 {
		return nil, errors.New("the genesis file names no validators")
	}
	set := types.NewValidatorSet(vs)
	if err := set.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("genesis validators: %w", err)
	}
	return set, nil
}
