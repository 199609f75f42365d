package keeper_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/keeper"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// ask runs a query path as the app would: request bytes in, answer bytes
// (and the key to prove) out.
func ask(t *testing.T, kv store.KV, path string, req proto.Message, resp proto.Message) ([]byte, error) {
	t.Helper()
	h, ok := newHarness().k.Queries()[path]
	if !ok {
		t.Fatalf("no query %s", path)
	}
	data, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	value, key, err := h(kv, data)
	if err == nil && resp != nil {
		if err := proto.Unmarshal(value, resp); err != nil {
			t.Fatal(err)
		}
	}
	return key, err
}

func TestQueries(t *testing.T) {
	h := newHarness()
	kv := store.NewBranch(openTree(t, nil))
	h.pass(t, kv, testH, t0, grantRole(ent.Address, idtypes.Role_ROLE_EXCHANGE)) // p-1, executed below
	h.endBlock(t, kv, testH, t0)
	h.mustRun(t, kv, d2.Address, testH+1, t0, submit(freeze("a-1"))) // p-2, voting
	h.mustRun(t, kv, d4.Address, testH+1, t0, vote("p-2", no))
	h.mustRun(t, kv, d2.Address, testH+1, t0, vote("p-2", yes))

	t.Run("proposal", func(t *testing.T) {
		p := &types.Proposal{}
		key, err := ask(t, kv, keeper.PathProposal, &types.QueryProposalRequest{Id: "p-2"}, p)
		if err != nil || p.Id != "p-2" || p.Proposer != d2.Address || !bytes.Equal(key, keeper.FullProposalKey(2)) {
			t.Fatalf("proposal %v key %X, %v", p, key, err)
		}
		if !bytes.Equal(kv.Get(key), mustMarshal(t, p)) {
			t.Fatal("the answer is not the stored value at the proof key")
		}
		key, err = ask(t, kv, keeper.PathProposal, &types.QueryProposalRequest{Id: "p-3"}, nil)
		if !errors.Is(err, types.ErrProposalNotFound) || !bytes.Equal(key, keeper.FullProposalKey(3)) {
			t.Fatalf("missing proposal: key %X, %v (absence must be provable)", key, err)
		}
		if _, err := ask(t, kv, keeper.PathProposal, &types.QueryProposalRequest{Id: "3"}, nil); !errors.Is(err, types.ErrInvalidID) {
			t.Fatalf("bad id: %v", err)
		}
	})
	t.Run("proposals", func(t *testing.T) {
		ids := func(req *types.QueryProposalsRequest) []string {
			resp := &types.QueryProposalsResponse{}
			if _, err := ask(t, kv, keeper.PathProposals, req, resp); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range resp.Proposals {
				out = append(out, p.Id)
			}
			return out
		}
		if got := ids(&types.QueryProposalsRequest{}); !slices.Equal(got, []string{"p-1", "p-2"}) {
			t.Fatalf("all: %v", got)
		}
		if got := ids(&types.QueryProposalsRequest{Status: types.ProposalStatus_PROPOSAL_STATUS_VOTING}); !slices.Equal(got, []string{"p-2"}) {
			t.Fatalf("voting: %v", got)
		}
		if got := ids(&types.QueryProposalsRequest{Status: types.ProposalStatus_PROPOSAL_STATUS_EXECUTED}); !slices.Equal(got, []string{"p-1"}) {
			t.Fatalf("executed: %v", got)
		}
		if got := ids(&types.QueryProposalsRequest{Status: types.ProposalStatus_PROPOSAL_STATUS_FAILED}); len(got) != 0 {
			t.Fatalf("failed: %v", got)
		}
		resp := &types.QueryProposalsResponse{}
		if _, err := ask(t, kv, keeper.PathProposals, &types.QueryProposalsRequest{Page: &query.PageRequest{Limit: 1}}, resp); err != nil ||
			len(resp.Proposals) != 1 || len(resp.Page.GetNextKey()) == 0 {
			t.Fatalf("page: %v, %v", resp, err)
		}
		if got := ids(&types.QueryProposalsRequest{Page: &query.PageRequest{Key: resp.Page.NextKey}}); !slices.Equal(got, []string{"p-2"}) {
			t.Fatalf("next page: %v", got)
		}
		if _, err := ask(t, kv, keeper.PathProposals, &types.QueryProposalsRequest{Status: 9}, nil); !errors.Is(err, types.ErrInvalidProposal) {
			t.Fatalf("bad status: %v", err)
		}
	})
	t.Run("votes", func(t *testing.T) {
		resp := &types.QueryVotesResponse{}
		if _, err := ask(t, kv, keeper.PathVotes, &types.QueryVotesRequest{ProposalId: "p-2"}, resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Votes) != 2 || resp.Votes[0].Department != d2.Address || resp.Votes[0].Option != yes ||
			resp.Votes[1].Department != d4.Address || resp.Votes[1].Option != no {
			t.Fatalf("votes %v", resp.Votes)
		}
		if _, err := ask(t, kv, keeper.PathVotes, &types.QueryVotesRequest{ProposalId: "p-9"}, nil); !errors.Is(err, types.ErrProposalNotFound) {
			t.Fatalf("unknown proposal: %v", err)
		}
	})
	t.Run("departments", func(t *testing.T) {
		resp := &types.QueryDepartmentsResponse{}
		if _, err := ask(t, kv, keeper.PathDepartments, &types.QueryDepartmentsRequest{}, resp); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range resp.Departments {
			got = append(got, d.Address)
		}
		if !slices.Equal(got, []string{d1.Address, d2.Address, d3.Address, d4.Address}) {
			t.Fatalf("departments %v (no removed department, no enterprise)", got)
		}
	})
	t.Run("params of every module", func(t *testing.T) {
		resp := &types.AllParams{}
		if _, err := ask(t, kv, keeper.PathParams, &types.QueryParamsRequest{}, resp); err != nil {
			t.Fatal(err)
		}
		want := &types.AllParams{Registry: regtypes.DefaultParams(), Rights: rightstypes.DefaultParams(),
			Governance: types.DefaultParams(), Authorization: authtypes.DefaultParams(),
			Market: mktypes.DefaultParams(), Revenue: revtypes.DefaultParams()}
		if !proto.Equal(resp, want) {
			t.Fatalf("params %v, want %v", resp, want)
		}
	})
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	bz, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

func TestGenesis(t *testing.T) {
	for _, p := range []*types.Params{
		{VotingPeriodSeconds: 59, MaxClosingsPerBlock: 1},
		{VotingPeriodSeconds: 60, MaxClosingsPerBlock: 0},
		{VotingPeriodSeconds: types.MaxVotingPeriodSeconds + 1, MaxClosingsPerBlock: 1},
	} {
		if err := keeper.ValidateGenesis(&types.GenesisState{Params: p}); !errors.Is(err, types.ErrInvalidGenesis) {
			t.Errorf("params %v: %v", p, err)
		}
	}
	if err := keeper.ValidateGenesis(&types.GenesisState{}); err != nil {
		t.Fatalf("no params: %v", err)
	}
	h := newHarness()
	kv := store.NewBranch(openTree(t, nil))
	if got := h.k.ExportGenesis(kv); !proto.Equal(got.Params, types.DefaultParams()) {
		t.Fatalf("default params %v", got)
	}
	p := &types.Params{VotingPeriodSeconds: 3600, MaxClosingsPerBlock: 7}
	h.k.InitGenesis(kv, &types.GenesisState{Params: p})
	if got := h.k.ExportGenesis(kv); !proto.Equal(got.Params, p) {
		t.Fatalf("exported %v, want %v", got, p)
	}
	// The voting period is read when a proposal is submitted.
	h.mustRun(t, kv, d1.Address, testH, t0, submit(freeze("a-1")))
	if end := proposal(t, kv, "p-1").VotingEnds.AsTime(); !end.Equal(t0.Add(3600e9)) {
		t.Fatalf("voting ends %v", end)
	}
}

// Without x/authorization, its params read as the defaults and cannot be
// set: the proposal is refused at submission.
func TestWithoutAuthorization(t *testing.T) {
	h := newHarness()
	h.k = keeper.New(h.identity, fakeRegistry{}, fakeRights, nil)
	kv := store.NewBranch(openTree(t, nil))
	if got := h.k.AllParams(kv).Authorization; !proto.Equal(got, authtypes.DefaultParams()) {
		t.Fatalf("params %v", got)
	}
	a := setParamsAction(&types.SetParams{Params: &types.SetParams_Authorization{Authorization: authtypes.DefaultParams()}})
	if _, _, err := h.run(kv, d1.Address, testH, t0, submit(a)); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("error %v", err)
	}
}
