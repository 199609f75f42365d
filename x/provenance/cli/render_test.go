package cli

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/provenance/types"
)

// sample is a product P (a-3) from a-1 (via a right under an
// authorisation) and a-2, with P's root right, a listing and a trade.
func sample() *types.Trace {
	n := func(id, kind, label string) *types.TraceNode {
		return &types.TraceNode{Id: id, Kind: kind, Label: label, State: "active"}
	}
	e := func(from, to, kind, via string) *types.TraceEdge {
		return &types.TraceEdge{From: from, To: to, Kind: kind, Via: via}
	}
	return &types.Trace{Root: "a-3",
		Nodes: []*types.TraceNode{
			n("a-3", types.KindProduct, `P "quoted" \ name`), n("a-1", types.KindAsset, "D1"), n("a-2", types.KindAsset, "E"),
			n("r-5", types.KindRight, "operation"), n("r-2", types.KindRight, "use"), n("au-1", types.KindAuthorization, "op"),
			n("0xO", types.KindParty, "O"), n("l-1", types.KindListing, "license"), n("t-1", types.KindTrade, "9999 fen"),
			n("r-6", types.KindRight, "use"), n("r-1", types.KindRight, "holding"),
		},
		Edges: []*types.TraceEdge{
			e("a-3", "a-1", types.EdgeDerivedFrom, "r-2,au-1"), e("a-3", "a-2", types.EdgeDerivedFrom, ""),
			e("r-5", "a-3", types.EdgeRightOn, ""), e("r-5", "0xO", types.EdgeHeldBy, ""),
			e("r-2", "a-1", types.EdgeRightOn, ""), e("r-2", "au-1", types.EdgeUnderAuthorization, ""),
			e("r-2", "r-1", types.EdgeSublicensedFrom, ""), e("r-1", "a-1", types.EdgeRightOn, ""),
			e("l-1", "r-5", types.EdgeListed, ""), e("t-1", "l-1", types.EdgeTradedIn, ""), e("t-1", "r-6", types.EdgeTradedIn, ""),
			e("r-6", "r-5", types.EdgeSublicensedFrom, ""),
		}}
}

func TestWriteTree(t *testing.T) {
	var b bytes.Buffer
	WriteTree(&b, sample())
	out := b.String()
	t.Log("\n" + out)
	for _, want := range []string{
		"product a-3 ", "├── derived_from → [via r-2,au-1] asset a-1", "← right_on right r-5",
		"(see above)", "11 nodes, 12 edges",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tree lacks %q:\n%s", want, out)
		}
	}
	// Every node is printed expanded exactly once.
	for _, n := range sample().Nodes {
		if c := strings.Count(out, n.Kind+" "+n.Id+" "); c != 1 {
			t.Errorf("%s expanded %d times:\n%s", n.Id, c, out)
		}
	}
	tr := sample()
	tr.Truncated, tr.TruncatedReason = true, "max_nodes"
	b.Reset()
	WriteTree(&b, tr)
	if !strings.Contains(b.String(), "TRUNCATED (max_nodes)") {
		t.Errorf("a truncated trace does not say so:\n%s", b.String())
	}
}

func TestWriteDOT(t *testing.T) {
	var b bytes.Buffer
	WriteDOT(&b, sample())
	out := b.String()
	if !strings.HasPrefix(out, "digraph trace {") || !strings.HasSuffix(out, "}\n") {
		t.Fatalf("not a digraph:\n%s", out)
	}
	if strings.Count(out, " -> ") != len(sample().Edges) {
		t.Errorf("want %d edges:\n%s", len(sample().Edges), out)
	}
	if !strings.Contains(out, `\"quoted\" \\ name`) {
		t.Errorf("label not escaped:\n%s", out)
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz dot not installed (apt-get install graphviz); structure checked only")
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = &b
	svg, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("dot -Tsvg: %v\n%s", err, svg)
	}
}

func TestToPROV(t *testing.T) {
	p := ToPROV(sample())
	// Round trip through JSON, as a PROV tool reads it.
	bz, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(bz, &doc); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"prefix", "entity", "activity", "agent", "used", "wasGeneratedBy", "wasDerivedFrom", "wasAttributedTo"} {
		if len(doc[section]) == 0 {
			t.Errorf("section %s is missing or empty", section)
		}
	}
	if doc["prefix"]["dr"] != ProvNamespace {
		t.Errorf("prefix: %v", doc["prefix"])
	}
	if len(doc["entity"]) != 9 || len(doc["agent"]) != 1 || doc["agent"]["dr:0xO"] == nil {
		t.Errorf("entities %d agents %v", len(doc["entity"]), doc["agent"])
	}
	// Every relation names declared identifiers.
	declared := func(id any) bool {
		s, _ := id.(string)
		return doc["entity"][s] != nil || doc["activity"][s] != nil || doc["agent"][s] != nil
	}
	for _, section := range []string{"used", "wasGeneratedBy", "wasDerivedFrom", "wasAttributedTo"} {
		for id, rel := range doc[section] {
			for k, v := range rel.(map[string]any) {
				if strings.HasPrefix(k, "prov:") && k != "prov:type" && !declared(v) {
					t.Errorf("%s %s: %s = %v is not declared", section, id, k, v)
				}
			}
		}
	}
	// The derivation of a-3: one activity, using both inputs, generating
	// a-3, and a wasDerivedFrom per input with the via.
	if doc["activity"]["dr:derive/a-3"] == nil {
		t.Fatalf("no derivation activity: %v", doc["activity"])
	}
	derived := map[string]string{}
	for _, r := range doc["wasDerivedFrom"] {
		m := r.(map[string]any)
		if m["prov:generatedEntity"] == "dr:a-3" {
			via, _ := m["dr:via"].(string)
			derived[m["prov:usedEntity"].(string)] = via
		}
	}
	if len(derived) != 2 || derived["dr:a-1"] != "r-2,au-1" {
		t.Errorf("wasDerivedFrom of a-3: %v", derived)
	}
	used := 0
	for _, r := range doc["used"] {
		if r.(map[string]any)["prov:activity"] == "dr:derive/a-3" {
			used++
		}
	}
	if used != 2 {
		t.Errorf("derivation used %d entities, want 2", used)
	}
	attributed := false
	for _, r := range doc["wasAttributedTo"] {
		m := r.(map[string]any)
		attributed = attributed || (m["prov:entity"] == "dr:r-5" && m["prov:agent"] == "dr:0xO")
	}
	if !attributed {
		t.Error("r-5 is not attributed to its holder")
	}
	// Pure: the same trace gives the same document.
	again, _ := json.Marshal(ToPROV(sample()))
	if !bytes.Equal(bz, again) {
		t.Error("ToPROV is not deterministic")
	}
}
