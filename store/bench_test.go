package store_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/datarights/datarights/store"
)

// BenchmarkTreeIterateInBlock measures one small-range iteration on the
// working version after n writes in the same block, as a tx that looks up
// a prefix (a buy's revenue split checking the trade's distribution) does
// late in a block of n writes. Before the tree merged its own pending
// writes, IAVL ranged over and sorted all n unsaved writes on each call.
func BenchmarkTreeIterateInBlock(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(fmt.Sprint("writes=", n), func(b *testing.B) {
			tr, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			key := func(p byte, i int) []byte { return binary.BigEndian.AppendUint64([]byte{p}, uint64(i)) }
			for i := range 1000 {
				tr.Set(key('a', i), []byte("committed"))
			}
			if _, _, err := tr.Commit(); err != nil {
				b.Fatal(err)
			}
			for i := range n {
				tr.Set(key('b', i), []byte("pending"))
			}
			b.ResetTimer()
			for i := range b.N {
				it := tr.Iterator(key('a', i%1000), key('a', i%1000+1))
				if !it.Valid() {
					b.Fatal("key not found")
				}
				it.Close()
			}
		})
	}
}
