package server

import (
	"bytes"
	"context"
	"fmt"
	"os"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/libs/log"
	sm "github.com/cometbft/cometbft/state"
	cmtstore "github.com/cometbft/cometbft/store"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/store"
)

// ReplayHeight is the outcome of re-executing one block.
type ReplayHeight struct {
	Height int64 `json:"height"`
	Txs    int   `json:"txs"`
	// AppHash and ResultsHash are what the fresh app computed; the chain's
	// are in the next block's header (or the node's state for the last).
	AppHash     string `json:"app_hash"`
	ResultsHash string `json:"results_hash"`
	// ResponseMatches: the whole FinalizeBlock response (results, events,
	// validator updates) equals the one the node stored, when it kept one.
	ResponseMatches *bool `json:"response_matches,omitempty"`
}

// ReplayReport is the outcome of Replay.
type ReplayReport struct {
	ChainID   string `json:"chain_id"`
	From      int64  `json:"from"`
	To        int64  `json:"to"`
	Blocks    int64  `json:"blocks"`
	Txs       int    `json:"txs"`
	Responses int64  `json:"responses_compared"`
	// Mismatch is the first height whose app hash, results hash or stored
	// response differs, with what differed; empty if none did.
	Mismatch string `json:"mismatch,omitempty"`
}

// Replay feeds the block store of a stopped node at home into a fresh app
// (state in a temporary directory, removed after), block by block as
// CometBFT would, and compares at every height the app hash and the
// results hash with those the chain recorded in the next header (for the
// last height, in the node's consensus state), and the whole FinalizeBlock
// response with the one the node stored. It stops at the first mismatch.
// progress, if not nil, is called after each height.
func Replay(ctx context.Context, home string, progress func(ReplayHeight)) (*ReplayReport, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	acfg, err := LoadAppConfig(home)
	if err != nil {
		return nil, err
	}
	doc, err := cmttypes.GenesisDocFromFile(conf.GenesisFile())
	if err != nil {
		return nil, err
	}
	blockDB, err := cmtcfg.DefaultDBProvider(&cmtcfg.DBContext{ID: "blockstore", Config: conf})
	if err != nil {
		return nil, fmt.Errorf("open block store (is the node stopped?): %w", err)
	}
	defer blockDB.Close()
	stateDB, err := cmtcfg.DefaultDBProvider(&cmtcfg.DBContext{ID: "state", Config: conf})
	if err != nil {
		return nil, fmt.Errorf("open state store: %w", err)
	}
	defer stateDB.Close()
	blocks := cmtstore.NewBlockStore(blockDB)
	states := sm.NewStore(stateDB, sm.StoreOptions{})
	state, err := states.Load()
	if err != nil {
		return nil, err
	}
	if blocks.Base() > doc.InitialHeight {
		return nil, fmt.Errorf("the block store starts at height %d (pruned or state-synced): replay needs every block from %d", blocks.Base(), doc.InitialHeight)
	}

	dir, err := os.MkdirTemp("", "datarights-replay-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	tree, err := store.Open(dir, acfg.DBBackend, acfg.StoreOptions())
	if err != nil {
		return nil, err
	}
	a, err := app.New(tree, log.NewNopLogger())
	if err != nil {
		_ = tree.Close()
		return nil, err
	}
	defer a.Close()

	rep := &ReplayReport{ChainID: doc.ChainID, From: doc.InitialHeight, To: blocks.Height()}
	init, err := a.InitChain(ctx, initChainRequest(doc))
	if err != nil {
		return nil, fmt.Errorf("InitChain: %w", err)
	}
	if first := blocks.LoadBlockMeta(doc.InitialHeight); first != nil && !bytes.Equal(init.AppHash, first.Header.AppHash) {
		rep.Mismatch = fmt.Sprintf("genesis: app hash %X, block %d header has %X", init.AppHash, doc.InitialHeight, first.Header.AppHash)
		return rep, nil
	}
	for h := doc.InitialHeight; h <= rep.To; h++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		got, err := replayBlock(ctx, a, blocks, h)
		if err != nil {
			return rep, err
		}
		rep.Blocks++
		rep.Txs += got.Txs
		wantApp, wantResults := state.AppHash, state.LastResultsHash
		if next := blocks.LoadBlockMeta(h + 1); next != nil {
			wantApp, wantResults = next.Header.AppHash, next.Header.LastResultsHash
		} else if h != state.LastBlockHeight {
			return rep, fmt.Errorf("no header after height %d and the state is at %d", h, state.LastBlockHeight)
		}
		if stored, err := states.LoadFinalizeBlockResponse(h); err == nil {
			same := sameResponse(stored, got.resp)
			got.ResponseMatches = &same
			rep.Responses++
		}
		switch {
		case got.AppHash != fmt.Sprintf("%X", wantApp):
			rep.Mismatch = fmt.Sprintf("height %d: app hash %s, chain has %X", h, got.AppHash, wantApp)
		case got.ResultsHash != fmt.Sprintf("%X", wantResults):
			rep.Mismatch = fmt.Sprintf("height %d: results hash %s, chain has %X", h, got.ResultsHash, wantResults)
		case got.ResponseMatches != nil && !*got.ResponseMatches:
			rep.Mismatch = fmt.Sprintf("height %d: FinalizeBlock response differs from the one the node stored", h)
		}
		if progress != nil {
			progress(got.ReplayHeight)
		}
		if rep.Mismatch != "" {
			return rep, nil
		}
	}
	return rep, nil
}

