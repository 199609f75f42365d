//go:build unix

package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The governance module's codes (x/governance/types/errors.go) and
// identity's (x/identity/types/errors.go) this test expects.
const (
	governanceCodespace        = "governance"
	codeNotDepartment   uint32 = 8 // ErrNotDepartment: only a department may propose or vote
	identityCodespace          = "identity"
	codePartySuspended  uint32 = 11 // ErrPartySuspended
)

// proposal is a proposal as `query governance proposal -o json` prints it
// (protobuf JSON with proto field names; int64 as strings, zero fields
// left out).
type proposal struct {
	ID              string `json:"id"`
	Proposer        string `json:"proposer"`
	Title           string `json:"title"`
	Status          string `json:"status"`
	SubmittedHeight int64  `json:"submitted_height,string"`
	DecidedHeight   int64  `json:"decided_height,string"`
	Result          string `json:"result"`
	Tally           struct {
		Yes         uint32 `json:"yes"`
		No          uint32 `json:"no"`
		Abstain     uint32 `json:"abstain"`
		Departments uint32 `json:"departments"`
	} `json:"tally"`
	Action json.RawMessage `json:"action"`
}

// vote is one entry of `query governance votes ID -o json`.
type vote struct {
	ProposalID string `json:"proposal_id"`
	Department string `json:"department"`
	Option     string `json:"option"`
	Height     int64  `json:"height,string"`
}

// department is one entry of `query governance departments -o json`: a
// party with its validator.
type department struct {
	party
	StatusReason string `json:"status_reason"`
	Validator    struct {
		PubKey string `json:"pub_key"` // base64
		Power  int64  `json:"power,string"`
	} `json:"validator"`
}

const (
	statusVoting   = "PROPOSAL_STATUS_VOTING"
	statusExecuted = "PROPOSAL_STATUS_EXECUTED"
)

