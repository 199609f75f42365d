package explorer

import (
	"testing"

	provtypes "github.com/datarights/datarights/x/provenance/types"
)

// A trace's short state and label names become catalogue keys, so the
// graph prints them translated.
func TestTraceGraphWords(t *testing.T) {
	g := traceGraph(&provtypes.Trace{Root: "a-3", Truncated: true,
		Nodes: []*provtypes.TraceNode{
			{Id: "a-3", Kind: provtypes.KindProduct, Label: "Commute planner", State: "in_notice"},
			{Id: "r-4", Kind: provtypes.KindRight, Label: "use", State: "pending_approval"},
			{Id: "t-1", Kind: provtypes.KindTrade, Label: "100 fen", State: "settled"},
			{Id: "0xAB", Kind: provtypes.KindParty, Label: "Big Data Centre", State: "active"},
		},
		Edges: []*provtypes.TraceEdge{{From: "r-4", To: "a-3", Kind: provtypes.EdgeRightOn}}})
	zh := words{"zh"}
	want := [][2]string{{"Commute planner", "公示期中"}, {"数据加工使用权", "待数据主管部门审批"}, {"100 fen", "已结算"}, {"Big Data Centre", "正常"}}
	for i, n := range g.Nodes {
		if got := [2]string{zh.Word(n.Label), zh.Word(n.State)}; got != want[i] {
			t.Errorf("node %s: %q, want %q", n.ID, got, want[i])
		}
	}
	if !g.Truncated || g.Root != "a-3" || len(g.Edges) != 1 || g.Edges[0].Kind != "right_on" {
		t.Errorf("graph %+v", g)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{" A-3 ": "a-3", "r-10": "r-10", "AU-2": "au-2",
		"0x92982933061355aad77e160036294f513c4255ad": "0x92982933061355AAD77e160036294f513C4255ad"} {
		if got, ok := Normalize(in); !ok || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "a-0", "a-01", "x-1", "a-1; drop", "0x1234", "../etc/passwd", "a-99999999999999999999"} {
		if got, ok := Normalize(bad); ok {
			t.Errorf("Normalize(%q) = %q, accepted", bad, got)
		}
	}
}
