package loadgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/datarights/datarights/client"
)

// Run sets up the workload, pre-signs it, sends it for c.Duration, waits
// up to c.Drain for the acked txs to commit and returns what was measured.
func Run(ctx context.Context, c Config) (*Result, error) {
	if err := c.defaults(); err != nil {
		return nil, err
	}
	if c.Seed == "" {
		c.Seed = fmt.Sprintf("%x", time.Now().UnixNano())
	}
	rpc, err := rpchttp.New(rpcURL(c.Endpoints[0]), "/websocket")
	if err != nil {
		return nil, err
	}
	f := &Fixture{}
	if c.Workload != KVStore {
		fmt.Fprintf(c.Progress, "loadgen: setting up the %s workload (%d signers)\n", c.Workload, len(c.Keys))
		if f, err = setup(ctx, &c); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(c.Progress, "loadgen: pre-signing %d txs\n", txCount(&c))
	streams, raws, err := presign(ctx, &c, f, &client.Node{RPC: rpc, Addr: c.Endpoints[0]})
	if err != nil {
		return nil, fmt.Errorf("pre-sign: %w", err)
	}
	index := make(map[[32]byte]int, len(raws))
	var size int
	for i, r := range raws {
		index[sha256.Sum256(r)] = i
		size += len(r)
	}
	st := &sendState{sentAt: make([]atomic.Int64, len(raws)), acked: make([]atomic.Bool, len(raws)),
		codes: map[string]int{}, rate: c.Rate, batchMax: c.Batch}
	status, err := rpc.Status(ctx)
	if err != nil {
		return nil, err
	}
	w := &watcher{rpc: rpc, index: index, st: st, results: c.Workload != KVStore, committed: make([]bool, len(raws))}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	werr := make(chan error, 1)
	go func() { werr <- w.run(wctx, status.SyncInfo.LatestBlockHeight) }()

	ticks0, rss0 := procSample(c.PIDs)
	rssMax := rss0
	// RSS samples for the memory figure: every second, kept every
	// rssEvery of them (at most about 60 over the run).
	rssEvery := max(1, int(c.Duration/time.Second)/60)
	rssSeries := []float64{rss0}
	st.start = time.Now()
	deadline := st.start.Add(c.Duration)
	fmt.Fprintf(c.Progress, "loadgen: sending for %s (%s) over %d workers to %d node(s)\n", c.Duration, rateName(c.Rate), c.Workers, len(c.Endpoints))
	var wg sync.WaitGroup
	for k := range c.Workers {
		var mine []*stream
		for i := k; i < len(streams); i += c.Workers {
			mine = append(mine, streams[i])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.worker(ctx, rpcURL(c.Endpoints[k%len(c.Endpoints)]), mine, deadline)
		}()
	}
	sendDone := make(chan struct{})
	go func() { wg.Wait(); close(sendDone) }()

	// Progress each second while sending, then drain.
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sending := true
	var drainUntil time.Time
	idle := 0
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case err := <-werr:
			return nil, err
		case <-sendDone:
			sendDone = nil
			sending = false
			drainUntil = time.Now().Add(c.Drain)
			continue
		case <-tick.C:
		}
		_, rss := procSample(c.PIDs)
		rssMax = max(rssMax, rss)
		if s := int(time.Since(st.start).Round(time.Second) / time.Second); sending && s > 0 && s%rssEvery == 0 {
			rssSeries = append(rssSeries, rss)
		}
		h, comm, last := w.progress()
		phase := "sending"
		if !sending {
			phase = "draining"
		}
		fmt.Fprintf(c.Progress, "  %3.0fs %-8s height %d  sent %d  acked %d  committed %d  last block %d txs  rss %.0f MiB\n",
			time.Since(st.start).Seconds(), phase, h, st.nSent.Load(), st.nAcked.Load(), comm, last, rss)
		if sending {
			continue
		}
		if int64(comm) >= st.nAcked.Load() || time.Now().After(drainUntil) {
			break
		}
		// Acked txs a recheck dropped never commit: stop when the mempool
		// stays empty.
		un, err := rpc.NumUnconfirmedTxs(ctx)
		nst, serr := rpc.Status(ctx)
		if err == nil && serr == nil && un.Total == 0 && h >= nst.SyncInfo.LatestBlockHeight {
			if idle++; idle >= 3 {
				break
			}
		} else {
			idle = 0
		}
	}
	ticks1, rss1 := procSample(c.PIDs)
	wall := time.Since(st.start).Seconds()
	stopWatch()
	<-werr
	if w.results {
		if err := w.failures(ctx); err != nil {
			return nil, err
		}
	}
	r := w.result(&c, st, raws, size, ticks1-ticks0, wall, rss0, max(rssMax, rss1), rss1)
	if len(c.PIDs) > 0 {
		r.RSSSeries, r.RSSEveryS = rssSeries, float64(rssEvery)
	}
	return r, nil
}

func rateName(r float64) string {
	if r == 0 {
		return "flat out"
	}
	return fmt.Sprintf("%.0f tx/s offered", r)
}

// result computes the figures from the blocks read.
func (w *watcher) result(c *Config, st *sendState, raws [][]byte, size int, ticks int64, wall, rss0, rssMax, rss1 float64) *Result {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := &Result{Workload: c.Workload, OfferedTPS: c.Rate, DurationS: c.Duration.Seconds(),
		Sent: int(st.nSent.Load()), Acked: int(st.nAcked.Load()), Rejected: int(st.nReject.Load()),
		Committed: w.nComm, Failed: w.nFailed, RSSStartMB: rss0, RSSMaxMB: rssMax, RSSEndMB: rss1, LoadAvg: loadAvg()}
	if len(raws) > 0 {
		r.TxBytes = float64(size) / float64(len(raws))
	}
	if len(c.PIDs) > 0 && wall > 0 {
		r.CPUPercent = float64(ticks) / clockTicks / wall / float64(len(c.PIDs)) * 100
	}
	st.codesMu.Lock()
	if len(st.codes) > 0 {
		r.FailedCodes = st.codes
	}
	st.codesMu.Unlock()
	// The run's blocks: from the first holding one of its txs to the last;
	// the clock starts at the header time of the block before the first.
	first, last := -1, -1
	for i, b := range w.blocks {
		if b.ours > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first > 0 {
		var txs int
		for _, b := range w.blocks[first : last+1] {
			txs += b.txs
			r.MaxBlockTxs = max(r.MaxBlockTxs, b.txs)
		}
		span := w.blocks[last].time.Sub(w.blocks[first-1].time).Seconds()
		r.Blocks = last - first + 1
		r.FirstHeight, r.LastHeight = w.blocks[first].height, w.blocks[last].height
		if span > 0 {
			r.CommittedTPS = float64(txs) / span
			r.BlockInterval = span / float64(r.Blocks)
		}
	}
	if n := len(w.latencies); n > 0 {
		l := slices.Clone(w.latencies)
		slices.Sort(l)
		r.LatencyP50 = l[n/2].Seconds()
		r.LatencyP99 = l[min(n-1, n*99/100)].Seconds()
		r.LatencyMax = l[n-1].Seconds()
	}
	for i, raw := range raws {
		h := sha256.Sum256(raw)
		hx := strings.ToUpper(hex.EncodeToString(h[:]))
		if st.acked[i].Load() {
			r.AckedHashes = append(r.AckedHashes, hx)
		}
		if w.committed[i] {
			r.CommittedHashes = append(r.CommittedHashes, hx)
		}
	}
	return r
}