// TestGovernanceEndToEnd: a fifth department joins a running 4-department
// network by governance, validates, acts, and is removed again, all
// through the CLI and CometBFT's RPC.
func TestGovernanceEndToEnd(t *testing.T) {
	began := time.Now()
	nw := StartNetwork(t, 4)
	g := &govTest{t: t, nw: nw}

	// An enterprise registered by department 0 (used in step 6), so that
	// the chain the fifth node syncs holds a tx; and a few more blocks, so
	// that it has something to block-sync.
	ent := nw.AddKey("data-trading-co")
	entName := "Bazhong Data Trading Co., Ltd."
	entCode := orgCode(t, "91", "511900", "MG000001")
	res, _, _, err := nw.Tx(0, "identity", "register-party", ent, "--kind", "enterprise", "--name", entName, "--org-code", entCode)
	if err != nil || res.Code != 0 || !res.Committed {
		t.Fatalf("register enterprise %s: %+v, %v", ent, res, err)
	}
	entHeight := res.Height
	nw.WaitHeight(0, max(entHeight+2, syncFrom))

	// (1) A fifth node, set up as an operator would: init, node 0's
	// genesis, loopback config with the four nodes as persistent peers. It
	// joins as a full node and block-syncs to the current height.
	// The validators admit only registered node ids (filter_peers), so
	// the Big Data Centre first has the new node registered as one of its
	// own full nodes, while the bureau is not yet a department.
	k, tip := g.joinNode("department-5", 0, 1, 2)
	st5, err := nw.Status(k)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(nw.Nodes[k].Home, "config", "priv_validator_key.json")
	valPub, valAddr := validatorKeyFile(t, keyFile)
	if st5.ValidatorPubKey != valPub || st5.ValidatorAddress != valAddr {
		t.Fatalf("node 5's /status validator_info: address %s key %s; its key file: address %s key %s",
			st5.ValidatorAddress, st5.ValidatorPubKey, valAddr, valPub)
	}
	if st5.VotingPower != 0 {
		t.Fatalf("node 5 has voting power %d before any proposal", st5.VotingPower)
	}
	if b0, b5 := nw.BlockAt(0, tip), nw.BlockAt(k, tip); b0.Hash != b5.Hash || b0.AppHash != b5.AppHash {
		t.Fatalf("block %d: node 0 %s (app hash %s), node 5 %s (%s)", tip, b0.Hash, b0.AppHash, b5.Hash, b5.AppHash)
	}
	if a0, a5 := nw.AppHashAt(0, entHeight), nw.AppHashAt(k, entHeight); a0 != a5 {
		t.Fatalf("app hash after block %d (the registration): node 0 %s, node 5 %s", entHeight, a0, a5)
	}
	if _, pe := queryParty(t, nw, k, ent, false); pe.Kind != "PARTY_KIND_ENTERPRISE" || pe.RegisteredHeight != entHeight {
		t.Fatalf("node 5 has %s as %+v, want the enterprise registered at %d", ent, pe, entHeight)
	}
	if vals := g.validators(tip); len(vals) != 4 || g.hasValidator(vals, valAddr) {
		t.Fatalf("validators at %d: %+v, want the 4 departments", tip, vals)
	}
	t.Logf("node 5 synced past height %d, the tip when it started (%s); its validator address is %s", tip, blockSyncNote(nw.Nodes[k].Log), valAddr)

	// (2) The new department's CDO key, in node 5's home (so Tx(k, ...)
	// signs with it). Department 0 proposes to admit it.
	dept5 := nw.AddKeyAt(nw.Nodes[k].Home, "cdo")
	nw.Nodes[k].CDO = dept5
	dept5Name := "Bazhong Data Resources Bureau (巴中市数据局)"
	dept5Code := orgCode(t, "11", "511900", "MA000005")
	addID := g.propose(0, "add-department", "--address", dept5, "--name", dept5Name, "--org-code", dept5Code,
		"--validator-key", keyFile, "--power", "10", "--title", "Admit the data resources bureau")
	p := g.proposal(addID, 0)
	if p.Status != statusVoting || p.Proposer != nw.Nodes[0].CDO || p.DecidedHeight != 0 || p.Tally.Departments != 4 || p.Tally.Yes != 0 {
		t.Fatalf("new proposal %s: %+v, want VOTING by %s, no votes of 4 departments", addID, p, nw.Nodes[0].CDO)
	}
	g.vote(0, addID, "yes")
	h := g.vote(1, addID, "yes")
	nw.WaitHeight(0, h+1)
	// Two yes of four do not pass (2·3 = 6 is not more than 2·4 = 8).
	if p = g.proposal(addID, h+1); p.Status != statusVoting || p.DecidedHeight != 0 || p.Tally.Yes != 2 || p.Tally.Departments != 4 {
		t.Fatalf("proposal %s after 2 yes, a block later: %+v, want still VOTING with 2 yes of 4", addID, p)
	}
	if d := g.departments(); len(d) != 4 {
		t.Fatalf("%d departments before the proposal passed, want 4", len(d))
	}
	// The third yes passes it, and it is executed at the end of that block.
	added := g.vote(2, addID, "yes")
	if p = g.proposal(addID, added-1); p.Status != statusVoting || p.DecidedHeight != 0 {
		t.Errorf("proposal %s at height %d, before the third vote: %+v, want VOTING", addID, added-1, p)
	}
	if p = g.proposal(addID, added); p.Status != statusExecuted || p.DecidedHeight != added || p.Tally.Yes != 3 || p.Tally.Departments != 4 {
		t.Fatalf("proposal %s at height %d (the third yes): %+v, want EXECUTED, decided there, 3 yes of 4", addID, added, p)
	}
	depts := g.departments()
	if len(depts) != 5 {
		t.Fatalf("%d departments after the proposal, want 5", len(depts))
	}
	d5 := g.department(depts, dept5)
	if d5 == nil || d5.Name != dept5Name || d5.OrgCode != dept5Code || d5.Kind != "PARTY_KIND_DEPARTMENT" || d5.Status != "PARTY_STATUS_ACTIVE" ||
		d5.RegisteredHeight != added || d5.Validator.PubKey != valPub || d5.Validator.Power != 10 {
		t.Fatalf("department %s after the proposal: %+v, want %q, %s, active since %d, key %s, power 10", dept5, d5, dept5Name, dept5Code, added, valPub)
	}
	t.Logf("%s admitted by proposal %s at height %d", dept5, addID, added)

	// (3) CometBFT applies the update two blocks later: the set of height
	// added+1 is still the four, that of added+2 has the fifth, and within a
	// few blocks it signs commits, at 3 consecutive heights at least.
	g.joined(valAddr, valPub, 10, added, 4)
	first := g.signs(valAddr, added+2, 5)
	t.Logf("node 5's validator signed commits %d to %d", first, first+signRun-1)
	g.waitPower(k, 10)

	// (4) The new department acts: it proposes, through its own node, that
	// it be made an auditor, and votes. With 5 departments a proposal needs
	// 4 yes (yes·3 > 2·5). Department 3 votes no first, then yes: its
	// second vote replaces the first, and is the fourth yes.
	roleID := g.propose(k, "grant-role", dept5, "--role", "auditor", "--title", "Make the data resources bureau an auditor")
	if p = g.proposal(roleID, 0); p.Status != statusVoting || p.Proposer != dept5 || p.Tally.Departments != 5 {
		t.Fatalf("proposal %s: %+v, want VOTING by %s, of 5 departments", roleID, p, dept5)
	}
	no3 := g.vote(3, roleID, "no")
	g.vote(0, roleID, "yes")
	g.vote(1, roleID, "yes")
	h = g.vote(k, roleID, "yes")
	nw.WaitHeight(0, h+1)
	if p = g.proposal(roleID, h+1); p.Status != statusVoting || p.DecidedHeight != 0 || p.Tally.Yes != 3 || p.Tally.No != 1 || p.Tally.Departments != 5 {
		t.Fatalf("proposal %s after 3 yes and 1 no of 5, a block later: %+v, want still VOTING", roleID, p)
	}
	if _, pa := queryParty(t, nw, 0, dept5, false); slices.Contains(pa.Roles, "ROLE_AUDITOR") {
		t.Fatalf("%s is an auditor before the proposal passed: %+v", dept5, pa)
	}
	granted := g.vote(3, roleID, "yes")
	if p = g.proposal(roleID, granted); p.Status != statusExecuted || p.DecidedHeight != granted || p.Tally.Yes != 4 || p.Tally.No != 0 || p.Tally.Departments != 5 {
		t.Fatalf("proposal %s at height %d (department 3 changed its vote to yes): %+v, want EXECUTED, 4 yes, 0 no of 5", roleID, granted, p)
	}
	votes := g.votes(roleID)
	if len(votes) != 4 {
		t.Errorf("proposal %s has %d votes, want 4 (one per department that voted): %+v", roleID, len(votes), votes)
	}
	var of3 []vote
	for _, v := range votes {
		if v.Department == nw.Nodes[3].CDO {
			of3 = append(of3, v)
		}
		if v.ProposalID != roleID || v.Option != "VOTE_OPTION_YES" {
			t.Errorf("vote on %s: %+v, want a yes on %s", roleID, v, roleID)
		}
	}
	if len(of3) != 1 || of3[0].Option != "VOTE_OPTION_YES" || of3[0].Height != granted || granted <= no3 {
		t.Errorf("votes of department 3 on %s: %+v, want one yes at height %d (its no at %d replaced)", roleID, of3, granted, no3)
	}
	_, pa := queryParty(t, nw, k, dept5, false)
	if !slices.Equal(pa.Roles, []string{"ROLE_AUDITOR"}) || pa.Status != "PARTY_STATUS_ACTIVE" {
		t.Fatalf("%s on node 5 after proposal %s: %+v, want an active auditor", dept5, roleID, pa)
	}

	// (5) The departments remove it again. It votes no; 3 yes of 5 do not
	// pass, the fourth does. Its validator leaves the set two blocks later
	// and signs no more commits; the chain goes on.
	rmID := g.propose(0, "remove-department", dept5, "--title", "Remove the data resources bureau")
	g.vote(k, rmID, "no")
	g.vote(1, rmID, "yes")
	g.vote(2, rmID, "yes")
	h = g.vote(3, rmID, "yes")
	nw.WaitHeight(0, h+1)
	if p = g.proposal(rmID, h+1); p.Status != statusVoting || p.DecidedHeight != 0 || p.Tally.Yes != 3 || p.Tally.No != 1 || p.Tally.Departments != 5 {
		t.Fatalf("proposal %s after 3 yes and 1 no of 5, a block later: %+v, want still VOTING", rmID, p)
	}
	removed := g.vote(0, rmID, "yes")
	if p = g.proposal(rmID, removed); p.Status != statusExecuted || p.DecidedHeight != removed || p.Tally.Yes != 4 {
		t.Fatalf("proposal %s at height %d: %+v, want EXECUTED with 4 yes", rmID, removed, p)
	}
	if depts = g.departments(); len(depts) != 4 || g.department(depts, dept5) != nil {
		t.Fatalf("departments after removing %s: %d, want the 4 others", dept5, len(depts))
	}
	_, pa = queryParty(t, nw, 1, dept5, false)
	if pa.Status != "PARTY_STATUS_SUSPENDED" || pa.StatusHeight != removed || pa.Kind != "PARTY_KIND_DEPARTMENT" {
		t.Fatalf("%s after removal: %+v, want a department suspended at %d", dept5, pa, removed)
	}
	t.Logf("%s removed by proposal %s at height %d", dept5, rmID, removed)

	g.left(valAddr, removed, 4)
	g.waitPower(k, 0)

	// (6) Rejected: an enterprise may neither propose nor vote
	// (governance code 8), and the removed department may not act at all
	// (its party is suspended: identity code 11, refused before a block).
	before := g.proposals()
	entFlags := []string{"--from", "data-trading-co", "--home", nw.KeysHome, "--node", nw.Nodes[1].RPC, "--timeout", "30s"}
	for _, args := range [][]string{
		{"tx", "governance", "propose", "grant-role", ent, "--role", "exchange", "--title", "Make us an exchange"},
		{"tx", "governance", "vote", addID, "yes"},
	} {
		var r TxResult
		_, stderr, err := nw.CLIJSON(&r, append(args, entFlags...)...)
		if cliExit(err) != 1 {
			t.Errorf("enterprise: %s: exit %d (%v), want 1", strings.Join(args[1:4], " "), cliExit(err), err)
		}
		if r.Code != codeNotDepartment || r.Codespace != governanceCodespace || !r.Committed || !strings.Contains(r.Log, "enterprise") {
			t.Errorf("enterprise: %s printed %+v, want a committed tx with governance code %d", strings.Join(args[1:4], " "), r, codeNotDepartment)
		}
		if !strings.Contains(stderr, "governance code 8") {
			t.Errorf("enterprise: stderr %q, want it to name governance code 8", stderr)
		}
		if r.Committed {
			nw.WaitAllHeight(r.Height)
		}
	}
	r, _, stderr, err := nw.Tx(k, "governance", "propose", "grant-role", dept5, "--role", "exchange", "--title", "Readmit us")
	if cliExit(err) == 0 || r.Code != codePartySuspended || r.Codespace != identityCodespace || r.Committed {
		t.Errorf("removed department proposing: exit %d, printed %+v, stderr %q; want a non-zero exit, identity code %d, nothing committed",
			cliExit(err), r, stderr, codePartySuspended)
	}
	if after := g.proposals(); len(after) != len(before) || len(after) != 4 {
		t.Errorf("proposals after the rejected ones: %d, want the 4 of before (%d)", len(after), len(before))
	}
	if v := g.votes(addID); len(v) != 3 {
		t.Errorf("proposal %s has %d votes after the enterprise's, want 3", addID, len(v))
	}

	// (7) All five nodes, the removed department's still running as a full
	// node, agree on the blocks and the app hash at a common height.
	common := nw.WaitHeight(0, 0).Height
	nw.WaitAllHeight(common + 1)
	ref := nw.BlockAt(0, common)
	refApp := nw.AppHashAt(0, common)
	for i := range nw.Nodes {
		if !nw.Running(i) {
			t.Errorf("node %d is not running", i)
			continue
		}
		if b, a := nw.BlockAt(i, common), nw.AppHashAt(i, common); b.Hash != ref.Hash || a != refApp {
			t.Errorf("height %d: node %d has block %s app hash %s; node 0 block %s app hash %s", common, i, b.Hash, a, ref.Hash, refApp)
		}
	}
	t.Logf("5 nodes agree at height %d: app hash %s; test took %s", common, refApp, time.Since(began).Round(time.Millisecond))
}

