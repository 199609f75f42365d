package types

import (
	"context"

	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// Identity is what revenue needs from x/identity.
type Identity interface {
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	Party(kv store.KV, addr string) (*idtypes.Party, error)
}

// Registry is what revenue needs from x/registry: the asset (classification,
// inputs with their weights).
type Registry interface {
	Asset(kv store.KV, id string) (*regtypes.Asset, error)
}

// Rights is what revenue needs from x/rights.
type Rights interface {
	// HolderOf is the holder of the asset's root right (holding right of an
	// asset, operation right of a product): who sets its policy and who
	// receives what the policy leaves.
	HolderOf(kv store.KV, asset *regtypes.Asset) (string, error)
}

// Authorization is what revenue needs from x/authorization.
type Authorization interface {
	// Authorization returns an authorisation (its operator and revenue
	// terms) by id.
	Authorization(kv store.KV, id string) (*authtypes.Authorization, error)
}
