package keeper_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/provenance/keeper"
	"github.com/datarights/datarights/x/provenance/types"
)

// checkGraph asserts what every trace must be: each node once, each edge
// once and between nodes of the trace, the root among the nodes, and the
// derived_from edges acyclic (the lineage is a DAG).
func checkGraph(t *testing.T, tr *types.Trace) map[string]*types.TraceNode {
	t.Helper()
	nodes := map[string]*types.TraceNode{}
	for _, n := range tr.Nodes {
		if nodes[n.Id] != nil {
			t.Fatalf("node %s appears twice", n.Id)
		}
		nodes[n.Id] = n
	}
	if nodes[tr.Root] == nil {
		t.Fatalf("root %s is not a node", tr.Root)
	}
	edges := map[string]bool{}
	up := map[string][]string{}
	for _, e := range tr.Edges {
		k := e.From + "|" + e.To + "|" + e.Kind
		if edges[k] {
			t.Fatalf("edge %s appears twice", k)
		}
		edges[k] = true
		if nodes[e.From] == nil || nodes[e.To] == nil {
			t.Fatalf("edge %s names a node not in the trace", k)
		}
		if e.Kind == types.EdgeDerivedFrom {
			up[e.From] = append(up[e.From], e.To)
		}
	}
	// Cycle check by DFS colouring.
	state := map[string]int{}
	var visit func(string)
	visit = func(id string) {
		switch state[id] {
		case 1:
			t.Fatalf("derived_from cycle through %s", id)
		case 2:
			return
		}
		state[id] = 1
		for _, n := range up[id] {
			visit(n)
		}
		state[id] = 2
	}
	for id := range up {
		visit(id)
	}
	return nodes
}

func kinds(tr *types.Trace, kind string) []string {
	var out []string
	for _, n := range tr.Nodes {
		if n.Kind == kind || (kind == types.KindAsset && n.Kind == types.KindProduct) {
			out = append(out, n.Id)
		}
	}
	slices.Sort(out)
	return out
}

func ids(nums ...int) []string {
	var out []string
	for _, n := range nums {
		out = append(out, fmt.Sprintf("a-%d", n))
	}
	slices.Sort(out)
	return out
}

func hasEdge(tr *types.Trace, from, to, kind string) *types.TraceEdge {
	for _, e := range tr.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return e
		}
	}
	return nil
}

// The diamond a-4 ← {a-2, a-3} ← a-1, plus a-5 ← a-4: each asset
// appears once whichever way the trace goes, and depth limits hold.
func TestTraceDiamond(t *testing.T) {
	g := newDAG(t, 5, func(j int) []int {
		return map[int][]int{2: {1}, 3: {1}, 4: {2, 3}, 5: {4}}[j]
	})
	up := g.trace(t, &types.TraceRequest{Id: "a-5", Direction: types.Direction_DIRECTION_UP})
	checkGraph(t, up)
	if got := kinds(up, types.KindAsset); !slices.Equal(got, ids(1, 2, 3, 4, 5)) || up.Truncated {
		t.Fatalf("up from a-5: assets %v truncated %v", got, up.Truncated)
	}
	for _, e := range [][2]string{{"a-5", "a-4"}, {"a-4", "a-2"}, {"a-4", "a-3"}, {"a-2", "a-1"}, {"a-3", "a-1"}} {
		edge := hasEdge(up, e[0], e[1], types.EdgeDerivedFrom)
		if edge == nil {
			t.Fatalf("no derived_from %s → %s", e[0], e[1])
		}
		// The registrant derived through its root right on the input.
		if !strings.HasPrefix(edge.Via, "r-") {
			t.Errorf("derived_from %s → %s via %q, want the right", e[0], e[1], edge.Via)
		}
	}
	// Custody: each asset's root right, on it and held by the owner.
	for _, n := range up.Nodes {
		if n.Kind == types.KindRight {
			if hasEdge(up, n.Id, n.Holder, types.EdgeHeldBy) == nil {
				t.Errorf("right %s has no held_by edge", n.Id)
			}
		}
	}
	if len(kinds(up, types.KindRight)) != 5 || len(kinds(up, types.KindParty)) != 1 {
		t.Fatalf("custody: rights %v parties %v", kinds(up, types.KindRight), kinds(up, types.KindParty))
	}

	down := g.trace(t, &types.TraceRequest{Id: "a-1", Direction: types.Direction_DIRECTION_DOWN})
	checkGraph(t, down)
	if got := kinds(down, types.KindAsset); !slices.Equal(got, ids(1, 2, 3, 4, 5)) {
		t.Fatalf("down from a-1: %v", got)
	}
	if d := nodeDepth(down, "a-4"); d != 2 {
		t.Fatalf("a-4 at depth %d from a-1, want 2 (the shortest path)", d)
	}

	// depth 1: a-4 and its inputs only; the walk says it was cut.
	one := g.trace(t, &types.TraceRequest{Id: "a-4", Direction: types.Direction_DIRECTION_UP, Depth: 1})
	checkGraph(t, one)
	if got := kinds(one, types.KindAsset); !slices.Equal(got, ids(2, 3, 4)) || !one.Truncated || one.TruncatedReason != keeper.ReasonDepth {
		t.Fatalf("depth 1 from a-4: %v truncated %v %q", got, one.Truncated, one.TruncatedReason)
	}
	// up from a-3 never reaches its sibling a-2 or the descendant a-4.
	sib := g.trace(t, &types.TraceRequest{Id: "a-3", Direction: types.Direction_DIRECTION_UP})
	if got := kinds(sib, types.KindAsset); !slices.Equal(got, ids(1, 3)) {
		t.Fatalf("up from a-3: %v", got)
	}
	both := g.trace(t, &types.TraceRequest{Id: "a-3"})
	checkGraph(t, both)
	if got := kinds(both, types.KindAsset); !slices.Equal(got, ids(1, 3, 4, 5)) {
		t.Fatalf("both ways from a-3: %v (ancestors and descendants, no siblings)", got)
	}
	// Deterministic: the same trace twice is the same bytes.
	if again := g.trace(t, &types.TraceRequest{Id: "a-3"}); fmt.Sprint(again) != fmt.Sprint(both) {
		t.Fatal("the same trace differs between two runs")
	}
}

