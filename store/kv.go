package store

import (
	"bytes"
	"fmt"
)

// KV is ordered key-value access. Keys and values are non-empty: ICS23
// cannot prove an empty value (nor the absence of a key next to one), and
// every stored value must be provable, so index entries store a marker byte
// (Marker). Returned slices must not be modified.
type KV interface {
	// Get returns nil when the key is absent.
	Get(key []byte) []byte
	Has(key []byte) bool
	Set(key, value []byte)
	Delete(key []byte)
	// Iterator walks [start, end) ascending; nil bounds are open.
	Iterator(start, end []byte) Iterator
	// ReverseIterator walks [start, end) descending.
	ReverseIterator(start, end []byte) Iterator
}

// Iterator is a cursor over a KV range. Close it when done.
type Iterator interface {
	Valid() bool
	Next()
	Key() []byte
	Value() []byte
	Close() error
}

// Fault is a storage failure (disk, corruption). It is raised as a panic so
// that handlers stay free of error plumbing for reads, and is turned into a
// node-stopping error by the tx runner: a node that cannot read its state
// must stop rather than guess.
type Fault struct{ Err error }

func (f *Fault) Error() string { return "store fault: " + f.Err.Error() }
func (f *Fault) Unwrap() error { return f.Err }

func fault(op string, err error) {
	panic(&Fault{Err: fmt.Errorf("%s: %w", op, err)})
}

// PrefixEnd returns the smallest key greater than every key with the prefix,
// or nil if there is none (the prefix is all 0xff).
func PrefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Concat joins key parts into a new slice.
func Concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Marker is the value of index entries whose key says everything.
var Marker = []byte{1}

func checkKey(key []byte) {
	if len(key) == 0 {
		panic("store: empty key") // programming error, never user input
	}
}

func checkValue(value []byte) {
	if len(value) == 0 {
		panic("store: empty value (unprovable); store store.Marker in index entries") // programming error
	}
}

// Count is the number of keys under prefix (for monitoring: it walks
// them all).
func Count(kv KV, prefix []byte) int64 {
	it := kv.Iterator(prefix, PrefixEnd(prefix))
	defer it.Close()
	var n int64
	for ; it.Valid(); it.Next() {
		n++
	}
	return n
}
