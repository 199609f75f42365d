package keeper

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// StorePrefix is the rights module's prefix in the app's state tree; the
// keeper alone reads and writes under it.
var StorePrefix = []byte{0x04}

// Key layout under StorePrefix. n is a right's number (r-n) and q a
// request's (q-n), each 8 bytes big-endian so that they sort in creation
// order; A is an asset id as one length byte and its bytes (the registry
// owns the id's form); addresses are their 20 raw bytes. "marker" is
// store.Marker, the value of index entries whose key says everything.
//
//	0x01 | n                      -> Right (protobuf)
//	0x02 | parent n | child n     -> marker; the children of a right (cascades walk it)
//	0x03 | holder | A | n         -> marker; rights by holder, grouped by asset
//	0x04 | A | n                  -> marker; every right on an asset, ended or not
//	0x05 | A                      -> n of the asset's root right (holding, or a product's operation right)
//	0x06 | grantor | A | n        -> marker; the rights a party granted on an asset (revoke-all)
//	0x07 | until | n              -> marker; expiry queue: valid_until in unix nanoseconds, 8 bytes big-endian
//	0x08 | seq                    -> job; end-of-block cleanup queue (cascades, rechecks, revoke-alls past max_cascade)
//	0x09 | A                      -> uint64: use rights on the asset that have not ended (the exclusive check)
//	0x0a | A                      -> n of the asset's exclusive use right, while one has not ended
//	0x0b | n                      -> 3 bytes, types.Stamp of the asset when the data admin approved right n
//	0x0c | A                      -> revoke-alls still queued on the asset: (grantor 20 B | last n covered 8 B)*
//	0x10 | q                      -> Request (protobuf)
//	0x11 | requester | q          -> marker; requests by requester
//	0x12 | holder | q             -> marker; requests by the holder they are addressed to
//	0x18 | n | height | tx | i    -> Usage; tx is the tx hash's first 8 bytes, i the message index (4 bytes)
//	0x19 | A | height | tx | i    -> Usage of unconditionally open public data (no right)
//	0x20                          -> last right number
//	0x21                          -> last request number
//	0x22                          -> last job number
//	0x30                          -> Params (protobuf)
//
// Usage records are the highest-volume writes: one key per record, no
// counter, so recording a use costs exactly one write.
var (
	rightPrefix     = []byte{0x01}
	childPrefix     = []byte{0x02}
	holderPrefix    = []byte{0x03}
	assetPrefix     = []byte{0x04}
	rootPrefix      = []byte{0x05}
	grantorPrefix   = []byte{0x06}
	expiryPrefix    = []byte{0x07}
	jobPrefix       = []byte{0x08}
	useCountPrefix  = []byte{0x09}
	exclusivePrefix = []byte{0x0a}
	stampPrefix     = []byte{0x0b}
	revokeAllPrefix = []byte{0x0c}
	requestPrefix   = []byte{0x10}
	requesterPrefix = []byte{0x11}
	reqHolderPrefix = []byte{0x12}
	usagePrefix     = []byte{0x18}
	openUsagePrefix = []byte{0x19}
	rightSeqKey     = []byte{0x20}
	requestSeqKey   = []byte{0x21}
	jobSeqKey       = []byte{0x22}
	paramsKey       = []byte{0x30}
)

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// assetKey is A: a length byte and the id (ids are at most 64 bytes).
func assetKey(id string) []byte { return append([]byte{byte(len(id))}, id...) }

func addr(a string) []byte { return address.Bytes(a) }

// RightKey is the key of right n relative to StorePrefix.
func RightKey(n uint64) []byte { return store.Concat(rightPrefix, u64(n)) }

// FullRightKey is the key of right n in the app's state tree: what a proof
// of a right is about.
func FullRightKey(n uint64) []byte { return store.Concat(StorePrefix, RightKey(n)) }

// RequestKey is the key of request q relative to StorePrefix.
func RequestKey(q uint64) []byte { return store.Concat(requestPrefix, u64(q)) }

// FullRequestKey is the key of request q in the app's state tree.
func FullRequestKey(q uint64) []byte { return store.Concat(StorePrefix, RequestKey(q)) }

func childKey(parent, child uint64) []byte { return store.Concat(childPrefix, u64(parent), u64(child)) }
func childrenOf(parent uint64) []byte      { return store.Concat(childPrefix, u64(parent)) }

func holderKey(holder, asset string, n uint64) []byte {
	return store.Concat(holderPrefix, addr(holder), assetKey(asset), u64(n))
}
func holderAssetPrefix(holder, asset string) []byte {
	return store.Concat(holderPrefix, addr(holder), assetKey(asset))
}

func assetRightKey(asset string, n uint64) []byte {
	return store.Concat(assetPrefix, assetKey(asset), u64(n))
}
func rootKey(asset string) []byte { return store.Concat(rootPrefix, assetKey(asset)) }

func grantorKey(grantor, asset string, n uint64) []byte {
	return store.Concat(grantorPrefix, addr(grantor), assetKey(asset), u64(n))
}
func grantorAssetPrefix(grantor []byte, asset string) []byte {
	return store.Concat(grantorPrefix, grantor, assetKey(asset))
}

// expiryKey orders the queue by end time, then by right number. Times are
// after 1970 and before types.MaxTime, so unix nanoseconds are positive and
// fit.
func expiryKey(until time.Time, n uint64) []byte {
	return store.Concat(expiryPrefix, u64(uint64(until.UnixNano())), u64(n))
}

func jobKey(seq uint64) []byte               { return store.Concat(jobPrefix, u64(seq)) }
func useCountKey(asset string) []byte        { return store.Concat(useCountPrefix, assetKey(asset)) }
func exclusiveKey(asset string) []byte       { return store.Concat(exclusivePrefix, assetKey(asset)) }
func stampKey(n uint64) []byte               { return store.Concat(stampPrefix, u64(n)) }
func revokeAllKey(asset string) []byte       { return store.Concat(revokeAllPrefix, assetKey(asset)) }
func requesterKey(a string, q uint64) []byte { return store.Concat(requesterPrefix, addr(a), u64(q)) }
func reqHolderKey(a string, q uint64) []byte { return store.Concat(reqHolderPrefix, addr(a), u64(q)) }

// usageSuffix is what makes a usage record's key unique: the block, the
// tx (its hash's first 8 bytes) and the message's place in it.
func usageSuffix(height int64, txHash []byte, msgIndex int) []byte {
	var h [8]byte
	copy(h[:], txHash)
	return store.Concat(u64(uint64(height)), h[:], binary.BigEndian.AppendUint32(nil, uint32(msgIndex)))
}

func usageKey(n uint64, suffix []byte) []byte { return store.Concat(usagePrefix, u64(n), suffix) }
func openUsageKey(asset string, suffix []byte) []byte {
	return store.Concat(openUsagePrefix, assetKey(asset), suffix)
}

// lastN reads the trailing 8-byte number of an index key.
func lastN(key []byte) uint64 {
	if len(key) < 8 {
		panic(&store.Fault{Err: fmt.Errorf("rights: index key %X is shorter than a number", key)})
	}
	return binary.BigEndian.Uint64(key[len(key)-8:])
}

// decodeN reads a stored 8-byte number.
func decodeN(bz []byte) uint64 {
	if len(bz) != 8 {
		panic(&store.Fault{Err: fmt.Errorf("rights: stored number is %d bytes", len(bz))})
	}
	return binary.BigEndian.Uint64(bz)
}

// mustN is the number of a stored id; we wrote it, so a bad one is
// corruption.
func mustN(id string) uint64 {
	n, err := types.ParseRightID("id", id)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return n
}
