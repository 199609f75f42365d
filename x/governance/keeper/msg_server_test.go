package keeper_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
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

type msgCase struct {
	name   string
	setup  func(t *testing.T, h *harness, kv store.KV) // before the message; must succeed
	signer string
	at     time.Time // zero: t0 + 1h
	msg    proto.Message
	want   error    // nil: success
	events []string // on success: the events, in order
	check  func(t *testing.T, kv store.KV, id string)
}

// runCases runs each case on a branch of the fixture at height testH. A
// rejected message must leave every key as it was; an accepted one must
// emit its events and pass its check. The documented layout holds either
// way.
func runCases(t *testing.T, cases []msgCase) {
	t.Helper()
	tree := openTree(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			kv := store.NewBranch(tree)
			if tc.setup != nil {
				tc.setup(t, h, kv)
			}
			at := tc.at
			if at.IsZero() {
				at = t0.Add(time.Hour)
			}
			before := testkit.Dump(kv)
			id, events, err := h.run(kv, tc.signer, testH, at, tc.msg)
			checkLayout(t, kv)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !testkit.SameDump(before, testkit.Dump(kv)) {
					t.Fatal("rejected message changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := eventTypes(events); !slices.Equal(got, tc.events) {
				t.Fatalf("events %v, want %v", got, tc.events)
			}
			for _, e := range events {
				if v, ok := attr(e, types.AttrProposalID); v != id || !ok {
					t.Fatalf("%s: proposal_id %q indexed %v, want %s", e.Type, v, ok, id)
				}
				if v, ok := attr(e, types.AttrParty); v == "" || !ok {
					t.Fatalf("%s: no indexed party", e.Type)
				}
			}
			if tc.check != nil {
				tc.check(t, kv, id)
			}
		})
	}
}

