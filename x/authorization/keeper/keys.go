package keeper

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
)

// StorePrefix is the authorised-operation module's prefix in the app's
// state tree; the keeper alone reads and writes under it.
var StorePrefix = []byte{0x05}

// Key layout under StorePrefix. n is an authorisation's number (au-n), 8
// bytes big-endian so that keys sort in application order; A is an asset
// id as one length byte and its bytes (the registry owns the id's form);
// addresses are their 20 raw bytes; a status is its enum value in one
// byte. "marker" is store.Marker, the value of index entries whose key
// says everything.
//
//	0x01 | n                  -> Authorization (protobuf)
//	0x02 | operator | n       -> marker; authorisations by operator
//	0x03 | authoriser | n     -> marker; authorisations by authoriser
//	0x04 | A | n              -> marker; authorisations covering an asset
//	0x05 | status | n         -> marker; authorisations by status (kept in step with the record)
//	0x06 | n | number         -> Evaluation (protobuf); number 4 bytes big-endian, from 1
//	0x07 | until | n          -> marker; expiry queue of running (active or suspended)
//	                             authorisations: valid_until in unix nanoseconds, 8 bytes big-endian
//	0x08                      -> last authorisation number (8 bytes)
//	0x09                      -> Params (protobuf)
var (
	authPrefix       = []byte{0x01}
	operatorPrefix   = []byte{0x02}
	authoriserPrefix = []byte{0x03}
	assetPrefix      = []byte{0x04}
	statusPrefix     = []byte{0x05}
	evalPrefix       = []byte{0x06}
	expiryPrefix     = []byte{0x07}
	seqKey           = []byte{0x08}
	paramsKey        = []byte{0x09}
)

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// assetKey is A: a length byte and the id (ids are at most 64 bytes).
func assetKey(id string) []byte { return append([]byte{byte(len(id))}, id...) }

// AuthorizationKey is the key of authorisation n relative to StorePrefix.
func AuthorizationKey(n uint64) []byte { return store.Concat(authPrefix, u64(n)) }

// FullAuthorizationKey is the key of authorisation n in the app's state
// tree: what a proof of an authorisation is about.
func FullAuthorizationKey(n uint64) []byte { return store.Concat(StorePrefix, AuthorizationKey(n)) }

func operatorKey(a string, n uint64) []byte {
	return store.Concat(operatorPrefix, address.Bytes(a), u64(n))
}

func authoriserKey(a string, n uint64) []byte {
	return store.Concat(authoriserPrefix, address.Bytes(a), u64(n))
}

func assetIndexKey(asset string, n uint64) []byte {
	return store.Concat(assetPrefix, assetKey(asset), u64(n))
}

func statusKey(s types.AuthorizationStatus, n uint64) []byte {
	return store.Concat(statusPrefix, []byte{byte(s)}, u64(n))
}

func evaluationsOf(n uint64) []byte { return store.Concat(evalPrefix, u64(n)) }

func evaluationKey(n uint64, number uint32) []byte {
	return store.Concat(evaluationsOf(n), binary.BigEndian.AppendUint32(nil, number))
}

// expiryKey orders the queue by end time, then by number. An end time is
// a block time plus at most MaxTermLimit, so its unix nanoseconds are
// positive and fit.
func expiryKey(until time.Time, n uint64) []byte {
	return store.Concat(expiryPrefix, u64(uint64(until.UnixNano())), u64(n))
}

// lastN reads the trailing 8-byte number of an index key.
func lastN(key []byte) uint64 {
	if len(key) < 8 {
		panic(&store.Fault{Err: fmt.Errorf("authorization: index key %X is shorter than a number", key)})
	}
	return binary.BigEndian.Uint64(key[len(key)-8:])
}

// decodeN reads a stored 8-byte number.
func decodeN(bz []byte) uint64 {
	if len(bz) != 8 {
		panic(&store.Fault{Err: fmt.Errorf("authorization: stored number is %d bytes", len(bz))})
	}
	return binary.BigEndian.Uint64(bz)
}

// mustN is the number of a stored id; we wrote it, so a bad one is
// corruption.
func mustN(id string) uint64 {
	n, err := types.ParseID("id", id)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return n
}
