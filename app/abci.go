package app

import (
	"time"

	"context"
	"errors"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/internal/failpoint"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	provtypes "github.com/datarights/datarights/x/provenance/types"
)

// AppName is reported in Info.
const AppName = "datarights"

// Info reports the last committed height and app hash, from which
// CometBFT's handshake replays any blocks the app has not committed.
func (a *App) Info(_ context.Context, _ *abci.RequestInfo) (*abci.ResponseInfo, error) {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	resp := &abci.ResponseInfo{Data: AppName, Version: "v1", AppVersion: Version, LastBlockHeight: a.tree.Version()}
	if resp.LastBlockHeight > 0 {
		resp.LastBlockAppHash = a.tree.Hash()
	}
	return resp, nil
}

// InitChain loads the genesis app_state. An invalid genesis stops the node:
// there is no chain to run.
func (a *App) InitChain(_ context.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	if req.InitialHeight > 1 {
		return nil, fmt.Errorf("initial height %d: only chains starting at height 1 are supported", req.InitialHeight)
	}
	if len(req.ChainId) == 0 || len(req.ChainId) > tx.MaxChainIDBytes {
		return nil, fmt.Errorf("invalid chain id %q", req.ChainId)
	}
	gs, err := ParseGenesis(req.AppStateBytes)
	if err != nil {
		return nil, err
	}
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	a.tree.Rollback() // a retried InitChain starts from empty state
	a.chainID = req.ChainId
	vals := a.initGenesis(a.tree, req.ChainId, gs)
	if !sameValidators(req.Validators, vals) {
		return nil, errors.New("genesis.json validators differ from the departments' validators in app_state; list each department's key and power in both, or only in app_state")
	}
	return &abci.ResponseInitChain{Validators: vals, AppHash: a.tree.WorkingHash()}, nil
}

// SetMaxPendingPerSigner caps the txs of one signer that CheckTx admits
// between commits (app.toml max_pending_per_signer; 0: no cap).
func (a *App) SetMaxPendingPerSigner(n int) { a.maxPending = n }

// CheckTx admits a tx to the mempool if its envelope is valid, its signer an
// active party, its nonce the signer's next, counting txs already admitted
// since the last commit, and the signer has fewer than the configured
// number of txs pending. It reads only the committed state and never
// writes it.
//
// It runs beside block execution (see App.stateMu), so it holds only the
// read side of stateMu, and checkMu while it counts.
func (a *App) CheckTx(_ context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	v, err := a.screen(req.Tx)
	if err != nil {
		return checkErr(err), nil
	}
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	want, ok := a.pending[v.signer]
	if !ok {
		want = getNonce(a.checkKV, v.signer)
	}
	if _, err := a.authorize(a.checkKV, v, want); err != nil {
		return checkErr(err), nil
	}
	if n := a.admitted[v.signer]; a.maxPending > 0 && n >= a.maxPending {
		return checkErr(tx.ErrTooManyPending.Wrapf("%s has %d txs pending in this node's mempool, the most it admits (app.toml max_pending_per_signer); send more after the next block", v.signer, n)), nil
	}
	a.pending[v.signer] = want + 1
	a.admitted[v.signer]++
	return &abci.ResponseCheckTx{Code: abci.CodeTypeOK, GasWanted: 1}, nil
}

// PrepareProposal proposes the mempool's txs in the mempool's order, but
// leaves out txs that fail verification and orders each signer's txs by
// nonce: a tx goes in only after its signer's previous one, and a tx whose
// predecessor is missing or stale is left out (it stays in the mempool for
// a later block, or its recheck drops it). The mempool can hold one
// signer's txs out of order: CometBFT inserts a tx after CheckTx returns,
// so two peers gossiping nonces n and n+1 at once can insert n+1 first; a
// block in that order would fail n+1 for its nonce. The block stays within
// its byte limit, each tx counted as CometBFT counts it, with its protobuf
// framing: a response over the limit makes CometBFT's proposer panic.
func (a *App) PrepareProposal(_ context.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	vs, errs := a.screenAll(req.Txs)
	p := proposal{max: req.MaxTxBytes, next: map[string]uint64{}, held: map[heldTx]int{}}
	for i, raw := range req.Txs {
		if errs[i] != nil {
			continue
		}
		v := vs[i]
		want, ok := p.next[v.signer]
		if !ok {
			want = getNonce(a.checkKV, v.signer)
		}
		switch n := v.nonce; {
		case n > want:
			if _, dup := p.held[heldTx{v.signer, n}]; !dup {
				p.held[heldTx{v.signer, n}] = i
			}
			continue
		case n < want:
			continue // stale, or a second tx with a nonce already proposed
		}
		if !p.add(raw) {
			break
		}
		want++
		for j, ok := p.held[heldTx{v.signer, want}]; ok && p.add(req.Txs[j]); j, ok = p.held[heldTx{v.signer, want}] {
			delete(p.held, heldTx{v.signer, want})
			want++
		}
		if p.full {
			break
		}
		p.next[v.signer] = want
	}
	return &abci.ResponsePrepareProposal{Txs: p.txs}, nil
}

