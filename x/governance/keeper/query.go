package keeper

import (
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
)

// QueryProposal answers /governance/proposal. The value is the proposal
// exactly as stored, and proofKey is its key in the state tree, so that the
// app can attach a proof of (key, value), or of the key's absence.
func (k Keeper) QueryProposal(root store.KV, req *types.QueryProposalRequest) (value, proofKey []byte, err error) {
	n, err := types.ParseProposalID("id", req.Id)
	if err != nil {
		return nil, nil, err
	}
	bz := k.kv(root).Get(ProposalKey(n))
	if bz == nil {
		return nil, FullProposalKey(n), types.ErrProposalNotFound.Wrapf("no proposal has id %s", req.Id)
	}
	return bz, FullProposalKey(n), nil
}

// QueryProposals answers /governance/proposals: all proposals in
// submission order, or those with one status, one page at a time.
func (k Keeper) QueryProposals(root store.KV, req *types.QueryProposalsRequest) (*types.QueryProposalsResponse, error) {
	prefix := proposalPrefix
	if req.Status != 0 {
		if !types.ValidStatus(req.Status) {
			return nil, types.ErrInvalidProposal.Wrapf("status %d: want voting, executed, rejected or failed", req.Status)
		}
		prefix = store.Concat(statusPrefix, []byte{byte(req.Status)})
	}
	resp := &types.QueryProposalsResponse{}
	page, err := query.Paginate(k.kv(root), prefix, req.Page, func(key, value []byte) error {
		if prefix[0] == statusPrefix[0] { // an index entry: the key is the number
			resp.Proposals = append(resp.Proposals, k.mustProposal(root, getNumber(key)))
			return nil
		}
		resp.Proposals = append(resp.Proposals, decodeProposal(value))
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Page = page
	return resp, nil
}

// QueryVotes answers /governance/votes: the current vote of every
// department that voted on a proposal, in department address order. There
// is at most one per department, so the list is short and unpaged.
func (k Keeper) QueryVotes(root store.KV, req *types.QueryVotesRequest) (*types.QueryVotesResponse, error) {
	p, err := k.Proposal(root, req.ProposalId)
	if err != nil {
		return nil, err
	}
	prefix := votesOf(number(p))
	resp := &types.QueryVotesResponse{}
	it := k.kv(root).Iterator(prefix, store.PrefixEnd(prefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		v := &types.Vote{}
		store.Decode(it.Value(), v)
		resp.Votes = append(resp.Votes, v)
	}
	return resp, nil
}

// QueryDepartments answers /governance/departments: the departments that
// vote, which are the validators, in address order.
func (k Keeper) QueryDepartments(root store.KV, _ *types.QueryDepartmentsRequest) (*types.QueryDepartmentsResponse, error) {
	return &types.QueryDepartmentsResponse{Departments: k.identity.Departments(root)}, nil
}

// AllParams answers /governance/params: the params of every module that
// governance sets, as a proposal would change them.
func (k Keeper) AllParams(root store.KV) *types.AllParams {
	return &types.AllParams{
		Registry:      k.registry.Params(root),
		Rights:        k.rights.Params(root),
		Governance:    k.Params(root),
		Authorization: k.auth.Params(root),
		Market:        k.market.Params(root),
		Revenue:       k.revenue.Params(root),
	}
}

// getNumber reads the 8-byte proposal number of an index key.
func getNumber(key []byte) uint64 {
	if len(key) != 8 {
		panic(&store.Fault{Err: fmt.Errorf("governance: malformed index key %X", key)})
	}
	return binary.BigEndian.Uint64(key)
}