// prepare changes the fixture's state directly before a case, as another
// proposal would have.
func prepare(f func(h *harness, kv store.KV) error) func(*testing.T, *harness, store.KV) {
	return func(t *testing.T, h *harness, kv store.KV) {
		t.Helper()
		if err := f(h, kv); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSubmitProposal(t *testing.T) {
	submitted := []string{types.EventProposalSubmitted}
	stored := func(by string, kind string) func(*testing.T, store.KV, string) {
		return func(t *testing.T, kv store.KV, id string) {
			p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_VOTING)
			if id != "p-1" || p.Proposer != by || types.ActionName(p.Action) != kind || p.SubmittedHeight != testH ||
				!p.VotingEnds.AsTime().Equal(t0.Add(time.Hour).Add(period)) || p.Tally.GetDepartments() != 4 || p.Tally.GetYes() != 0 ||
				p.DecidedHeight != 0 || p.Title != "a proposal" {
				t.Fatalf("proposal %v", p)
			}
		}
	}
	regParams := &regtypes.Params{NoticePeriodSeconds: 3600, MaxCertificationsPerBlock: 10}
	removeOthers := prepare(func(h *harness, kv store.KV) error {
		for _, d := range []*idtypes.Party{d2, d3, d4} {
			p := proto.Clone(d).(*idtypes.Party)
			p.Status, p.Validator.Power = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED, 0
			h.identity.put(kv, p)
		}
		return nil
	})
	runCases(t, []msgCase{
		{name: "add a department", signer: d1.Address, msg: submit(addDepartment(newcomer, 50, 50, 10, idtypes.Role_ROLE_AUDITOR)),
			events: submitted, check: stored(d1.Address, "add_department")},
		{name: "remove a department", signer: d2.Address, msg: submit(removeDepartment(d4.Address)), events: submitted,
			check: stored(d2.Address, "remove_department")},
		{name: "set power", signer: d1.Address, msg: submit(setPower(d2.Address, 20)), events: submitted, check: stored(d1.Address, "set_power")},
		{name: "grant a role", signer: d1.Address, msg: submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)), events: submitted,
			check: stored(d1.Address, "grant_role")},
		{name: "revoke a role", signer: d1.Address, msg: submit(revokeRole(ent.Address, idtypes.Role_ROLE_AUDITOR)), events: submitted},
		{name: "registry params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Registry{Registry: regParams}})),
			events: submitted, check: func(t *testing.T, kv store.KV, id string) {
				if got := newHarness().k.AllParams(kv).Registry; got.NoticePeriodSeconds != regtypes.DefaultNoticePeriodSeconds {
					t.Fatalf("the check changed the params: %v", got)
				}
			}},
		{name: "rights params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Rights{Rights: &rightstypes.Params{MaxDepth: 4, MaxCascade: 10, MaxExpiriesPerBlock: 10}}})),
			events: submitted},
		{name: "governance params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Governance{Governance: &types.Params{VotingPeriodSeconds: 3600, MaxClosingsPerBlock: 5}}})),
			events: submitted},
		{name: "authorization params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: authtypes.DefaultParams()}})),
			events: submitted},
		{name: "freeze", signer: d1.Address, msg: submit(freeze("a-1")), events: submitted, check: func(t *testing.T, kv store.KV, id string) {
			if frozen(kv, "a-1") {
				t.Fatal("the check froze the asset")
			}
		}},
		{name: "unfreeze", signer: d1.Address, msg: submit(unfreeze("a-2")), events: submitted},
		{name: "by an agent of a department", signer: dAgent, msg: submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)), events: submitted,
			check: stored(d1.Address, "grant_role")},
		{name: "the second proposal", setup: func(t *testing.T, h *harness, kv store.KV) {
			h.mustRun(t, kv, d2.Address, testH-1, t0, submit(freeze("a-1")))
		}, signer: d1.Address, msg: submit(freeze("a-1")), events: submitted, check: func(t *testing.T, kv store.KV, id string) {
			if id != "p-2" {
				t.Fatalf("id %s", id)
			}
		}},

		// Who may propose.
		{name: "an enterprise", signer: ent.Address, msg: submit(freeze("a-1")), want: types.ErrNotDepartment},
		{name: "an agent of an enterprise", signer: entAgent, msg: submit(freeze("a-1")), want: types.ErrNotDepartment},
		{name: "a removed department", signer: removed.Address, msg: submit(freeze("a-1")), want: idtypes.ErrPartySuspended},
		{name: "a stranger", signer: stranger, msg: submit(freeze("a-1")), want: idtypes.ErrUnknownSigner},

		// The action must apply now; the owning module says why not.
		{name: "add an existing party", signer: d1.Address, msg: submit(addDepartment(ent.Address, 50, 50, 10)), want: idtypes.ErrPartyExists},
		{name: "add with a key in use", signer: d1.Address, msg: submit(addDepartment(newcomer, 2, 50, 10)), want: idtypes.ErrValidatorKeyTaken},
		{name: "remove an enterprise", signer: d1.Address, msg: submit(removeDepartment(ent.Address)), want: idtypes.ErrNotDepartment},
		{name: "remove the last validator", setup: removeOthers, signer: d1.Address, msg: submit(removeDepartment(d1.Address)), want: idtypes.ErrLastValidator},
		{name: "set the power of a removed department", signer: d1.Address, msg: submit(setPower(removed.Address, 5)), want: idtypes.ErrPartySuspended},
		{name: "grant a role held", signer: d1.Address, msg: submit(grantRole(ent.Address, idtypes.Role_ROLE_AUDITOR)), want: idtypes.ErrRoleHeld},
		{name: "revoke a role not held", signer: d1.Address, msg: submit(revokeRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)), want: idtypes.ErrMissingRole},
		{name: "grant to nobody", signer: d1.Address, msg: submit(grantRole(stranger, idtypes.Role_ROLE_EXCHANGE)), want: idtypes.ErrPartyNotFound},
		{name: "freeze a frozen asset", signer: d1.Address, msg: submit(freeze("a-2")), want: regtypes.ErrFrozen},
		{name: "freeze an unknown asset", signer: d1.Address, msg: submit(freeze("a-9")), want: regtypes.ErrAssetNotFound},

		// Stateless checks.
		{name: "no title", signer: d1.Address, msg: &types.MsgSubmitProposal{Action: freeze("a-1")}, want: types.ErrInvalidProposal},
		{name: "no action", signer: d1.Address, msg: &types.MsgSubmitProposal{Title: "t"}, want: types.ErrInvalidAction},
		{name: "empty action", signer: d1.Address, msg: submit(&types.Action{}), want: types.ErrInvalidAction},
		{name: "lower-case address", signer: d1.Address, msg: submit(removeDepartment(strings.ToLower(addrOf(0xab)))), want: types.ErrInvalidAction},
		{name: "power 0", signer: d1.Address, msg: submit(setPower(d2.Address, 0)), want: types.ErrInvalidAction},
		{name: "power over CometBFT's limit", signer: d1.Address, msg: submit(setPower(d2.Address, cmttypes.MaxTotalVotingPower+1)), want: types.ErrInvalidAction},
		{name: "short validator key", signer: d1.Address, msg: submit(func() *types.Action {
			a := addDepartment(newcomer, 50, 50, 10)
			a.GetAddDepartment().PubKey = a.GetAddDepartment().PubKey[:31]
			return a
		}()), want: types.ErrInvalidAction},
		{name: "bad registry params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Registry{Registry: &regtypes.Params{}}})),
			want: types.ErrInvalidParams},
		{name: "bad market params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Market{Market: &mktypes.Params{}}})),
			want: types.ErrInvalidParams},
		{name: "bad revenue params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Revenue{Revenue: &revtypes.Params{PublicLevyBps: 10_001, MaxLineageDepth: 8, MaxLines: 256}}})),
			want: types.ErrInvalidParams},
		{name: "bad authorization params", signer: d1.Address, msg: submit(setParamsAction(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: &authtypes.Params{MaxAssets: 1}}})),
			want: types.ErrInvalidParams},
		{name: "freeze without reason", signer: d1.Address, msg: submit(&types.Action{Action: &types.Action_FreezeAsset{FreezeAsset: &types.FreezeAsset{AssetId: "a-1"}}}),
			want: types.ErrInvalidAction},
	})
}

