package keeper

import (
	"context"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Keeper owns the authorised-operation module's state. Like every keeper it
// holds no state of its own: each method takes the store it works on. It
// asks x/identity who acts, x/registry about the covered assets and x/rights
// for the operator's rights, only through the interfaces in
// types/expected.go.
type Keeper struct {
	identity types.Identity
	registry types.Registry
	rights   types.Rights
}

// New returns the authorised-operation keeper. The app builds it after the
// registry and rights keepers (it needs both; neither needs it).
func New(id types.Identity, reg types.Registry, rights types.Rights) Keeper {
	return Keeper{identity: id, registry: reg, rights: rights}
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Authorization returns an authorisation by id, or ErrNotFound.
func (k Keeper) Authorization(root store.KV, id string) (*types.Authorization, error) {
	n, err := types.ParseID("id", id)
	if err != nil {
		return nil, err
	}
	a := k.authorizationN(root, n)
	if a == nil {
		return nil, types.ErrNotFound.Wrapf("no authorisation has id %s", id)
	}
	return a, nil
}

func (k Keeper) authorizationN(root store.KV, n uint64) *types.Authorization {
	bz := k.kv(root).Get(AuthorizationKey(n))
	if bz == nil {
		return nil
	}
	a := &types.Authorization{}
	store.Decode(bz, a)
	return a
}

// mustAuthorizationN returns authorisation n, which an index says exists.
func (k Keeper) mustAuthorizationN(root store.KV, n uint64) *types.Authorization {
	a := k.authorizationN(root, n)
	if a == nil {
		panic(&store.Fault{Err: types.ErrNotFound.Wrapf("an index names %s, which is not stored", types.AuthorizationID(n))})
	}
	return a
}

// create assigns the authorisation its id and writes it with its indexes:
// operator, authoriser, every covered asset, status.
func (k Keeper) create(root store.KV, a *types.Authorization) {
	kv := k.kv(root)
	n := uint64(1)
	if bz := kv.Get(seqKey); bz != nil {
		n = decodeN(bz) + 1
	}
	kv.Set(seqKey, u64(n))
	a.Id = types.AuthorizationID(n)
	kv.Set(AuthorizationKey(n), store.Encode(a))
	kv.Set(operatorKey(a.Operator, n), store.Marker)
	kv.Set(authoriserKey(a.Authoriser, n), store.Marker)
	for _, id := range a.AssetIds {
		kv.Set(assetIndexKey(id, n), store.Marker)
	}
	kv.Set(statusKey(a.Status, n), store.Marker)
}

// setStatus changes an authorisation's status, records why and when, and
// moves its status index entry. It writes the record (with any other
// change the caller made).
func (k Keeper) setStatus(ctx context.Context, root store.KV, a *types.Authorization, to types.AuthorizationStatus, reason string) {
	kv, n := k.kv(root), mustN(a.Id)
	if a.Status != to {
		kv.Delete(statusKey(a.Status, n))
		kv.Set(statusKey(to, n), store.Marker)
	}
	a.Status, a.StatusReason, a.StatusHeight = to, reason, env.BlockOf(ctx).Height
	k.save(root, a)
}

// save writes the record only; the status index is setStatus's.
func (k Keeper) save(root store.KV, a *types.Authorization) {
	k.kv(root).Set(AuthorizationKey(mustN(a.Id)), store.Encode(a))
}

// Params returns the module's params (the defaults if genesis set none).
func (k Keeper) Params(root store.KV) *types.Params {
	bz := k.kv(root).Get(paramsKey)
	if bz == nil {
		return types.DefaultParams()
	}
	p := &types.Params{}
	store.Decode(bz, p)
	return p
}

// SetParams validates and stores the params (genesis, x/governance).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return types.ErrInvalidParams.Wrap(err.Error())
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}

// actorWith returns the acting party if it holds one of the roles, else
// refusal.
func (k Keeper) actorWith(ctx context.Context, root store.KV, refusal interface {
	Wrapf(string, ...any) error
}, roles ...idtypes.Role) (*idtypes.Party, error) {
	p, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if p.HasRole(r) {
			return p, nil
		}
	}
	return nil, refusal.Wrapf("%s (%s) has role(s) %s", p.Name, p.Address, roleNames(p.Roles))
}

func roleNames(rs []idtypes.Role) string {
	if len(rs) == 0 {
		return "none"
	}
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += ","
		}
		out += idtypes.RoleName(r)
	}
	return out
}

func now(ctx context.Context) time.Time { return env.BlockOf(ctx).Time }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
