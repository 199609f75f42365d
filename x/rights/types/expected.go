package types

import (
	"context"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// Identity is what x/rights needs from x/identity.
type Identity interface {
	// Actor is the active party the current tx acts for.
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	// Party looks a party up by canonical address (ErrPartyNotFound).
	Party(kv store.KV, addr string) (*idtypes.Party, error)
}

// Registry is what x/rights needs from x/registry: the asset a right is
// about (status, classification, grade, open level, source department,
// de-identified flag, frozen flag).
type Registry interface {
	Asset(kv store.KV, id string) (*regtypes.Asset, error)
}