func nodeDepth(tr *types.Trace, id string) int {
	for _, n := range tr.Nodes {
		if n.Id == id {
			return int(n.Depth)
		}
	}
	return -1
}

// A node cap cuts the trace, says so, and still gives a consistent graph.
func TestTraceMaxNodes(t *testing.T) {
	g := newDAG(t, 40, halves)
	full := g.trace(t, &types.TraceRequest{Id: "a-1", Direction: types.Direction_DIRECTION_DOWN})
	checkGraph(t, full)
	if full.Truncated || len(kinds(full, types.KindAsset)) != 40 {
		t.Fatalf("full trace: %d assets, truncated %v", len(kinds(full, types.KindAsset)), full.Truncated)
	}
	cut := g.trace(t, &types.TraceRequest{Id: "a-1", Direction: types.Direction_DIRECTION_DOWN, MaxNodes: 25})
	checkGraph(t, cut)
	if len(cut.Nodes) != 25 || !cut.Truncated || cut.TruncatedReason != keeper.ReasonMaxNodes {
		t.Fatalf("capped trace: %d nodes, truncated %v %q", len(cut.Nodes), cut.Truncated, cut.TruncatedReason)
	}
	// The server's cap holds whatever the request asks.
	huge := g.trace(t, &types.TraceRequest{Id: "a-1", Depth: 1 << 30, MaxNodes: 1 << 30})
	if huge.Truncated {
		t.Fatalf("a 40-asset DAG should fit under the caps")
	}
}

// Bad requests get stable errors.
func TestTraceRejects(t *testing.T) {
	g := newDAG(t, 1, halves)
	for _, c := range []struct {
		req  *types.TraceRequest
		code uint32
	}{
		{&types.TraceRequest{Id: ""}, 2},
		{&types.TraceRequest{Id: strings.Repeat("a", 200)}, 2},
		{&types.TraceRequest{Id: "zz-1"}, 2},
		{&types.TraceRequest{Id: "a-99"}, 3},
		{&types.TraceRequest{Id: "r-99"}, 3},
		{&types.TraceRequest{Id: "a-1", Direction: 7}, 4},
	} {
		r := g.d.Query(keeper.PathTrace, c.req, 0, false)
		if r.Codespace != types.ModuleName || r.Code != c.code {
			t.Errorf("trace %q: %s/%d %s, want provenance/%d", c.req.Id, r.Codespace, r.Code, r.Log, c.code)
		}
	}
}
