package explorer

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"
)

// Graph is what the explorer draws: entities and the relations between
// them. An edge From → To reads "From depends on, belongs to or came from
// To" (a product is derived from its input, a right is on its asset).
type Graph struct {
	Root      string
	Nodes     []GraphNode
	Edges     []GraphEdge
	Truncated bool
}

// GraphNode is one entity of a graph.
type GraphNode struct {
	ID, Kind, Label, State string
}

// GraphEdge is one relation; Via names what allowed it (the right or
// authorisation behind a derivation).
type GraphEdge struct {
	From, To, Kind, Via string
}

// Placed is a node with its position in a layout.
type Placed struct {
	GraphNode
	Layer, Pos int
	X, Y       int
}

// Layout is a graph placed in layers: layer 0 holds the nodes that depend
// on nothing in the graph (sources, parties), and every edge From → To
// places From in a higher layer than To, so the drawing reads left to
// right from sources to what was made of them.
type Layout struct {
	Nodes  []Placed // in layer, then position order
	Edges  []GraphEdge
	Layers int
	Width  int
	Height int
}

// Geometry of the drawing, in SVG user units.
const (
	nodeW   = 180
	nodeH   = 46
	layerDX = 250
	rowDY   = 70
	margin  = 20
)

// PlaceGraph lays g out: each node's layer is the longest path of edges
// below it (edges closing a cycle, which a trace never has, are ignored),
// and nodes within a layer are ordered by the mean position of what they
// depend on, then by kind and id, so the same graph always gets the same
// picture. Edges naming nodes the graph lacks are dropped.
func PlaceGraph(g Graph) Layout {
	ids := make(map[string]int, len(g.Nodes))
	nodes := make([]GraphNode, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		if _, dup := ids[n.ID]; dup || n.ID == "" {
			continue
		}
		ids[n.ID] = len(nodes)
		nodes = append(nodes, n)
	}
	out := make([][]int, len(nodes)) // i depends on out[i]
	var edges []GraphEdge
	for _, e := range g.Edges {
		f, okf := ids[e.From]
		to, okt := ids[e.To]
		if !okf || !okt || f == to {
			continue
		}
		out[f] = append(out[f], to)
		edges = append(edges, e)
	}
	slices.SortFunc(edges, func(a, b GraphEdge) int {
		if c := compareIDs(a.From, b.From); c != 0 {
			return c
		}
		if c := compareIDs(a.To, b.To); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
	layer := layers(out)

	byLayer := map[int][]int{}
	maxLayer := 0
	for i, l := range layer {
		byLayer[l] = append(byLayer[l], i)
		maxLayer = max(maxLayer, l)
	}
	pos := make([]float64, len(nodes))
	var placed []Placed
	tallest := 0
	for l := 0; l <= maxLayer; l++ {
		row := byLayer[l]
		key := make(map[int]float64, len(row))
		for _, i := range row {
			key[i] = barycentre(out[i], pos, layer, l)
		}
		slices.SortFunc(row, func(a, b int) int {
			if c := cmp.Compare(key[a], key[b]); c != 0 {
				return c
			}
			if c := cmp.Compare(nodes[a].Kind, nodes[b].Kind); c != 0 {
				return c
			}
			return compareIDs(nodes[a].ID, nodes[b].ID)
		})
		for p, i := range row {
			pos[i] = float64(p)
			placed = append(placed, Placed{GraphNode: nodes[i], Layer: l, Pos: p,
				X: margin + l*layerDX, Y: margin + p*rowDY})
		}
		tallest = max(tallest, len(row))
	}
	return Layout{
		Nodes: placed, Edges: edges, Layers: maxLayer + 1,
		Width:  2*margin + maxLayer*layerDX + nodeW,
		Height: 2*margin + max(tallest-1, 0)*rowDY + nodeH,
	}
}

// layers gives each node the length of the longest dependency path below
// it, by depth-first search; an edge back to a node on the current path
// (a cycle) is ignored.
func layers(out [][]int) []int {
	const unseen, onPath, done = 0, 1, 2
	state := make([]int, len(out))
	layer := make([]int, len(out))
	var visit func(i int)
	visit = func(i int) {
		state[i] = onPath
		for _, j := range out[i] {
			switch state[j] {
			case unseen:
				visit(j)
			case onPath:
				continue
			}
			layer[i] = max(layer[i], layer[j]+1)
		}
		state[i] = done
	}
	for i := range out {
		if state[i] == unseen {
			visit(i)
		}
	}
	return layer
}

// barycentre is the mean position of a node's dependencies in lower
// layers (already placed), or -1 for a node that has none (sources first).
func barycentre(deps []int, pos []float64, layer []int, l int) float64 {
	sum, n := 0.0, 0
	for _, j := range deps {
		if layer[j] < l {
			sum += pos[j]
			n++
		}
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

// compareIDs orders "a-2" before "a-10": by prefix, then number.
func compareIDs(a, b string) int {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if c := cmp.Compare(pa, pb); c != 0 {
		return c
	}
	if c := cmp.Compare(len(na), len(nb)); c != 0 {
		return c
	}
	return cmp.Compare(na, nb)
}

func splitID(s string) (prefix, number string) {
	i := strings.LastIndexByte(s, '-')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// nodeColour is the fill of a node by kind.
func nodeColour(kind string) string {
	switch kind {
	case "asset":
		return "#dbeafe"
	case "product":
		return "#e0e7ff"
	case "right":
		return "#dcfce7"
	case "authorization":
		return "#fef3c7"
	case "party":
		return "#f3f4f6"
	case "trade", "listing":
		return "#fce7f3"
	}
	return "#ffffff"
}

// SVG draws a layout as an inline SVG element: a box per node (a link to
// its page, the root outlined), a curve per edge with an arrow towards
// what the edge depends on, and the edge's kind at its middle. tr
// translates kinds, states and edge names.
func (l Layout) SVG(root string, href func(id string) string, tr func(key string) string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph" id="provenance-graph" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		l.Width, l.Height, l.Width, l.Height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>`)
	at := make(map[string]Placed, len(l.Nodes))
	for _, n := range l.Nodes {
		at[n.ID] = n
	}
	for _, e := range l.Edges {
		f, t := at[e.From], at[e.To]
		// From is to the right of To: the curve runs from From's left side
		// to To's right side, the arrow pointing at To.
		x1, y1 := f.X, f.Y+nodeH/2
		x2, y2 := t.X+nodeW, t.Y+nodeH/2
		mx := (x1 + x2) / 2
		fmt.Fprintf(&b, `<path class="edge edge-%s" d="M%d,%d C%d,%d %d,%d %d,%d" fill="none" stroke="#64748b" stroke-width="1.3" marker-end="url(#arrow)"><title>%s</title></path>`,
			esc(e.Kind), x1, y1, mx, y1, mx, y2, x2, y2, esc(edgeTitle(e, tr)))
		fmt.Fprintf(&b, `<text class="edge-label" x="%d" y="%d" font-size="10" fill="#475569" text-anchor="middle">%s</text>`,
			mx, (y1+y2)/2-3, esc(tr("edge."+e.Kind)))
	}
	for _, n := range l.Nodes {
		stroke, width := "#94a3b8", 1
		if n.ID == root {
			stroke, width = "#b91c1c", 3
		}
		fmt.Fprintf(&b, `<a href="%s" class="node" data-id="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="%d"/>`,
			esc(href(n.ID)), esc(n.ID), n.X, n.Y, nodeW, nodeH, nodeColour(n.Kind), stroke, width)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" font-weight="bold" fill="#0f172a">%s · %s</text>`,
			n.X+8, n.Y+18, esc(shortID(n.ID)), esc(clip(tr("kind."+n.Kind), 12)))
		line2 := tr(n.Label)
		if n.State != "" {
			line2 += " · " + tr(n.State)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#334155">%s</text><title>%s</title></a>`,
			n.X+8, n.Y+36, esc(clip(line2, 24)), esc(tr(n.Label)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above went through esc
}

func edgeTitle(e GraphEdge, tr func(string) string) string {
	s := e.From + " " + tr("edge."+e.Kind) + " " + e.To
	if e.Via != "" {
		s += " (" + e.Via + ")"
	}
	return s
}

// shortID shortens an address to fit a node box ("0x1817…cF2B").
func shortID(id string) string {
	if len(id) == 42 && strings.HasPrefix(id, "0x") {
		return id[:6] + "…" + id[38:]
	}
	return id
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// esc escapes text for SVG/HTML content and attribute values.
func esc(s string) string { return template.HTMLEscapeString(s) }
