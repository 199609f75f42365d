package keeper

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
)

var _ module.EndBlocker = Keeper{}

// EndBlock closes proposals, at most max_closings_per_block of them a
// block (the rest wait, in order, for the next):
//
//  1. Passed proposals are executed, in the order they passed: the action
//     applies on a branch and is kept, with its events, if it succeeds
//     (EXECUTED); if it no longer applies (FAILED), nothing of it remains
//     and the proposal records why. Either way the block goes on: an
//     action's failure is the proposal's outcome, never the node's.
//  2. Proposals whose voting period has ended are recounted against the
//     departments of now. Those with more than two thirds yes (possible
//     when departments left since the last vote) are executed as in 1;
//     the others are REJECTED.
//
// x/identity queues the validator changes; the app takes them after every
// module's EndBlock (TakeValidatorUpdates), so governance must run first.
func (k Keeper) EndBlock(ctx context.Context, root store.KV) error {
	budget := int(k.Params(root).MaxClosingsPerBlock)
	passed, err := k.due(root, passedPrefix, passedPrefix, budget)
	if err != nil {
		return err
	}
	for _, e := range passed {
		if p := k.queued(root, e); p != nil {
			k.finish(ctx, root, clone(p), p)
		}
	}
	upTo := store.Concat(deadlinePrefix, timeKey(env.BlockOf(ctx).Time))
	expired, err := k.due(root, deadlinePrefix, upTo, budget-len(passed))
	if err != nil {
		return err
	}
	for _, e := range expired {
		if p := k.queued(root, e); p != nil {
			k.close(ctx, root, p)
		}
	}
	return nil
}

// queueEntry is one key of a queue and the proposal number it ends with.
type queueEntry struct {
	key []byte
	n   uint64
}

// due reads up to max entries of the queue under prefix with keys up to
// and including the prefix upTo. Keys are collected before anything is
// written: the tree's iterator must not see its own writes.
func (k Keeper) due(root store.KV, prefix, upTo []byte, max int) ([]queueEntry, error) {
	if max <= 0 {
		return nil, nil
	}
	var out []queueEntry
	it := k.kv(root).Iterator(prefix, store.PrefixEnd(upTo))
	defer it.Close()
	for ; it.Valid() && len(out) < max; it.Next() {
		key := bytes.Clone(it.Key())
		if len(key) != len(prefix)+16 {
			return nil, fmt.Errorf("governance: malformed queue key %X", key)
		}
		out = append(out, queueEntry{key, binary.BigEndian.Uint64(key[len(key)-8:])})
	}
	return out, nil
}

// queued returns the proposal a queue entry names, or nil (and drops the
// entry) if the entry is stale: it is not one its proposal should have.
// setProposal keeps the queues exact, so there should be none.
func (k Keeper) queued(root store.KV, e queueEntry) *types.Proposal {
	p := k.mustProposal(root, e.n)
	if !containsKey(indexKeys(p), e.key) {
		k.kv(root).Delete(e.key)
		return nil
	}
	return p
}

// finish executes a passed proposal and records the outcome. old is the
// proposal as stored (its queue entry is removed when it is rewritten).
func (k Keeper) finish(ctx context.Context, root store.KV, old, p *types.Proposal) {
	attrs := []env.Attr{env.Indexed(types.AttrProposalID, p.Id), env.Indexed(types.AttrParty, p.Proposer),
		env.Plain(types.AttrAction, types.ActionName(p.Action))}
	if err := k.execute(ctx, root, p); err != nil {
		p.Status, p.Result = types.ProposalStatus_PROPOSAL_STATUS_FAILED, resultText(err)
		k.setProposal(root, old, p)
		env.Emit(ctx, types.EventProposalFailed, append(attrs, env.Plain(types.AttrResult, p.Result))...)
		return
	}
	p.Status = types.ProposalStatus_PROPOSAL_STATUS_EXECUTED
	k.setProposal(root, old, p)
	env.Emit(ctx, types.EventProposalExecuted, attrs...)
}

// close ends a proposal whose voting period is over.
func (k Keeper) close(ctx context.Context, root store.KV, p *types.Proposal) {
	old := clone(p)
	p.Tally = k.tally(root, number(p))
	if types.Passes(p.Tally.Yes, p.Tally.Departments) {
		k.pass(ctx, p)
		k.finish(ctx, root, old, p)
		return
	}
	p.Status = types.ProposalStatus_PROPOSAL_STATUS_REJECTED
	p.DecidedHeight = env.BlockOf(ctx).Height
	p.Result = "the voting period ended with " + describeTally(p.Tally) + "; more than two thirds must vote yes"
	k.setProposal(root, old, p)
	env.Emit(ctx, types.EventProposalRejected, append([]env.Attr{env.Indexed(types.AttrProposalID, p.Id),
		env.Indexed(types.AttrParty, p.Proposer)}, tallyAttrs(p.Tally)...)...)
}