// syncFrom is the height the network reaches before the fifth node
// starts: block sync switches to consensus at once when the node is at
// most one block behind its peers, so a short chain would not exercise it.
const syncFrom = 8

// blockSyncNote reports from a node's log (for the test log only: the
// wording is CometBFT's) the height at which block sync handed over to
// consensus.
func blockSyncNote(log string) string {
	bz, err := os.ReadFile(log)
	if err != nil {
		return err.Error()
	}
	for _, line := range strings.Split(string(bz), "\n") {
		if strings.Contains(line, "Time to switch to consensus") {
			if _, h, ok := strings.Cut(line, "height="); ok {
				return "block sync switched to consensus at height " + strings.Fields(h)[0]
			}
		}
	}
	return "no block sync hand-over logged yet"
}

// govTest holds the helpers of TestGovernanceEndToEnd.
type govTest struct {
	t  *testing.T
	nw *Network
}

// propose sends `tx governance propose ARGS` from node i's department and
// returns the new proposal's id. Like vote, it returns once every node has
// committed the tx's block, so that any node can be asked about it.
func (g *govTest) propose(i int, args ...string) string {
	g.t.Helper()
	res, _, _, err := g.nw.Tx(i, append([]string{"governance", "propose"}, args...)...)
	if err != nil || res.Code != 0 || !res.Committed || len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], "p-") {
		g.t.Fatalf("propose %s from node %d: %+v, %v", args[0], i, res, err)
	}
	g.t.Logf("proposal %s (%s) submitted by node %d's department at height %d", res.IDs[0], args[0], i, res.Height)
	g.nw.WaitAllHeight(res.Height)
	return res.IDs[0]
}

