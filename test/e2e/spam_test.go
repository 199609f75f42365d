package e2e

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/loadgen"
)

var (
	spamBaseline = flag.Duration("spam.baseline", 35*time.Second, "TestSpamUnderLoad: honest load alone for this long")
	spamDuration = flag.Duration("spam.duration", 35*time.Second, "TestSpamUnderLoad: then honest load plus spam for this long")
	spamFactor   = flag.Float64("spam.factor", 10, "TestSpamUnderLoad: invalid-signature txs per second, as a multiple of -faults.rate")
	spamQueries  = flag.Float64("spam.queries", 10, "TestSpamUnderLoad: maximum-size queries per second during the spam")
)

// Bounds of TestSpamUnderLoad. The ratio is of two phases of one run on
// the same machine, with a margin for a loaded 2-core machine.
const (
	spamMinRatio = 0.8
	spamMaxGap   = 30 * time.Second
	spamMaxRSSMB = 1536
)

// TestSpamUnderLoad sends the mixed workload to node 0 of 4 validators at
// -faults.rate for -spam.baseline, then for -spam.duration more beside
// -spam.factor times as many invalid-signature txs (five kinds of wrong
// signature, each in the name of an honest signer) and -spam.queries
// maximum-size queries a second, all to node 0. Honest committed tx/s
// during the spam stays at 80% or more of the baseline, no block gap
// exceeds 30 s, node 0's RSS during the spam stays within twice that of
// nodes 1-3 (which get no spam) and every node's under 1.5 GiB, every spam tx is refused by CheckTx and the blocks
// hold only honest txs, nothing acked is lost and all nodes agree.
func TestSpamUnderLoad(t *testing.T) {
	nw, c := loadNetwork(t, nil)
	signers := make([]string, len(c.Keys))
	for i, k := range c.Keys {
		signers[i] = address.FromKey(k)
	}
	l := startLoad(t, nw, c, *spamBaseline+*spamDuration)
	waitSending(t, l)
	sendStart := time.Now()
	h0 := nw.WaitHeight(0, 0).Height
	rss := newRSSSampler(nw)
	defer rss.stop()

	// Baseline, from a few seconds in (the first blocks fill the pipeline).
	time.Sleep(3 * time.Second)
	hA := nw.WaitHeight(0, 0).Height
	time.Sleep(time.Until(sendStart.Add(*spamBaseline)))
	hB := nw.WaitHeight(0, 0).Height
	baseRSS := rss.phase()

	// Spam, until the honest load stops sending.
	sc := loadgen.SpamConfig{Endpoint: nw.Nodes[0].RPC, TxRate: *spamFactor * *faultsRate, QueryRate: *spamQueries,
		Duration: time.Until(sendStart.Add(*spamBaseline + *spamDuration)), Signers: signers}
	sr, err := loadgen.Spam(context.Background(), sc)
	if err != nil {
		t.Fatalf("spam: %v", err)
	}
	hE := nw.WaitHeight(0, 0).Height
	spamRSS := rss.phase()
	rss.stop()

	nw.finishFaultRun(t, l, h0)
	top := nw.WaitHeight(0, 0).Height
	baseTPS, baseTxs := nw.committedTPS(t, 0, hA, hB)
	spamTPS, spamTxs := nw.committedTPS(t, 0, hB, hE)
	r := l.res
	inBlocks := nw.txsIn(t, 0, h0+1, top)
	gap, gapAt := nw.blockGap(t, 0, h0, top)

	// Spam txs must not be in any block: CheckTx accepted none, the blocks
	// hold no more txs than the honest load committed, and a sample is
	// unknown to /tx.
	notFound, sampled, stride := 0, 0, max(1, len(sr.Hashes)/20)
	for k := 0; k < len(sr.Hashes); k += stride {
		sampled++
		var out struct {
			Height string `json:"height"`
		}
		if err := nw.RPC(0, "tx", url.Values{"hash": {"0x" + sr.Hashes[k]}}, &out); err != nil {
			notFound++
		} else {
			t.Errorf("spam tx %s is in block %s", sr.Hashes[k], out.Height)
		}
	}
	ratio := 0.0
	if baseTPS > 0 {
		ratio = spamTPS / baseTPS
	}
	t.Logf("spam tx codes %v; by kind %v; query codes %v", sr.TxCodes, sr.KindCodes, sr.QueryCodes)
	t.Logf("FIGURES: honest offered %.0f tx/s; baseline %.1f tx/s (%d txs, heights %d-%d); under spam %.1f tx/s (%d txs, heights %d-%d); ratio %.2f; spam %d txs sent at %.0f tx/s, %d refused by CheckTx (%d accepted, %d RPC errors), %d of a sample of %d unknown to /tx; blocks %d-%d hold %d txs, the honest load committed %d; queries %d sent at %.0f/s (%d errors), latency p50 %.3f s p99 %.3f s max %.3f s, largest answer %d bytes; node RSS max MiB baseline %v, under spam %v; longest block gap %s (ending at height %d)",
		*faultsRate, baseTPS, baseTxs, hA+1, hB, spamTPS, spamTxs, hB+1, hE, ratio,
		sr.TxSent, sc.TxRate, sr.TxRefused, sr.TxAccepted, sr.TxRPCErrs, notFound, sampled,
		h0+1, top, inBlocks, r.Committed, sr.Queries, sc.QueryRate, sr.QueryErrors, sr.QueryP50, sr.QueryP99, sr.QueryMax, sr.QueryMaxBytes,
		mb(baseRSS), mb(spamRSS), gap.Round(10*time.Millisecond), gapAt)

	if ratio < spamMinRatio {
		t.Errorf("honest committed tx/s under spam %.1f is %.2f of the baseline %.1f, want %.2f or more", spamTPS, ratio, baseTPS, spamMinRatio)
	}
	if gap > spamMaxGap {
		t.Errorf("longest block gap %s (ending at height %d), want at most %s", gap, gapAt, spamMaxGap)
	}
	// Memory: nodes 1-3 get the same blocks and honest txs (by gossip) but
	// no spam and no queries, so they are node 0's control over the same
	// time; the baseline phase is not one, since the honest load's state
	// (and the IAVL node caches) keep growing through a long run.
	control := slices.Max(spamRSS[1:])
	if spamRSS[0] > 2*control {
		t.Errorf("node 0 (spammed): RSS %.0f MiB under spam, nodes 1-3 (no spam) at most %.0f MiB over the same time: want at most twice that", spamRSS[0], control)
	}
	for i := range nw.Nodes {
		if spamRSS[i] > spamMaxRSSMB {
			t.Errorf("node %d: RSS %.0f MiB under spam, want at most %d MiB", i, spamRSS[i], spamMaxRSSMB)
		}
	}
	if sr.TxSent == 0 || sr.TxAccepted != 0 || sr.TxRefused+sr.TxRPCErrs != sr.TxSent {
		t.Errorf("spam: %d sent, %d accepted by CheckTx, %d refused, %d RPC errors: want all refused", sr.TxSent, sr.TxAccepted, sr.TxRefused, sr.TxRPCErrs)
	}
	if inBlocks != r.Committed {
		t.Errorf("blocks %d-%d hold %d txs, the honest load committed %d: others got in", h0+1, top, inBlocks, r.Committed)
	}
	if sr.Queries == 0 || sr.QueryErrors != 0 {
		t.Errorf("queries: %d sent, %d failed (%v)", sr.Queries, sr.QueryErrors, sr.QueryCodes)
	}
}

