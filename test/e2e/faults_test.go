package e2e

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datarights/datarights/keyring"
	"github.com/datarights/datarights/loadgen"
	"github.com/datarights/datarights/server"
	"github.com/datarights/datarights/tx"
)

var (
	faultsDuration = flag.Duration("faults.duration", 60*time.Second, "how long TestKillUnderLoad sends load and kills validators")
	faultsEvery    = flag.Duration("faults.every", 15*time.Second, "TestKillUnderLoad kills a validator this often (round-robin over nodes 1-3)")
	faultsRate     = flag.Float64("faults.rate", 20, "offered load in tx/s of the fault tests (mixed workload)")
	faultsCuts     = flag.Int("faults.cuts", 1, "how many times TestPartitions cuts one node off under load (nodes 3, 2, 1, ...)")
	faultsCut      = flag.Duration("faults.cut", 15*time.Second, "how long each minority cut of TestPartitions lasts")
	faultsNoQuorum = flag.Duration("faults.noquorum", 20*time.Second, "how long TestPartitions cuts 2 of 4 nodes off")
)

// faultSigners is the number of load generator signers in genesis.
const faultSigners = 8

// loadNetwork starts 4 departments with the load generator's signers in
// genesis (and a 1 s notice period, which the mixed workload needs), on
// loopback or in network namespaces.
func loadNetwork(t *testing.T, ns *NetnsOptions) (*Network, *loadgen.Config) {
	t.Helper()
	keys, err := loadgen.Keys(faultSigners)
	if err != nil {
		t.Fatal(err)
	}
	parties, err := loadgen.Parties(keys)
	if err != nil {
		t.Fatal(err)
	}
	nw := StartNetworkOptions(t, 4, Options{Netns: ns, Genesis: func(path string) error {
		doc, gs, err := server.LoadGenesis(path)
		if err != nil {
			return err
		}
		gs.Identity.Parties = append(gs.Identity.Parties, parties...)
		gs.Registry.Params.NoticePeriodSeconds = 1
		return server.SaveGenesis(path, doc, gs)
	}})
	kr, err := keyring.New(keyring.BackendTest, nw.Nodes[0].Home, nil)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := kr.PrivateKey("cdo")
	if err != nil {
		t.Fatal(err)
	}
	// Load goes to node 0 only, and loadgen watches blocks on it: the
	// tests never kill or cut node 0.
	return nw, &loadgen.Config{Endpoints: []string{nw.Nodes[0].RPC}, Workload: loadgen.Mixed, Rate: *faultsRate,
		Admin: admin, Keys: keys, Workers: 4, Batch: 10, Drain: 45 * time.Second}
}

// logWriter sends loadgen's progress lines to the test log and closes
// sending when loadgen starts sending (after its setup and pre-signing).
type logWriter struct {
	t       *testing.T
	once    sync.Once
	sending chan struct{}
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	if strings.Contains(string(p), "loadgen: sending for") {
		w.once.Do(func() { close(w.sending) })
	}
	return len(p), nil
}

// load is a loadgen run in the background.
type load struct {
	done    chan struct{}
	sending chan struct{}
	res     *loadgen.Result
	err     error
}

// startLoad runs loadgen for d and returns at once; wait collects it.
// Its progress (a line a second) goes to the test log.
func startLoad(t *testing.T, nw *Network, c *loadgen.Config, d time.Duration) *load {
	t.Helper()
	c.Duration = d
	l := &load{done: make(chan struct{}), sending: make(chan struct{})}
	c.Progress = &logWriter{t: t, sending: l.sending}
	go func() {
		defer close(l.done)
		l.res, l.err = loadgen.Run(context.Background(), *c)
	}()
	return l
}

