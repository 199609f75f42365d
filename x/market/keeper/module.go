package keeper

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
)

var _ module.Module = Keeper{}

// Name implements module.Module.
func (Keeper) Name() string { return types.ModuleName }

// Handle implements module.Module: the market's messages and their
// handlers. The id returned is what the message created or changed: the
// credited address for a deposit, else a withdrawal, listing, trade or bid.
func (k Keeper) Handle(ctx context.Context, kv store.KV, msg proto.Message) (string, bool, error) {
	var id string
	var err error
	switch m := msg.(type) {
	case *types.MsgDeposit:
		id, err = k.Deposit(ctx, kv, m)
	case *types.MsgRequestWithdrawal:
		id, err = k.RequestWithdrawal(ctx, kv, m)
	case *types.MsgWithdraw:
		id, err = k.Withdraw(ctx, kv, m)
	case *types.MsgList:
		id, err = k.List(ctx, kv, m)
	case *types.MsgCancelListing:
		id, err = k.CancelListing(ctx, kv, m)
	case *types.MsgBuy:
		id, err = k.Buy(ctx, kv, m)
	case *types.MsgBid:
		id, err = k.PlaceBid(ctx, kv, m)
	case *types.MsgAcceptBid:
		id, err = k.AcceptBid(ctx, kv, m)
	case *types.MsgCancelBid:
		id, err = k.CancelBid(ctx, kv, m)
	default:
		return "", false, nil
	}
	return id, true, err
}

// Query paths of the market.
const (
	PathListing     = "/market/listing"
	PathListings    = "/market/listings"
	PathTrade       = "/market/trade"
	PathTrades      = "/market/trades"
	PathBids        = "/market/bids"
	PathBalance     = "/market/balance"
	PathSupply      = "/market/supply"
	PathWithdrawals = "/market/withdrawals"
	PathParams      = "/market/params"
)

// Queries implements module.Module.
func (k Keeper) Queries() map[string]query.Handler {
	return map[string]query.Handler{
		PathListing: query.Entity(k.QueryListing),
		PathTrade:   query.Entity(k.QueryTrade),
		PathListings: query.List(func(kv store.KV, req *types.QueryListingsRequest) (proto.Message, error) {
			return k.QueryListings(kv, req)
		}),
		PathTrades: query.List(func(kv store.KV, req *types.QueryTradesRequest) (proto.Message, error) {
			return k.QueryTrades(kv, req)
		}),
		PathBids: query.List(func(kv store.KV, req *types.QueryBidsRequest) (proto.Message, error) {
			return k.QueryBids(kv, req)
		}),
		PathBalance: query.List(func(kv store.KV, req *types.QueryBalanceRequest) (proto.Message, error) {
			a, err := types.ParseAddress("address", req.Address)
			if err != nil {
				return nil, err
			}
			return k.Balance(kv, a), nil
		}),
		PathSupply: query.List(func(kv store.KV, _ *types.QuerySupplyRequest) (proto.Message, error) {
			return k.Supply(kv), nil
		}),
		PathWithdrawals: query.List(func(kv store.KV, req *types.QueryWithdrawalsRequest) (proto.Message, error) {
			return k.QueryWithdrawals(kv, req)
		}),
		PathParams: query.List(func(kv store.KV, _ *types.QueryParamsRequest) (proto.Message, error) {
			return k.Params(kv), nil
		}),
	}
}
