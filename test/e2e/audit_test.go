//go:build unix

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// auditReport is `audit verify -o json`.
type auditReport struct {
	Entity  string `json:"entity"`
	Height  int64  `json:"height"`
	AppHash string `json:"app_hash"`
	Verdict string `json:"verdict"`
	Items   []struct {
		Kind    string `json:"kind"`
		What    string `json:"what"`
		Verdict string `json:"verdict"`
		Reason  string `json:"reason"`
	} `json:"items"`
}

// failedWith is the first FAILED item of kind whose reason has reason.
func (r auditReport) failedWith(kind, reason string) bool {
	for _, it := range r.Items {
		if it.Kind == kind && it.Verdict == "FAILED" && strings.Contains(it.Reason, reason) {
			return true
		}
	}
	return false
}

// lyingNode is a reverse proxy to a node's RPC that alters one kind of
// answer: "query" flips a byte of every proven abci_query value, "block"
// flips a byte of the first tx of every block, "header" changes the app
// hash of every signed header.
func lyingNode(t *testing.T, rpcURL, mode string) string {
	t.Helper()
	target, err := url.Parse(rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(target)
	p.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		resp.Body.Close()
		body = tamper(body, mode)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

// tamper alters a JSON-RPC answer the way mode says, or returns it as is.
func tamper(body []byte, mode string) []byte {
	var msg map[string]any
	if json.Unmarshal(body, &msg) != nil {
		return body
	}
	res, _ := msg["result"].(map[string]any)
	changed := false
	switch mode {
	case "query":
		if r, _ := res["response"].(map[string]any); r != nil && r["proofOps"] != nil {
			r["value"], changed = flipLastByte(r["value"])
		}
	case "header":
		sh, _ := res["signed_header"].(map[string]any)
		if h, _ := sh["header"].(map[string]any); h != nil {
			h["app_hash"], changed = strings.Repeat("AB", 32), true
		}
	case "block":
		b, _ := res["block"].(map[string]any)
		d, _ := b["data"].(map[string]any)
		if txs, _ := d["txs"].([]any); len(txs) > 0 {
			txs[0], changed = flipLastByte(txs[0])
		}
	}
	if !changed {
		return body
	}
	out, err := json.Marshal(msg)
	if err != nil {
		return body
	}
	return out
}

// flipLastByte flips the last byte of base64 bytes.
func flipLastByte(v any) (any, bool) {
	s, _ := v.(string)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) == 0 {
		return v, false
	}
	raw[len(raw)-1] ^= 1
	return base64.StdEncoding.EncodeToString(raw), true
}

// TestAuditEndToEnd: an asset with a few txs is verified against all four
// nodes' RPC from the genesis file (state, history, txs, trace), bundled
// and re-verified offline; then, with one node stopped and a lying proxy
// as the primary, verification fails with the reason.
func TestAuditEndToEnd(t *testing.T) {
	nw := StartNetwork(t, 4)
	genesis := filepath.Join(nw.Nodes[0].Home, "config", "genesis.json")
	dept := nw.Nodes[0].CDO
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

	reg, _, _, err := nw.Tx(0, "registry", "register", "--kind", "dataset", "--catalogue-code", "BZ-E2E-A001",
		"--name", "Audited dataset", "--source-department", dept, "--standard", "GB/T-2260", "--classification", "public",
		"--grade", "general", "--open-level", "conditional", "--content-hash", hash("v1"))
	if err != nil || len(reg.IDs) != 1 {
		t.Fatalf("register: %v %+v", err, reg)
	}
	asset := reg.IDs[0]
	ver, _, _, err := nw.Tx(0, "registry", "add-version", asset, "--content-hash", hash("v2"), "--note", "second release")
	if err != nil {
		t.Fatalf("add-version: %v", err)
	}
	// Two more datasets, and a data product derived from all three (the
	// department holds each root right, which allows derive), from which
	// department 2 is granted a use right.
	inputs := []string{asset}
	for i, name := range []string{"Road works", "Bus stops"} {
		r, _, _, err := nw.Tx(0, "registry", "register", "--kind", "dataset", "--catalogue-code", "BZ-E2E-A00"+strconv.Itoa(i+2),
			"--name", name, "--source-department", dept, "--classification", "public",
			"--grade", "general", "--open-level", "conditional", "--content-hash", hash(name))
		if err != nil || len(r.IDs) != 1 {
			t.Fatalf("register %s: %v %+v", name, err, r)
		}
		inputs = append(inputs, r.IDs[0])
	}
	prod, _, _, err := nw.Tx(0, "registry", "register", "--kind", "data_product", "--catalogue-code", "BZ-E2E-P001",
		"--name", "Commute planner", "--source-department", dept, "--classification", "public", "--grade", "general",
		"--open-level", "conditional", "--content-hash", hash("product"),
		"--inputs", inputs[0]+":5000,"+inputs[1]+":3000,"+inputs[2]+":2000")
	if err != nil || len(prod.IDs) != 1 {
		t.Fatalf("register the product: %v %+v", err, prod)
	}
	product := prod.IDs[0]
	var pa struct {
		HoldingRightID string `json:"holding_right_id"`
	}
	rightsT{T: t, nw: nw}.queryEntity(0, "registry", "asset", product, false, 0, &pa)
	grant, _, _, err := nw.Tx(0, "rights", "grant", pa.HoldingRightID, "--to", nw.Nodes[1].CDO, "--kind", "use",
		"--operations", "query", "--purposes", "planning", "--duration", "720h")
	if err != nil {
		t.Fatalf("grant on the product: %v", err)
	}

	// State at H is proven by header H+1: wait until the state after the
	// last tx has a header over it.
	nw.WaitAllHeight(grant.Height + 2)

	nodes := func(urls ...string) []string {
		var out []string
		for _, u := range urls {
			out = append(out, "--node", u)
		}
		return out
	}
	all := nodes(nw.Nodes[0].RPC, nw.Nodes[1].RPC, nw.Nodes[2].RPC, nw.Nodes[3].RPC)

	// (1) Honest nodes: everything verifies, including both txs.
	var rep auditReport
	args := append([]string{"audit", "verify", asset, "--genesis", genesis, "--trace"}, all...)
	if _, _, err := nw.CLIJSON(&rep, args...); err != nil || rep.Verdict != "VERIFIED" {
		t.Fatalf("audit verify against honest nodes: %v, verdict %q: %+v", err, rep.Verdict, rep.Items)
	}
	kinds := map[string]int{}
	txs := map[string]bool{}
	for _, it := range rep.Items {
		kinds[it.Kind]++
		if it.Kind == "tx" {
			txs[strings.Fields(it.What)[1]] = true
		}
	}
	if kinds["header"] != 1 || kinds["state"] != 1 || kinds["history"] < 2 || !txs[reg.TxHash] || !txs[ver.TxHash] || kinds["trace_edge"] < 1 {
		t.Fatalf("report items %v (txs %v): want a header, the state, history with txs %s and %s, and trace edges", kinds, txs, reg.TxHash, ver.TxHash)
	}
	if want := nw.AppHashAt(1, rep.Height+1); !strings.EqualFold(rep.AppHash, want) {
		t.Fatalf("report app hash %s, node 2's header %d says %s", rep.AppHash, rep.Height+1, want)
	}

	// (1b) The product's trace, up its lineage: the three inputs and each
	// derivation edge, the rights on it and their holders, every node's
	// state and every edge proven; its registration and the grant proven
	// as txs.
	rep = auditReport{}
	args = append([]string{"audit", "verify", product, "--genesis", genesis, "--trace", "--direction", "both"}, all...)
	if _, _, err := nw.CLIJSON(&rep, args...); err != nil || rep.Verdict != "VERIFIED" {
		t.Fatalf("audit verify --trace of the product: %v, verdict %q: %+v", err, rep.Verdict, rep.Items)
	}
	seen := map[string]bool{}
	for _, it := range rep.Items {
		if it.Verdict != "VERIFIED" {
			t.Fatalf("item %+v", it)
		}
		seen[it.Kind+" "+it.What] = true
		if it.Kind == "tx" {
			seen["tx "+strings.Fields(it.What)[1]] = true
		}
	}
	for _, in := range inputs {
		if !seen["trace_node asset "+in] || !seen["trace_edge "+product+" derived_from "+in] {
			t.Errorf("the product's trace lacks input %s or its derived_from edge: %v", in, seen)
		}
	}
	if !seen["tx "+prod.TxHash] || !seen["tx "+grant.TxHash] {
		t.Errorf("the product's registration %s and the grant %s are not both proven txs: %v", prod.TxHash, grant.TxHash, seen)
	}

	// (2) A bundle re-verifies offline; a tampered one fails.
	bundle := filepath.Join(nw.Dir, "audit-bundle.json")
	if _, _, err := nw.CLI(append([]string{"audit", "bundle", asset, "--genesis", genesis, "--out", bundle}, all...)...); err != nil {
		t.Fatalf("audit bundle: %v", err)
	}
	rep = auditReport{}
	if _, _, err := nw.CLIJSON(&rep, "audit", "verify", "--bundle", bundle, "--genesis", genesis); err != nil || rep.Verdict != "VERIFIED" {
		t.Fatalf("offline verify of the bundle: %v %+v", err, rep)
	}
	var b map[string]any
	raw, _ := os.ReadFile(bundle)
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	first := b["queries"].([]any)[0].(map[string]any)
	resp, _ := base64.StdEncoding.DecodeString(first["response"].(string))
	resp[len(resp)/2] ^= 1 // inside the value or its proof
	first["response"] = base64.StdEncoding.EncodeToString(resp)
	raw, _ = json.Marshal(b)
	tampered := filepath.Join(nw.Dir, "audit-bundle-tampered.json")
	if err := os.WriteFile(tampered, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	rep = auditReport{}
	_, _, err = nw.CLIJSON(&rep, "audit", "verify", "--bundle", tampered, "--genesis", genesis)
	if cliExit(err) != 1 || rep.Verdict != "FAILED" || rep.Items[1].Kind != "state" || rep.Items[1].Verdict != "FAILED" {
		t.Fatalf("tampered bundle: exit %d, %+v; want exit 1 and the state FAILED", cliExit(err), rep)
	}

	// (3) Node 4 stops; a proxy in front of node 2 alters proven query
	// values: the state fails, and the command exits 1.
	nw.Kill(3)
	liar := lyingNode(t, nw.Nodes[1].rpcURL, "query")
	rep = auditReport{}
	args = append([]string{"audit", "verify", asset, "--genesis", genesis}, nodes(liar, nw.Nodes[0].RPC, nw.Nodes[2].RPC, nw.Nodes[3].RPC)...)
	_, _, err = nw.CLIJSON(&rep, args...)
	if cliExit(err) != 1 || rep.Verdict != "FAILED" || !rep.failedWith("state", "proof does not verify") || !rep.failedWith("history", "proof does not verify") {
		t.Fatalf("lying primary (values): exit %d, %+v; want exit 1, state and history FAILED: proof does not verify", cliExit(err), rep)
	}
	for _, it := range rep.Items {
		if it.Kind == "header" && it.Verdict != "VERIFIED" {
			t.Fatalf("the headers are genuine, yet %+v", it)
		}
	}

	// (4) A proxy that alters the txs of blocks: each tx fails.
	liar = lyingNode(t, nw.Nodes[1].rpcURL, "block")
	rep = auditReport{}
	args = append([]string{"audit", "verify", asset, "--genesis", genesis}, nodes(liar, nw.Nodes[0].RPC, nw.Nodes[2].RPC)...)
	_, _, err = nw.CLIJSON(&rep, args...)
	if cliExit(err) != 1 || rep.Verdict != "FAILED" || !rep.failedWith("tx", "hashes to") {
		t.Fatalf("lying primary (txs): exit %d, %+v; want exit 1 and the txs FAILED", cliExit(err), rep)
	}

	// (5) A lone node that forges headers (another app hash, the real
	// signatures): the light client refuses the header, and nothing is
	// proven against it.
	liar = lyingNode(t, nw.Nodes[1].rpcURL, "header")
	rep = auditReport{}
	_, _, err = nw.CLIJSON(&rep, "audit", "verify", asset, "--genesis", genesis, "--node", liar)
	if cliExit(err) != 1 || rep.Verdict != "FAILED" || !rep.failedWith("header", "") || len(rep.Items) != 1 {
		t.Fatalf("forged headers: exit %d, %+v; want exit 1 and only the header FAILED", cliExit(err), rep)
	}
	t.Logf("forged header: %s", rep.Items[0].Reason)
}
