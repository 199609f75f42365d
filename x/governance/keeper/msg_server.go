package keeper

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// SubmitProposal: a department (its CDO key or an agent) proposes one
// action. The action must apply to the state now: a proposal that could
// not execute is refused rather than voted on for nothing. The voting
// period starts now; the proposer's yes is not implied.
func (k Keeper) SubmitProposal(ctx context.Context, root store.KV, m *types.MsgSubmitProposal) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, err := k.department(ctx, root)
	if err != nil {
		return "", err
	}
	b := env.BlockOf(ctx)
	n := getU64(k.kv(root), seqKey) + 1
	p := &types.Proposal{
		Id: types.FormatProposalID(n), Proposer: actor.Address, Title: m.Title, Description: m.Description,
		Action: proto.Clone(m.Action).(*types.Action), Status: types.ProposalStatus_PROPOSAL_STATUS_VOTING,
		SubmittedHeight: b.Height, VotingEnds: timestamppb.New(b.Time.Add(k.Params(root).VotingPeriod())),
		Tally: &types.Tally{Departments: uint32(len(k.identity.Departments(root)))},
	}
	if err := k.check(ctx, root, p); err != nil {
		return "", err
	}
	k.kv(root).Set(seqKey, u64(n))
	k.setProposal(root, nil, p)
	env.Emit(ctx, types.EventProposalSubmitted, env.Indexed(types.AttrProposalID, p.Id), env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrAction, types.ActionName(p.Action)), env.Plain(types.AttrVotingEnds, p.VotingEnds.AsTime().UTC().Format(time.RFC3339Nano)))
	return p.Id, nil
}

// Vote: a department votes yes, no or abstain while the period runs; a
// later vote replaces its earlier one. Every vote recounts the current
// votes of the current departments: a department that left no longer
// counts, one that joined counts from its first vote. When more than two
// thirds of them have voted yes, the proposal has passed, and is executed
// at the end of this block; no vote changes it after that.
func (k Keeper) Vote(ctx context.Context, root store.KV, m *types.MsgVote) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	actor, err := k.department(ctx, root)
	if err != nil {
		return "", err
	}
	p, err := k.Proposal(root, m.ProposalId)
	if err != nil {
		return "", err
	}
	if err := checkOpen(ctx, p); err != nil {
		return "", err
	}
	b := env.BlockOf(ctx)
	n := number(p)
	kv := k.kv(root)
	key := voteKey(n, address.Bytes(actor.Address))
	attrs := []env.Attr{env.Indexed(types.AttrProposalID, p.Id), env.Indexed(types.AttrParty, actor.Address),
		env.Plain(types.AttrOption, types.OptionName(m.Option))}
	if bz := kv.Get(key); bz != nil {
		prev := &types.Vote{}
		store.Decode(bz, prev)
		attrs = append(attrs, env.Plain(types.AttrPreviousOption, types.OptionName(prev.Option)))
	}
	kv.Set(key, store.Encode(&types.Vote{ProposalId: p.Id, Department: actor.Address, Option: m.Option, Height: b.Height}))
	old := clone(p)
	p.Tally = k.tally(root, n)
	env.Emit(ctx, types.EventVoteCast, append(attrs, tallyAttrs(p.Tally)...)...)
	if types.Passes(p.Tally.Yes, p.Tally.Departments) {
		k.pass(ctx, p)
	}
	k.setProposal(root, old, p)
	return p.Id, nil
}

// checkOpen admits a vote on a proposal still voting, not yet passed, whose
// period has not ended: at voting_ends it is over, even if the end-of-block
// step has not yet closed it (a backlog must not extend a vote).
func checkOpen(ctx context.Context, p *types.Proposal) error {
	switch {
	case p.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING:
		return types.ErrNotVoting.Wrapf("%s is %s since height %d", p.Id, types.StatusName(p.Status), p.DecidedHeight)
	case p.DecidedHeight != 0:
		return types.ErrNotVoting.Wrapf("%s passed at height %d and is executed at the end of that block", p.Id, p.DecidedHeight)
	}
	if end := p.VotingEnds.AsTime(); !env.BlockOf(ctx).Time.Before(end) {
		return types.ErrVotingEnded.Wrapf("the voting period of %s ended at %s", p.Id, end.UTC().Format(time.RFC3339))
	}
	return nil
}

// pass marks a proposal passed at this height: it leaves the deadline
// queue for the passed queue (setProposal moves it), which the end of this
// block executes.
func (k Keeper) pass(ctx context.Context, p *types.Proposal) {
	p.DecidedHeight = env.BlockOf(ctx).Height
	env.Emit(ctx, types.EventProposalPassed, append([]env.Attr{env.Indexed(types.AttrProposalID, p.Id),
		env.Indexed(types.AttrParty, p.Proposer)}, tallyAttrs(p.Tally)...)...)
}

// tally counts the current departments' current votes on proposal n.
func (k Keeper) tally(root store.KV, n uint64) *types.Tally {
	kv := k.kv(root)
	depts := k.identity.Departments(root)
	t := &types.Tally{Departments: uint32(len(depts))}
	for _, d := range depts {
		bz := kv.Get(voteKey(n, address.Bytes(d.Address)))
		if bz == nil {
			continue
		}
		v := &types.Vote{}
		store.Decode(bz, v)
		switch v.Option {
		case types.VoteOption_VOTE_OPTION_YES:
			t.Yes++
		case types.VoteOption_VOTE_OPTION_NO:
			t.No++
		case types.VoteOption_VOTE_OPTION_ABSTAIN:
			t.Abstain++
		}
	}
	return t
}

func tallyAttrs(t *types.Tally) []env.Attr {
	u := func(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
	return []env.Attr{env.Plain(types.AttrYes, u(t.Yes)), env.Plain(types.AttrNo, u(t.No)),
		env.Plain(types.AttrAbstain, u(t.Abstain)), env.Plain(types.AttrDepartments, u(t.Departments))}
}

// department returns the acting party if it is one of the departments
// that vote (x/identity's Departments: active, with a validator of
// positive power). An agent acts for its party, so a department's staff
// may propose and vote for it, and an enterprise's may not.
func (k Keeper) department(ctx context.Context, root store.KV) (*idtypes.Party, error) {
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	switch {
	case !actor.IsDepartment():
		return nil, types.ErrNotDepartment.Wrapf("%s (%s) is not a department but of kind %s", actor.Name, actor.Address, idtypes.KindName(actor.Kind))
	case actor.GetValidator().GetPower() <= 0:
		return nil, types.ErrNotDepartment.Wrapf("%s (%s) runs no validator", actor.Name, actor.Address)
	}
	return actor, nil
}

// describeTally is a tally for people: "2 yes, 1 no, 0 abstain of 4
// departments".
func describeTally(t *types.Tally) string {
	return fmt.Sprintf("%d yes, %d no, %d abstain of %d departments", t.GetYes(), t.GetNo(), t.GetAbstain(), t.GetDepartments())
}