// vote sends `tx governance vote ID OPTION` from node i's department and
// returns the height of the block that holds it.
func (g *govTest) vote(i int, id, option string) int64 {
	g.t.Helper()
	res, _, _, err := g.nw.Tx(i, "governance", "vote", id, option)
	if err != nil || res.Code != 0 || !res.Committed || !slices.Equal(res.IDs, []string{id}) {
		g.t.Fatalf("vote %s on %s from node %d: %+v, %v", option, id, i, res, err)
	}
	g.nw.WaitAllHeight(res.Height)
	return res.Height
}

// pass votes yes on proposal id from each voter's department in turn
// and checks that the last vote passed it: the proposal is EXECUTED,
// decided at that vote's height, which it returns.
func (g *govTest) pass(id string, voters ...int) int64 {
	g.t.Helper()
	var h int64
	for _, i := range voters {
		h = g.vote(i, id, "yes")
	}
	if p := g.proposal(id, h); p.Status != statusExecuted || p.DecidedHeight != h {
		g.t.Fatalf("proposal %s at height %d, after the yes of departments %v: %+v, want EXECUTED there", id, h, voters, p)
	}
	return h
}

// joinNode prepares a full node (PrepareNode), has department 0 register
// its node id by governance (add-node-id, passed by the yes of voters),
// starts it and waits until it has block-synced to the tip of the time it
// started: the validators admit only registered node ids (filter_peers).
// It returns the node's index and that tip.
func (g *govTest) joinNode(moniker string, voters ...int) (k int, tip int64) {
	g.t.Helper()
	nw := g.nw
	k = nw.PrepareNode(moniker)
	id := g.propose(0, "add-node-id", nw.Nodes[0].CDO, nw.Nodes[k].NodeID, "--title", "Let node "+moniker+" sync")
	g.pass(id, voters...)
	nw.StartNode(k)
	tip = nw.WaitHeight(0, 0).Height
	nw.WaitHeight(k, tip)
	nw.poll(k, MaxWait, moniker+" to finish block sync", func() (bool, string) {
		st, err := nw.Status(k)
		if err != nil {
			return false, err.Error()
		}
		return !st.CatchingUp, fmt.Sprintf("catching_up at height %d", st.Height)
	})
	return k, tip
}

