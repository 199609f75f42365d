package types

import (
	"context"
	"time"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Identity is what the market needs from x/identity.
type Identity interface {
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	Party(kv store.KV, addr string) (*idtypes.Party, error)
}

// Registry is what the market needs from x/registry.
type Registry interface {
	Asset(kv store.KV, id string) (*regtypes.Asset, error)
}

// Rights is what the market needs from x/rights: the listed right, and
// delivery of what was bought.
type Rights interface {
	Right(kv store.KV, id string) (*rightstypes.Right, error)
	// LiveRight returns the right if it is live now, or why not.
	LiveRight(ctx context.Context, kv store.KV, id string) (*rightstypes.Right, error)
	// License mints a use right from parent to buyer with scope and term,
	// granted by parent's holder (the seller), with every grant rule and
	// red line applied; it returns the new right's id.
	License(ctx context.Context, kv store.KV, parentID, buyer string, scope *rightstypes.Scope, until time.Time) (string, error)
	// Transfer moves a transferable right to buyer, as its holder's sale.
	Transfer(ctx context.Context, kv store.KV, rightID, to string) error
}

// Revenue is what the market needs from x/revenue.
type Revenue interface {
	// Split computes and records the distribution of amount for a sale of
	// the asset under the listed right (authorizationID is the right's, if
	// any); the lines sum to amount exactly. The market credits each line.
	Split(ctx context.Context, kv store.KV, tradeID string, asset *regtypes.Asset, authorizationID string, amount uint64) ([]*revtypes.Line, error)
}