type replayed struct {
	ReplayHeight
	resp *abci.ResponseFinalizeBlock
}

func replayBlock(ctx context.Context, a *app.App, blocks *cmtstore.BlockStore, h int64) (*replayed, error) {
	block := blocks.LoadBlock(h)
	if block == nil {
		return nil, fmt.Errorf("block %d is missing from the block store", h)
	}
	resp, err := a.FinalizeBlock(ctx, &abci.RequestFinalizeBlock{
		Hash: block.Hash(), NextValidatorsHash: block.NextValidatorsHash, ProposerAddress: block.ProposerAddress,
		Height: block.Height, Time: block.Time, Misbehavior: block.Evidence.Evidence.ToABCI(), Txs: block.Txs.ToSliceOfBytes(),
	})
	if err != nil {
		return nil, fmt.Errorf("FinalizeBlock %d: %w", h, err)
	}
	if _, err := a.Commit(ctx, &abci.RequestCommit{}); err != nil {
		return nil, fmt.Errorf("Commit %d: %w", h, err)
	}
	return &replayed{resp: resp, ReplayHeight: ReplayHeight{Height: h, Txs: len(block.Txs),
		AppHash: fmt.Sprintf("%X", resp.AppHash), ResultsHash: fmt.Sprintf("%X", cmttypes.NewResults(resp.TxResults).Hash())}}, nil
}

// initChainRequest is the InitChain CometBFT's handshake sends for doc.
func initChainRequest(doc *cmttypes.GenesisDoc) *abci.RequestInitChain {
	vals := make([]*cmttypes.Validator, len(doc.Validators))
	for i, v := range doc.Validators {
		vals[i] = cmttypes.NewValidator(v.PubKey, v.Power)
	}
	params := doc.ConsensusParams.ToProto()
	return &abci.RequestInitChain{
		Time: doc.GenesisTime, ChainId: doc.ChainID, InitialHeight: doc.InitialHeight, ConsensusParams: &params,
		Validators: cmttypes.TM2PB.ValidatorUpdates(cmttypes.NewValidatorSet(vals)), AppStateBytes: doc.AppState,
	}
}

// sameResponse compares two FinalizeBlock responses byte for byte.
func sameResponse(a, b *abci.ResponseFinalizeBlock) bool {
	x, err1 := a.Marshal()
	y, err2 := b.Marshal()
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
