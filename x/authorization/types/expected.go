package types

import (
	"context"
	"time"

	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Identity is what authorised operation needs from x/identity.
type Identity interface {
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	Party(kv store.KV, addr string) (*idtypes.Party, error)
}

// Registry is what authorised operation needs from x/registry.
type Registry interface {
	Asset(kv store.KV, id string) (*regtypes.Asset, error)
}

// Rights is what authorised operation needs from x/rights. An approved
// authorisation is carried by one use right per covered asset, minted to
// the operator from the authoriser's holding right and marked with the
// authorisation's id; everything the operator grants descends from those
// rights, so ending them ends everything granted under the authorisation.
type Rights interface {
	// HolderOf is the holder of the asset's root right.
	HolderOf(kv store.KV, asset *regtypes.Asset) (string, error)
	// MintUnder mints the operator's sublicensable use right on asset from
	// its root right, with the authorisation's scope and term, marked with
	// authorizationID; it returns the right's id.
	MintUnder(ctx context.Context, kv store.KV, asset *regtypes.Asset, operator string, scope *rightstypes.Scope, until time.Time, authorizationID string) (string, error)
	// SuspendUnder / ResumeUnder suspend or resume the operator's rights of
	// an authorisation (their descendants follow by liveness).
	SuspendUnder(ctx context.Context, kv store.KV, rightIDs []string, reason string) error
	ResumeUnder(ctx context.Context, kv store.KV, rightIDs []string, reason string) error
	// EndUnder ends the operator's rights and, in cascade, every right
	// granted from them, with status exited, in the same block.
	EndUnder(ctx context.Context, kv store.KV, rightIDs []string, reason string) error
}
