package keeper

import (
	"bytes"
	"context"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
)

var _ module.EndBlocker = Keeper{}

// EndBlock expires every running authorisation whose term has passed
// (valid_until <= block time), at most max_expiries_per_block of them,
// earliest end first; the rest wait for the next block, in order. Each
// expiry ends every right granted under the authorisation (x/rights'
// EndUnder, itself bounded by max_cascade). The lag costs nothing: the
// operator's rights end at the same valid_until, so x/rights' liveness
// refuses them (and everything below them) from that instant, whether or
// not this step has run. An error here is corruption and stops the node.
func (k Keeper) EndBlock(ctx context.Context, root store.KV) error {
	t := now(ctx)
	if t.Unix() <= 0 {
		return nil // no block time: nothing can be due
	}
	limit := int(k.Params(root).MaxExpiriesPerBlock)
	end := store.Concat(expiryPrefix, u64(uint64(t.UnixNano())+1))
	var due [][]byte
	it := k.kv(root).Iterator(expiryPrefix, end)
	for ; it.Valid() && len(due) < limit; it.Next() {
		due = append(due, bytes.Clone(it.Key()))
	}
	_ = it.Close()
	for _, key := range due {
		a := k.mustAuthorizationN(root, lastN(key))
		if !types.Running(a.Status) {
			k.kv(root).Delete(key) // not reached: ending removes the entry
			continue
		}
		err := k.finish(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_EXPIRED, types.EventExpired, "",
			"its term ended", env.Plain(types.AttrValidUntil, formatTime(a.ValidUntil.AsTime())))
		if err != nil {
			return err
		}
	}
	return nil
}
