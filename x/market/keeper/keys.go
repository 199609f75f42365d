package keeper

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/types"
)

// StorePrefix is the market's prefix in the app's state tree; the keeper
// alone reads and writes under it.
var StorePrefix = []byte{0x06}

// Key layout under StorePrefix. n is an entity's number (l-n, t-n, b-n,
// w-n), 8 bytes big-endian so that keys sort in creation order; A is an
// asset id as one length byte and its bytes (the registry owns the id's
// form); addresses are their 20 raw bytes; a status is its enum value in
// one byte; amounts are 8 bytes big-endian. "marker" is store.Marker, the
// value of index entries whose key says everything.
//
//	0x01 | n                    -> Listing (protobuf)
//	0x02 | seller | n           -> marker; listings by seller
//	0x03 | A | n                -> marker; listings by asset
//	0x04 | status | n           -> marker; listings by status (kept in step with the record)
//	0x05 | n                    -> Trade (protobuf)
//	0x06 | buyer | n            -> marker; trades by buyer
//	0x07 | seller | n           -> marker; trades by seller
//	0x08 | A | n                -> marker; trades by asset
//	0x09 | n                    -> Bid (protobuf)
//	0x0A | buyer | n            -> marker; bids by buyer
//	0x0B | A | n                -> marker; bids by asset
//	0x0C | status | n           -> marker; bids by status
//	0x0D | address              -> available balance in fen; absent when 0
//	0x0E | address              -> locked balance in fen (bids' escrow, requested
//	                               withdrawals); absent when 0
//	0x0F | n                    -> Withdrawal (protobuf)
//	0x10 | owner | n            -> marker; withdrawals by owner
//	0x11 | bank ref             -> marker; every bank reference used (deposits and
//	                               payouts), so no bank transfer is booked twice
//	0x12 | expires | k | n      -> marker; expiry queue of open listings (k = 1) and
//	                               bids (k = 2): expires in unix nanoseconds, 8 bytes
//	0x13                        -> Supply (protobuf): deposits, withdrawals and the
//	                               running totals of balances and escrow
//	0x14 | k                    -> last number (8 bytes) of listings (k = 1),
//	                               trades (2), bids (3), withdrawals (4)
//	0x15                        -> Params (protobuf)
var (
	listingPrefix         = []byte{0x01}
	listingSellerPrefix   = []byte{0x02}
	listingAssetPrefix    = []byte{0x03}
	listingStatusPrefix   = []byte{0x04}
	tradePrefix           = []byte{0x05}
	tradeBuyerPrefix      = []byte{0x06}
	tradeSellerPrefix     = []byte{0x07}
	tradeAssetPrefix      = []byte{0x08}
	bidPrefix             = []byte{0x09}
	bidBuyerPrefix        = []byte{0x0A}
	bidAssetPrefix        = []byte{0x0B}
	bidStatusPrefix       = []byte{0x0C}
	availablePrefix       = []byte{0x0D}
	lockedPrefix          = []byte{0x0E}
	withdrawalPrefix      = []byte{0x0F}
	withdrawalOwnerPrefix = []byte{0x10}
	bankRefPrefix         = []byte{0x11}
	expiryPrefix          = []byte{0x12}
	supplyKey             = []byte{0x13}
	seqPrefix             = []byte{0x14}
	paramsKey             = []byte{0x15}
)

// Sequences and expiry-queue kinds.
const (
	seqListing byte = iota + 1
	seqTrade
	seqBid
	seqWithdrawal

	expListing byte = 1
	expBid     byte = 2
)

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// assetKey is A: a length byte and the id (ids are at most 64 bytes).
func assetKey(id string) []byte { return append([]byte{byte(len(id))}, id...) }

func addr(a string) []byte { return address.Bytes(a) }

// ListingKey is the key of listing n relative to StorePrefix.
func ListingKey(n uint64) []byte { return store.Concat(listingPrefix, u64(n)) }

// FullListingKey is the key of listing n in the app's state tree.
func FullListingKey(n uint64) []byte { return store.Concat(StorePrefix, ListingKey(n)) }

// TradeKey is the key of trade n relative to StorePrefix.
func TradeKey(n uint64) []byte { return store.Concat(tradePrefix, u64(n)) }

// FullTradeKey is the key of trade n in the app's state tree.
func FullTradeKey(n uint64) []byte { return store.Concat(StorePrefix, TradeKey(n)) }

// BidKey is the key of bid n relative to StorePrefix.
func BidKey(n uint64) []byte { return store.Concat(bidPrefix, u64(n)) }

// WithdrawalKey is the key of withdrawal n relative to StorePrefix.
func WithdrawalKey(n uint64) []byte { return store.Concat(withdrawalPrefix, u64(n)) }

func availableKey(a string) []byte { return store.Concat(availablePrefix, addr(a)) }
func lockedKey(a string) []byte    { return store.Concat(lockedPrefix, addr(a)) }
func bankRefKey(ref string) []byte { return store.Concat(bankRefPrefix, []byte(ref)) }

// expiryKey orders the queue by expiry, then kind, then number. An expiry
// is after a block time and before types.MaxTime, so its unix nanoseconds
// are positive and fit.
func expiryKey(t time.Time, kind byte, n uint64) []byte {
	return store.Concat(expiryPrefix, u64(uint64(t.UnixNano())), []byte{kind}, u64(n))
}

// lastN reads the trailing 8-byte number of an index key.
func lastN(key []byte) uint64 {
	if len(key) < 8 {
		panic(&store.Fault{Err: fmt.Errorf("market: index key %X is shorter than a number", key)})
	}
	return binary.BigEndian.Uint64(key[len(key)-8:])
}

// decodeN reads a stored 8-byte number.
func decodeN(bz []byte) uint64 {
	if len(bz) != 8 {
		panic(&store.Fault{Err: fmt.Errorf("market: stored number is %d bytes", len(bz))})
	}
	return binary.BigEndian.Uint64(bz)
}

// mustN is the number of a stored id; we wrote it, so a bad one is
// corruption.
func mustN(id, prefix string) uint64 {
	n, err := types.ParseID("id", id, prefix)
	if err != nil {
		panic(&store.Fault{Err: err})
	}
	return n
}
