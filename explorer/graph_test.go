package explorer

import (
	"strings"
	"testing"
)

func idsByLayer(l Layout) map[string][2]int {
	m := map[string][2]int{}
	for _, n := range l.Nodes {
		m[n.ID] = [2]int{n.Layer, n.Pos}
	}
	return m
}

// A product of two datasets, one of which is itself derived from a third
// (a diamond through a-1), with rights and a party.
func diamond() Graph {
	return Graph{Root: "a-4",
		Nodes: []GraphNode{
			{ID: "a-4", Kind: "product"}, {ID: "a-3", Kind: "asset"}, {ID: "a-2", Kind: "asset"}, {ID: "a-1", Kind: "asset"},
			{ID: "r-9", Kind: "right"}, {ID: "0xABC", Kind: "party"}, {ID: "a-1", Kind: "asset"}, // a duplicate
		},
		Edges: []GraphEdge{
			{From: "a-4", To: "a-3", Kind: "derived_from", Via: "r-5"},
			{From: "a-4", To: "a-2", Kind: "derived_from"},
			{From: "a-3", To: "a-1", Kind: "derived_from"},
			{From: "a-2", To: "a-1", Kind: "derived_from"},
			{From: "r-9", To: "a-4", Kind: "right_on"},
			{From: "r-9", To: "0xABC", Kind: "held_by"},
			{From: "r-9", To: "r-404", Kind: "sublicensed_from"}, // names no node
		},
	}
}

func TestPlaceGraphLayers(t *testing.T) {
	l := PlaceGraph(diamond())
	if len(l.Nodes) != 6 {
		t.Fatalf("%d nodes placed, want 6 (a duplicate appears once)", len(l.Nodes))
	}
	if len(l.Edges) != 6 {
		t.Fatalf("%d edges, want 6 (the dangling one dropped)", len(l.Edges))
	}
	at := idsByLayer(l)
	want := map[string]int{"a-1": 0, "0xABC": 0, "a-2": 1, "a-3": 1, "a-4": 2, "r-9": 3}
	for id, layer := range want {
		if at[id][0] != layer {
			t.Errorf("%s in layer %d, want %d", id, at[id][0], layer)
		}
	}
	for _, e := range l.Edges {
		if at[e.From][0] <= at[e.To][0] {
			t.Errorf("edge %s→%s does not point to a lower layer (%d→%d)", e.From, e.To, at[e.From][0], at[e.To][0])
		}
	}
	if l.Layers != 4 || l.Width != 2*margin+3*layerDX+nodeW || l.Height != 2*margin+rowDY+nodeH {
		t.Errorf("layout %d layers %dx%d", l.Layers, l.Width, l.Height)
	}
	// Within a layer: kind, then id in numeric order.
	if at["a-2"][1] != 0 || at["a-3"][1] != 1 {
		t.Errorf("layer 1 order: a-2 at %d, a-3 at %d", at["a-2"][1], at["a-3"][1])
	}
}

// The same graph in any input order gets the same picture.
func TestPlaceGraphDeterministic(t *testing.T) {
	g := diamond()
	first := PlaceGraph(g).SVG("a-4", EntityHref, func(k string) string { return k })
	for i := 0; i < 5; i++ {
		for j := range g.Nodes { // rotate the nodes and edges
			k := (j + 1) % len(g.Nodes)
			g.Nodes[j], g.Nodes[k] = g.Nodes[k], g.Nodes[j]
		}
		g.Edges = append(g.Edges[1:], g.Edges[0])
		if got := PlaceGraph(g).SVG("a-4", EntityHref, func(k string) string { return k }); got != first {
			t.Fatalf("rotation %d drew a different picture", i)
		}
	}
}

func TestPlaceGraphCycleAndEmpty(t *testing.T) {
	l := PlaceGraph(Graph{Nodes: []GraphNode{{ID: "a-1"}, {ID: "a-2"}}, Edges: []GraphEdge{{From: "a-1", To: "a-2"}, {From: "a-2", To: "a-1"}, {From: "a-1", To: "a-1"}}})
	if len(l.Nodes) != 2 {
		t.Fatalf("cycle: %d nodes", len(l.Nodes))
	}
	if l := PlaceGraph(Graph{}); len(l.Nodes) != 0 || l.Layers != 1 {
		t.Fatalf("empty graph: %+v", l)
	}
}

func TestSVGLinksAndEscapes(t *testing.T) {
	g := diamond()
	g.Nodes[0].Label = `<script>alert(1)</script>`
	svg := string(PlaceGraph(g).SVG("a-4", EntityHref, func(k string) string { return "T(" + k + ")" }))
	for _, want := range []string{`href="/e/a-4"`, `data-id="0xABC"`, `T(edge.derived_from)`, `T(kind.pro`, `stroke="#b91c1c"`, `(r-5)`} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script>") {
		t.Error("a label was not escaped")
	}
	if n := strings.Count(svg, `class="node"`); n != 6 {
		t.Errorf("%d nodes drawn, want 6", n)
	}
	if n := strings.Count(svg, `marker-end=`); n != 6 {
		t.Errorf("%d edges drawn, want 6", n)
	}
}

func TestTraceWords(t *testing.T) {
	w := words{"en"}
	for key, want := range map[string]string{"RIGHT_KIND_USE": "use right", "action.some_new_event": "some_new_event",
		"v1.2 bus data": "v1.2 bus data", "edge.derived_from": "derived from", "state.settled": "settled"} {
		if got := w.Word(key); got != want {
			t.Errorf("Word(%q) = %q, want %q", key, got, want)
		}
	}
}
