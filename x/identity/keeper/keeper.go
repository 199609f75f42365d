package keeper

import (
	"bytes"
	"context"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// Keeper owns the identity module's state. It holds no state of its own:
// every method takes the store it works on, so the same keeper serves a
// tx's branch, a block, or a query snapshot.
type Keeper struct{}

// New returns the identity keeper.
func New() Keeper { return Keeper{} }

func (Keeper) kv(root store.KV) store.KV { return store.NewPrefix(root, StorePrefix) }

// Party returns the party at a canonical address, or ErrPartyNotFound.
func (k Keeper) Party(root store.KV, addr string) (*types.Party, error) {
	bz := k.kv(root).Get(PartyKey(address.Bytes(addr)))
	if bz == nil {
		return nil, types.ErrPartyNotFound.Wrapf("no party has address %s", addr)
	}
	return decodeParty(bz), nil
}

// decodeParty decodes a stored party; we wrote it, so a failure is
// corruption, raised as a store fault.
func decodeParty(bz []byte) *types.Party {
	p := &types.Party{}
	store.Decode(bz, p)
	return p
}

// setParty writes a party and its kind, role, organisation code and
// validator key and node id indexes. old is the party as
// it was (nil when new) so that stale index entries are removed.
func (k Keeper) setParty(root store.KV, old, p *types.Party) {
	kv := k.kv(root)
	a := address.Bytes(p.Address)
	kv.Set(PartyKey(a), store.Encode(p))
	if old != nil {
		kv.Delete(kindKey(int32(old.Kind), a))
		for _, r := range old.Roles {
			kv.Delete(roleKey(int32(r), a))
		}
		if old.OrgCode != "" && old.OrgCode != p.OrgCode {
			kv.Delete(orgCodeKey(old.OrgCode))
		}
		if ov := old.GetValidator(); ov != nil && !bytes.Equal(ov.PubKey, p.GetValidator().GetPubKey()) {
			kv.Delete(valKeyKey(ov.PubKey))
		}
		for _, id := range old.NodeIds {
			if !slices.Contains(p.NodeIds, id) {
				kv.Delete(nodeIDKey(id))
			}
		}
	}
	for _, id := range p.NodeIds {
		kv.Set(nodeIDKey(id), a)
	}
	kv.Set(kindKey(int32(p.Kind), a), store.Marker)
	for _, r := range p.Roles {
		kv.Set(roleKey(int32(r), a), store.Marker)
	}
	if p.OrgCode != "" {
		kv.Set(orgCodeKey(p.OrgCode), a)
	}
	if v := p.GetValidator(); v != nil {
		kv.Set(valKeyKey(v.PubKey), a)
	}
}

// isTaken reports whether an address is already a party or an agent.
func (k Keeper) isTaken(root store.KV, addr string) bool {
	a := address.Bytes(addr)
	kv := k.kv(root)
	return kv.Has(PartyKey(a)) || kv.Has(agentKey(a))
}

// checkOrgCode rejects a code that another party already holds.
func (k Keeper) checkOrgCode(root store.KV, code, self string) error {
	if code == "" {
		return nil
	}
	if owner := k.kv(root).Get(orgCodeKey(code)); owner != nil {
		if a := address.FromBytes(owner); a != self {
			return types.ErrOrgCodeTaken.Wrapf("%s is registered to %s", code, a)
		}
	}
	return nil
}

// Resolve says which party a signing key acts for: the party itself, or the
// party that named it as an agent. The party must be active. The ante step
// calls it for every tx, in CheckTx and again in FinalizeBlock.
func (k Keeper) Resolve(root store.KV, signer string) (*types.Party, error) {
	kv := k.kv(root)
	a := address.Bytes(signer)
	actor := signer
	if !kv.Has(PartyKey(a)) {
		owner := kv.Get(agentKey(a))
		if owner == nil {
			return nil, types.ErrUnknownSigner.Wrapf("%s", signer)
		}
		actor = address.FromBytes(owner)
	}
	p, err := k.Party(root, actor)
	if err != nil {
		return nil, err
	}
	if !p.IsActive() {
		return nil, types.ErrPartySuspended.Wrapf("%s (%s) is suspended since height %d: %s", p.Name, p.Address, p.StatusHeight, p.StatusReason)
	}
	return p, nil
}

// Actor returns the active party the current tx acts for.
func (k Keeper) Actor(ctx context.Context, root store.KV) (*types.Party, error) {
	return k.Resolve(root, env.TxOf(ctx).Signer)
}

// RequireRole returns the acting party if it holds the role. Other modules
// use it (through their own small interfaces) to check powers.
func (k Keeper) RequireRole(ctx context.Context, root store.KV, role types.Role) (*types.Party, error) {
	p, err := k.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	if !p.HasRole(role) {
		return nil, types.ErrMissingRole.Wrapf("%s (%s) is not a %s", p.Name, p.Address, types.RoleName(role))
	}
	return p, nil
}

// sortedUnique sorts and deduplicates addresses or roles in place.
func sortedUnique[T interface{ ~string | ~int32 }](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}

func clone(p *types.Party) *types.Party { return proto.Clone(p).(*types.Party) }
