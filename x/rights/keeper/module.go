package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the rights messages and their handlers.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgGrantRight:
		id, err = k.GrantRight(ctx, kv, m)
	case *types.MsgApproveGrant:
		id, err = k.ApproveGrant(ctx, kv, m)
	case *types.MsgRequestRight:
		id, err = k.RequestRight(ctx, kv, m)
	case *types.MsgApproveRequest:
		id, err = k.ApproveRequest(ctx, kv, m)
	case *types.MsgRejectRequest:
		id, err = k.RejectRequest(ctx, kv, m)
	case *types.MsgTransferRight:
		id, err = k.TransferRight(ctx, kv, m)
	case *types.MsgRevokeRight:
		id, err = k.RevokeRight(ctx, kv, m)
	case *types.MsgRevokeAll:
		id, err = k.RevokeAll(ctx, kv, m)
	case *types.MsgSuspendRight:
		id, err = k.SuspendRight(ctx, kv, m)
	case *types.MsgResumeRight:
		id, err = k.ResumeRight(ctx, kv, m)
	case *types.MsgRecordUsage:
		id, err = k.RecordUsage(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the rights module.
const (
	PathRight    = "/rights/right"
	PathList     = "/rights/list"
	PathChildren = "/rights/children"
	PathChain    = "/rights/chain"
	PathRequests = "/rights/requests"
	PathUsage    = "/rights/usage"
	PathParams   = "/rights/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathRight: query.Entity(k.QueryRight),
		PathList: query.List(func(kv store.KV, req *types.QueryRightsRequest) (proto.Message, error) {
			return k.QueryRights(kv, req)
		}),
		PathChildren: query.List(func(kv store.KV, req *types.QueryChildrenRequest) (proto.Message, error) {
			return k.QueryChildren(kv, req)
		}),
		PathChain: query.List(func(kv store.KV, req *types.QueryChainRequest) (proto.Message, error) {
			return k.QueryChain(kv, req)
		}),
		PathRequests: query.List(func(kv store.KV, req *types.QueryRequestsRequest) (proto.Message, error) {
			return k.QueryRequests(kv, req)
		}),
		PathUsage: query.List(func(kv store.KV, req *types.QueryUsageRequest) (proto.Message, error) {
			return k.QueryUsage(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.Params(kv), nil
		}),
	}
}
