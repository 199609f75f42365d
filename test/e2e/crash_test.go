package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datarights/datarights/internal/failpoint"
)

var (
	kills     = flag.Int("chaos.kills", 3, "random kill -9 moments in TestCrashInCommit")
	failTests = flag.String("chaos.failtest", "2,9", "CometBFT FAIL_TEST_INDEX values in TestCrashInCommit")
)

// acked registers a party through node i and returns its address; the tx
// was committed (the client saw it).
func (nw *Network) acked(t *testing.T, i int, name string) string {
	t.Helper()
	addr := nw.AddKey(name)
	r, _, stderr, err := nw.Tx(i, "identity", "register-party", addr, "--kind", "individual", "--name", name)
	if err != nil || r.Code != 0 || !r.Committed {
		t.Fatalf("register %s through node %d: %+v %v %s", name, i, r, err, stderr)
	}
	return addr
}

// agree checks that every running node has the same block hash and app
// hash at every height from 1 to the lowest height they all reached, and
// every acked party on every node; it returns the heights compared.
func (nw *Network) agree(t *testing.T, parties []string) int64 {
	t.Helper()
	var running []int
	top := int64(-1)
	for i := range nw.Nodes {
		if nw.Running(i) {
			running = append(running, i)
			if h := nw.WaitHeight(i, 0).Height; top < 0 || h < top {
				top = h
			}
		}
	}
	for h := int64(1); h < top; h++ {
		want := nw.BlockAt(running[0], h+1)
		for _, i := range running[1:] {
			if got := nw.BlockAt(i, h+1); got.Hash != want.Hash || got.AppHash != want.AppHash {
				t.Fatalf("height %d: node %d block %s app hash %s; node %d block %s app hash %s",
					h+1, running[0], want.Hash, want.AppHash, i, got.Hash, got.AppHash)
			}
		}
	}
	for _, i := range running {
		for _, a := range parties {
			if ans, p := queryParty(t, nw, i, a, true); p.Address != a || !ans.Proven {
				t.Fatalf("acked party %s on node %d: %+v proven %v", a, i, p, ans.Proven)
			}
		}
	}
	return top
}

// crash restarts node i with env, waits for it to die (its log must show
// mark), and restarts it clean; it returns the height the chain had.
func (nw *Network) crash(t *testing.T, i int, mark string, env ...string) {
	t.Helper()
	nw.Nodes[i].Env = env
	nw.Restart(i)
	nw.poll(0, MaxWait, "node "+strconv.Itoa(i)+" to hit "+mark, func() (bool, string) {
		return !nw.Running(i), "still running"
	})
	log, err := os.ReadFile(nw.Nodes[i].Log)
	if err != nil || !strings.Contains(string(log), mark) {
		t.Fatalf("node %d exited without %q in its log:\n%s", i, mark, LogTail(nw.Nodes[i].Log, 30))
	}
	nw.Nodes[i].Env = nil
	start := time.Now()
	nw.Restart(i)
	h := nw.WaitHeight(0, 0).Height
	nw.WaitHeight(i, h+1)
	t.Logf("%s: node %d crashed, restarted, replayed and rejoined at height %d in %s", mark, i, h+1, time.Since(start).Round(100*time.Millisecond))
}

// TestCrashInCommit crashes node 3 of 4 at each fail point between the
// writes of the app's Commit (internal/failpoint), at CometBFT's own
// FAIL_TEST_INDEX points, and with kill -9 at random moments; after each
// crash the node restarts, the handshake replays what it missed, and it
// rejoins. Every node ends with the same block hash and app hash at every
// height and every acked tx.
func TestCrashInCommit(t *testing.T) {
	nw := StartNetwork(t, 4)
	var parties []string
	for k, p := range failpoint.Points {
		h := nw.WaitHeight(0, 0).Height + 4
		nw.crash(t, 3, fmt.Sprintf("failpoint %s@%d", p, h), fmt.Sprintf("%s=%s@%d", failpoint.Env, p, h))
		parties = append(parties, nw.acked(t, k%3, fmt.Sprintf("fp-%d", k)))
	}
	for _, idx := range strings.Split(*failTests, ",") {
		if idx == "" {
			continue
		}
		nw.crash(t, 3, "*** fail-test "+idx+" ***", "FAIL_TEST_INDEX="+idx)
		parties = append(parties, nw.acked(t, 0, "ft-"+idx))
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill -9 moments from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for k := range *kills {
		i := 1 + rng.IntN(3)
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Millisecond)
		nw.Kill(i)
		start := time.Now()
		nw.Restart(i)
		nw.WaitHeight(i, nw.WaitHeight(0, 0).Height+1)
		t.Logf("kill -9 %d/%d: node %d rejoined in %s", k+1, *kills, i, time.Since(start).Round(100*time.Millisecond))
		if k%10 == 0 {
			parties = append(parties, nw.acked(t, 0, fmt.Sprintf("kill-%d", k)))
		}
	}
	top := nw.agree(t, parties)
	t.Logf("4 nodes agree on block and app hashes at heights 1-%d; %d acked txs on every node", top, len(parties))
}

// TestReplayAndResync wipes a node's app state (it replays the block
// store to the same app hash), adds a node that block-syncs from scratch,
// and runs `datarightsd debug replay` on a stopped node's block store.
func TestReplayAndResync(t *testing.T) {
	nw := StartNetwork(t, 4)
	parties := []string{nw.acked(t, 0, "before-wipe")}

	// Wipe node 2's application.db and restart it.
	if err := nw.StopNode(2); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(nw.Nodes[2].Home, "data", "application.db")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("node 2 has no %s: %v", db, err)
	}
	if err := os.RemoveAll(db); err != nil {
		t.Fatal(err)
	}
	parties = append(parties, nw.acked(t, 0, "while-wiped"))
	nw.Restart(2)
	nw.WaitHeight(2, nw.WaitHeight(0, 0).Height+1)

	// A late node syncs from scratch, once the departments have registered
	// its node id (validators refuse unregistered peers).
	late := nw.PrepareNode("late-node")
	decide(t, nw, "add-node-id", nw.Nodes[0].CDO, nw.Nodes[late].NodeID, "--title", "Admit a late full node")
	nw.StartNode(late)
	nw.WaitHeight(late, nw.WaitHeight(0, 0).Height+1)
	parties = append(parties, nw.acked(t, 1, "after-join"))
	top := nw.agree(t, parties)
	t.Logf("wiped node 2 and late node agree with the others at heights 1-%d", top)

	// Replay node 1's block store in a fresh app.
	if err := nw.StopNode(1); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		To        int64  `json:"to"`
		Blocks    int64  `json:"blocks"`
		Txs       int    `json:"txs"`
		Responses int64  `json:"responses_compared"`
		Mismatch  string `json:"mismatch"`
	}
	stdout, stderr, err := nw.CLI("debug", "replay", "--home", nw.Nodes[1].Home, "--output", "json")
	if jerr := json.Unmarshal([]byte(stdout), &rep); err != nil || jerr != nil {
		t.Fatalf("debug replay: %v %v\n%s\n%s", err, jerr, stdout, stderr)
	}
	if rep.Mismatch != "" || rep.Blocks < top || rep.Blocks != rep.To || rep.Responses != rep.Blocks || rep.Txs < len(parties) {
		t.Fatalf("debug replay: %+v; want every height of at least %d, every stored response, %d txs or more, no mismatch", rep, top, len(parties))
	}
	t.Logf("debug replay: %d blocks, %d txs, %d stored responses, every app hash and results hash matches", rep.Blocks, rep.Txs, rep.Responses)
}
