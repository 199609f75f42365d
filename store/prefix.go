package store

// Prefix is a view of a KV in which every key is silently prefixed.
type Prefix struct {
	parent KV
	prefix []byte
}

// NewPrefix returns the view of parent under prefix.
func NewPrefix(parent KV, prefix []byte) Prefix {
	return Prefix{parent: parent, prefix: prefix}
}

var _ KV = Prefix{}

func (p Prefix) key(k []byte) []byte { checkKey(k); return Concat(p.prefix, k) }

// Get implements KV.
func (p Prefix) Get(key []byte) []byte { return p.parent.Get(p.key(key)) }

// Has implements KV.
func (p Prefix) Has(key []byte) bool { return p.parent.Has(p.key(key)) }

// Set implements KV.
func (p Prefix) Set(key, value []byte) { p.parent.Set(p.key(key), value) }

// Delete implements KV.
func (p Prefix) Delete(key []byte) { p.parent.Delete(p.key(key)) }

func (p Prefix) bounds(start, end []byte) ([]byte, []byte) {
	if len(start) == 0 {
		// Keys are non-empty, so the view's smallest key is 0x00. Starting
		// at the bare prefix would let a parent key equal to the prefix show
		// up as an empty key that the view cannot address.
		start = []byte{0x00}
	}
	s := Concat(p.prefix, start)
	var e []byte
	if end == nil {
		e = PrefixEnd(p.prefix)
	} else {
		e = Concat(p.prefix, end)
	}
	return s, e
}

// Iterator implements KV.
func (p Prefix) Iterator(start, end []byte) Iterator {
	s, e := p.bounds(start, end)
	return &prefixIter{Iterator: p.parent.Iterator(s, e), n: len(p.prefix)}
}

// ReverseIterator implements KV.
func (p Prefix) ReverseIterator(start, end []byte) Iterator {
	s, e := p.bounds(start, end)
	return &prefixIter{Iterator: p.parent.ReverseIterator(s, e), n: len(p.prefix)}
}

type prefixIter struct {
	Iterator
	n int
}

func (it *prefixIter) Key() []byte { return it.Iterator.Key()[it.n:] }