func mb(v []float64) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x + 0.5)
	}
	return out
}

// committedTPS is the txs of node i's blocks from+1..to over the time
// between the header times of blocks from and to.
func (nw *Network) committedTPS(t *testing.T, i int, from, to int64) (float64, int) {
	t.Helper()
	metas := nw.blockMetas(t, i, from, to)
	if len(metas) < 2 {
		return 0, 0
	}
	txs := 0
	for _, m := range metas[1:] {
		txs += m.txs
	}
	span := metas[len(metas)-1].time.Sub(metas[0].time).Seconds()
	if span <= 0 {
		return 0, txs
	}
	return float64(txs) / span, txs
}

// txsIn is the number of txs in node i's blocks from..to.
func (nw *Network) txsIn(t *testing.T, i int, from, to int64) int {
	t.Helper()
	n := 0
	for _, m := range nw.blockMetas(t, i, from, to) {
		n += m.txs
	}
	return n
}

type blockMeta struct {
	height int64
	time   time.Time
	txs    int
}

// blockMetas reads the headers of node i's blocks from..to with
// /blockchain, 20 at a time, in height order.
func (nw *Network) blockMetas(t *testing.T, i int, from, to int64) []blockMeta {
	t.Helper()
	var out []blockMeta
	for lo := from; lo <= to; lo += 20 {
		hi := min(lo+19, to)
		var r struct {
			BlockMetas []struct {
				NumTxs string `json:"num_txs"`
				Header struct {
					Height string    `json:"height"`
					Time   time.Time `json:"time"`
				} `json:"header"`
			} `json:"block_metas"`
		}
		if err := nw.RPC(i, "blockchain", url.Values{"minHeight": {strconv.FormatInt(lo, 10)}, "maxHeight": {strconv.FormatInt(hi, 10)}}, &r); err != nil {
			t.Fatalf("blockchain %d-%d on node %d: %v", lo, hi, i, err)
		}
		for _, m := range r.BlockMetas {
			h, _ := strconv.ParseInt(m.Header.Height, 10, 64)
			n, _ := strconv.Atoi(m.NumTxs)
			out = append(out, blockMeta{height: h, time: m.Header.Time, txs: n})
		}
	}
	slices.SortFunc(out, func(a, b blockMeta) int { return int(a.height - b.height) })
	if len(out) != int(to-from+1) {
		t.Fatalf("blockchain %d-%d on node %d: %d blocks", from, to, i, len(out))
	}
	return out
}

// rssSampler samples every node's resident memory once a second and keeps
// each node's maximum since the last phase call.
type rssSampler struct {
	mu   sync.Mutex
	max  []float64
	done chan struct{}
	once sync.Once
}

func newRSSSampler(nw *Network) *rssSampler {
	pids := make([]int, len(nw.Nodes))
	for i, n := range nw.Nodes {
		pids[i] = n.proc.cmd.Process.Pid
	}
	s := &rssSampler{max: make([]float64, len(pids)), done: make(chan struct{})}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			for i, pid := range pids {
				v := procRSSMB(pid)
				s.mu.Lock()
				s.max[i] = max(s.max[i], v)
				s.mu.Unlock()
			}
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// phase returns the maxima since the last call and starts a new phase.
func (s *rssSampler) phase() []float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.max
	s.max = make([]float64, len(out))
	return out
}

func (s *rssSampler) stop() { s.once.Do(func() { close(s.done) }) }

// procRSSMB is a process's VmRSS in MiB (0 when it cannot be read).
func procRSSMB(pid int) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
