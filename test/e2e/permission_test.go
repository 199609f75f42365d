//go:build unix

package e2e

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// peerIDs are the node ids of node i's connected peers (/net_info).
func peerIDs(t *testing.T, nw *Network, i int) []string {
	t.Helper()
	var out struct {
		Peers []struct {
			NodeInfo struct {
				ID string `json:"id"`
			} `json:"node_info"`
		} `json:"peers"`
	}
	if err := nw.RPC(i, "net_info", nil, &out); err != nil {
		t.Fatalf("net_info of node %d: %v", i, err)
	}
	var ids []string
	for _, p := range out.Peers {
		ids = append(ids, p.NodeInfo.ID)
	}
	return ids
}

// TestNetworkPermissioning: only nodes whose id is registered on chain
// connect. A fifth node with an unregistered id is refused by every
// validator (filter_peers asks the app); a governance proposal registers
// its id, and it connects and syncs to the same app hash; a second
// proposal withdraws it, and every validator drops it.
func TestNetworkPermissioning(t *testing.T) {
	nw := StartNetwork(t, 4)
	g := &govTest{t: t, nw: nw}

	// (1) The outsider starts with the four as persistent peers; each of
	// them refuses it, and says why when asked the filter's own question.
	k := nw.AddNode("outsider")
	id := nw.Nodes[k].NodeID
	for i := range 4 {
		r, err := nw.ABCIQuery(i, "/p2p/filter/id/"+id, nil, 0, false)
		if err != nil || r.Code == 0 || r.Codespace != identityCodespace || !strings.Contains(r.Log, "not registered") {
			t.Fatalf("node %d asked about %s: %+v, %v; want an identity refusal", i, id, r, err)
		}
		r, err = nw.ABCIQuery(i, "/p2p/filter/id/"+nw.Nodes[(i+1)%4].NodeID, nil, 0, false)
		if err != nil || r.Code != 0 {
			t.Fatalf("node %d asked about department node %d: %+v, %v; want admitted", i, (i+1)%4, r, err)
		}
	}
	start := nw.WaitHeight(0, 0).Height
	nw.WaitHeight(0, start+4) // several redials of the outsider, every one refused
	for i := range 4 {
		if ids := peerIDs(t, nw, i); slices.Contains(ids, id) || len(ids) != 3 {
			t.Fatalf("node %d's peers %v: want the other 3 departments and not the outsider %s", i, ids, id)
		}
	}
	if ids := peerIDs(t, nw, k); len(ids) != 0 {
		t.Fatalf("the outsider has peers %v while unregistered", ids)
	}
	if st, err := nw.Status(k); err != nil || st.Height > 0 {
		t.Fatalf("the outsider is at height %d (%v) while unregistered, want 0", st.Height, err)
	}

	// (2) The departments register it as the Big Data Centre's full node.
	add := decide(t, nw, "add-node-id", nw.Nodes[0].CDO, id, "--title", "Admit the Big Data Centre's audit replica")
	p := g.proposal(add, 0)
	if p.Status != statusExecuted {
		t.Fatalf("proposal %s: %+v, want EXECUTED", add, p)
	}
	admitted := p.DecidedHeight
	nw.poll(k, MaxWait, "the outsider to connect after its registration", func() (bool, string) {
		ids := peerIDs(t, nw, k)
		return len(ids) == 4, fmt.Sprintf("peers %v", ids)
	})
	tip := nw.WaitHeight(0, 0).Height
	nw.WaitHeight(k, tip+1)
	if a0, ak := nw.AppHashAt(0, tip), nw.AppHashAt(k, tip); a0 != ak {
		t.Fatalf("app hash after block %d: node 0 %s, the admitted node %s", tip, a0, ak)
	}
	t.Logf("node %s admitted at height %d; synced to %d with node 0's app hash", id, admitted, tip)

	// (3) Withdrawn: every validator drops it within a few blocks, and it
	// stops following the chain. (It keeps redialing; each dial is
	// accepted at TCP level and closed by the filter after the handshake.)
	rm := decide(t, nw, "remove-node-id", nw.Nodes[0].CDO, id, "--title", "Retire the replica")
	if p := g.proposal(rm, 0); p.Status != statusExecuted {
		t.Fatalf("proposal %s: %+v, want EXECUTED", rm, p)
	}
	nw.poll(0, MaxWait, "every validator to drop the withdrawn node", func() (bool, string) {
		for i := range 4 {
			if ids := peerIDs(t, nw, i); slices.Contains(ids, id) {
				return false, fmt.Sprintf("node %d still has it", i)
			}
		}
		return true, ""
	})
	stalled, err := nw.Status(k)
	if err != nil {
		t.Fatal(err)
	}
	nw.WaitHeight(0, stalled.Height+5)
	if st, err := nw.Status(k); err != nil || st.Height > stalled.Height+1 {
		t.Fatalf("the withdrawn node moved from %d to %d (%v) while node 0 went on", stalled.Height, st.Height, err)
	}
	if !strings.Contains(readFile(t, nw.Nodes[0].Log), "dropping peer no longer admitted") {
		t.Errorf("node 0's log does not record dropping the withdrawn node")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	bz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(bz)
}

// decide has department 0 propose and departments 0-2 vote yes (3 of 4
// pass), waiting for the four departments' nodes only (not for a node that
// may be refused), and returns the proposal id.
func decide(t *testing.T, nw *Network, args ...string) string {
	t.Helper()
	res, _, _, err := nw.Tx(0, append([]string{"governance", "propose"}, args...)...)
	if err != nil || res.Code != 0 || len(res.IDs) != 1 {
		t.Fatalf("propose %s: %+v, %v", args[0], res, err)
	}
	id := res.IDs[0]
	for i := range 3 {
		r, _, _, err := nw.Tx(i, "governance", "vote", id, "yes")
		if err != nil || r.Code != 0 {
			t.Fatalf("vote on %s from node %d: %+v, %v", id, i, r, err)
		}
		for j := range 4 {
			nw.WaitHeight(j, r.Height)
		}
	}
	return id
}
