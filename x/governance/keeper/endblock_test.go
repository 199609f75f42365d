package keeper_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Each kind of action passes with three yes votes of four and is executed
// at the end of that block through the module that owns what it changes,
// whose event comes just before proposal_executed.
func TestExecuteEachAction(t *testing.T) {
	tree := openTree(t, nil)
	regParams := &regtypes.Params{NoticePeriodSeconds: 3600, MaxCertificationsPerBlock: 10}
	rightsParams := &rightstypes.Params{MaxDepth: 4, MaxCascade: 10, MaxExpiriesPerBlock: 10}
	govParams := &types.Params{VotingPeriodSeconds: 3600, MaxClosingsPerBlock: 5}
	authParams := &authtypes.Params{EvaluationThreshold: 70, MaxAssets: 8, MaxTermSeconds: 86400 * 365, MaxExpiriesPerBlock: 50}
	marketParams := &mktypes.Params{MaxQuantity: 500, MaxExpiriesPerBlock: 20}
	revenueParams := &revtypes.Params{PublicLevyBps: 1500, MaxLineageDepth: 4, MaxLines: 64}
	params := func(h *harness, kv store.KV) *types.AllParams { return h.k.AllParams(kv) }
	cases := []struct {
		name   string
		action *types.Action
		event  string // the owning module's event; "" for params (none)
		check  func(t *testing.T, h *harness, kv store.KV)
	}{
		{"add department", addDepartment(newcomer, 50, 50, 7, idtypes.Role_ROLE_AUDITOR), idtypes.EventDepartmentAdded,
			func(t *testing.T, h *harness, kv store.KV) {
				p := partyOf(t, kv, newcomer)
				if !p.IsDepartment() || p.Validator.Power != 7 || !bytes.Equal(p.Validator.PubKey, valKey(50)) || !p.HasRole(idtypes.Role_ROLE_AUDITOR) ||
					p.OrgCode != orgCode(50) || len(h.identity.Departments(kv)) != 5 {
					t.Fatalf("party %v", p)
				}
			}},
		{"remove department", removeDepartment(d4.Address), idtypes.EventDepartmentRemoved,
			func(t *testing.T, h *harness, kv store.KV) {
				p := partyOf(t, kv, d4.Address)
				if p.IsActive() || p.Validator.Power != 0 || !strings.HasPrefix(p.StatusReason, "removed by proposal p-1: ") {
					t.Fatalf("party %v", p)
				}
			}},
		{"set power", setPower(d2.Address, 25), idtypes.EventPowerChanged, func(t *testing.T, h *harness, kv store.KV) {
			if p := partyOf(t, kv, d2.Address); p.Validator.Power != 25 {
				t.Fatalf("party %v", p)
			}
		}},
		{"grant role", grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE), idtypes.EventRoleGranted, func(t *testing.T, h *harness, kv store.KV) {
			if p := partyOf(t, kv, ent.Address); !p.HasRole(idtypes.Role_ROLE_EXCHANGE) {
				t.Fatalf("party %v", p)
			}
		}},
		{"revoke role", revokeRole(ent.Address, idtypes.Role_ROLE_AUDITOR), idtypes.EventRoleRevoked, func(t *testing.T, h *harness, kv store.KV) {
			if p := partyOf(t, kv, ent.Address); len(p.Roles) != 0 {
				t.Fatalf("party %v", p)
			}
		}},
		{"registry params", setParamsAction(&types.SetParams{Params: &types.SetParams_Registry{Registry: regParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(params(h, kv).Registry, regParams) {
					t.Fatalf("params %v", params(h, kv))
				}
			}},
		{"rights params", setParamsAction(&types.SetParams{Params: &types.SetParams_Rights{Rights: rightsParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(params(h, kv).Rights, rightsParams) {
					t.Fatalf("params %v", params(h, kv))
				}
			}},
		{"governance params", setParamsAction(&types.SetParams{Params: &types.SetParams_Governance{Governance: govParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(h.k.Params(kv), govParams) {
					t.Fatalf("params %v", h.k.Params(kv))
				}
			}},
		{"authorization params", setParamsAction(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: authParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(params(h, kv).Authorization, authParams) {
					t.Fatalf("params %v", params(h, kv))
				}
			}},
		{"market params", setParamsAction(&types.SetParams{Params: &types.SetParams_Market{Market: marketParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(params(h, kv).Market, marketParams) {
					t.Fatalf("params %v", params(h, kv))
				}
			}},
		{"revenue params", setParamsAction(&types.SetParams{Params: &types.SetParams_Revenue{Revenue: revenueParams}}), "",
			func(t *testing.T, h *harness, kv store.KV) {
				if !proto.Equal(params(h, kv).Revenue, revenueParams) {
					t.Fatalf("params %v", params(h, kv))
				}
			}},
		{"freeze", freeze("a-1"), regtypes.EventAssetFrozen, func(t *testing.T, h *harness, kv store.KV) {
			if !frozen(kv, "a-1") {
				t.Fatal("a-1 is not frozen")
			}
		}},
		{"unfreeze", unfreeze("a-2"), regtypes.EventAssetUnfrozen, func(t *testing.T, h *harness, kv store.KV) {
			if frozen(kv, "a-2") {
				t.Fatal("a-2 is still frozen")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			kv := store.NewBranch(tree)
			id := h.pass(t, kv, testH, t0, tc.action)
			events := h.endBlock(t, kv, testH, t0)
			want := []string{types.EventProposalExecuted}
			if tc.event != "" {
				want = []string{tc.event, types.EventProposalExecuted}
			}
			if got := eventTypes(events); !slices.Equal(got, want) {
				t.Fatalf("events %v, want %v", got, want)
			}
			last := events[len(events)-1]
			if v, ok := attr(last, types.AttrProposalID); v != id || !ok {
				t.Fatalf("proposal_id %q", v)
			}
			if v, ok := attr(last, types.AttrParty); v != d1.Address || !ok {
				t.Fatalf("party %q, want the proposer", v)
			}
			if n := countAttr(events[0].Attributes, "msg_index"); n != 1 {
				t.Fatalf("%d msg_index attributes in %v", n, events[0])
			}
			p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED)
			if p.DecidedHeight != testH || p.Result != "" {
				t.Fatalf("proposal %v", p)
			}
			tc.check(t, h, kv)
			if got := h.endBlock(t, kv, testH+1, t0.Add(time.Second)); len(got) != 0 {
				t.Fatalf("executed again: %v", got)
			}
		})
	}
}

func countAttr(attrs []abci.EventAttribute, key string) int {
	n := 0
	for _, a := range attrs {
		if a.Key == key {
			n++
		}
	}
	return n
}

// A proposal without enough yes votes stays open until the end of its
// period, then is rejected with its final count.
func TestRejectedAtTheDeadline(t *testing.T) {
	h := newHarness()
	kv := store.NewBranch(openTree(t, nil))
	id := h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
	h.mustRun(t, kv, d1.Address, testH, t0, vote(id, yes))
	h.mustRun(t, kv, d2.Address, testH, t0, vote(id, yes))
	h.mustRun(t, kv, d3.Address, testH+1, t0.Add(time.Minute), vote(id, no))
	if got := h.endBlock(t, kv, testH+2, deadAt.Add(-time.Nanosecond)); len(got) != 0 {
		t.Fatalf("closed early: %v", got)
	}
	events := h.endBlock(t, kv, testH+3, deadAt)
	if got := eventTypes(events); !slices.Equal(got, []string{types.EventProposalRejected}) {
		t.Fatalf("events %v", got)
	}
	p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_REJECTED)
	if p.DecidedHeight != testH+3 || p.Tally.Yes != 2 || p.Tally.No != 1 || p.Tally.Departments != 4 ||
		!strings.Contains(p.Result, "2 yes, 1 no, 0 abstain of 4 departments") {
		t.Fatalf("proposal %v", p)
	}
	if partyOf(t, kv, ent.Address).HasRole(idtypes.Role_ROLE_EXCHANGE) {
		t.Fatal("a rejected proposal was executed")
	}
}

// When departments leave during the period, the count at the deadline is
// against those that remain: 3 yes of 5 is not enough, 3 of 4 is.
func TestPassedAtTheDeadlineAfterDepartmentsLeft(t *testing.T) {
	h := newHarness()
	kv := store.NewBranch(openTree(t, nil))
	d5 := party(8, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	h.identity.put(kv, d5)
	id := h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
	for _, d := range []*idtypes.Party{d1, d2, d3} {
		h.mustRun(t, kv, d.Address, testH, t0, vote(id, yes))
	}
	if p := proposal(t, kv, id); p.DecidedHeight != 0 || p.Tally.Departments != 5 {
		t.Fatalf("3 of 5 passed: %v", p)
	}
	gone := proto.Clone(d5).(*idtypes.Party)
	gone.Status, gone.Validator.Power = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED, 0
	h.identity.put(kv, gone)
	events := h.endBlock(t, kv, testH+5, deadAt)
	want := []string{types.EventProposalPassed, idtypes.EventRoleGranted, types.EventProposalExecuted}
	if got := eventTypes(events); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED); p.DecidedHeight != testH+5 || p.Tally.Departments != 4 {
		t.Fatalf("proposal %v", p)
	}
}

// A passed action that no longer applies ends the proposal as failed, with
// the owning module's reason, leaves nothing of itself behind, and does
// not stop the block.
func TestFailedWhenTheActionNoLongerApplies(t *testing.T) {
	tree := openTree(t, nil)
	t.Run("two proposals grant the same role", func(t *testing.T) {
		h := newHarness()
		kv := store.NewBranch(tree)
		first := h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
		second := h.mustRun(t, kv, d2.Address, testH, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
		for _, id := range []string{first, second} {
			for _, d := range []*idtypes.Party{d1, d2, d3} {
				h.mustRun(t, kv, d.Address, testH+1, t0.Add(time.Minute), vote(id, yes))
			}
		}
		events := h.endBlock(t, kv, testH+1, t0.Add(time.Minute))
		want := []string{idtypes.EventRoleGranted, types.EventProposalExecuted, types.EventProposalFailed}
		if got := eventTypes(events); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		status(t, kv, first, types.ProposalStatus_PROPOSAL_STATUS_EXECUTED)
		p := status(t, kv, second, types.ProposalStatus_PROPOSAL_STATUS_FAILED)
		if !strings.HasPrefix(p.Result, "identity code 25: party already holds the role") {
			t.Fatalf("result %q", p.Result)
		}
		if r, _ := attr(events[2], types.AttrResult); r != p.Result {
			t.Fatalf("event result %q", r)
		}
	})
	t.Run("the asset was frozen meanwhile", func(t *testing.T) {
		h := newHarness()
		kv := store.NewBranch(tree)
		id := h.mustRun(t, kv, d1.Address, testH, t0, submit(freeze("a-1")))
		kv.Set(store.Concat(fakeAssetPrefix, []byte("a-1")), []byte("frozen")) // the data admin froze it
		for _, d := range []*idtypes.Party{d1, d2, d3} {
			h.mustRun(t, kv, d.Address, testH+1, t0, vote(id, yes))
		}
		h.endBlock(t, kv, testH+1, t0)
		if p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_FAILED); !strings.HasPrefix(p.Result, "registry code 11: ") {
			t.Fatalf("result %q", p.Result)
		}
	})
	t.Run("a module fails half-way", func(t *testing.T) {
		h := newHarness()
		kv := store.NewBranch(tree)
		id := h.pass(t, kv, testH, t0, setPower(d2.Address, 30))
		h.identity.writeThenFail = true
		before := testkit.Dump(store.NewPrefix(kv, fakePartyPrefix))
		events := h.endBlock(t, kv, testH, t0)
		if got := eventTypes(events); !slices.Equal(got, []string{types.EventProposalFailed}) {
			t.Fatalf("events %v: the failed action's events must go too", got)
		}
		if !testkit.SameDump(before, testkit.Dump(store.NewPrefix(kv, fakePartyPrefix))) {
			t.Fatal("the failed action's writes remain")
		}
		if p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_FAILED); p.Result != "internal error" {
			t.Fatalf("result %q: an unregistered error's text is not consensus state", p.Result)
		}
	})
}

// At most max_closings_per_block proposals close in a block, passed ones
// first; the rest wait, in order, for the next blocks.
func TestEndBlockIsBounded(t *testing.T) {
	h := newHarness()
	kv := store.NewBranch(openTree(t, &types.Params{VotingPeriodSeconds: 3600, MaxClosingsPerBlock: 2}))
	end := t0.Add(time.Hour)
	// p-1, p-2: no votes; they expire at end.
	h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(d1.Address, idtypes.Role_ROLE_AUDITOR)))
	h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(d2.Address, idtypes.Role_ROLE_AUDITOR)))
	// p-3, p-4, p-5 pass in the block at end - 1s.
	for _, r := range []idtypes.Role{idtypes.Role_ROLE_EXCHANGE, idtypes.Role_ROLE_ASSESSOR, idtypes.Role_ROLE_OPERATOR} {
		h.pass(t, kv, testH+1, end.Add(-time.Second), grantRole(ent.Address, r))
	}
	closed := func(events []string) []string {
		var out []string
		for _, e := range events {
			if e == types.EventProposalExecuted || e == types.EventProposalRejected {
				out = append(out, e)
			}
		}
		return out
	}
	ex, rej := types.EventProposalExecuted, types.EventProposalRejected
	steps := []struct {
		at   time.Time
		want []string
	}{
		{end.Add(-time.Second), []string{ex, ex}}, // p-3, p-4
		{end, []string{ex, rej}},                  // p-5, then p-1
		{end.Add(time.Second), []string{rej}},     // p-2
		{end.Add(2 * time.Second), nil},
	}
	for i, s := range steps {
		if got := closed(eventTypes(h.endBlock(t, kv, testH+1+int64(i), s.at))); !slices.Equal(got, s.want) {
			t.Fatalf("block %d: closed %v, want %v", i, got, s.want)
		}
	}
	for id, want := range map[string]types.ProposalStatus{
		"p-1": types.ProposalStatus_PROPOSAL_STATUS_REJECTED, "p-2": types.ProposalStatus_PROPOSAL_STATUS_REJECTED,
		"p-3": types.ProposalStatus_PROPOSAL_STATUS_EXECUTED, "p-4": types.ProposalStatus_PROPOSAL_STATUS_EXECUTED,
		"p-5": types.ProposalStatus_PROPOSAL_STATUS_EXECUTED,
	} {
		status(t, kv, id, want)
	}
	// The proposals executed in the order they passed.
	if p := status(t, kv, "p-5", types.ProposalStatus_PROPOSAL_STATUS_EXECUTED); p.DecidedHeight != testH+1 {
		t.Fatalf("p-5 %v", p)
	}
}
