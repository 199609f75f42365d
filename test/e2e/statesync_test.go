//go:build unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stateSyncManifest: fast blocks, a snapshot every 50 heights.
const stateSyncManifest = `chain_id = "ignored"
starting_port = 26600
timeout_commit = "60ms"
snapshot_interval = 50

[[department]]
moniker = "bigdata"
name = "Big Data Centre"
org_body = "MB000001"
roles = ["data_admin"]

[[department]]
moniker = "economy"
name = "Economy Bureau"
org_body = "MB000002"

[[department]]
moniker = "health"
name = "Health Commission"
org_body = "MB000003"

[[department]]
moniker = "hr"
name = "HR Bureau"
org_body = "MB000004"
`

// TestStateSync: a network runs for a couple of hundred blocks, taking a
// snapshot every 50; a new node (registered by governance, as every node
// must be) joins with state sync from a height and hash read from node 0,
// restores a snapshot instead of replaying the blocks (its block store
// begins at the snapshot), ends on the others' app hash, and proves a
// party registered at the start of the chain.
func TestStateSync(t *testing.T) {
	manifest := filepath.Join(t.TempDir(), "manifest.toml")
	if err := os.WriteFile(manifest, []byte(stateSyncManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	nw := StartNetworkManifest(t, manifest, 4)

	ent := nw.AddKey("early-enterprise")
	res, _, _, err := nw.Tx(0, "identity", "register-party", ent, "--kind", "enterprise", "--name", "Early Data Co.",
		"--org-code", orgCode(t, "91", "511900", "MG000077"))
	if err != nil || res.Code != 0 || !res.Committed {
		t.Fatalf("register enterprise: %+v, %v", res, err)
	}
	early := res.Height

	k := nw.PrepareNode("joiner")
	decide(t, nw, "add-node-id", nw.Nodes[0].CDO, nw.Nodes[k].NodeID, "--title", "Admit the auditor replica")

	const target int64 = 200
	for h := int64(50); h <= target; h += 50 {
		nw.WaitHeight(0, h) // in steps: each wait is bounded by MaxWait
	}
	trust := nw.WaitHeight(0, 0).Height - 2
	trustHash := nw.BlockAt(0, trust).Hash
	err = EditTOML(filepath.Join(nw.Nodes[k].Home, "config", "config.toml"), map[string]map[string]string{
		"statesync": {
			"enable":         "true",
			"rpc_servers":    strconv.Quote(nw.Nodes[0].RPC + "," + nw.Nodes[1].RPC),
			"trust_height":   strconv.FormatInt(trust, 10),
			"trust_hash":     strconv.Quote(trustHash),
			"discovery_time": strconv.Quote("5s"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	nw.StartNode(k)
	nw.poll(k, MaxWait, "the joiner to restore a snapshot and catch up", func() (bool, string) {
		st, err := nw.Status(k)
		if err != nil {
			return false, err.Error()
		}
		return !st.CatchingUp && st.Height > trust, fmt.Sprintf("height %d, catching up %v", st.Height, st.CatchingUp)
	})
	var info struct {
		SyncInfo struct {
			Earliest int64 `json:"earliest_block_height,string"`
		} `json:"sync_info"`
	}
	if err := nw.RPC(k, "status", nil, &info); err != nil {
		t.Fatal(err)
	}
	if info.SyncInfo.Earliest < 50 {
		t.Fatalf("the joiner's block store begins at %d: want at a snapshot height (a multiple of 50), not a replay from 1", info.SyncInfo.Earliest)
	}
	if log := readFile(t, nw.Nodes[k].Log); !strings.Contains(log, "snapshot restored") {
		t.Fatalf("the joiner's log does not record a restored snapshot")
	}
	tip := nw.WaitHeight(k, 0).Height
	if a0, ak := nw.AppHashAt(0, tip), nw.AppHashAt(k, tip); a0 != ak {
		t.Fatalf("app hash after block %d: node 0 %s, joiner %s", tip, a0, ak)
	}
	a, p := queryParty(t, nw, k, ent, true)
	if !a.Proven || p.RegisteredHeight != early || p.Name != "Early Data Co." {
		t.Fatalf("the joiner answers party %s as %+v (proven %v), want the one registered at %d with a verified proof", ent, p, a.Proven, early)
	}
	t.Logf("joiner's blocks begin at %d (a snapshot) (trusted %d), follows at %d with node 0's app hash, and proves %s from height %d",
		info.SyncInfo.Earliest, trust, tip, ent, a.Height)
}