// voteSetup submits p-1 (grant exchange to ent) at t0, one block before
// the vote.
func voteSetup(more ...func(t *testing.T, h *harness, kv store.KV)) func(*testing.T, *harness, store.KV) {
	return func(t *testing.T, h *harness, kv store.KV) {
		h.mustRun(t, kv, d1.Address, testH-1, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
		for _, f := range more {
			f(t, h, kv)
		}
	}
}

func votes(by []*idtypes.Party, o types.VoteOption) func(*testing.T, *harness, store.KV) {
	return func(t *testing.T, h *harness, kv store.KV) {
		for _, d := range by {
			h.mustRun(t, kv, d.Address, testH-1, t0, vote("p-1", o))
		}
	}
}

func tallied(yes, no, abstain uint32) func(*testing.T, store.KV, string) {
	return func(t *testing.T, kv store.KV, id string) {
		p := proposal(t, kv, id)
		if tl := p.Tally; tl.Yes != yes || tl.No != no || tl.Abstain != abstain || tl.Departments != 4 {
			t.Fatalf("tally %v, want %d/%d/%d of 4", tl, yes, no, abstain)
		}
	}
}

func TestVote(t *testing.T) {
	cast := []string{types.EventVoteCast}
	passed := []string{types.EventVoteCast, types.EventProposalPassed}
	runCases(t, []msgCase{
		{name: "yes", setup: voteSetup(), signer: d2.Address, msg: vote("p-1", yes), events: cast, check: tallied(1, 0, 0)},
		{name: "no", setup: voteSetup(), signer: d2.Address, msg: vote("p-1", no), events: cast, check: tallied(0, 1, 0)},
		{name: "abstain", setup: voteSetup(), signer: d2.Address, msg: vote("p-1", abstain), events: cast, check: tallied(0, 0, 1)},
		{name: "by an agent, for its department", setup: voteSetup(), signer: dAgent, msg: vote("p-1", yes), events: cast,
			check: func(t *testing.T, kv store.KV, id string) {
				vs, err := newHarness().k.QueryVotes(kv, &types.QueryVotesRequest{ProposalId: id})
				if err != nil || len(vs.Votes) != 1 || vs.Votes[0].Department != d1.Address || vs.Votes[0].Height != testH {
					t.Fatalf("votes %v, %v", vs, err)
				}
			}},
		{name: "a changed vote replaces the old", setup: voteSetup(votes([]*idtypes.Party{d1, d2}, yes)), signer: d2.Address, msg: vote("p-1", no),
			events: cast, check: func(t *testing.T, kv store.KV, id string) {
				tallied(1, 1, 0)(t, kv, id)
				vs, _ := newHarness().k.QueryVotes(kv, &types.QueryVotesRequest{ProposalId: id})
				if len(vs.Votes) != 2 || vs.Votes[1].Option != no {
					t.Fatalf("votes %v", vs.Votes)
				}
			}},
		{name: "the same vote again counts once", setup: voteSetup(votes([]*idtypes.Party{d1, d2}, yes)), signer: d2.Address, msg: vote("p-1", yes),
			events: cast, check: tallied(2, 0, 0)},
		{name: "two yes of four do not pass", setup: voteSetup(votes([]*idtypes.Party{d1}, yes)), signer: d2.Address, msg: vote("p-1", yes),
			events: cast, check: func(t *testing.T, kv store.KV, id string) {
				if p := proposal(t, kv, id); p.DecidedHeight != 0 {
					t.Fatalf("passed with 2 of 4: %v", p)
				}
			}},
		{name: "two yes and two abstain do not pass", setup: voteSetup(votes([]*idtypes.Party{d1, d2}, yes), votes([]*idtypes.Party{d3}, abstain)),
			signer: d4.Address, msg: vote("p-1", abstain), events: cast, check: tallied(2, 0, 2)},
		{name: "three yes of four pass", setup: voteSetup(votes([]*idtypes.Party{d1, d2}, yes)), signer: d3.Address, msg: vote("p-1", yes),
			events: passed, check: func(t *testing.T, kv store.KV, id string) {
				p := status(t, kv, id, types.ProposalStatus_PROPOSAL_STATUS_VOTING)
				if p.DecidedHeight != testH || p.Tally.Yes != 3 {
					t.Fatalf("proposal %v", p)
				}
			}},
		{name: "a yes turned no, then three yes", setup: voteSetup(votes([]*idtypes.Party{d1, d2, d3}, no), votes([]*idtypes.Party{d1, d2}, yes)),
			signer: d3.Address, msg: vote("p-1", yes), events: passed},
		{name: "the last nanosecond of the period", setup: voteSetup(), signer: d2.Address, at: deadAt.Add(-time.Nanosecond), msg: vote("p-1", yes), events: cast},

		{name: "the period has ended, not yet closed", setup: voteSetup(), signer: d2.Address, at: deadAt, msg: vote("p-1", yes), want: types.ErrVotingEnded},
		{name: "passed in this block", setup: voteSetup(votes([]*idtypes.Party{d1, d2, d3}, yes)), signer: d4.Address, msg: vote("p-1", no), want: types.ErrNotVoting},
		{name: "executed", setup: voteSetup(votes([]*idtypes.Party{d1, d2, d3}, yes), func(t *testing.T, h *harness, kv store.KV) {
			h.endBlock(t, kv, testH-1, t0)
			status(t, kv, "p-1", types.ProposalStatus_PROPOSAL_STATUS_EXECUTED)
		}), signer: d4.Address, msg: vote("p-1", yes), want: types.ErrNotVoting},
		{name: "rejected", setup: voteSetup(func(t *testing.T, h *harness, kv store.KV) {
			h.endBlock(t, kv, testH-1, deadAt)
		}), signer: d4.Address, msg: vote("p-1", yes), want: types.ErrNotVoting},
		{name: "an enterprise", setup: voteSetup(), signer: ent.Address, msg: vote("p-1", yes), want: types.ErrNotDepartment},
		{name: "an agent of an enterprise", setup: voteSetup(), signer: entAgent, msg: vote("p-1", yes), want: types.ErrNotDepartment},
		{name: "a removed department", setup: voteSetup(), signer: removed.Address, msg: vote("p-1", yes), want: idtypes.ErrPartySuspended},
		{name: "unknown proposal", setup: voteSetup(), signer: d2.Address, msg: vote("p-2", yes), want: types.ErrProposalNotFound},
		{name: "malformed id", setup: voteSetup(), signer: d2.Address, msg: vote("p-01", yes), want: types.ErrInvalidID},
		{name: "no option", setup: voteSetup(), signer: d2.Address, msg: vote("p-1", 0), want: types.ErrInvalidVote},
		{name: "undefined option", setup: voteSetup(), signer: d2.Address, msg: vote("p-1", 9), want: types.ErrInvalidVote},
	})
}

// Departments that leave stop counting: the count is of the current
// departments' current votes.
func TestTallyCountsTheCurrentDepartments(t *testing.T) {
	tree := openTree(t, nil)
	h := newHarness()
	kv := store.NewBranch(tree)
	h.mustRun(t, kv, d1.Address, testH, t0, submit(grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)))
	h.mustRun(t, kv, d4.Address, testH, t0, vote("p-1", yes))
	h.mustRun(t, kv, d1.Address, testH, t0, vote("p-1", yes))
	// d4 leaves: its yes no longer counts.
	p := proto.Clone(d4).(*idtypes.Party)
	p.Status, p.Validator.Power = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED, 0
	h.identity.put(kv, p)
	h.mustRun(t, kv, d2.Address, testH+1, t0, vote("p-1", yes))
	if tl := proposal(t, kv, "p-1").Tally; tl.Yes != 2 || tl.Departments != 3 || proposal(t, kv, "p-1").DecidedHeight != 0 {
		t.Fatalf("tally %v: 2 of 3 is not more than two thirds", tl)
	}
	if _, _, err := h.run(kv, d4.Address, testH+1, t0, vote("p-1", yes)); !errors.Is(err, idtypes.ErrPartySuspended) {
		t.Fatalf("a removed department voted: %v", err)
	}
	h.mustRun(t, kv, d3.Address, testH+1, t0, vote("p-1", yes))
	if p := proposal(t, kv, "p-1"); p.DecidedHeight != testH+1 || p.Tally.Yes != 3 || p.Tally.Departments != 3 {
		t.Fatalf("proposal %v", p)
	}
}
