//go:build unix

package e2e

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	valsetDuration = flag.Duration("faults.valset.duration", 60*time.Second, "how long TestValidatorChangeUnderLoad sends load; every validator change must be checked within it")
	valsetRounds   = flag.Int("faults.valset.rounds", 1, "how many validators TestValidatorChangeUnderLoad adds and removes in turn, each on a new node")
)

// TestValidatorChangeUnderLoad sends the mixed workload to node 0 of 4
// validators while a department joins and leaves by governance,
// -faults.valset.rounds times: a new node (5, 6, ...) has its node id
// registered (add-node-id), block-syncs, is admitted with its validator
// key (add-department), enters the set two blocks after the proposal
// passed and signs commits; then remove-department takes it out of the set
// two blocks after it passed, it has no slot in the commits from there, and
// the chain goes on. At the end every node, the added ones still running as
// full nodes, has the same block and app hash at every height, and nothing
// acked was lost.
func TestValidatorChangeUnderLoad(t *testing.T) {
	began := time.Now()
	nw, c := loadNetwork(t, nil)
	g := &govTest{t: t, nw: nw}
	from := nw.WaitHeight(0, 0).Height
	l := startLoad(t, nw, c, *valsetDuration)
	// The governance txs of department 0 are signed with the key loadgen
	// sets its fixture up with: they start once it sends the workload,
	// which comes from its own signers.
	waitSending(t, l)
	sendingUntil := time.Now().Add(*valsetDuration)

	var rounds []string
	for r := range *valsetRounds {
		n := 5 + r
		k, tip := g.joinNode(fmt.Sprintf("department-%d", n), 0, 1, 2)
		keyFile := filepath.Join(nw.Nodes[k].Home, "config", "priv_validator_key.json")
		valPub, valAddr := validatorKeyFile(t, keyFile)
		if vals := g.validators(tip); len(vals) != 4 || g.hasValidator(vals, valAddr) {
			t.Fatalf("validators at %d: %+v, want the 4 departments", tip, vals)
		}
		t.Logf("node %d synced past height %d under load (%s); its validator address is %s", n, tip, blockSyncNote(nw.Nodes[k].Log), valAddr)

		dept := nw.AddKeyAt(nw.Nodes[k].Home, "cdo")
		nw.Nodes[k].CDO = dept
		addID := g.propose(0, "add-department", "--address", dept, "--name", fmt.Sprintf("Bazhong Data Resources Bureau, office %d", n),
			"--org-code", orgCode(t, "11", "511900", fmt.Sprintf("MB%06d", n)), "--validator-key", keyFile, "--power", "10",
			"--title", fmt.Sprintf("Admit department %d under load", n))
		added := g.pass(addID, 0, 1, 2)
		g.joined(valAddr, valPub, 10, added, 4)
		first := g.signs(valAddr, added+2, 5)
		g.waitPower(k, 10)
		// The commit of block first is in block first+1, whose header time
		// is the median time of those votes.
		join := nw.BlockAt(0, first+1).Time.Sub(nw.BlockAt(0, added).Time)
		t.Logf("node %d: add-department %s passed at height %d; in the set from %d; signed commits %d-%d; %s from the passing block to the first commit it signed",
			n, addID, added, added+2, first, first+signRun-1, join.Round(10*time.Millisecond))

		rmID := g.propose(1, "remove-department", dept, "--title", fmt.Sprintf("Remove department %d under load", n))
		removed := g.pass(rmID, 0, 1, 2, 3) // 4 yes of 5
		g.left(valAddr, removed, 4)
		g.waitPower(k, 0)
		leave := nw.BlockAt(0, removed+2).Time.Sub(nw.BlockAt(0, removed).Time)
		t.Logf("node %d: remove-department %s passed at height %d; out of the set from %d, in no slot of commits %d-%d; %s from the passing block to the first block of the set without it",
			n, rmID, removed, removed+2, removed+2, removed+1+afterRemoval, leave.Round(10*time.Millisecond))
		rounds = append(rounds, fmt.Sprintf("node %d: added at %d, first signed commit %d (%.2f s), removed at %d, absent from %d (%.2f s)",
			n, added, first, join.Seconds(), removed, removed+2, leave.Seconds()))
	}
	if late := time.Since(sendingUntil); late > 0 {
		t.Errorf("the load stopped sending %s before the last validator change was checked: raise -faults.valset.duration", late.Round(time.Second))
	}

	f := nw.finishFaultRun(t, l, from)
	t.Logf("FIGURES: acked txs lost %d of %d; divergent heights 0 of %d (all %d nodes, the added ones from genesis by block sync); %d validator add/remove rounds under load: %s; longest block gap %s; committed %.1f tx/s (offered %.0f); test took %s",
		f.lost, f.res.Acked, f.top, f.nodes, len(rounds), strings.Join(rounds, "; "), f.gap.Round(10*time.Millisecond),
		f.res.CommittedTPS, c.Rate, time.Since(began).Round(100*time.Millisecond))
	if len(rounds) == 0 {
		t.Fatal("no validator was added: -faults.valset.rounds is 0")
	}
}
