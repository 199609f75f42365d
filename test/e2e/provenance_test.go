//go:build unix

package e2e

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// historyEntry is one entry of `query provenance history -o json`.
type historyEntry struct {
	EntityID string `json:"entity_id"`
	Height   int64  `json:"height,string"`
	TxHash   string `json:"tx_hash"` // base64 (protojson bytes)
	TxIndex  uint32 `json:"tx_index"`
	Action   string `json:"action"`
	Actor    string `json:"actor"`
}

// traceJSON is `query provenance trace -o json`.
type traceJSON struct {
	Root  string `json:"root"`
	Nodes []struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	} `json:"nodes"`
	Edges []struct {
		From string `json:"from"`
		To   string `json:"to"`
		Kind string `json:"kind"`
		Via  string `json:"via"`
	} `json:"edges"`
	Truncated bool `json:"truncated"`
}

// provenanceCase is what the market test did that provenance must show.
type provenanceCase struct {
	product, asset, holding, listing, trade, seller, buyer string
	productReg, assetReg, buy                              TxResult
	licences                                               []string
}

// checkProvenance checks, on node i, the history of the product and the
// dataset (each tx hash one the test sent) and the trace of the product
// in every output format.
func checkProvenance(t *testing.T, nw *Network, i int, c provenanceCase) {
	t.Helper()
	history := func(id string) []historyEntry {
		var out struct {
			Entries []historyEntry `json:"entries"`
		}
		if _, _, err := nw.CLIJSON(&out, append([]string{"query", "provenance", "history", id, "--limit", "1000"}, nw.NodeFlag(i)...)...); err != nil {
			t.Fatalf("query provenance history %s on node %d: %v", id, i, err)
		}
		return out.Entries
	}
	txOf := func(e historyEntry) string {
		raw, err := base64.StdEncoding.DecodeString(e.TxHash)
		if err != nil {
			t.Fatalf("tx_hash %q: %v", e.TxHash, err)
		}
		return strings.ToUpper(hex.EncodeToString(raw))
	}
	find := func(entries []historyEntry, action string) *historyEntry {
		for k := range entries {
			if entries[k].Action == action {
				return &entries[k]
			}
		}
		return nil
	}
	want := func(id string, entries []historyEntry, action string, tx TxResult, actor string) {
		t.Helper()
		e := find(entries, action)
		if e == nil {
			t.Errorf("history of %s on node %d lacks %s: %+v", id, i, action, entries)
			return
		}
		if e.EntityID != id || txOf(*e) != strings.ToUpper(tx.TxHash) || e.Height != tx.Height || e.Actor != actor {
			t.Errorf("history of %s: %s entry %+v (tx %s); want tx %s at height %d by %s", id, action, e, txOf(*e), tx.TxHash, tx.Height, actor)
		}
	}
	ph := history(c.product)
	want(c.product, ph, "asset_registered", c.productReg, c.seller)
	ah := history(c.asset)
	want(c.asset, ah, "asset_registered", c.assetReg, c.seller)
	want(c.asset, ah, "traded", c.buy, c.buyer)
	if e := find(ah, "asset_certified"); e == nil || e.TxHash != "" || e.TxIndex != 0xFFFFFFFF {
		t.Errorf("history of %s: certification entry %+v, want one made at a block's end", c.asset, e)
	}
	for k := 1; k < len(ah); k++ {
		if ah[k].Height < ah[k-1].Height {
			t.Errorf("history of %s is not oldest first: %+v", c.asset, ah)
		}
	}

	var tr traceJSON
	if _, _, err := nw.CLIJSON(&tr, append([]string{"query", "provenance", "trace", c.product, "--direction", "up"}, nw.NodeFlag(i)...)...); err != nil {
		t.Fatalf("query provenance trace %s on node %d: %v", c.product, i, err)
	}
	kinds := map[string]string{}
	for _, n := range tr.Nodes {
		if kinds[n.ID] != "" {
			t.Errorf("trace node %s twice", n.ID)
		}
		kinds[n.ID] = n.Kind
	}
	if tr.Root != c.product || kinds[c.product] != "product" || kinds[c.asset] != "asset" || kinds[c.trade] != "trade" ||
		kinds[c.listing] != "listing" || kinds[c.seller] != "party" || kinds[c.buyer] != "party" || tr.Truncated {
		t.Errorf("trace of %s on node %d: nodes %v truncated %v", c.product, i, kinds, tr.Truncated)
	}
	edges := map[string]string{}
	for _, e := range tr.Edges {
		edges[e.From+" "+e.Kind+" "+e.To] = e.Via
	}
	need := []string{
		c.product + " derived_from " + c.asset, c.holding + " right_on " + c.asset, c.holding + " held_by " + c.seller,
		c.listing + " listed " + c.holding, c.trade + " traded_in " + c.listing,
	}
	for _, l := range c.licences {
		need = append(need, c.trade+" traded_in "+l, l+" sublicensed_from "+c.holding, l+" held_by "+c.buyer)
	}
	for _, e := range need {
		if _, ok := edges[e]; !ok {
			t.Errorf("trace of %s on node %d lacks edge %s", c.product, i, e)
		}
	}
	if via := edges[c.product+" derived_from "+c.asset]; via != c.holding {
		t.Errorf("%s derived from %s via %q, want the holding right %s", c.product, c.asset, via, c.holding)
	}

	// The other formats: a tree, a Graphviz graph, PROV-JSON.
	out := func(format string) string {
		stdout, stderr, err := nw.CLI(append([]string{"query", "provenance", "trace", c.product, "--direction", "up", "--output", format}, nw.NodeFlag(i)...)...)
		if err != nil {
			t.Fatalf("trace -o %s: %v\n%s", format, err, stderr)
		}
		return stdout
	}
	if text := out("text"); !strings.HasPrefix(text, "product "+c.product) || !strings.Contains(text, "derived_from → [via "+c.holding+"] asset "+c.asset) {
		t.Errorf("trace -o text:\n%s", text)
	}
	if dot := out("dot"); !strings.HasPrefix(dot, "digraph trace {") || strings.Count(dot, " -> ") != len(tr.Edges) {
		t.Errorf("trace -o dot:\n%s", dot)
	}
	var prov map[string]map[string]any
	if err := json.Unmarshal([]byte(out("prov-json")), &prov); err != nil {
		t.Fatalf("trace -o prov-json: %v", err)
	}
	for _, s := range []string{"prefix", "entity", "activity", "agent", "used", "wasGeneratedBy", "wasDerivedFrom", "wasAttributedTo"} {
		if len(prov[s]) == 0 {
			t.Errorf("prov-json lacks %s", s)
		}
	}
	if !slices.ContainsFunc(tr.Nodes, func(n struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	}) bool {
		return n.ID == c.holding
	}) {
		t.Errorf("trace lacks the holding right %s", c.holding)
	}
}
