package keeper

import (
	"bytes"
	"context"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

var _ module.EndBlocker = Keeper{}

// EndBlock does the module's time-driven work after the block's txs:
// first it expires every right whose term has passed (valid_until <= block
// time), at most max_expiries_per_block of them, oldest end first; then it
// continues queued cascades, revoke-alls and rechecks, visiting at most
// max_cascade rights. Whatever does not fit waits for the next block, and
// Live keeps it unusable meanwhile (it checks the term and every ancestor
// itself), so the bounds cost only status lag, never safety.
func (k Keeper) EndBlock(ctx context.Context, root store.KV) error {
	p := k.Params(root)
	k.expireDue(ctx, root, int(p.MaxExpiriesPerBlock))
	k.runJobs(ctx, root, int(p.MaxCascade))
	return nil
}

// expireDue ends up to limit rights whose valid_until is at or before the
// block time. It reads the due keys before writing anything.
func (k Keeper) expireDue(ctx context.Context, root store.KV, limit int) {
	t := now(ctx)
	if t.Unix() <= 0 {
		return // no block time: nothing can be due
	}
	end := store.Concat(expiryPrefix, u64(uint64(t.UnixNano())+1))
	var due [][]byte
	it := k.kv(root).Iterator(expiryPrefix, end)
	for ; it.Valid() && len(due) < limit; it.Next() {
		due = append(due, bytes.Clone(it.Key()))
	}
	_ = it.Close()
	for _, key := range due {
		r := k.mustRightN(root, lastN(key))
		if ended(r) {
			k.kv(root).Delete(key) // not reached: end removes the entry
			continue
		}
		k.end(ctx, root, r, types.RightStatus_RIGHT_STATUS_EXPIRED, "its term ended", "")
	}
}
