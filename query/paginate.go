// Package query holds what every module's queries share: pagination over
// ordered store ranges.
package query

import (
	"bytes"

	"github.com/datarights/datarights/store"
)

// Page sizes. The server caps every list so that no query can make a node
// read without bound.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Limit returns the effective page size of a request.
func Limit(p *PageRequest) int {
	switch n := p.GetLimit(); {
	case n == 0:
		return DefaultLimit
	case n > MaxLimit: // compared before converting: int may be 32 bits
		return MaxLimit
	default:
		return int(n)
	}
}

// Paginate walks the keys of kv under prefix, starting at the page key, and
// calls visit with each key (prefix stripped) and value until the page is
// full. The returned page response names the next page's key.
func Paginate(kv store.KV, prefix []byte, page *PageRequest, visit func(key, value []byte) error) (*PageResponse, error) {
	start := store.Concat(prefix, page.GetKey()) // page keys are relative to prefix
	it := kv.Iterator(start, store.PrefixEnd(prefix))
	defer it.Close()
	limit := Limit(page)
	for n := 0; it.Valid(); it.Next() {
		if n == limit {
			return &PageResponse{NextKey: bytes.Clone(it.Key()[len(prefix):])}, nil
		}
		if err := visit(it.Key()[len(prefix):], it.Value()); err != nil {
			return nil, err
		}
		n++
	}
	return &PageResponse{}, nil
}