// joined checks that the validator addr, added with key pub and power by
// a proposal executed at height added, enters CometBFT's set two blocks
// later, not one: the set of added+1 is the before validators without it,
// that of added+2 has it, with its key and power.
func (g *govTest) joined(addr, pub string, power, added int64, before int) {
	g.t.Helper()
	g.nw.WaitHeight(0, added+2)
	if vals := g.validators(added + 1); len(vals) != before || g.hasValidator(vals, addr) {
		g.t.Errorf("validators at %d: %+v, want the %d without %s (an update of block %d applies from %d)", added+1, vals, before, addr, added, added+2)
	}
	vals := g.validators(added + 2)
	if len(vals) != before+1 || !g.hasValidator(vals, addr) {
		g.t.Fatalf("validators at %d: %+v, want %d with %s", added+2, vals, before+1, addr)
	}
	for _, v := range vals {
		if v.Address == addr && (v.Power != power || v.PubKey != pub) {
			g.t.Errorf("validator %s at %d: %+v, want power %d and key %s", addr, added+2, v, power, pub)
		}
	}
}

// signRun consecutive commits signed by a new validator, within signWithin
// heights of its first in the set, show it validates.
const signRun, signWithin = 3, 15

// signs waits for signRun consecutive canonical commits (on node 0) from
// height from on, each with slots signature slots, in which addr signed
// (for the block or nil), and returns the first of them. It fails the
// test if they do not come within signWithin heights.
func (g *govTest) signs(addr string, from int64, slots int) int64 {
	g.t.Helper()
	run, first := 0, int64(0)
	for h := from; run < signRun; h++ {
		if h > from+signWithin {
			g.t.Fatalf("validator %s did not sign %d consecutive commits between heights %d and %d", addr, signRun, from, h-1)
		}
		c := g.commit(0, h)
		if len(c.Signatures) != slots {
			g.t.Fatalf("commit %d has %d signature slots, want %d", h, len(c.Signatures), slots)
		}
		flag := flagOf(c, addr)
		g.t.Logf("commit %d: validator %s's flag %d (%d of %d signed)", h, addr, flag, signedCount(c), slots)
		if flag == FlagCommit || flag == FlagNil {
			if run == 0 {
				first = h
			}
			run++
		} else {
			run = 0
		}
	}
	return first
}