// wait waits for the run, fails the test if it failed, and checks that
// every acked tx was committed (loadgen read node 0's blocks); it returns
// the result and the number of acked txs lost.
func (l *load) wait(t *testing.T) (*loadgen.Result, int) {
	t.Helper()
	<-l.done
	if l.err != nil {
		t.Fatalf("loadgen: %v", l.err)
	}
	r := l.res
	committed := map[string]bool{}
	for _, h := range r.CommittedHashes {
		committed[h] = true
	}
	lost := 0
	for _, h := range r.AckedHashes {
		if !committed[h] {
			lost++
			if lost <= 5 {
				t.Errorf("acked tx %s was never committed", h)
			}
		}
	}
	t.Logf("load: %d sent, %d acked, %d rejected, %d committed (%d failed) in blocks %d-%d, %.1f tx/s committed, latency p50 %.2f s p99 %.2f s max %.2f s",
		r.Sent, r.Acked, r.Rejected, r.Committed, r.Failed, r.FirstHeight, r.LastHeight, r.CommittedTPS, r.LatencyP50, r.LatencyP99, r.LatencyMax)
	if r.Acked == 0 || len(r.AckedHashes) != r.Acked {
		t.Fatalf("load: %d acked txs (%d hashes): the load did not run", r.Acked, len(r.AckedHashes))
	}
	if r.Failed != 0 || r.Rejected != 0 {
		t.Logf("load: %d committed txs failed and %d were refused by CheckTx: %v (see docs/reliability.md)", r.Failed, r.Rejected, r.FailedCodes)
	}
	return r, lost
}

// checkAcked checks a sample of the acked txs (every sample-th) on every
// node: /tx finds it in a block, with the same result code on every node,
// and for a successful one the signer's nonce in the node's state is past
// the tx's nonce at height at, by a /store/key proof that verifies
// against the node's app hash of that height. (That every acked tx is in a block is loadgen's count on node
// 0; agree shows every node has the same blocks.) It returns the number of
// proofs checked.
func (nw *Network) checkAcked(t *testing.T, hashes []string, sample int, at int64) int {
	t.Helper()
	proofs := 0
	codes := map[string]uint32{}
	for i := range nw.Nodes {
		appHash := nw.AppHashAt(i, at)
		for k := 0; k < len(hashes); k += sample {
			h := hashes[k]
			var r struct {
				Height   int64  `json:"height,string"`
				Tx       string `json:"tx"`
				TxResult struct {
					Code uint32 `json:"code"`
				} `json:"tx_result"`
			}
			if err := nw.RPC(i, "tx", url.Values{"hash": {"0x" + h}}, &r); err != nil || r.Height == 0 {
				t.Fatalf("acked tx %s on node %d: height %d, %v", h, i, r.Height, err)
			}
			if c, ok := codes[h]; ok && c != r.TxResult.Code {
				t.Fatalf("acked tx %s: code %d on node %d, %d on node 0", h, r.TxResult.Code, i, c)
			}
			codes[h] = r.TxResult.Code
			if r.TxResult.Code != 0 {
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(r.Tx)
			if err != nil {
				t.Fatal(err)
			}
			d, err := tx.Decode(nw.ChainID, raw)
			if err != nil {
				t.Fatalf("acked tx %s: %v", h, err)
			}
			key, err := NonceKey(d.Body.Signer)
			if err != nil {
				t.Fatal(err)
			}
			q, err := nw.ABCIQuery(i, "/store/key", key, at, true)
			if err != nil || q.Code != 0 || len(q.Value) != 8 {
				t.Fatalf("nonce of %s on node %d: %+v %v", d.Body.Signer, i, q, err)
			}
			if n := binary.BigEndian.Uint64(q.Value); n <= d.Body.Nonce {
				t.Fatalf("tx %s (nonce %d of %s) at height %d: node %d's state has next nonce %d", h, d.Body.Nonce, d.Body.Signer, r.Height, i, n)
			}
			if _, err := VerifyStoreProof(q, appHash); err != nil {
				t.Fatalf("node %d: %v", i, err)
			}
			proofs++
		}
	}
	return proofs
}

// blockGap is the longest time between the header times of consecutive
// blocks from..to on node i, and the height that ended it.
func (nw *Network) blockGap(t *testing.T, i int, from, to int64) (time.Duration, int64) {
	t.Helper()
	var gap time.Duration
	var at int64
	var prev time.Time
	for h := from; h <= to; h++ {
		var r struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		}
		if err := nw.RPC(i, "block", url.Values{"height": {strconv.FormatInt(h, 10)}}, &r); err != nil {
			t.Fatalf("block %d on node %d: %v", h, i, err)
		}
		if tm := r.Block.Header.Time; !prev.IsZero() && tm.Sub(prev) > gap {
			gap, at = tm.Sub(prev), h
		}
		prev = r.Block.Header.Time
	}
	return gap, at
}

