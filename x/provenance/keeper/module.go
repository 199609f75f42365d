package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/provenance/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: provenance has no messages.
func (Keeper) Handle(context.Context, store.KV, proto.Message) (string, bool, error) {
	return "", false, nil
}

// Query paths of the provenance module.
const (
	PathHistory = "/provenance/history"
	PathTrace   = "/provenance/trace"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathHistory: query.List(func(kv store.KV, req *types.HistoryRequest) (proto.Message, error) {
			return k.History(kv, req)
		}),
		PathTrace: query.List(func(kv store.KV, req *types.TraceRequest) (proto.Message, error) {
			return k.Trace(kv, req)
		}),
	}
}
