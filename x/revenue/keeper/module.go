package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/revenue/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the revenue module has one message.
// Distributions are not messages: the market calls Split when it settles.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	m, ok := msg.(*types.MsgSetPolicy)
	if !ok {
		return "", false, nil
	}
	id, err := k.SetPolicy(ctx, kv, m)
	return id, true, err
}

// Query paths of the revenue module.
const (
	PathPolicy        = "/revenue/policy"
	PathDistributions = "/revenue/distributions"
	PathEarnings      = "/revenue/earnings"
	PathFund          = "/revenue/fund"
	PathParams        = "/revenue/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathPolicy: query.Entity(k.QueryPolicy),
		PathDistributions: query.List(func(kv store.KV, req *types.QueryDistributionsRequest) (proto.Message, error) {
			return k.QueryDistributions(kv, req)
		}),
		PathEarnings: query.List(func(kv store.KV, req *types.QueryEarningsRequest) (proto.Message, error) {
			return k.QueryEarnings(kv, req)
		}),
		PathFund: query.List(func(kv store.KV, req *types.QueryFundRequest) (proto.Message, error) {
			return k.QueryFund(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.Params(kv), nil
		}),
	}
}