// faultRun is what finishFaultRun measured.
type faultRun struct {
	res   *loadgen.Result
	lost  int           // acked txs never committed
	top   int64         // heights 1..top agree on every running node
	gap   time.Duration // the longest block gap on node 0 from the start height to top
	nodes int           // the nodes compared
}

// finishFaultRun waits for the load, then checks and logs the figures every
// fault test reports: acked txs lost, divergent heights (over every running
// node, including any the test added), longest block gap.
func (nw *Network) finishFaultRun(t *testing.T, l *load, from int64) faultRun {
	t.Helper()
	r, lost := l.wait(t)
	top := nw.agree(t, nil) // fails at the first divergent height
	gap, at := nw.blockGap(t, 0, max(from, 1), top)
	proofs := nw.checkAcked(t, r.AckedHashes, 25, top-1)
	n := len(nw.Nodes)
	t.Logf("FIGURES: acked txs lost %d of %d (committed with an error: %d %v; refused by CheckTx: %d); divergent heights 0 of %d (block and app hash at heights 1-%d equal on all %d nodes); longest block gap %s (ending at height %d, heights %d-%d); a sample of %d acked txs found by /tx on all %d nodes with the same code, %d nonce proofs verified",
		lost, r.Acked, r.Failed, r.FailedCodes, r.Rejected, top, top, n, gap.Round(10*time.Millisecond), at, max(from, 1), top, (len(r.AckedHashes)+24)/25, n, proofs)
	if lost != 0 {
		t.Fatalf("%d acked txs lost", lost)
	}
	return faultRun{res: r, lost: lost, top: top, gap: gap, nodes: n}
}

// rejoin restarts node i and returns how long it took until it committed
// the height the chain (node 0) had reached when it was restarted, plus one.
func (nw *Network) rejoin(i int) time.Duration {
	nw.t.Helper()
	start := time.Now()
	nw.Restart(i)
	nw.WaitHeight(i, nw.WaitHeight(0, 0).Height+1)
	return time.Since(start)
}

// TestKillUnderLoad sends the mixed workload to node 0 of 4 validators at
// a fixed rate while it kill -9's nodes 1, 2, 3 in turn every
// -faults.every for -faults.duration, restarting each after a pause. At
// the end every node has the same block and app hash at every height and
// every acked tx, and nothing acked was lost.
func TestKillUnderLoad(t *testing.T) {
	nw, c := loadNetwork(t, nil)
	from := nw.WaitHeight(0, 0).Height
	l := startLoad(t, nw, c, *faultsDuration)
	// Kills start once the load is sending (setup and pre-signing first).
	waitSending(t, l)
	start := time.Now()
	var rejoins []string
	for k := 0; time.Duration(k)**faultsEvery < *faultsDuration; k++ {
		time.Sleep(time.Until(start.Add(time.Duration(k) * *faultsEvery)))
		i := 1 + k%3
		nw.Kill(i)
		time.Sleep(min(3*time.Second, *faultsEvery/4))
		d := nw.rejoin(i)
		rejoins = append(rejoins, fmt.Sprintf("node %d %.1f s", i, d.Seconds()))
		t.Logf("kill %d: node %d killed with SIGKILL, restarted after a pause, rejoined in %s", k+1, i, d.Round(100*time.Millisecond))
	}
	nw.finishFaultRun(t, l, from)
	t.Logf("FIGURES: %d kills; rejoin times: %s", len(rejoins), strings.Join(rejoins, ", "))
	if len(rejoins) == 0 {
		t.Fatal("no node was killed: -faults.duration shorter than -faults.every")
	}
}

