package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the governance messages and their
// handlers.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgSubmitProposal:
		id, err = k.SubmitProposal(ctx, kv, m)
	case *types.MsgVote:
		id, err = k.Vote(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the governance module.
const (
	PathProposal    = "/governance/proposal"
	PathProposals   = "/governance/proposals"
	PathVotes       = "/governance/votes"
	PathDepartments = "/governance/departments"
	PathParams      = "/governance/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathProposal: query.Entity(k.QueryProposal),
		PathProposals: query.List(func(kv store.KV, req *types.QueryProposalsRequest) (proto.Message, error) {
			return k.QueryProposals(kv, req)
		}),
		PathVotes: query.List(func(kv store.KV, req *types.QueryVotesRequest) (proto.Message, error) {
			return k.QueryVotes(kv, req)
		}),
		PathDepartments: query.List(func(kv store.KV, req *types.QueryDepartmentsRequest) (proto.Message, error) {
			return k.QueryDepartments(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.AllParams(kv), nil
		}),
	}
}
