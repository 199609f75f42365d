package types

import (
	"context"

	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Identity is what governance needs from x/identity: who the departments
// are, and the changes only governance may make to them.
type Identity interface {
	Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error)
	Party(kv store.KV, addr string) (*idtypes.Party, error)
	// Departments are the voting members: active departments with a
	// validator of positive power, in address order.
	Departments(kv store.KV) []*idtypes.Party
	// AddDepartment registers a new department with its validator and
	// queues the validator update.
	AddDepartment(ctx context.Context, kv store.KV, p *idtypes.Party) error
	// RemoveDepartment removes the department's validator (power 0, queued)
	// and suspends the party.
	RemoveDepartment(ctx context.Context, kv store.KV, addr, reason string) error
	// SetPower changes a department validator's power (queued update).
	SetPower(ctx context.Context, kv store.KV, addr string, power int64) error
	GrantRole(ctx context.Context, kv store.KV, addr string, role idtypes.Role) error
	RevokeRole(ctx context.Context, kv store.KV, addr string, role idtypes.Role) error
}

// Registry is what governance needs from x/registry.
type Registry interface {
	// SetFrozen freezes or unfreezes an asset on the departments' decision.
	SetFrozen(ctx context.Context, kv store.KV, assetID string, frozen bool, reason string) error
	Params(kv store.KV) *regtypes.Params
	SetParams(kv store.KV, p *regtypes.Params) error
}

// Rights is what governance needs from x/rights.
type Rights interface {
	Params(kv store.KV) *rightstypes.Params
	SetParams(kv store.KV, p *rightstypes.Params) error
}

// ParamsOf is a module whose params governance sets: it validates them
// again when they are set and refuses invalid ones with its own error.
type ParamsOf[P any] interface {
	Params(kv store.KV) P
	SetParams(kv store.KV, p P) error
}

// Authorization, Market and Revenue are what governance needs from
// x/authorization, x/market and x/revenue: their params.
type (
	Authorization = ParamsOf[*authtypes.Params]
	Market        = ParamsOf[*mktypes.Params]
	Revenue       = ParamsOf[*revtypes.Params]
)
