// Package testkit is what the modules' keeper tests share: a full dump of a
// store (to prove that a rejected message wrote nothing) and event lookup.
// It is imported by tests only.
package testkit

import (
	"bytes"
	"slices"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/datarights/datarights/store"
)

// Pair is one stored key and its value.
type Pair struct{ Key, Value []byte }

// Dump returns every key and value of kv in key order, copied.
func Dump(kv store.KV) []Pair {
	var out []Pair
	it := kv.Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		out = append(out, Pair{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return out
}

// SameDump reports whether two dumps hold the same keys and values.
func SameDump(a, b []Pair) bool {
	return slices.EqualFunc(a, b, func(x, y Pair) bool {
		return bytes.Equal(x.Key, y.Key) && bytes.Equal(x.Value, y.Value)
	})
}

// HasEvent reports whether an event of type typ carries every (key, value)
// of attrs, given as alternating keys and values (a key may repeat in an
// event: party, asset_id).
func HasEvent(evs []abci.Event, typ string, attrs ...string) bool {
	for _, e := range evs {
		if e.Type == typ && hasAll(e, attrs) {
			return true
		}
	}
	return false
}

func hasAll(e abci.Event, attrs []string) bool {
	for i := 0; i+1 < len(attrs); i += 2 {
		if !slices.ContainsFunc(e.Attributes, func(a abci.EventAttribute) bool {
			return a.Key == attrs[i] && a.Value == attrs[i+1]
		}) {
			return false
		}
	}
	return true
}
