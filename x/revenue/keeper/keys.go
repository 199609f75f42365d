package keeper

import (
	"encoding/binary"
	"fmt"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
)

// StorePrefix is the revenue module's prefix in the app's state tree; the
// keeper alone reads and writes under it.
var StorePrefix = []byte{0x07}

// Key layout under StorePrefix. A is an asset id and T a trade id, each as
// one length byte and its bytes (their modules own the ids' form; both are
// at most 64 bytes); addresses are their 20 raw bytes; n is a
// distribution's number, 8 bytes big-endian from 1, so that keys sort in
// settlement order. "marker" is store.Marker, the value of index entries
// whose key says everything.
//
//	0x01 | A                  -> Policy (protobuf)
//	0x02 | n                  -> Distribution (protobuf)
//	0x03                      -> last distribution number (8 B)
//	0x04 | T | n              -> marker; distributions by trade (one per trade)
//	0x05 | beneficiary | n    -> marker; distributions paying a party (once per party)
//	0x06 | A | n              -> marker; distributions by asset: the sold asset and
//	                             every asset whose policy produced a line
//	0x07 | party              -> QueryEarningsResponse (protobuf); a party's running
//	                             total and line count (the fund's total is its entry)
//	0x08                      -> Params (protobuf)
var (
	policyPrefix       = []byte{0x01}
	distributionPrefix = []byte{0x02}
	seqKey             = []byte{0x03}
	tradePrefix        = []byte{0x04}
	beneficiaryPrefix  = []byte{0x05}
	assetPrefix        = []byte{0x06}
	earningsPrefix     = []byte{0x07}
	paramsKey          = []byte{0x08}
)

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// idKey is a length byte and the id (ids are checked to be at most 64
// bytes before they reach a key).
func idKey(id string) []byte { return append([]byte{byte(len(id))}, id...) }

// PolicyKey is the key of an asset's policy relative to StorePrefix.
func PolicyKey(assetID string) []byte { return store.Concat(policyPrefix, idKey(assetID)) }

// FullPolicyKey is the key of an asset's policy in the app's state tree:
// what a proof of a policy is about.
func FullPolicyKey(assetID string) []byte { return store.Concat(StorePrefix, PolicyKey(assetID)) }

func distributionKey(n uint64) []byte { return store.Concat(distributionPrefix, u64(n)) }

func byTrade(trade string) []byte { return store.Concat(tradePrefix, idKey(trade)) }

func byBeneficiary(party string) []byte {
	return store.Concat(beneficiaryPrefix, address.Bytes(party))
}

func byAsset(asset string) []byte { return store.Concat(assetPrefix, idKey(asset)) }

func earningsKey(party string) []byte { return store.Concat(earningsPrefix, address.Bytes(party)) }

// lastN reads the trailing 8-byte number of an index key.
func lastN(key []byte) uint64 {
	if len(key) < 8 {
		panic(&store.Fault{Err: fmt.Errorf("revenue: index key %X is shorter than a number", key)})
	}
	return binary.BigEndian.Uint64(key[len(key)-8:])
}

// decodeN reads a stored 8-byte number.
func decodeN(bz []byte) uint64 {
	if len(bz) != 8 {
		panic(&store.Fault{Err: fmt.Errorf("revenue: stored number is %d bytes", len(bz))})
	}
	return binary.BigEndian.Uint64(bz)
}
