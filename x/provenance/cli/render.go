package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/datarights/datarights/x/provenance/types"
)

// WriteTree writes a trace as an indented tree from its root, like
// tree(1). Under each node come its lineage first (derived_from, either
// way), then what points at it (rights on an asset, trades of a right...),
// then what it points at; an outgoing edge reads "kind → node", an
// incoming one "← kind node". The edge back to the parent is left out,
// and a node already shown is named with "(see above)" instead of being
// expanded again, so a DAG prints in size linear in its edges.
func WriteTree(w io.Writer, t *types.Trace) {
	nodes := map[string]*types.TraceNode{}
	for _, n := range t.Nodes {
		nodes[n.Id] = n
	}
	adj := map[string][]rel{}
	for _, e := range t.Edges {
		adj[e.From] = append(adj[e.From], rel{e: e, other: e.To, out: true})
		adj[e.To] = append(adj[e.To], rel{e: e, other: e.From})
	}
	for id := range adj {
		slices.SortStableFunc(adj[id], func(a, b rel) int { return a.rank() - b.rank() })
	}
	shown := map[string]bool{t.Root: true}
	fmt.Fprintln(w, describe(nodes[t.Root], t.Root))
	var walk func(id string, via *types.TraceEdge, indent string)
	walk = func(id string, via *types.TraceEdge, indent string) {
		var rels []rel
		for _, r := range adj[id] {
			if r.e != via {
				rels = append(rels, r)
			}
		}
		for i, r := range rels {
			branch, next := "├── ", "│   "
			if i == len(rels)-1 {
				branch, next = "└── ", "    "
			}
			label := r.e.Kind + " → "
			if !r.out {
				label = "← " + r.e.Kind + " "
			}
			if r.e.Via != "" {
				label += "[via " + r.e.Via + "] "
			}
			if shown[r.other] {
				fmt.Fprintf(w, "%s%s%s%s (see above)\n", indent, branch, label, r.other)
				continue
			}
			shown[r.other] = true
			fmt.Fprintf(w, "%s%s%s%s\n", indent, branch, label, describe(nodes[r.other], r.other))
			walk(r.other, r.e, indent+next)
		}
	}
	walk(t.Root, nil, "")
	fmt.Fprintf(w, "\n%d nodes, %d edges", len(t.Nodes), len(t.Edges))
	if t.Truncated {
		fmt.Fprintf(w, "; TRUNCATED (%s): raise --depth or --max-nodes, or trace from a node further out", t.TruncatedReason)
	}
	fmt.Fprintln(w)
}

type rel struct {
	e     *types.TraceEdge
	other string
	out   bool
}

// rank orders a node's relations in the tree: lineage, then what points
// at the node, then what it points at.
func (r rel) rank() int {
	switch {
	case r.e.Kind == types.EdgeDerivedFrom && r.out:
		return 0
	case r.e.Kind == types.EdgeDerivedFrom:
		return 1
	case !r.out:
		return 2
	}
	return 3
}

func describe(n *types.TraceNode, id string) string {
	if n == nil {
		return id
	}
	s := fmt.Sprintf("%s %s", n.Kind, n.Id)
	if n.Label != "" {
		s += fmt.Sprintf(" %q", n.Label)
	}
	if n.State != "" {
		s += " [" + n.State + "]"
	}
	return s
}

// WriteDOT writes a trace as a Graphviz digraph: one node per trace node
// (shaped by kind), one labelled arrow per edge, dependent → dependency.
func WriteDOT(w io.Writer, t *types.Trace) {
	fmt.Fprintf(w, "digraph trace {\n  rankdir=BT;\n  label=%s;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
		quote("provenance of "+t.Root))
	for _, n := range t.Nodes {
		label := n.Kind + " " + n.Id
		if n.Label != "" {
			label += "\n" + n.Label
		}
		if n.State != "" {
			label += "\n[" + n.State + "]"
		}
		attrs := fmt.Sprintf("label=%s, shape=%s", quote(label), shapes[n.Kind])
		if n.Id == t.Root {
			attrs += ", penwidth=2"
		}
		fmt.Fprintf(w, "  %s [%s];\n", quote(n.Id), attrs)
	}
	for _, e := range t.Edges {
		label := e.Kind
		if e.Via != "" {
			label += "\nvia " + e.Via
		}
		fmt.Fprintf(w, "  %s -> %s [label=%s];\n", quote(e.From), quote(e.To), quote(label))
	}
	fmt.Fprintln(w, "}")
}

var shapes = map[string]string{
	types.KindAsset: "box", types.KindProduct: "box3d", types.KindRight: "ellipse",
	types.KindAuthorization: "note", types.KindParty: "house", types.KindTrade: "diamond", types.KindListing: "tab",
}

// quote is a DOT double-quoted string: backslashes and quotes escaped,
// newlines as \n (centred lines).
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
