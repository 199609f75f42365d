package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the identity messages and their handlers.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgRegisterParty:
		id, err = k.RegisterParty(ctx, kv, m)
	case *types.MsgUpdateParty:
		id, err = k.UpdateParty(ctx, kv, m)
	case *types.MsgSuspendParty:
		id, err = k.SuspendParty(ctx, kv, m)
	case *types.MsgReactivateParty:
		id, err = k.ReactivateParty(ctx, kv, m)
	case *types.MsgAddAgent:
		id, err = k.AddAgent(ctx, kv, m)
	case *types.MsgRemoveAgent:
		id, err = k.RemoveAgent(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the identity module.
const (
	PathParty   = "/identity/party"
	PathParties = "/identity/parties"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathParty: query.Entity(k.QueryParty),
		PathParties: query.List(func(kv store.KV, req *types.QueryPartiesRequest) (proto.Message, error) {
			return k.QueryParties(kv, req)
		}),
	}
}
