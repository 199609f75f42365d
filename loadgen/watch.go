package loadgen

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// blockInfo is one block the watcher read.
type blockInfo struct {
	height int64
	time   time.Time // header time
	txs    int
	ours   int
}

// watcher reads every new block from one node and marks the run's txs
// committed, with their latency from first send to the block being seen.
type watcher struct {
	rpc     *rpchttp.HTTP
	index   map[[32]byte]int // tx hash → global tx index
	st      *sendState
	results bool // read block results for the txs' codes

	mu        sync.Mutex
	blocks    []blockInfo
	latencies []time.Duration
	committed []bool
	nComm     int
	nFailed   int
	height    int64
	retries   int
}

func (w *watcher) run(ctx context.Context, from int64) error {
	w.height = from
	// The block the run starts after: its header time starts the clock.
	if err := w.read(ctx, from, time.Now()); err != nil {
		return err
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		st, err := w.rpc.Status(ctx)
		if err != nil {
			continue
		}
		seen := time.Now()
		for h := w.height + 1; h <= st.SyncInfo.LatestBlockHeight; h++ {
			if err := w.read(ctx, h, seen); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				if w.retries++; w.retries > 250 {
					return err
				}
				break
			}
			w.retries = 0
			w.mu.Lock()
			w.height = h
			w.mu.Unlock()
		}
	}
}

func (w *watcher) read(ctx context.Context, h int64, seen time.Time) error {
	b, err := w.rpc.Block(ctx, &h)
	if err != nil {
		return fmt.Errorf("block %d: %w", h, err)
	}
	info := blockInfo{height: h, time: b.Block.Time, txs: len(b.Block.Txs)}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, t := range b.Block.Txs {
		ref, ok := w.index[sha256.Sum256(t)]
		if !ok || w.committed[ref] {
			continue
		}
		w.committed[ref] = true
		w.nComm++
		info.ours++
		if sent := w.st.sentAt[ref].Load(); sent > 0 {
			w.latencies = append(w.latencies, seen.Sub(time.Unix(0, sent)))
		}
	}
	w.blocks = append(w.blocks, info)
	return nil
}

// progress is a snapshot for the status line.
func (w *watcher) progress() (height int64, committed int, lastTxs int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := len(w.blocks); n > 0 {
		lastTxs = w.blocks[n-1].txs
	}
	return w.height, w.nComm, lastTxs
}

// resultsWait bounds the wait for a decided block's results.
const resultsWait = 2 * time.Minute

// failures reads the results of the run's blocks, after the run so that
// the nodes' JSON encoding of results does not weigh on the measurement,
// and counts the run's txs that failed, by code.
func (w *watcher) failures(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, b := range w.blocks {
		if b.ours == 0 {
			continue
		}
		blk, err := w.rpc.Block(ctx, &b.height)
		if err != nil {
			return err
		}
		// A block is in the block store (and /status) once decided, but
		// its results only once executed: the last block of a run can
		// still be executing, for seconds if it is large.
		res, err := w.rpc.BlockResults(ctx, &b.height)
		for end := time.Now().Add(resultsWait); err != nil && time.Now().Before(end) && ctx.Err() == nil; {
			time.Sleep(250 * time.Millisecond)
			res, err = w.rpc.BlockResults(ctx, &b.height)
		}
		if err != nil {
			return fmt.Errorf("block results %d: %w", b.height, err)
		}
		for i, t := range res.TxsResults {
			if t.Code == 0 || i >= len(blk.Block.Txs) {
				continue
			}
			if _, ours := w.index[sha256.Sum256(blk.Block.Txs[i])]; ours {
				w.nFailed++
				w.st.code(fmt.Sprintf("%s/%d: %s", t.Codespace, t.Code, firstWords(t.Log)))
			}
		}
	}
	return nil
}
