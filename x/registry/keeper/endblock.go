package keeper

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/types"
)

var _ module.EndBlocker = Keeper{}

// EndBlock certifies the assets whose notice period has ended without an
// objection, at the end of every block, without anyone sending a tx. It
// reads the notice queue from the front (earliest end first) up to
// notice_ends ≤ block time and takes at most max_certifications_per_block
// entries; the rest wait for the next block, still in order. An objection
// takes an asset out of the queue, so every entry is an asset in notice;
// an entry that is not (there should be none) is just removed.
func (k Keeper) EndBlock(ctx context.Context, root store.KV) error {
	now := env.BlockOf(ctx).Time
	due, err := k.popDue(root, store.Concat(noticePrefix, timeKey(now)), int(k.Params(root).MaxCertificationsPerBlock))
	if err != nil {
		return err
	}
	for _, n := range due {
		a := k.mustAsset(root, n)
		if a.Status != types.AssetStatus_ASSET_STATUS_IN_NOTICE || a.NoticeEnds.AsTime().After(now) {
			continue // a stale entry: the asset's own entry, if any, stays queued
		}
		old := clone(a)
		k.certify(ctx, root, a)
		k.setAsset(root, old, a)
	}
	return nil
}

// popDue removes up to max queue entries with keys up to and including the
// prefix upTo (notice prefix | time), and returns their asset numbers in
// queue order. Keys are collected before anything is deleted: the tree's
// iterator must not see its own writes.
func (k Keeper) popDue(root store.KV, upTo []byte, max int) ([]uint64, error) {
	kv := k.kv(root)
	var keys [][]byte
	it := kv.Iterator(noticePrefix, store.PrefixEnd(upTo))
	for ; it.Valid() && len(keys) < max; it.Next() {
		keys = append(keys, bytes.Clone(it.Key()))
	}
	it.Close()
	out := make([]uint64, 0, len(keys))
	for _, key := range keys {
		if len(key) != len(noticePrefix)+16 {
			return nil, fmt.Errorf("registry: malformed notice queue key %X", key)
		}
		kv.Delete(key)
		out = append(out, binary.BigEndian.Uint64(key[len(noticePrefix)+8:]))
	}
	return out, nil
}
