package keeper_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/keeper"
	"github.com/datarights/datarights/x/governance/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

var _ types.Identity = idkeeper.Keeper{}

// realChain is governance over the real x/identity keeper, with genesis
// departments (org codes seeded 1-n, validator keys valKey(seed)).
func realChain(t *testing.T, depts ...*idtypes.Party) (keeper.Keeper, idkeeper.Keeper, *harness, store.KV) {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	gs := &idtypes.GenesisState{}
	for i, d := range depts {
		p := &idtypes.Party{Address: d.Address, Name: d.Name, Kind: d.Kind, OrgCode: orgCode(i + 1), Validator: d.Validator}
		gs.Parties = append(gs.Parties, p)
	}
	if err := idkeeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	id := idkeeper.New()
	id.InitGenesis(tree, gs)
	k := keeper.New(id, fakeRegistry{}, fakeRights, nil)
	k.InitGenesis(tree, &types.GenesisState{})
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	// The harness runs messages through k; its fake identity is unused.
	return k, id, &harness{k: k}, store.NewBranch(tree)
}

// A department added by governance is a party of x/identity at the end of
// the block in which the proposal passed, and its validator is among the
// updates the app takes for CometBFT; removing one sends power 0.
func TestWithTheIdentityKeeper(t *testing.T) {
	_, id, h, kv := realChain(t, d1, d2, d3, d4)
	if u := id.TakeValidatorUpdates(kv); len(u) != 0 {
		t.Fatalf("genesis queued %v", u)
	}
	p1 := h.pass(t, kv, testH, t0, addDepartment(newcomer, 50, 50, 7, idtypes.Role_ROLE_ASSESSOR))
	if u := id.TakeValidatorUpdates(kv); len(u) != 0 {
		t.Fatalf("updates before execution: %v", u)
	}
	events := h.endBlock(t, kv, testH, t0)
	if got := eventTypes(events); !slices.Equal(got, []string{idtypes.EventDepartmentAdded, types.EventProposalExecuted}) {
		t.Fatalf("events %v", got)
	}
	status(t, kv, p1, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED)
	p, err := id.Party(kv, newcomer)
	if err != nil || !p.IsDepartment() || !p.IsActive() || p.RegisteredHeight != testH || !p.HasRole(idtypes.Role_ROLE_ASSESSOR) {
		t.Fatalf("party %v, %v", p, err)
	}
	u := id.TakeValidatorUpdates(kv)
	if len(u) != 1 || !bytes.Equal(u[0].PubKey.GetEd25519(), valKey(50)) || u[0].Power != 7 {
		t.Fatalf("validator updates %v", u)
	}
	if ds := id.Departments(kv); len(ds) != 5 {
		t.Fatalf("%d departments", len(ds))
	}

	// The newcomer votes at once; four yes of five pass.
	next := t0.Add(time.Minute)
	p2 := h.mustRun(t, kv, newcomer, testH+1, next, submit(removeDepartment(d4.Address)))
	for i, d := range []string{newcomer, d1.Address, d2.Address, d3.Address} {
		h.mustRun(t, kv, d, testH+1, next, vote(p2, yes))
		if passed := proposal(t, kv, p2).DecidedHeight != 0; passed != (i == 3) {
			t.Fatalf("after %d yes of 5: passed %v", i+1, passed)
		}
	}
	h.endBlock(t, kv, testH+1, next)
	status(t, kv, p2, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED)
	u = id.TakeValidatorUpdates(kv)
	if len(u) != 1 || !bytes.Equal(u[0].PubKey.GetEd25519(), valKey(4)) || u[0].Power != 0 {
		t.Fatalf("validator updates %v", u)
	}
	if p, _ := id.Party(kv, d4.Address); p.IsActive() || p.StatusReason != "removed by proposal p-2: a proposal" {
		t.Fatalf("removed party %v", p)
	}
	if _, _, err := h.run(kv, d4.Address, testH+2, next, submit(freeze("a-1"))); !errors.Is(err, idtypes.ErrPartySuspended) {
		t.Fatalf("a removed department proposed: %v", err)
	}
}

// x/identity's rules reach the proposer at submission, through the same
// code that executes.
func TestIdentityRulesAtSubmission(t *testing.T) {
	_, _, h, kv := realChain(t, d1)
	cases := []struct {
		name   string
		action *types.Action
		want   error
	}{
		{"the last validator", removeDepartment(d1.Address), idtypes.ErrLastValidator},
		{"a key in use", addDepartment(newcomer, 1, 50, 7), idtypes.ErrValidatorKeyTaken},
		{"an org code in use", func() *types.Action {
			a := addDepartment(newcomer, 50, 50, 7)
			a.GetAddDepartment().OrgCode = orgCode(1)
			return a
		}(), idtypes.ErrOrgCodeTaken},
		{"the same power", setPower(d1.Address, 10), idtypes.ErrInvalidValidator},
		{"total power over CometBFT's limit", addDepartment(newcomer, 50, 50, cmttypes.MaxTotalVotingPower-5), idtypes.ErrTotalPower},
	}
	for _, tc := range cases {
		before := testkit.Dump(kv)
		if _, _, err := h.run(kv, d1.Address, testH, t0, submit(tc.action)); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if !testkit.SameDump(before, testkit.Dump(kv)) {
			t.Errorf("%s: the refused proposal changed the store", tc.name)
		}
	}
	// With one department, its single yes passes (1·3 > 1·2).
	id := h.mustRun(t, kv, d1.Address, testH, t0, submit(setPower(d1.Address, 20)))
	if _, events, err := h.run(kv, d1.Address, testH, t0, vote(id, yes)); err != nil ||
		!slices.Equal(eventTypes(events), []string{types.EventVoteCast, types.EventProposalPassed}) {
		t.Fatalf("vote: %v, %v", eventTypes(events), err)
	}
}
