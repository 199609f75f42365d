package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the registry messages and their handlers.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgRegisterAsset:
		id, err = k.RegisterAsset(ctx, kv, m)
	case *types.MsgObjectAsset:
		id, err = k.ObjectAsset(ctx, kv, m)
	case *types.MsgResolveObjection:
		id, err = k.ResolveObjection(ctx, kv, m)
	case *types.MsgAddVersion:
		id, err = k.AddVersion(ctx, kv, m)
	case *types.MsgRecordValuation:
		id, err = k.RecordValuation(ctx, kv, m)
	case *types.MsgFreezeAsset:
		id, err = k.FreezeAsset(ctx, kv, m)
	case *types.MsgUnfreezeAsset:
		id, err = k.UnfreezeAsset(ctx, kv, m)
	case *types.MsgReclassifyAsset:
		id, err = k.ReclassifyAsset(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the registry module.
const (
	PathAsset       = "/registry/asset"
	PathAssets      = "/registry/assets"
	PathVersions    = "/registry/versions"
	PathValuations  = "/registry/valuations"
	PathCertificate = "/registry/certificate"
	PathParams      = "/registry/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathAsset: query.Entity(k.QueryAsset),
		PathAssets: query.List(func(kv store.KV, req *types.QueryAssetsRequest) (proto.Message, error) {
			return k.QueryAssets(kv, req)
		}),
		PathVersions: query.List(func(kv store.KV, req *types.QueryVersionsRequest) (proto.Message, error) {
			return k.QueryVersions(kv, req)
		}),
		PathValuations: query.List(func(kv store.KV, req *types.QueryValuationsRequest) (proto.Message, error) {
			return k.QueryValuations(kv, req)
		}),
		PathCertificate: query.List(func(kv store.KV, req *types.QueryCertificateRequest) (proto.Message, error) {
			return k.QueryCertificate(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.Params(kv), nil
		}),
	}
}
