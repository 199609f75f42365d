package keeper_test

import (
	"flag"
	"testing"

	"github.com/datarights/datarights/x/provenance/keeper"
	"github.com/datarights/datarights/x/provenance/types"
)

var traceSize = flag.Int("trace.size", 1000, "assets in BenchmarkTrace's lineage DAG")

// BenchmarkTrace traces down from a-1 through a DAG of -trace.size assets
// in which a-j derives from a-(j/2) and a-(j/3): every asset is reached,
// with its root right and the owner (about 2 × size + 1 nodes). The DAG is
// built through signed txs on the real app over an in-memory store; the
// timed part is the /provenance/trace query, as a node answers it.
func BenchmarkTrace(b *testing.B) {
	g := newDAG(b, *traceSize, halves)
	req := &types.TraceRequest{Id: "a-1", Direction: types.Direction_DIRECTION_DOWN, MaxNodes: keeper.MaxMaxNodes}
	tr := g.trace(b, req)
	if tr.Truncated || len(kinds(tr, types.KindAsset)) != *traceSize {
		b.Fatalf("trace reached %d of %d assets (truncated %v %s)", len(kinds(tr, types.KindAsset)), *traceSize, tr.Truncated, tr.TruncatedReason)
	}
	b.ReportMetric(float64(len(tr.Nodes)), "nodes")
	b.ReportMetric(float64(len(tr.Edges)), "edges")
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		g.trace(b, req)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
