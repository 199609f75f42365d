package keeper

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// Cascades. Revoking a right ends every descendant through the children
// index, depth first, in the same tx, up to max_cascade rights visited.
// Whatever is left is written to the cleanup queue as jobs that EndBlock
// continues, max_cascade rights per block. Meanwhile nothing is usable that
// should not be: Live walks every ancestor, so a descendant of a revoked
// right is dead at once. Revoke-all and reclassification rechecks use the
// same machinery (a revoke-all still queued is marked on its asset, since
// its leftover grants have no revoked ancestor).

// Job operations.
const (
	jobEnd       byte = 1 // end every descendant of right n
	jobRecheck   byte = 2 // recheck every descendant of right n against the red lines
	jobRevokeAll byte = 3 // revoke every right grantor granted on asset, numbered up to n
)

// job is one unit of cleanup work. after is the cursor: children (or
// grants) numbered up to it are done.
type job struct {
	op      byte
	status  types.RightStatus // jobEnd: the status descendants end with
	n       uint64
	after   uint64
	top     uint64 // jobEnd: the right whose revocation started the cascade
	grantor []byte // jobRevokeAll
	asset   string // jobRevokeAll
	reason  string
}

// Layout: op | status | n (8) | after (8) | top (8) | grantor length |
// grantor | asset length | asset | reason.
func (j job) encode() []byte {
	b := []byte{j.op, byte(j.status)}
	b = binary.BigEndian.AppendUint64(b, j.n)
	b = binary.BigEndian.AppendUint64(b, j.after)
	b = binary.BigEndian.AppendUint64(b, j.top)
	b = append(append(b, byte(len(j.grantor))), j.grantor...)
	b = append(append(b, byte(len(j.asset))), j.asset...)
	return append(b, j.reason...)
}

func decodeJob(b []byte) job {
	bad := func() { panic(&store.Fault{Err: fmt.Errorf("rights: malformed cleanup job %X", b)}) }
	if len(b) < 28 {
		bad()
	}
	j := job{op: b[0], status: types.RightStatus(b[1]), n: binary.BigEndian.Uint64(b[2:]), after: binary.BigEndian.Uint64(b[10:]),
		top: binary.BigEndian.Uint64(b[18:])}
	rest := b[26:]
	take := func() []byte {
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			bad()
		}
		v := rest[1 : 1+int(rest[0])]
		rest = rest[1+int(rest[0]):]
		return v
	}
	j.grantor = bytes.Clone(take())
	j.asset = string(take())
	j.reason = string(rest)
	return j
}

// end finishes a right with a final status (revoked, expired, exited) and
// removes it from everything that counts live rights. Exited is how rights
// end with their authorisation (EndUnder).
func (k Keeper) end(ctx context.Context, root store.KV, r *types.Right, to types.RightStatus, reason, cascadeRoot string) {
	kv := k.kv(root)
	n := mustN(r.Id)
	k.setStatus(ctx, root, r, to, reason)
	if r.ValidUntil != nil {
		kv.Delete(expiryKey(r.ValidUntil.AsTime(), n))
	}
	if r.Kind == types.RightKind_RIGHT_KIND_USE {
		k.addUseCount(root, r.AssetId, -1)
		if bz := kv.Get(exclusiveKey(r.AssetId)); bz != nil && decodeN(bz) == n {
			kv.Delete(exclusiveKey(r.AssetId))
		}
	}
	if kv.Has(stampKey(n)) {
		kv.Delete(stampKey(n))
	}
	attrs := []env.Attr{env.Indexed(types.AttrRightID, r.Id), env.Indexed(types.AttrAssetID, r.AssetId), env.Indexed(types.AttrParty, r.Holder)}
	if r.AuthorizationId != "" {
		attrs = append(attrs, env.Indexed(types.AttrAuthorizationID, r.AuthorizationId))
	}
	switch to {
	case types.RightStatus_RIGHT_STATUS_EXPIRED:
		env.Emit(ctx, types.EventRightExpired, append(attrs, env.Plain(types.AttrValidUntil, formatTime(r.ValidUntil.AsTime())))...)
	default:
		if cascadeRoot != "" {
			attrs = append(attrs, env.Indexed(types.AttrCascadeRoot, cascadeRoot))
		}
		ev := types.EventRightRevoked
		if to == types.RightStatus_RIGHT_STATUS_EXITED {
			ev = types.EventRightExited
		}
		env.Emit(ctx, ev, append(attrs, env.Plain(types.AttrReason, reason))...)
	}
}

// revokeTree revokes r and, within budget, its descendants, queuing the
// rest. It returns the budget left.
func (k Keeper) revokeTree(ctx context.Context, root store.KV, r *types.Right, reason string, budget int) int {
	k.end(ctx, root, r, types.RightStatus_RIGHT_STATUS_REVOKED, reason, "")
	return k.work(ctx, root, []job{descendants(r, reason)}, budget, nil)
}

// descendants is the job of ending everything below r, just revoked.
func descendants(r *types.Right, reason string) job {
	n := mustN(r.Id)
	return job{op: jobEnd, status: types.RightStatus_RIGHT_STATUS_REVOKED, n: n, top: n,
		reason: fmt.Sprintf("ancestor %s was revoked: %s", r.Id, reason)}
}

