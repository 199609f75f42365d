package keeper_test

import (
	"flag"
	"testing"

	"github.com/datarights/datarights/app/apptest"

	"github.com/datarights/datarights/x/provenance/keeper"
	"github.com/datarights/datarights/x/provenance/types"
)

var (
	traceSize = flag.Int("trace.size", 1000, "assets in BenchmarkTrace's lineage DAG")
	traceDB   = flag.String("trace.db", "memdb", "BenchmarkTrace's store: memdb, or goleveldb (in a temporary directory, as a node stores state)")
)

// BenchmarkTrace traces down from a-1 through a DAG of -trace.size assets
// in which a-j derives from a-(j/2) and a-(j/3): every asset is reached,
// with its root right and the owner (about 2 × size + 1 nodes). The DAG is
// built through signed txs on the real app over an in-memory store
// (-trace.db goleveldb: on disk, as a node stores it); the
// timed part is the /provenance/trace query, as a node answers it.
func BenchmarkTrace(b *testing.B) {
	var d *apptest.Driver
	switch *traceDB {
	case "memdb":
		d = apptest.New(b)
	case "goleveldb":
		d = apptest.Open(b, b.TempDir())
	default:
		b.Fatalf("-trace.db %q: want memdb or goleveldb", *traceDB)
	}
	g := newDAGOn(b, d, *traceSize, halves)
	req := &types.TraceRequest{Id: "a-1", Direction: types.Direction_DIRECTION_DOWN, MaxNodes: keeper.MaxMaxNodes}
	tr := g.trace(b, req)
	if tr.Truncated || len(kinds(tr, types.KindAsset)) != *traceSize {
		b.Fatalf("trace reached %d of %d assets (truncated %v %s)", len(kinds(tr, types.KindAsset)), *traceSize, tr.Truncated, tr.TruncatedReason)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		g.trace(b, req)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(tr.Nodes)), "nodes")
	b.ReportMetric(float64(len(tr.Edges)), "edges")
}
