package keeper

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/datarights/datarights/store"
)

// StorePrefix is the governance module's prefix in the app's state tree;
// the keeper alone reads and writes under it.
var StorePrefix = []byte{0x09}

// Key layout under StorePrefix. n is a proposal's number (its id is
// "p-<n>"), 8 bytes big-endian so that keys sort in submission order.
// Department addresses are the 20 raw bytes. "marker" is store.Marker, the
// value of an index entry whose key is the fact.
//
//	0x01 | n                       -> Proposal (protobuf)
//	0x02                           -> last proposal number (8 B); the id sequence
//	0x03 | status (1 B) | n        -> marker; proposals by status
//	0x04 | n | department (20 B)   -> Vote (protobuf); a department's current vote
//	0x05 | voting ends (8 B) | n   -> marker; the deadline queue: proposals
//	                                  still voting, by the end of their period
//	0x06 | height (8 B) | n        -> marker; the passed queue: proposals that
//	                                  passed at that height, not yet executed
//	0x07                           -> Params (protobuf)
//
// A proposal is in exactly one of the two queues while its status is
// voting: in the deadline queue until it passes, then in the passed queue
// until the end-of-block step executes it. Voting ends is the block time
// at which the period ends, as Unix nanoseconds with the sign bit flipped,
// so that big-endian keys sort in time order and the end-of-block step
// reads the due entries from the front of the queue.
var (
	proposalPrefix = []byte{0x01}
	seqKey         = []byte{0x02}
	statusPrefix   = []byte{0x03}
	votePrefix     = []byte{0x04}
	deadlinePrefix = []byte{0x05}
	passedPrefix   = []byte{0x06}
	paramsKey      = []byte{0x07}
)

// ProposalKey is the key of proposal n relative to StorePrefix.
func ProposalKey(n uint64) []byte { return store.Concat(proposalPrefix, u64(n)) }

// FullProposalKey is the key of proposal n in the app's state tree: what a
// proof of a proposal is about.
func FullProposalKey(n uint64) []byte { return store.Concat(StorePrefix, ProposalKey(n)) }

func statusKey(status int32, n uint64) []byte {
	return store.Concat(statusPrefix, []byte{byte(status)}, u64(n))
}

func votesOf(n uint64) []byte { return store.Concat(votePrefix, u64(n)) }
func voteKey(n uint64, dept []byte) []byte {
	return store.Concat(votesOf(n), dept)
}

func deadlineKey(end time.Time, n uint64) []byte {
	return store.Concat(deadlinePrefix, timeKey(end), u64(n))
}

func passedKey(height int64, n uint64) []byte {
	return store.Concat(passedPrefix, u64(uint64(height)), u64(n))
}

// timeKey orders times: Unix nanoseconds, sign bit flipped, big-endian.
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano()) ^ 1<<63) }

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// getU64 reads an 8-byte counter; absent is 0.
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

var errBadCounter = errors.New("governance: counter is not 8 bytes")