// afterRemoval is how many commits left checks after a validator left.
const afterRemoval = 5

// left checks that the validator addr, removed by a proposal executed at
// height removed, leaves CometBFT's set two blocks later: it is still in
// the set of removed+1, not in that of removed+2 (which has the after
// others), and has no slot in the afterRemoval commits from there, each
// signed by more than two thirds of the others: the chain goes on.
func (g *govTest) left(addr string, removed int64, after int) {
	g.t.Helper()
	g.nw.WaitHeight(0, removed+2)
	if vals := g.validators(removed + 1); len(vals) != after+1 || !g.hasValidator(vals, addr) {
		g.t.Errorf("validators at %d: %+v, want still %d with %s (the removal applies from %d)", removed+1, vals, after+1, addr, removed+2)
	}
	if vals := g.validators(removed + 2); len(vals) != after || g.hasValidator(vals, addr) {
		g.t.Fatalf("validators at %d: %+v, want the %d without %s", removed+2, vals, after, addr)
	}
	for h := removed + 2; h < removed+2+afterRemoval; h++ {
		c := g.commit(0, h)
		if len(c.Signatures) != after || flagOf(c, addr) != 0 {
			g.t.Errorf("commit %d: %d signature slots, removed validator's flag %d; want %d slots without it", h, len(c.Signatures), flagOf(c, addr), after)
		}
		if n := signedCount(c); 3*n <= 2*after {
			g.t.Errorf("commit %d has %d signatures of %d, want more than two thirds", h, n, after)
		}
	}
}

// waitPower waits until node k's /status reports its validator's voting
// power as power.
func (g *govTest) waitPower(k int, power int64) {
	g.t.Helper()
	g.nw.poll(k, MaxWait, fmt.Sprintf("node %d to report voting power %d", k, power), func() (bool, string) {
		st, err := g.nw.Status(k)
		if err != nil {
			return false, err.Error()
		}
		return st.VotingPower == power, fmt.Sprintf("voting power %d", st.VotingPower)
	})
}

// proposal queries a proposal on node 0, at height h (0: latest).
func (g *govTest) proposal(id string, h int64) proposal {
	g.t.Helper()
	args := append([]string{"query", "governance", "proposal", id}, g.nw.NodeFlag(0)...)
	if h > 0 {
		g.nw.WaitHeight(0, h)
		args = append(args, "--height", fmt.Sprint(h))
	}
	var out struct {
		Proposal proposal `json:"proposal"`
		Height   int64    `json:"height"`
	}
	if _, _, err := g.nw.CLIJSON(&out, args...); err != nil {
		g.t.Fatalf("query proposal %s: %v", id, err)
	}
	if out.Proposal.ID != id || (h > 0 && out.Height != h) {
		g.t.Fatalf("query proposal %s at %d answered proposal %q at height %d", id, h, out.Proposal.ID, out.Height)
	}
	return out.Proposal
}

