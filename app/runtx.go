package app

import (
	"context"
	"fmt"
	"runtime/debug"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
)

// deliverTx executes one tx of a block on the block's state. v is nil and
// verr set when the tx failed verification. A failing tx returns its error
// code and changes nothing but, past the envelope checks, its nonce.
func (a *App) deliverTx(ctx context.Context, root store.KV, index uint32, v *verified, verr error) *abci.ExecTxResult {
	if verr != nil {
		return errResult(verr)
	}
	actor, err := a.authorize(root, seen{signer: v.signer, nonce: v.Body.Nonce}, getNonce(root, v.signer))
	if err != nil {
		return errResult(err)
	}
	setNonce(root, v.signer, v.Body.Nonce+1)

	ev := &env.Events{}
	ctx = env.WithTx(ctx, env.Tx{Hash: v.hash, Signer: v.signer, Actor: actor.Address, Index: index}, ev)
	branch := store.NewBranch(root)
	data, err := a.runMsgs(ctx, branch, v)
	if err != nil {
		return errResult(err)
	}
	events := append([]abci.Event{{Type: "tx", Attributes: []abci.EventAttribute{
		{Key: "signer", Value: v.signer, Index: true},
		{Key: "actor", Value: actor.Address, Index: true},
	}}}, ev.List()...)
	// The history goes into the tx's branch with the rest of its changes:
	// a failed tx (returned above) appends nothing.
	b := env.BlockOf(ctx)
	a.provenance.Record(branch, provkeeper.Position{Height: b.Height, Time: b.Time, TxHash: v.hash, TxIndex: index,
		Actor: actor.Address}, events)
	branch.Write()
	return &abci.ExecTxResult{Code: abci.CodeTypeOK, Data: data, Events: events}
}

// runMsgs runs every message of a tx on the branch, stopping at the first
// error. A panic in a handler becomes an internal error for this tx only,
// except a store fault, which is re-raised: the node must stop.
func (a *App) runMsgs(ctx context.Context, branch store.KV, v *verified) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			if f, ok := r.(*store.Fault); ok {
				panic(f)
			}
			a.log.Error("panic in tx handler", "tx", fmt.Sprintf("%X", v.hash), "panic", r, "stack", string(debug.Stack()))
			data, err = nil, fmt.Errorf("panic: %v", r) // unregistered: reported as internal
		}
	}()
	res := &tx.TxResultData{}
	for i, m := range v.Body.Messages {
		mctx := env.WithMsgIndex(ctx, i)
		env.Emit(mctx, "message", env.Indexed("action", msgName(m)), env.Indexed("sender", env.TxOf(ctx).Actor))
		id, err := a.route(mctx, branch, m)
		if err != nil {
			return nil, fmt.Errorf("message %d (%s): %w", i, msgName(m), err)
		}
		res.Results = append(res.Results, &tx.MsgResult{Id: id})
	}
	return proto.Marshal(res)
}

// errResult turns an error into a tx result with its registered code.
func errResult(err error) *abci.ExecTxResult {
	space, code, log := errs.ABCIInfo(err)
	return &abci.ExecTxResult{Codespace: space, Code: code, Log: log}
}
