package keeper

import (
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/datarights/datarights/store"
)

// StorePrefix is the registry module's prefix in the app's state tree; the
// keeper alone reads and writes under it.
var StorePrefix = []byte{0x03}

// Key layout under StorePrefix. n is an asset's number (its id is "a-<n>"),
// 8 bytes big-endian so that keys sort in registration order; values keep
// the string id. Addresses are the 20 raw bytes; hashes the 32 raw bytes of
// their (lower-case, so unique) hex. "marker" is store.Marker, the value of
// an index entry whose key is the fact (empty values cannot be proven).
//
//	0x01 | n                         -> Asset (protobuf)
//	0x02                             -> last asset number (8 B); the id sequence
//	0x03 | catalogue code            -> n (8 B); one asset per code
//	0x04 | content hash (32 B)       -> n (8 B); every version's hash, one asset per hash
//	0x05 | kind (1 B) | n            -> marker; assets by kind
//	0x06 | classification (1 B) | n  -> marker; assets by classification
//	0x07 | grade (1 B) | n           -> marker; assets by grade
//	0x08 | source dept (20 B) | n    -> marker; assets by source department (when set)
//	0x09 | status (1 B) | n          -> marker; assets by status
//	0x0A | notice end (8 B) | n      -> marker; the notice queue: assets in notice by end time
//	0x0B | n | version (4 B)         -> Version (protobuf); history of content hashes
//	0x0C | n | valuation (4 B)       -> Valuation (protobuf)
//	0x0D | product n | input n       -> marker; lineage downstream → upstream
//	0x0E | input n | product n       -> marker; lineage upstream → downstream
//	0x0F                             -> Params (protobuf)
//	0x10                             -> last certificate number (8 B); the certificate sequence
//
// The notice end is the block time at which the notice period ends, as
// Unix nanoseconds with the sign bit flipped: big-endian bytes then sort
// in time order, so the end-of-block step reads the due entries from the
// front of the queue and stops at the first that is not due.
//
// The cancelled registration of an upheld objection releases its catalogue
// code and content hashes (0x03, 0x04): the rightful source may register
// them. Everything else about it stays.
var (
	assetPrefix          = []byte{0x01}
	assetSeqKey          = []byte{0x02}
	cataloguePrefix      = []byte{0x03}
	contentPrefix        = []byte{0x04}
	kindPrefix           = []byte{0x05}
	classificationPrefix = []byte{0x06}
	gradePrefix          = []byte{0x07}
	sourcePrefix         = []byte{0x08}
	statusPrefix         = []byte{0x09}
	noticePrefix         = []byte{0x0A}
	versionPrefix        = []byte{0x0B}
	valuationPrefix      = []byte{0x0C}
	inputsPrefix         = []byte{0x0D}
	productsPrefix       = []byte{0x0E}
	paramsKey            = []byte{0x0F}
	certSeqKey           = []byte{0x10}
)

// AssetKey is the key of asset n relative to StorePrefix.
func AssetKey(n uint64) []byte { return store.Concat(assetPrefix, u64(n)) }

// FullAssetKey is the key of asset n in the app's state tree: what a proof
// of an asset is about.
func FullAssetKey(n uint64) []byte { return store.Concat(StorePrefix, AssetKey(n)) }

func catalogueKey(code string) []byte { return store.Concat(cataloguePrefix, []byte(code)) }

// contentKey indexes a validated hex hash by its raw bytes.
func contentKey(hash string) []byte {
	raw, err := hex.DecodeString(hash)
	if err != nil {
		panic("registry: content hash was not validated: " + hash) // programming error
	}
	return store.Concat(contentPrefix, raw)
}

func enumKey(prefix []byte, v int32, n uint64) []byte {
	return store.Concat(prefix, []byte{byte(v)}, u64(n))
}

func sourceKey(dept []byte, n uint64) []byte { return store.Concat(sourcePrefix, dept, u64(n)) }

func noticeKey(end time.Time, n uint64) []byte {
	return store.Concat(noticePrefix, timeKey(end), u64(n))
}

// timeKey orders times: Unix nanoseconds, sign bit flipped, big-endian.
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano()) ^ 1<<63) }

func versionsOf(n uint64) []byte { return store.Concat(versionPrefix, u64(n)) }
func versionKey(n uint64, v uint32) []byte {
	return store.Concat(versionsOf(n), binary.BigEndian.AppendUint32(nil, v))
}

func valuationsOf(n uint64) []byte { return store.Concat(valuationPrefix, u64(n)) }
func valuationKey(n uint64, v uint32) []byte {
	return store.Concat(valuationsOf(n), binary.BigEndian.AppendUint32(nil, v))
}

func inputKey(product, input uint64) []byte {
	return store.Concat(inputsPrefix, u64(product), u64(input))
}
func productKey(input, product uint64) []byte {
	return store.Concat(productsPrefix, u64(input), u64(product))
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// getU64 reads an 8-byte counter or index value; absent is 0.
func getU64(kv store.KV, key []byte) uint64 {
	bz := kv.Get(key)
	if bz == nil {
		return 0
	}
	if len(bz) != 8 {
		panic(&store.Fault{Err: errBadCounter})
	}
	return binary.BigEndian.Uint64(bz)
}
