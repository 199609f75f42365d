//go:build unix

package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// explorerManifest is a two-department network: the least that has a
// witness for verify, so the test stays light.
const explorerManifest = `chain_id = "datarights-e2e-explorer"
starting_port = 26600
timeout_commit = "500ms"
notice_period = "5s"

[[department]]
moniker = "department-1"
name = "Bazhong Big Data Centre (巴中市大数据中心)"
org_body = "MB000001"
roles = ["data_admin", "exchange"]
power = 10

[[department]]
moniker = "department-2"
name = "Bazhong Economy and Information Technology Bureau (巴中市经济和信息化局)"
org_body = "MB000002"
roles = ["auditor"]
power = 10
`

// explorerProc is a running `datarightsd explorer`.
type explorerProc struct {
	base string // http://127.0.0.1:PORT
	log  string
}

// startExplorer runs the explorer binary against the network's nodes
// (node 0 primary, node 1 witness) with the genesis file as trust root,
// and waits until it serves.
func startExplorer(t *testing.T, nw *Network) explorerProc {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := explorerProc{base: "http://" + addr, log: filepath.Join(nw.Dir, "explorer.log")}
	logf, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Binary(), "explorer", "--node", nw.Nodes[0].RPC, "--node", nw.Nodes[1].RPC,
		"--genesis", filepath.Join(nw.Nodes[0].Home, "config", "genesis.json"), "--listen", addr)
	cmd.Env, cmd.Stdout, cmd.Stderr = nw.env(), logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start explorer: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logf.Close()
		if t.Failed() {
			t.Logf("explorer log:\n%s", LogTail(p.log, 40))
		}
	})
	deadline := time.Now().Add(MaxWait)
	for {
		if resp, err := http.Get(p.base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("explorer did not serve on %s within %s:\n%s", addr, MaxWait, LogTail(p.log, 20))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// get fetches a page and returns its status and body.
func (p explorerProc) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(p.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func wantAll(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestExplorerEndToEnd(t *testing.T) {
	start := time.Now()
	manifest := filepath.Join(t.TempDir(), "manifest.toml")
	if err := os.WriteFile(manifest, []byte(explorerManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	nw := StartNetworkManifest(t, manifest, 2)
	rt := rightsT{T: t, nw: nw}
	dept, dept2 := nw.Nodes[0].CDO, nw.Nodes[1].CDO

	// Two public datasets of department 1, a product derived from both,
	// and a use right on the product granted to department 2.
	dataset := func(code, name, seed string) string {
		id, _ := rt.okID(0, "", "registry", "register", "--kind", "dataset", "--catalogue-code", code, "--name", name,
			"--source-department", dept, "--standard", "GB/T-2260", "--classification", "public", "--grade", "general",
			"--open-level", "conditional", "--content-hash", sha256Hex(seed))
		return id
	}
	in1 := dataset("BZ-E2E-X001", "Bus ridership (公交客流)", "explorer-bus")
	in2 := dataset("BZ-E2E-X002", "Road works (道路施工)", "explorer-roads")
	product, reg := rt.okID(0, "", "registry", "register", "--kind", "data_product", "--catalogue-code", "BZ-E2E-X003",
		"--name", "Commute planner (通勤规划)", "--source-department", dept, "--standard", "GB/T-2260",
		"--classification", "public", "--grade", "general", "--open-level", "conditional",
		"--content-hash", sha256Hex("explorer-commute"), "--inputs", in1+":6000,"+in2+":4000")
	var a asset
	rt.queryEntity(0, "registry", "asset", product, false, 0, &a)
	useRight, _ := rt.okID(0, "", "rights", "grant", a.HoldingRightID, "--to", dept2, "--kind", "use",
		"--operations", "query", "--purposes", "planning", "--duration", "720h")
	// Once the product is certified, department 2 buys a licence of it
	// with money the exchange (department 1) deposited: a trade, and a
	// public levy to the public service fund.
	rt.waitBlockTime(0, *a.NoticeEnds, 30*time.Second, "a block past the product's notice period")
	nw.poll(0, 20*time.Second, "certification of "+product, func() (bool, string) {
		a = asset{}
		rt.queryEntity(0, "registry", "asset", product, false, 0, &a)
		return a.Status == "ASSET_STATUS_CERTIFIED", a.Status
	})
	const price = "12345" // fen: ¥123.45
	listing, _ := rt.okID(0, "", "market", "list", a.HoldingRightID, "--kind", "license", "--price", price,
		"--quantity", "2", "--expires", "72h", "--operations", "query", "--license-seconds", "86400")
	rt.ok(0, "", "market", "deposit", "--to", dept2, "--amount", "100000", "--bank-ref", "BOC-E2E-X001")
	tradeID, _ := rt.okID(1, "", "market", "buy", listing, "--quantity", "1", "--max-price", price)
	var fund struct {
		TotalFen uint64 `json:"total_fen,string"`
	}
	if _, _, err := nw.CLIJSON(&fund, append([]string{"query", "revenue", "fund"}, nw.NodeFlag(1)...)...); err != nil || fund.TotalFen == 0 {
		t.Fatalf("query revenue fund: %+v, %v; want the levy of the sale of public data", fund, err)
	}
	t.Logf("ledger: %s from %s and %s (registered at %d), use right %s, trade %s, fund %d fen (%s)",
		product, in1, in2, reg.Height, useRight, tradeID, fund.TotalFen, time.Since(start).Round(time.Millisecond))

	ex := startExplorer(t, nw)

	// Plain HTTP first: the pages, both languages, the rejections.
	t0 := time.Now()
	code, zh := ex.get(t, "/e/"+product)
	t.Logf("figure: the product page (state, graph, history, related) served in %s", time.Since(t0).Round(time.Millisecond))
	if code != http.StatusOK {
		t.Fatalf("GET /e/%s: %d\n%s", product, code, zh)
	}
	wantAll(t, "the product page (zh)", zh, `lang="zh-CN"`, "数据产品", "Commute planner (通勤规划)", `id="provenance-graph"`,
		`data-id="`+in1+`"`, `data-id="`+in2+`"`, `data-id="`+useRight+`"`, `data-id="`+dept2+`"`, "加工自", "数据加工使用权",
		`class="history-entry"`, "登记（进入公示期）", reg.TxHash[:12], "验证")
	if strings.Contains(zh, `id="graph-error"`) || strings.Contains(zh, `id="history-error"`) {
		t.Errorf("the product page shows a provenance error:\n%s", zh)
	}
	code, en := ex.get(t, "/e/"+product+"?lang=en")
	if code != http.StatusOK {
		t.Fatalf("GET /e/%s?lang=en: %d", product, code)
	}
	wantAll(t, "the product page (en)", en, `lang="en"`, "Data product", "derived from", "use right", "registered", ">Verify<")
	if code, body := ex.get(t, "/e/a-999"); code != http.StatusNotFound || !strings.Contains(body, "a-999") {
		t.Errorf("GET /e/a-999: %d, want 404 naming the id", code)
	}
	if code, _ := ex.get(t, "/search?q="+url.QueryEscape("drop table")); code != http.StatusBadRequest {
		t.Errorf("search for garbage: %d, want 400", code)
	}
	if code, _ := ex.get(t, "/search?q="+strings.ToUpper(product)); code != http.StatusOK { // redirected to the page
		t.Errorf("search for %s: %d", product, code)
	}
	t0 = time.Now()
	code, dash := ex.get(t, "/dashboard")
	t.Logf("figure: the dashboard served in %s", time.Since(t0).Round(time.Millisecond))
	if code != http.StatusOK {
		t.Fatalf("GET /dashboard: %d", code)
	}
	wantAll(t, "the dashboard", dash, `id="chart-assets-department"`, `id="chart-assets-grade"`, `id="chart-rights-kind"`,
		`id="chart-auth-status"`, `id="chart-trade-volume"`, `id="chart-fund"`, "Bazhong Big Data Centre", "公共数据",
		"合计: 3", // three assets, all public and general
		"合计: ¥123.45 · 1 笔交易", fmt.Sprintf("合计: ¥%d.%02d", fund.TotalFen/100, fund.TotalFen%100), `class="line"`)
	t.Logf("pages served over HTTP (%s)", time.Since(start).Round(time.Millisecond))

	browse(t, ex, product, in1, useRight)
	t.Logf("done in %s", time.Since(start).Round(time.Millisecond))
}

// browse drives headless chromium over the product's page: graph and
// history in Chinese, verify clicked and VERIFIED, then English.
func browse(t *testing.T, ex explorerProc, product, input, useRight string) {
	bin, err := chromium()
	if err != nil {
		t.Skipf("no chromium for the browser part (%v); scripts/install-chromium.sh installs Debian's package", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1400, 1100))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	page := ex.base + "/e/" + product
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("browser: %s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		if err != nil {
			t.Fatalf("browser: count %s: %v", sel, err)
		}
		return n
	}
	verdict := func() string {
		t.Helper()
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.ID("verdict"), "data-verdict"))
		if err != nil {
			t.Fatalf("browser: the verdict: %v", err)
		}
		return a.Value
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(t.ArtifactDir(), name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%d bytes)", path, len(png))
	}

	// Chinese by default (a fresh profile: no cookie).
	do("load the product page", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("provenance-graph")))
	if title, button := text("#entity-title"), text("#verify-button"); !strings.Contains(title, "数据产品") || !strings.Contains(title, product) || button != "验证" {
		t.Errorf("Chinese page: title %q, button %q", title, button)
	}
	nodes, rows, history := count("#provenance-graph a.node"), count("#history tr.history-entry"), text("#history")
	if nodes < 5 || rows < 1 || !strings.Contains(history, "登记") {
		t.Errorf("Chinese page: %d graph nodes (want the product, its 2 inputs, rights, parties), %d history rows %q", nodes, rows, history)
	}
	for _, id := range []string{product, input, useRight} {
		if count(fmt.Sprintf("#provenance-graph a.node[data-id=%q]", id)) != 1 {
			t.Errorf("the graph does not draw %s once", id)
		}
	}
	t0 := time.Now()
	do("click verify", chromedp.Click(chromedp.ID("verify-button")), chromedp.WaitVisible(chromedp.ID("verdict")))
	t.Logf("figure: verify clicked to verdict shown in %s", time.Since(t0).Round(time.Millisecond))
	if v, h := verdict(), text("#verdict h2"); v != "VERIFIED" || !strings.Contains(h, "验证通过") {
		t.Errorf("verify in Chinese: verdict %q (%q): %s", v, h, text("#verdict"))
	}
	shot("explorer-product-zh.png")

	// English, remembered in a cookie once chosen.
	do("load the page in English", chromedp.Navigate(page+"?lang=en"), chromedp.WaitVisible(chromedp.ID("provenance-graph")))
	if title, button := text("#entity-title"), text("#verify-button"); !strings.Contains(title, "Data product") || button != "Verify" {
		t.Errorf("English page: title %q, button %q", title, button)
	}
	do("click verify in English", chromedp.Click(chromedp.ID("verify-button")), chromedp.WaitVisible(chromedp.ID("verdict")))
	if v, h := verdict(), text("#verdict h2"); v != "VERIFIED" || !strings.Contains(h, "VERIFIED") {
		t.Errorf("verify in English: verdict %q (%q)", v, h)
	}
	shot("explorer-product-en.png")
	do("the dashboard, still English", chromedp.Navigate(ex.base+"/dashboard"), chromedp.WaitVisible(chromedp.ID("chart-assets-grade")))
	if title := text("h1"); title != "The city's data at a glance" {
		t.Errorf("dashboard title %q: the language cookie was not kept", title)
	}
	shot("explorer-dashboard-en.png")
}

// chromium finds the browser with scripts/install-chromium.sh, which
// installs Debian's chromium and a CJK font when they are missing.
func chromium() (string, error) {
	out, err := exec.Command(filepath.Join(SourceDir(), "scripts", "install-chromium.sh")).Output()
	if err != nil {
		return "", fmt.Errorf("scripts/install-chromium.sh: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