// proposal is a block PrepareProposal is filling.
type proposal struct {
	txs  [][]byte
	size int64
	max  int64
	full bool
	// next is each signer's next nonce counting the txs taken; held the
	// index of each tx waiting for its signer's previous nonce.
	next map[string]uint64
	held map[heldTx]int
}

type heldTx struct {
	signer string
	nonce  uint64
}

// add takes raw if it fits, and reports whether it did; once a tx does not
// fit the proposal is full (what comes after it may not skip it).
func (p *proposal) add(raw []byte) bool {
	n := cmttypes.ComputeProtoSizeForTxs([]cmttypes.Tx{raw})
	if p.full || p.size+n > p.max {
		p.full = true
		return false
	}
	p.size += n
	p.txs = append(p.txs, raw)
	return true
}

// ProcessProposal rejects a block that contains a tx failing verification:
// a faulty proposer cannot fill blocks with junk.
func (a *App) ProcessProposal(_ context.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	_, errs := a.screenAll(req.Txs)
	for _, err := range errs {
		if err != nil {
			a.log.Info("rejecting proposal", "height", req.Height, "reason", err)
			return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_REJECT}, nil
		}
	}
	return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_ACCEPT}, nil
}

// FinalizeBlock executes a decided block: every tx in order on the working
// state, then the app hash. It returns an error (stopping the node) only on
// a storage fault.
func (a *App) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (resp *abci.ResponseFinalizeBlock, err error) {
	defer recoverFault(&err)
	if a.tree.Version() == 0 {
		// Before the first commit CheckTx reads the working tree itself.
		a.stateMu.Lock()
		defer a.stateMu.Unlock()
	}
	ctx = env.WithBlock(ctx, env.Block{Height: req.Height, Time: req.Time, ChainID: a.chainID})
	vs, verrs := a.verifyAll(req.Txs)
	results := make([]*abci.ExecTxResult, len(req.Txs))
	for i := range req.Txs {
		results[i] = a.deliverTx(ctx, a.tree, uint32(i), vs[i], verrs[i])
	}
	events, err := a.endBlock(ctx)
	if err != nil {
		return nil, err
	}
	return &abci.ResponseFinalizeBlock{
		TxResults: results, Events: events,
		// Validator changes decided by governance in this block; CometBFT
		// applies them from height + 2.
		ValidatorUpdates: a.identity.TakeValidatorUpdates(a.tree),
		AppHash:          a.tree.WorkingHash(),
	}, nil
}

// EventBlock is the block-level event that carries the block's time
// (attribute AttrTime, RFC 3339 in UTC).
const (
	EventBlock = "block"
	AttrTime   = "time"
)

// endBlock runs the modules' time-driven work (notice periods, expiries,
// deadlines) after the block's txs, in module order, on the block's state.
func (a *App) endBlock(ctx context.Context) ([]abci.Event, error) {
	ev := &env.Events{}
	ctx = env.WithTx(ctx, env.Tx{}, ev)
	// The block's time, as the block's first event: event sinks (the
	// PostgreSQL indexer of an auditor's node) record when they indexed a
	// block, not when it was made, so reports by date join on this.
	env.Emit(ctx, EventBlock, env.Indexed(AttrTime, env.BlockOf(ctx).Time.UTC().Format(time.RFC3339Nano)))
	for _, m := range a.modules {
		if eb, ok := m.(module.EndBlocker); ok {
			if err := eb.EndBlock(ctx, a.tree); err != nil {
				return nil, fmt.Errorf("end block %s: %w", m.Name(), err)
			}
		}
	}
	b := env.BlockOf(ctx)
	a.provenance.Record(a.tree, provkeeper.Position{Height: b.Height, Time: b.Time, TxIndex: provtypes.EndBlockTxIndex}, ev.List())
	return ev.List(), nil
}

// Commit saves the block's state. The mempool rechecks its txs next, so the
// pending nonces start again from the committed ones.
// Fail points (internal/failpoint) sit between its writes for crash tests.
func (a *App) Commit(_ context.Context, _ *abci.RequestCommit) (*abci.ResponseCommit, error) {
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	failpoint.Hit("commit/start", a.tree.Version()+1)
	_, version, err := a.tree.Commit()
	if err != nil {
		return nil, err
	}
	failpoint.Hit("commit/pruned", version)
	snap, err := a.tree.At(version)
	if err != nil {
		return nil, err
	}
	a.checkKV = snap
	clear(a.pending)
	clear(a.admitted)
	a.takeSnapshot(version)
	failpoint.Hit("commit/done", version)
	return &abci.ResponseCommit{}, nil
}

// Query answers read requests; see query.go.
func (a *App) Query(_ context.Context, req *abci.RequestQuery) (resp *abci.ResponseQuery, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = queryErr(fmt.Errorf("query %s: %v", req.Path, r), req.Height), nil
		}
	}()
	return a.query(req), nil
}

// recoverFault turns a store fault raised during execution into an error
// that stops the node; any other panic propagates as it would anyway.
func recoverFault(err *error) {
	if r := recover(); r != nil {
		if f, ok := r.(*store.Fault); ok {
			*err = f
			return
		}
		panic(r)
	}
}

func checkErr(err error) *abci.ResponseCheckTx {
	r := errResult(err)
	return &abci.ResponseCheckTx{Code: r.Code, Codespace: r.Codespace, Log: r.Log}
}
