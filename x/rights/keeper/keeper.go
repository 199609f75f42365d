package keeper

import (
	"context"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/rights/types"
)

// Keeper owns the rights module's state. Like every keeper it holds no
// state of its own: each method takes the store it works on. It reaches
// parties and assets only through the small interfaces in
// types/expected.go.
type Keeper struct {
	identity types.Identity
	registry types.Registry
}

// New returns the rights keeper.
func New(id types.Identity, reg types.Registry) Keeper {
	return Keeper{identity: id, registry: reg}
}

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Right returns a right by id, or ErrRightNotFound.
func (k Keeper) Right(root store.KV, id string) (*types.Right, error) {
	n, err := types.ParseRightID("right_id", id)
	if err != nil {
		return nil, err
	}
	r := k.rightN(root, n)
	if r == nil {
		return nil, types.ErrRightNotFound.Wrapf("no right has id %s", id)
	}
	return r, nil
}

// rightN returns right n, or nil.
func (k Keeper) rightN(root store.KV, n uint64) *types.Right {
	bz := k.kv(root).Get(RightKey(n))
	if bz == nil {
		return nil
	}
	r := &types.Right{}
	store.Decode(bz, r)
	return r
}

// mustRightN returns right n, which an index says exists.
func (k Keeper) mustRightN(root store.KV, n uint64) *types.Right {
	r := k.rightN(root, n)
	if r == nil {
		panic(&store.Fault{Err: types.ErrRightNotFound.Wrapf("an index names %s, which is not stored", types.RightID(n))})
	}
	return r
}

// setRight writes the right's record only; indexes are the caller's.
func (k Keeper) setRight(root store.KV, r *types.Right) {
	k.kv(root).Set(RightKey(mustN(r.Id)), store.Encode(r))
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

// SetParams stores validated params (genesis, later governance).
func (k Keeper) SetParams(root store.KV, p *types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	k.kv(root).Set(paramsKey, store.Encode(p))
	return nil
}

// nextSeq increments and returns the counter at key (the first is 1).
func (k Keeper) nextSeq(root store.KV, key []byte) uint64 {
	kv := k.kv(root)
	n := uint64(1)
	if bz := kv.Get(key); bz != nil {
		n = decodeN(bz) + 1
	}
	kv.Set(key, u64(n))
	return n
}

// lastSeq is the counter at key without changing it.
func (k Keeper) lastSeq(root store.KV, key []byte) uint64 {
	if bz := k.kv(root).Get(key); bz != nil {
		return decodeN(bz)
	}
	return 0
}

// create assigns the right its id and writes it with every index: its
// holder, its asset, its parent's children or the asset's root, its
// grantor's grants, the expiry queue, and the asset's use-right count.
func (k Keeper) create(root store.KV, r *types.Right) {
	kv := k.kv(root)
	n := k.nextSeq(root, rightSeqKey)
	r.Id = types.RightID(n)
	k.setRight(root, r)
	kv.Set(holderKey(r.Holder, r.AssetId, n), store.Marker)
	kv.Set(assetRightKey(r.AssetId, n), store.Marker)
	if r.ParentId == "" {
		kv.Set(rootKey(r.AssetId), u64(n))
	} else {
		kv.Set(childKey(mustN(r.ParentId), n), store.Marker)
		kv.Set(grantorKey(r.Grantor, r.AssetId, n), store.Marker)
	}
	if r.ValidUntil != nil {
		kv.Set(expiryKey(r.ValidUntil.AsTime(), n), store.Marker)
	}
	if r.Kind == types.RightKind_RIGHT_KIND_USE {
		k.addUseCount(root, r.AssetId, 1)
		if r.Exclusive && !kv.Has(exclusiveKey(r.AssetId)) {
			kv.Set(exclusiveKey(r.AssetId), u64(n))
		}
	}
}

// addUseCount moves the asset's count of use rights that have not ended.
func (k Keeper) addUseCount(root store.KV, asset string, delta int) {
	kv := k.kv(root)
	c := k.useCount(root, asset)
	if delta < 0 && c == 0 {
		panic(&store.Fault{Err: types.ErrRightNotFound.Wrapf("use-right count of asset %s would go below zero", asset)})
	}
	c = uint64(int64(c) + int64(delta))
	if c == 0 {
		kv.Delete(useCountKey(asset))
		return
	}
	kv.Set(useCountKey(asset), u64(c))
}

func (k Keeper) useCount(root store.KV, asset string) uint64 {
	if bz := k.kv(root).Get(useCountKey(asset)); bz != nil {
		return decodeN(bz)
	}
	return 0
}

// rootOf returns the asset's root right, or ErrRightNotFound.
func (k Keeper) rootOf(root store.KV, asset string) (*types.Right, error) {
	bz := k.kv(root).Get(rootKey(asset))
	if bz == nil {
		return nil, types.ErrRightNotFound.Wrapf("asset %s has no root right", asset)
	}
	return k.mustRightN(root, decodeN(bz)), nil
}

// setStatus changes a right's status (not to an ending one: see end) and
// records why and when.
func (k Keeper) setStatus(ctx context.Context, root store.KV, r *types.Right, to types.RightStatus, reason string) {
	r.Status, r.StatusReason, r.StatusHeight = to, reason, env.BlockOf(ctx).Height
	k.setRight(root, r)
}

// ended reports whether a right's status is final.
func ended(r *types.Right) bool {
	switch r.Status {
	case types.RightStatus_RIGHT_STATUS_REVOKED, types.RightStatus_RIGHT_STATUS_EXPIRED, types.RightStatus_RIGHT_STATUS_EXITED:
		return true
	}
	return false
}

// dataAdmin returns the acting party if it holds the data admin role.
func (k Keeper) dataAdmin(ctx context.Context, root store.KV) (*idtypes.Party, error) {
	p, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	if !p.HasRole(idtypes.Role_ROLE_DATA_ADMIN) {
		return nil, types.ErrNotDataAdmin.Wrapf("%s (%s) is not a data admin", p.Name, p.Address)
	}
	return p, nil
}

// activeParty returns the party at addr if it exists and is active.
func (k Keeper) activeParty(root store.KV, addr string) (*idtypes.Party, error) {
	p, err := k.identity.Party(root, addr)
	if err != nil {
		return nil, types.ErrInvalidGrantee.Wrapf("%s is not a registered party", addr)
	}
	if !p.IsActive() {
		return nil, types.ErrInvalidGrantee.Wrapf("%s (%s) is suspended", p.Name, addr)
	}
	return p, nil
}

func now(ctx context.Context) time.Time { return env.BlockOf(ctx).Time }
