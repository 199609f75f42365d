package types

import (
	"context"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Identity is what the registry needs from x/identity.
type Identity interface {
	// Actor is the active party the current tx acts for.
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	// Party looks a party up by canonical address (ErrPartyNotFound).
	Party(kv store.KV, addr string) (*idtypes.Party, error)
}

// Rights is what the registry needs from x/rights. The registry decides
// when an asset's rights begin and end; x/rights owns the rights.
type Rights interface {
	// MintRoot mints the root right of a newly registered asset to its
	// registrant: the holding right of a dataset (and of every kind other
	// than data_product), the operation right of a data product. It
	// returns the new right's id.
	MintRoot(ctx context.Context, kv store.KV, asset *Asset) (string, error)
	// HolderOf is the holder of the asset's root right, whatever its
	// status.
	HolderOf(kv store.KV, asset *Asset) (string, error)
	// CheckDerive returns the right that allows party to derive a product
	// from the input asset (a live right of party's on it whose scope
	// includes derive) and the authorisation that right was granted under
	// ("" if none), or the reason party may not.
	CheckDerive(ctx context.Context, kv store.KV, party string, input *Asset) (rightID, authorizationID string, err error)
	// EndAll revokes every right on the asset (a registration cancelled
	// after an upheld objection), with events.
	EndAll(ctx context.Context, kv store.KV, asset *Asset, reason string) error
	// Recheck re-checks every live right on the asset against the red lines
	// after a reclassification and suspends those that now break one.
	Recheck(ctx context.Context, kv store.KV, asset *Asset) error
}
