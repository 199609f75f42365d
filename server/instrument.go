package server

import (
	"context"
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/metrics"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
)

// instrumented is the app as CometBFT drives it when Prometheus is on: the
// same ABCI methods, counted and timed on their way out. It only observes
// what the app returns and reads committed state in the background, so
// metrics cannot change what consensus computes.
type instrumented struct {
	*app.App
	m   *metrics.Metrics
	log log.Logger
}

var _ abci.Application = (*instrumented)(nil)

// CheckTx counts refusals by codespace and code.
func (i *instrumented) CheckTx(ctx context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	resp, err := i.App.CheckTx(ctx, req)
	if err == nil && resp.Code != abci.CodeTypeOK {
		i.m.Rejected(resp.Codespace, resp.Code)
	}
	return resp, err
}

// FinalizeBlock counts the block's txs by message type and result.
func (i *instrumented) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	resp, err := i.App.FinalizeBlock(ctx, req)
	if err == nil && len(resp.TxResults) == len(req.Txs) {
		for n, raw := range req.Txs {
			r := resp.TxResults[n]
			i.m.Tx(app.TxType(raw), r.Codespace, r.Code)
		}
	}
	return resp, err
}

// Commit times the commit and starts a background measurement of the
// committed state.
func (i *instrumented) Commit(ctx context.Context, req *abci.RequestCommit) (*abci.ResponseCommit, error) {
	start := time.Now()
	resp, err := i.App.Commit(ctx, req)
	if err != nil {
		return resp, err
	}
	snap, serr := i.App.Committed() // under the ABCI lock: the view is then safe to read anywhere
	if serr != nil {
		i.log.Error("metrics: committed state", "err", serr)
		return resp, nil
	}
	i.m.Committed(snap.Version(), time.Since(start))
	i.m.Measure(func() (keys int64, gs []module.Gauge, err error) {
		defer func() {
			// A version pruned while being read: skip this measurement.
			if r := recover(); r != nil {
				if f, ok := r.(*store.Fault); ok {
					err = f
					return
				}
				err = fmt.Errorf("measure state: %v", r)
			}
		}()
		return snap.Size(), i.App.Measure(snap), nil
	}, func(err error) { i.log.Error("metrics: measure state", "err", err) })
	return resp, nil
}