// work runs jobs depth first until budget rights have been visited, queues
// what is left for EndBlock, and returns the budget left. given is an
// asset the caller already holds (a reclassified asset not yet re-read).
func (k Keeper) work(ctx context.Context, root store.KV, jobs []job, budget int, given *regtypes.Asset) int {
	stack := jobs
	cache := given
	for len(stack) > 0 {
		if budget <= 0 {
			k.enqueue(root, stack)
			return 0
		}
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ids, more := k.next(root, j, budget)
		var pushed []job
		for _, c := range ids {
			budget--
			j.after = c
			r := k.mustRightN(root, c)
			if ended(r) {
				continue
			}
			switch j.op {
			case jobEnd:
				k.end(ctx, root, r, j.status, j.reason, types.RightID(j.top))
				pushed = append(pushed, job{op: jobEnd, status: j.status, n: c, top: j.top, reason: j.reason})
			case jobRevokeAll:
				if operatorRight(r) {
					continue // it ends only with its authorisation
				}
				k.end(ctx, root, r, types.RightStatus_RIGHT_STATUS_REVOKED, j.reason, "")
				pushed = append(pushed, descendants(r, j.reason))
			case jobRecheck:
				if cache == nil || cache.Id != r.AssetId {
					a, err := k.registry.Asset(root, r.AssetId)
					if err != nil {
						continue // the asset is gone: nothing of it can be exercised
					}
					cache = a
				}
				k.recheckOne(ctx, root, r, cache)
				pushed = append(pushed, job{op: jobRecheck, n: c})
			}
		}
		if more {
			stack = append(stack, j)
		} else if j.op == jobRevokeAll {
			k.dropRevokeAllMark(root, j)
		}
		stack = append(stack, pushed...)
	}
	return budget
}

// next returns up to limit right numbers the job still has to visit, and
// whether more remain. It reads them all before anyone writes, so no
// iterator is open while the store changes.
func (k Keeper) next(root store.KV, j job, limit int) ([]uint64, bool) {
	var prefix []byte
	if j.op == jobRevokeAll {
		prefix = grantorAssetPrefix(j.grantor, j.asset)
	} else {
		prefix = childrenOf(j.n)
	}
	it := k.kv(root).Iterator(store.Concat(prefix, u64(j.after+1)), store.PrefixEnd(prefix))
	defer it.Close()
	var out []uint64
	for ; it.Valid(); it.Next() {
		c := lastN(it.Key())
		if j.op == jobRevokeAll && c > j.n {
			return out, false // granted after the revoke-all: not covered
		}
		if len(out) == limit {
			return out, true
		}
		out = append(out, c)
	}
	return out, false
}

// enqueue writes leftover jobs to the cleanup queue. A queued revoke-all is
// marked on its asset so that Live refuses the grants it has not reached.
func (k Keeper) enqueue(root store.KV, jobs []job) {
	for _, j := range jobs {
		k.kv(root).Set(jobKey(k.nextSeq(root, jobSeqKey)), j.encode())
		if j.op == jobRevokeAll {
			k.addRevokeAllMark(root, j)
		}
	}
}

// revokeAllMark is a queued revoke-all: grants by grantor numbered up to
// upTo are revoked, whatever their stored status says.
type revokeAllMark struct {
	grantor string
	upTo    uint64
}

const markLen = 20 + 8

func (k Keeper) revokeAllMarks(root store.KV, asset string) []revokeAllMark {
	bz := k.kv(root).Get(revokeAllKey(asset))
	if len(bz)%markLen != 0 {
		panic(&store.Fault{Err: fmt.Errorf("rights: malformed revoke-all marks of %s", asset)})
	}
	var out []revokeAllMark
	for ; len(bz) > 0; bz = bz[markLen:] {
		out = append(out, revokeAllMark{address.FromBytes(bz[:20]), binary.BigEndian.Uint64(bz[20:markLen])})
	}
	return out
}

func (k Keeper) addRevokeAllMark(root store.KV, j job) {
	kv := k.kv(root)
	entry := store.Concat(j.grantor, u64(j.n))
	old := kv.Get(revokeAllKey(j.asset))
	for b := old; len(b) >= markLen; b = b[markLen:] {
		if bytes.Equal(b[:markLen], entry) {
			return
		}
	}
	kv.Set(revokeAllKey(j.asset), store.Concat(old, entry))
}

func (k Keeper) dropRevokeAllMark(root store.KV, j job) {
	kv := k.kv(root)
	entry := store.Concat(j.grantor, u64(j.n))
	old := kv.Get(revokeAllKey(j.asset))
	if old == nil {
		return // finished inside its own tx: never marked
	}
	var keep []byte
	for b := old; len(b) >= markLen; b = b[markLen:] {
		if !bytes.Equal(b[:markLen], entry) {
			keep = append(keep, b[:markLen]...)
		}
	}
	if len(keep) == 0 {
		kv.Delete(revokeAllKey(j.asset))
		return
	}
	kv.Set(revokeAllKey(j.asset), keep)
}

// runJobs continues queued cleanup at the end of a block, oldest first,
// visiting at most max_cascade rights (each job taken counts as one, so
// that empty jobs are bounded too).
func (k Keeper) runJobs(ctx context.Context, root store.KV, budget int) {
	for budget > 0 {
		it := k.kv(root).Iterator(jobPrefix, store.PrefixEnd(jobPrefix))
		if !it.Valid() {
			_ = it.Close()
			return
		}
		key, j := bytes.Clone(it.Key()), decodeJob(it.Value())
		_ = it.Close()
		k.kv(root).Delete(key)
		budget = k.work(ctx, root, []job{j}, budget, nil) - 1
	}
}
