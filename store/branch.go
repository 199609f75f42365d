package store

import (
	"bytes"

	"github.com/google/btree"
)

// Branch buffers writes over a parent KV. Reads see the buffer first. Write
// applies the buffer to the parent in key order (deterministic); dropping the
// Branch discards it.
type Branch struct {
	parent KV
	items  *btree.BTreeG[entry]
}

type entry struct {
	key     []byte
	value   []byte // nil means deleted
	deleted bool
}

func lessEntry(a, b entry) bool { return bytes.Compare(a.key, b.key) < 0 }

// NewBranch returns an empty branch over parent.
func NewBranch(parent KV) *Branch {
	return &Branch{parent: parent, items: btree.NewG(16, lessEntry)}
}

var _ KV = (*Branch)(nil)

// Get implements KV.
func (b *Branch) Get(key []byte) []byte {
	checkKey(key)
	if e, ok := b.items.Get(entry{key: key}); ok {
		if e.deleted {
			return nil
		}
		return e.value
	}
	return b.parent.Get(key)
}

// Has implements KV.
func (b *Branch) Has(key []byte) bool { return b.Get(key) != nil }

// Set implements KV.
func (b *Branch) Set(key, value []byte) {
	checkKey(key)
	checkValue(value)
	b.items.ReplaceOrInsert(entry{key: bytes.Clone(key), value: bytes.Clone(value)})
}

// Delete implements KV.
func (b *Branch) Delete(key []byte) {
	checkKey(key)
	b.items.ReplaceOrInsert(entry{key: bytes.Clone(key), deleted: true})
}

// Len is the number of buffered writes (sets and deletes).
func (b *Branch) Len() int { return b.items.Len() }

// Write applies the buffered writes to the parent in ascending key order and
// empties the branch.
func (b *Branch) Write() {
	b.items.Ascend(func(e entry) bool {
		if e.deleted {
			b.parent.Delete(e.key)
		} else {
			b.parent.Set(e.key, e.value)
		}
		return true
	})
	b.items.Clear(false)
}

// Iterator implements KV.
func (b *Branch) Iterator(start, end []byte) Iterator {
	return newMergeIter(b.parent.Iterator(start, end), collect(b.items, start, end, true), true)
}

// ReverseIterator implements KV.
func (b *Branch) ReverseIterator(start, end []byte) Iterator {
	return newMergeIter(b.parent.ReverseIterator(start, end), collect(b.items, start, end, false), false)
}

// collect snapshots the buffered entries in [start, end) so that writes made
// while iterating do not disturb the iteration.
func collect(items *btree.BTreeG[entry], start, end []byte, ascending bool) []entry {
	var out []entry
	visit := func(e entry) bool {
		if end != nil && bytes.Compare(e.key, end) >= 0 {
			return false
		}
		out = append(out, e)
		return true
	}
	if start == nil {
		items.Ascend(visit)
	} else {
		items.AscendGreaterOrEqual(entry{key: start}, visit)
	}
	if !ascending {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// mergeIter merges a parent iterator with a sorted slice of buffered
// entries; on equal keys the buffer wins, and deleted entries hide the key.
type mergeIter struct {
	parent    Iterator
	cache     []entry
	ascending bool
	key, val  []byte
	valid     bool
}

func newMergeIter(parent Iterator, cache []entry, ascending bool) *mergeIter {
	it := &mergeIter{parent: parent, cache: cache, ascending: ascending}
	it.advance()
	return it
}

// before reports whether key a comes before key b in iteration order.
func (it *mergeIter) before(a, b []byte) bool {
	c := bytes.Compare(a, b)
	if it.ascending {
		return c < 0
	}
	return c > 0
}

func (it *mergeIter) advance() {
	for {
		pv, cv := it.parent.Valid(), len(it.cache) > 0
		switch {
		case !pv && !cv:
			it.valid = false
			return
		case pv && (!cv || it.before(it.parent.Key(), it.cache[0].key)):
			it.key, it.val, it.valid = bytes.Clone(it.parent.Key()), bytes.Clone(it.parent.Value()), true
			it.parent.Next()
			return
		default:
			e := it.cache[0]
			it.cache = it.cache[1:]
			if pv && bytes.Equal(it.parent.Key(), e.key) {
				it.parent.Next()
			}
			if e.deleted {
				continue
			}
			it.key, it.val, it.valid = e.key, e.value, true
			return
		}
	}
}

func (it *mergeIter) Valid() bool   { return it.valid }
func (it *mergeIter) Next()         { it.advance() }
func (it *mergeIter) Key() []byte   { return it.key }
func (it *mergeIter) Value() []byte { return it.val }
func (it *mergeIter) Close() error  { return it.parent.Close() }

// emptyIterator iterates over nothing (a tree with no committed version).
type emptyIterator struct{}

func (emptyIterator) Domain() (start, end []byte) { return nil, nil }
func (emptyIterator) Valid() bool                 { return false }
func (emptyIterator) Next()                       { panic("store: Next on an empty iterator") }
func (emptyIterator) Key() []byte                 { panic("store: Key on an empty iterator") }
func (emptyIterator) Value() []byte               { panic("store: Value on an empty iterator") }
func (emptyIterator) Error() error                { return nil }
func (emptyIterator) Close() error                { return nil }
