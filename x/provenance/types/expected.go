package types

import (
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// What a trace reads from the other modules, each through its owner's
// keeper.

// Registry reads assets and the input → product index.
type Registry interface {
	Asset(root store.KV, id string) (*regtypes.Asset, error)
	Products(root store.KV, id string, page *query.PageRequest) ([]string, *query.PageResponse, error)
}

// Rights reads rights, and the rights on an asset a page at a time.
type Rights interface {
	Right(root store.KV, id string) (*rightstypes.Right, error)
	QueryRights(root store.KV, req *rightstypes.QueryRightsRequest) (*rightstypes.QueryRightsResponse, error)
}

// Authorizations reads authorisations.
type Authorizations interface {
	Authorization(root store.KV, id string) (*authtypes.Authorization, error)
}

// Market reads listings and trades, and the trades of an asset.
type Market interface {
	Listing(root store.KV, id string) (*markettypes.Listing, error)
	Trade(root store.KV, id string) (*markettypes.Trade, error)
	QueryTrades(root store.KV, req *markettypes.QueryTradesRequest) (*markettypes.QueryTradesResponse, error)
}

// Identity reads parties.
type Identity interface {
	Party(root store.KV, addr string) (*idtypes.Party, error)
}
