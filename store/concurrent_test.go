package store_test

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// Snapshots (At) are read while the working version is written and saved
// on another goroutine, as CheckTx and queries read the committed state
// while a block executes. Each snapshot keeps showing its own version:
// key i holds "v<version>" from version i+1 on. Run with -race.
func TestSnapshotsReadBesideWrites(t *testing.T) {
	tr := memTree(t)
	const versions, keys = 60, 40
	key := func(i int) []byte { return []byte(fmt.Sprintf("k%03d", i)) }
	var latest atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	errc := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				v := latest.Load()
				if v == 0 {
					continue
				}
				snap, err := tr.At(v)
				if err != nil {
					errc <- err
					return
				}
				for i := range keys {
					got := snap.Get(key(i))
					if w := expect(i, v); !bytes.Equal(got, w) {
						errc <- fmt.Errorf("version %d key %d: %q, want %q", v, i, got, w)
						return
					}
				}
				if _, err := snap.Proof(key(int(v) % keys)); err != nil {
					errc <- err
					return
				}
				it := snap.Iterator(nil, nil)
				n := 0
				for ; it.Valid(); it.Next() {
					n++
				}
				it.Close()
				if want := min(int(v), keys); n != want {
					errc <- fmt.Errorf("version %d: iterated %d keys, want %d", v, n, want)
					return
				}
				reads.Add(1)
			}
		}()
	}
	for v := 1; v <= versions; v++ {
		// Version v rewrites every key below it and adds key v-1.
		for i := range min(v, keys) {
			tr.Set(key(i), expect(i, int64(v)))
		}
		if _, got, err := tr.Commit(); err != nil || got != int64(v) {
			t.Fatalf("commit %d: version %d, %v", v, got, err)
		}
		latest.Store(int64(v))
	}
	stop.Store(true)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if reads.Load() == 0 {
		t.Fatal("no snapshot was read beside the writes")
	}
}

// expect is key i's value at version v: nil before version i+1.
func expect(i int, v int64) []byte {
	if int64(i) >= v {
		return nil
	}
	return []byte(fmt.Sprintf("v%d", v))
}
