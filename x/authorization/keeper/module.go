package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the authorised-operation messages and
// their handlers.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgApplyAuthorization:
		id, err = k.ApplyAuthorization(ctx, kv, m)
	case *types.MsgApproveAuthorization:
		id, err = k.ApproveAuthorization(ctx, kv, m)
	case *types.MsgCoApproveAuthorization:
		id, err = k.CoApproveAuthorization(ctx, kv, m)
	case *types.MsgRejectAuthorization:
		id, err = k.RejectAuthorization(ctx, kv, m)
	case *types.MsgEvaluateAuthorization:
		id, err = k.EvaluateAuthorization(ctx, kv, m)
	case *types.MsgSuspendAuthorization:
		id, err = k.SuspendAuthorization(ctx, kv, m)
	case *types.MsgResumeAuthorization:
		id, err = k.ResumeAuthorization(ctx, kv, m)
	case *types.MsgTerminateAuthorization:
		id, err = k.TerminateAuthorization(ctx, kv, m)
	case *types.MsgExitAuthorization:
		id, err = k.ExitAuthorization(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the authorised-operation module.
const (
	PathShow        = "/authorization/show"
	PathList        = "/authorization/list"
	PathEvaluations = "/authorization/evaluations"
	PathParams      = "/authorization/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathShow: query.Entity(k.QueryAuthorization),
		PathList: query.List(func(kv store.KV, req *types.QueryAuthorizationsRequest) (proto.Message, error) {
			return k.QueryAuthorizations(kv, req)
		}),
		PathEvaluations: query.List(func(kv store.KV, req *types.QueryEvaluationsRequest) (proto.Message, error) {
			return k.QueryEvaluations(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.Params(kv), nil
		}),
	}
}
