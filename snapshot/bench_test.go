package snapshot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
)

var benchKeys = flag.Int("snapshot-keys", 100_000, "keys in the state BenchmarkSnapshot snapshots (values of 256 bytes)")

// BenchmarkSnapshot takes a snapshot of a state of -snapshot-keys keys and
// restores it into an empty tree; it reports the snapshot's size.
func BenchmarkSnapshot(b *testing.B) {
	src := newTree(&testing.T{})
	for i := range *benchKeys {
		var v []byte
		for j := range 8 {
			v = append(v, sha256sum([]byte(fmt.Sprint(i, j)))...)
		}
		src.Set([]byte(fmt.Sprintf("key/%09d", i)), v)
		if i%50_000 == 49_999 {
			if _, _, err := src.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, _, err := src.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		dir := b.TempDir()
		m, err := NewManager(dir, 1, 1, log.NewNopLogger())
		if err != nil {
			b.Fatal(err)
		}
		m.Take(src, src.Version())
		m.Wait()
		list, _ := m.List()
		if len(list) != 1 {
			b.Fatal("no snapshot")
		}
		s := list[0].ABCI()
		var size int64
		for i := range s.Chunks {
			fi, _ := os.Stat(filepath.Join(dir, fmt.Sprint(s.Height), fmt.Sprint(i)))
			size += fi.Size()
		}
		dst := newTree(&testing.T{})
		r, _ := NewManager(b.TempDir(), 0, 1, log.NewNopLogger())
		r.Offer(dst, s)
		for i := range s.Chunks {
			r.ApplyChunk(dst, abciChunk{i, m.LoadChunk(s.Height, s.Format, i)}.req())
		}
		if dst.Version() != src.Version() {
			b.Fatal("not restored")
		}
		b.ReportMetric(float64(size)/(1<<20), "MiB")
		b.ReportMetric(float64(s.Chunks), "chunks")
	}
}

type abciChunk struct {
	i     uint32
	chunk []byte
}

func (c abciChunk) req() *abci.RequestApplySnapshotChunk {
	return &abci.RequestApplySnapshotChunk{Index: c.i, Chunk: c.chunk, Sender: "bench"}
}