// waitSending waits until the load has set up its workload and starts
// sending (or has ended), so that faults hit the run itself.
func waitSending(t *testing.T, l *load) {
	t.Helper()
	select {
	case <-l.sending:
	case <-l.done:
	case <-time.After(3 * MaxWait):
		t.Fatal("the load did not start sending in 3 minutes")
	}
}

// heights reads every node's height.
func (nw *Network) heights(t *testing.T) []int64 {
	t.Helper()
	out := make([]int64, len(nw.Nodes))
	var wg sync.WaitGroup
	errs := make([]error, len(nw.Nodes))
	for i := range nw.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := nw.Status(i)
			out[i], errs[i] = st.Height, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("status of node %d: %v", i, err)
		}
	}
	return out
}

// TestPartitions runs each node in its own network namespace. No quorum:
// nodes 2 and 3 are cut off for -faults.noquorum; no node commits a new
// height during the cut, and the chain resumes after the heal. Minority:
// under load, one node (3, then 2, 1, ...) is cut off -faults.cuts times
// for -faults.cut each; the other three keep committing, the node rejoins
// after the heal, nothing acked is lost and every node agrees at every
// height.
func TestPartitions(t *testing.T) {
	RequireNetns(t)
	nw, c := loadNetwork(t, &NetnsOptions{Prefix: fmt.Sprintf("dp%d", time.Now().UnixNano()%100000), Subnet: fmt.Sprintf("10.77.%d", time.Now().UnixNano()%250+1)})

	// No quorum.
	before := nw.heights(t)
	nw.Cut(2, 3)
	time.Sleep(2 * time.Second) // a height whose votes were already out may still commit
	during := nw.heights(t)
	time.Sleep(*faultsNoQuorum - 2*time.Second)
	after := nw.heights(t)
	for i := range nw.Nodes {
		if during[i] > before[i]+1 || after[i] != during[i] {
			t.Errorf("node %d committed during the no-quorum cut: height %d before, %d 2 s in, %d at the end", i, before[i], during[i], after[i])
		}
	}
	healed := time.Now()
	nw.Heal(2, 3)
	top := slices.Max(after)
	for i := range nw.Nodes {
		nw.WaitHeight(i, top+2)
	}
	t.Logf("FIGURES: no quorum: nodes 2, 3 cut for %s: heights %v before, %v 2 s in, %v at the end (no new height); after the heal all 4 nodes reached height %d in %s",
		*faultsNoQuorum, before, during, after, top+2, time.Since(healed).Round(100*time.Millisecond))

	// Minority partitions under load.
	from := nw.WaitHeight(0, 0).Height
	run := time.Duration(*faultsCuts) * (*faultsCut + 25*time.Second)
	l := startLoad(t, nw, c, run)
	waitSending(t, l)
	var rejoins []string
	for k := range *faultsCuts {
		i := 3 - k%3
		h0 := nw.heights(t)
		nw.Cut(i)
		time.Sleep(*faultsCut)
		h1 := nw.heights(t)
		healAt := time.Now()
		nw.Heal(i)
		if h1[0] < h0[0]+2 {
			t.Errorf("cut %d: the majority committed %d heights while node %d was cut off, want 2 or more", k+1, h1[0]-h0[0], i)
		}
		if h1[i] > h0[i]+1 {
			t.Errorf("cut %d: node %d went from height %d to %d while cut off", k+1, i, h0[i], h1[i])
		}
		nw.WaitHeight(i, nw.WaitHeight(0, 0).Height+1)
		d := time.Since(healAt)
		rejoins = append(rejoins, fmt.Sprintf("node %d %.1f s", i, d.Seconds()))
		t.Logf("cut %d: node %d cut off for %s: majority heights %d -> %d, node %d %d -> %d; rejoined %s after the heal",
			k+1, i, *faultsCut, h0[0], h1[0], i, h0[i], h1[i], d.Round(100*time.Millisecond))
		time.Sleep(5 * time.Second)
	}
	nw.finishFaultRun(t, l, from)
	t.Logf("FIGURES: minority: %d cuts of %s; rejoin after heal: %s", *faultsCuts, *faultsCut, strings.Join(rejoins, ", "))
}