func (g *govTest) proposals() []proposal {
	g.t.Helper()
	var out struct {
		Proposals []proposal `json:"proposals"`
	}
	if _, _, err := g.nw.CLIJSON(&out, append([]string{"query", "governance", "proposals"}, g.nw.NodeFlag(2)...)...); err != nil {
		g.t.Fatalf("query proposals: %v", err)
	}
	return out.Proposals
}

func (g *govTest) votes(id string) []vote {
	g.t.Helper()
	var out struct {
		Votes []vote `json:"votes"`
	}
	if _, _, err := g.nw.CLIJSON(&out, append([]string{"query", "governance", "votes", id}, g.nw.NodeFlag(1)...)...); err != nil {
		g.t.Fatalf("query votes %s: %v", id, err)
	}
	return out.Votes
}

func (g *govTest) departments() []department {
	g.t.Helper()
	var out struct {
		Departments []department `json:"departments"`
	}
	if _, _, err := g.nw.CLIJSON(&out, append([]string{"query", "governance", "departments"}, g.nw.NodeFlag(3)...)...); err != nil {
		g.t.Fatalf("query departments: %v", err)
	}
	return out.Departments
}

func (g *govTest) department(ds []department, addr string) *department {
	for i := range ds {
		if ds[i].Address == addr {
			return &ds[i]
		}
	}
	return nil
}

// validators is /validators?height=h on node 0.
func (g *govTest) validators(h int64) []Validator {
	g.t.Helper()
	vals, err := g.nw.ValidatorsAt(0, h)
	if err != nil {
		g.t.Fatalf("validators at %d: %v", h, err)
	}
	return vals
}

func (g *govTest) hasValidator(vals []Validator, addr string) bool {
	return slices.ContainsFunc(vals, func(v Validator) bool { return v.Address == addr })
}

// commit is node i's canonical commit of block h (from block h+1, waiting
// for it): the signatures every validator's precommit that made it in.
func (g *govTest) commit(i int, h int64) Commit {
	g.t.Helper()
	g.nw.WaitHeight(i, h+1)
	c, err := g.nw.CommitAt(i, h)
	if err != nil {
		g.t.Fatalf("commit %d on node %d: %v", h, i, err)
	}
	if c.Height != h || !c.Canonical {
		g.t.Fatalf("commit %d on node %d: height %d canonical %v", h, i, c.Height, c.Canonical)
	}
	return c
}

// flagOf is the block id flag of addr's signature in c (0: no slot).
func flagOf(c Commit, addr string) int {
	for _, s := range c.Signatures {
		if s.Address == addr {
			return s.Flag
		}
	}
	return 0
}

func signedCount(c Commit) int {
	n := 0
	for _, s := range c.Signatures {
		if s.Flag == FlagCommit {
			n++
		}
	}
	return n
}

// validatorKeyFile reads a priv_validator_key.json's public key (base64)
// and computes its address independently: the first 20 bytes of the
// key's sha256, in upper-case hex; it must match the file's own.
func validatorKeyFile(t *testing.T, path string) (pub, addr string) {
	t.Helper()
	bz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Address string `json:"address"`
		PubKey  struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"pub_key"`
	}
	if err := json.Unmarshal(bz, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	key, err := base64.StdEncoding.DecodeString(f.PubKey.Value)
	if err != nil || len(key) != 32 || f.PubKey.Type != "tendermint/PubKeyEd25519" {
		t.Fatalf("%s: pub_key %+v (%v), want an ed25519 key", path, f.PubKey, err)
	}
	sum := sha256.Sum256(key)
	addr = strings.ToUpper(hex.EncodeToString(sum[:20]))
	if addr != f.Address {
		t.Fatalf("%s: address %s, but sha256 of its key gives %s", path, f.Address, addr)
	}
	return f.PubKey.Value, addr
}
