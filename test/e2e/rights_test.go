//go:build unix

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rightsManifest is a 4-department network in the format of
// networks/local/manifest.toml, with a 5 s public notice period so that a
// registration is certified within the test. The harness overrides the
// chain id and the ports.
const rightsManifest = `chain_id = "datarights-e2e-rights"
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

[[department]]
moniker = "department-3"
name = "Bazhong Human Resources and Social Security Bureau (巴中市人力资源和社会保障局)"
org_body = "MB000003"
roles = []
power = 10

[[department]]
moniker = "department-4"
name = "Bazhong Health Commission (巴中市卫生健康委员会)"
org_body = "MB000004"
roles = []
power = 10
`

// noticePeriod is the manifest's notice_period.
const noticePeriod = 5 * time.Second

// The rights module's codes (x/rights/types/errors.go) this test expects.
const (
	rightsCodespace        = "rights"
	codeNotLive     uint32 = 10 // ErrNotLive: revoked, expired, or an ancestor is
	codeOutOfScope  uint32 = 25 // ErrUsageOutOfScope
)

// asset is an asset as `query registry asset -o json` prints it.
type asset struct {
	ID               string     `json:"id"`
	Kind             string     `json:"kind"`
	CatalogueCode    string     `json:"catalogue_code"`
	Name             string     `json:"name"`
	SourceDepartment string     `json:"source_department"`
	StandardRef      string     `json:"standard_ref"`
	Classification   string     `json:"classification"`
	Grade            string     `json:"grade"`
	OpenLevel        string     `json:"open_level"`
	ContentHash      string     `json:"content_hash"`
	Registrant       string     `json:"registrant"`
	RegisteredHeight int64      `json:"registered_height,string"`
	RegisteredTime   time.Time  `json:"registered_time"`
	Status           string     `json:"status"`
	NoticeEnds       *time.Time `json:"notice_ends"`
	CertificateNo    string     `json:"certificate_no"`
	CertifiedHeight  int64      `json:"certified_height,string"`
	HoldingRightID   string     `json:"holding_right_id"`
}

// certificate is what `query registry certificate -o json` prints.
type certificate struct {
	CertificateNo   string `json:"certificate_no"`
	AssetID         string `json:"asset_id"`
	Name            string `json:"name"`
	CatalogueCode   string `json:"catalogue_code"`
	Holder          string `json:"holder"`
	ContentHash     string `json:"content_hash"`
	CertifiedHeight int64  `json:"certified_height,string"`
	Classification  string `json:"classification"`
	Grade           string `json:"grade"`
}

// right is a right as the rights queries print it.
type right struct {
	ID       string `json:"id"`
	AssetID  string `json:"asset_id"`
	Kind     string `json:"kind"`
	Holder   string `json:"holder"`
	Grantor  string `json:"grantor"`
	ParentID string `json:"parent_id"`
	Scope    struct {
		Purposes   []string `json:"purposes"`
		Operations []string `json:"operations"`
	} `json:"scope"`
	Sublicensable bool       `json:"sublicensable"`
	ValidFrom     time.Time  `json:"valid_from"`
	ValidUntil    *time.Time `json:"valid_until"`
	Status        string     `json:"status"`
	StatusReason  string     `json:"status_reason"`
	StatusHeight  int64      `json:"status_height,string"`
	GrantedHeight int64      `json:"granted_height,string"`
	Depth         uint32     `json:"depth"`
}

// usage is one record of `query rights usage -o json`.
type usage struct {
	RightID    string `json:"right_id"`
	AssetID    string `json:"asset_id"`
	User       string `json:"user"`
	Purpose    string `json:"purpose"`
	Operation  string `json:"operation"`
	ResultHash string `json:"result_hash"`
	Height     int64  `json:"height,string"`
	TxHash     string `json:"tx_hash"`
}

// entityAnswer is the output of a single-entity query (`query registry
// asset`, `query rights right`): the entity and what was proven about it.
type entityAnswer struct {
	Height int64  `json:"height"`
	Proven bool   `json:"proven"`
	Proof  string `json:"proof"`
	Raw    json.RawMessage
}

var certNoRe = regexp.MustCompile(`^BZDR-\d{4}-\d{6,}$`)

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// rightsT bundles the network with the test's helpers.
type rightsT struct {
	*testing.T
	nw *Network
}

// queryEntity runs `query MODULE FIELD ID -o json` on node i (with
// --prove, and at a height if height > 0), decodes the entity into v and
// returns the answer.
func (rt rightsT) queryEntity(i int, module, field, id string, prove bool, height int64, v any) entityAnswer {
	rt.Helper()
	args := append([]string{"query", module, field, id}, rt.nw.NodeFlag(i)...)
	if prove {
		args = append(args, "--prove")
	}
	if height > 0 {
		args = append(args, "--height", strconv.FormatInt(height, 10))
	}
	var out map[string]json.RawMessage
	if _, _, err := rt.nw.CLIJSON(&out, args...); err != nil {
		rt.Fatalf("query %s %s %s on node %d: %v", module, field, id, i, err)
	}
	var a entityAnswer
	if err := json.Unmarshal(out["height"], &a.Height); err != nil {
		rt.Fatalf("query %s %s %s: height: %v", module, field, id, err)
	}
	_ = json.Unmarshal(out["proven"], &a.Proven)
	_ = json.Unmarshal(out["proof"], &a.Proof)
	a.Raw = out[field]
	if err := json.Unmarshal(a.Raw, v); err != nil {
		rt.Fatalf("decode %s %s: %v\n%s", field, id, err, a.Raw)
	}
	return a
}

func (rt rightsT) right(i int, id string) right {
	rt.Helper()
	var r right
	rt.queryEntity(i, "rights", "right", id, false, 0, &r)
	return r
}

// usageList is `query rights usage ID -o json` on node i: the records and
// the raw output.
func (rt rightsT) usageList(i int, id string) ([]usage, string) {
	rt.Helper()
	out, _, err := rt.nw.CLI(append([]string{"query", "rights", "usage", id, "-o", "json"}, rt.nw.NodeFlag(i)...)...)
	if err != nil {
		rt.Fatalf("query rights usage %s on node %d: %v", id, i, err)
	}
	var l struct {
		Usage []usage `json:"usage"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		rt.Fatalf("decode usage of %s: %v\n%s", id, err, out)
	}
	return l.Usage, out
}

// chain is `query rights chain ID -o json` on node i: the right first, its
// root last.
func (rt rightsT) chain(i int, id string) []right {
	rt.Helper()
	var c struct {
		Rights []right `json:"rights"`
	}
	if _, _, err := rt.nw.CLIJSON(&c, append([]string{"query", "rights", "chain", id}, rt.nw.NodeFlag(i)...)...); err != nil {
		rt.Fatalf("query rights chain %s on node %d: %v", id, i, err)
	}
	return c.Rights
}

// txAs runs `datarightsd tx ARGS` signed by key (a key of KeysHome, or
// "" for node i's department key) and sent to node i. Once the tx is
// committed it waits until every node has its block, so that the next tx,
// sent to any node, sees the signer's new nonce and any query sees its
// effect.
func (rt rightsT) txAs(i int, key string, args ...string) (TxResult, string, error) {
	rt.Helper()
	nw := rt.nw
	var res TxResult
	var stderr string
	var err error
	if key == "" {
		res, _, stderr, err = nw.Tx(i, args...)
	} else {
		_, stderr, err = nw.CLIJSON(&res, append(append([]string{"tx"}, args...),
			"--from", key, "--home", nw.KeysHome, "--node", nw.Nodes[i].RPC, "--timeout", "30s")...)
	}
	if res.Committed {
		nw.WaitAllHeight(res.Height)
	}
	return res, stderr, err
}

// ok runs a tx that must succeed and returns its result.
func (rt rightsT) ok(i int, key string, args ...string) TxResult {
	rt.Helper()
	res, _, err := rt.txAs(i, key, args...)
	if err != nil || res.Code != 0 || !res.Committed || !txHashRe.MatchString(res.TxHash) {
		rt.Fatalf("tx %s: %+v, %v; want it committed with code 0", strings.Join(args, " "), res, err)
	}
	return res
}

// okID runs a tx that must succeed and create exactly one entity, whose id
// it returns.
func (rt rightsT) okID(i int, key string, args ...string) (string, TxResult) {
	rt.Helper()
	res := rt.ok(i, key, args...)
	if len(res.IDs) != 1 || res.IDs[0] == "" {
		rt.Fatalf("tx %s printed ids %q, want one", strings.Join(args, " "), res.IDs)
	}
	return res.IDs[0], res
}

// rejected runs a tx that the chain must reject with the rights module's
// code: it is committed (CheckTx does not execute messages, so the rejection
// happens in the block), printed with its reason, and the CLI exits 1.
func (rt rightsT) rejected(i int, key string, code uint32, reason string, args ...string) TxResult {
	rt.Helper()
	res, stderr, err := rt.txAs(i, key, args...)
	if cliExit(err) != 1 {
		rt.Fatalf("tx %s: err %v, want exit status 1", strings.Join(args, " "), err)
	}
	if !res.Committed || res.Height < 1 || res.Codespace != rightsCodespace || res.Code != code || !strings.Contains(res.Log, reason) {
		rt.Fatalf("tx %s printed %+v, want a committed tx rejected with %s code %d (%q)",
			strings.Join(args, " "), res, rightsCodespace, code, reason)
	}
	if want := fmt.Sprintf("%s code %d", rightsCodespace, code); !strings.Contains(stderr, want) {
		rt.Errorf("stderr of the rejected tx = %q, want it to name %s", stderr, want)
	}
	return res
}

// latest is node i's latest committed height and that block's time.
func (rt rightsT) latest(i int) (int64, time.Time, error) {
	var r struct {
		SyncInfo struct {
			Height int64     `json:"latest_block_height,string"`
			Time   time.Time `json:"latest_block_time"`
		} `json:"sync_info"`
	}
	err := rt.nw.RPC(i, "status", nil, &r)
	return r.SyncInfo.Height, r.SyncInfo.Time, err
}

// waitBlockTime waits until node i has committed a block whose time is at
// or after t (at most until t plus d) and returns that block's height.
func (rt rightsT) waitBlockTime(i int, t time.Time, d time.Duration, what string) int64 {
	rt.Helper()
	var h int64
	rt.nw.poll(i, time.Until(t)+d, what, func() (bool, string) {
		height, bt, err := rt.latest(i)
		if err != nil {
			return false, err.Error()
		}
		h = height
		return !bt.Before(t), fmt.Sprintf("height %d at %s", height, bt.Format(time.RFC3339Nano))
	})
	return h
}

// blockTime is the time in the header of block h on node i.
func (rt rightsT) blockTime(i int, h int64) time.Time {
	rt.Helper()
	rt.nw.BlockAt(i, h) // waits for it
	var r struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
		} `json:"block"`
	}
	if err := rt.nw.RPC(i, "block", url.Values{"height": {strconv.FormatInt(h, 10)}}, &r); err != nil {
		rt.Fatalf("block %d on node %d: %v", h, i, err)
	}
	return r.Block.Header.Time
}

// txOnNode is `query tx HASH` on node i.
func (rt rightsT) txOnNode(i int, hash string) (height int64, codespace string, code uint32) {
	rt.Helper()
	var out struct {
		Height   int64 `json:"height"`
		TxResult struct {
			Code      uint32 `json:"code"`
			Codespace string `json:"codespace"`
		} `json:"tx_result"`
	}
	if _, _, err := rt.nw.CLIJSON(&out, append([]string{"query", "tx", hash}, rt.nw.NodeFlag(i)...)...); err != nil {
		rt.Fatalf("query tx %s on node %d: %v", hash, i, err)
	}
	return out.Height, out.TxResult.Codespace, out.TxResult.Code
}

// commonHeight waits until every node has committed the block after node
// 0's latest, and returns node 0's latest: a height every node can prove
// (the app hash of its state is in the next header).
func (rt rightsT) commonHeight() int64 {
	rt.Helper()
	h := rt.nw.WaitHeight(0, 0).Height
	rt.nw.WaitAllHeight(h + 1)
	return h
}

func TestRightsEndToEnd(t *testing.T) {
	start := time.Now()
	manifest := filepath.Join(t.TempDir(), "manifest.toml")
	if err := os.WriteFile(manifest, []byte(rightsManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	nw := StartNetworkManifest(t, manifest, 4)
	rt := rightsT{T: t, nw: nw}
	dept := nw.Nodes[0].CDO
	t.Logf("network up after %s", time.Since(start).Round(time.Millisecond))

	// (1) Department 1 registers a public dataset. It is in its notice
	// period (5 s, from the manifest), then certified at the end of the
	// first block past it, and another node proves it.
	contentHash := sha256Hex("population-by-township-2026")
	assetName := "Population by township (分乡镇人口统计)"
	assetID, reg := rt.okID(0, "", "registry", "register", "--kind", "dataset", "--catalogue-code", "BZ-E2E-0001",
		"--name", assetName, "--source-department", dept, "--standard", "GB/T-2260", "--classification", "public",
		"--grade", "general", "--open-level", "conditional", "--content-hash", contentHash)
	var a asset
	rt.queryEntity(0, "registry", "asset", assetID, false, 0, &a)
	if a.ID != assetID || a.Status != "ASSET_STATUS_IN_NOTICE" || a.Registrant != dept || a.SourceDepartment != dept ||
		a.RegisteredHeight != reg.Height || a.ContentHash != contentHash || a.HoldingRightID == "" || a.CertificateNo != "" {
		t.Fatalf("asset %s after registration: %+v; want in notice, registered by %s at %d with a root right", assetID, a, dept, reg.Height)
	}
	if a.NoticeEnds == nil || !a.NoticeEnds.Equal(a.RegisteredTime.Add(noticePeriod)) {
		t.Fatalf("asset %s: notice ends %v, want its registration time %s + %s (the manifest's notice_period)",
			assetID, a.NoticeEnds, a.RegisteredTime, noticePeriod)
	}
	holding := a.HoldingRightID
	noticeEnds := *a.NoticeEnds

	rt.waitBlockTime(3, noticeEnds, 30*time.Second, "a block past the notice period on node 3")
	a = asset{}
	ans := rt.queryEntity(3, "registry", "asset", assetID, true, 0, &a)
	if !ans.Proven || ans.Proof == "" {
		t.Errorf("query asset --prove on node 3: proven=%v proof=%q", ans.Proven, ans.Proof)
	}
	if a.Status != "ASSET_STATUS_CERTIFIED" || !certNoRe.MatchString(a.CertificateNo) || a.CertifiedHeight <= reg.Height || ans.Height < a.CertifiedHeight {
		t.Fatalf("node 3 has asset %s %+v at height %d; want certified with a certificate number", assetID, a, ans.Height)
	}
	// Certified by end-block processing of the first block whose time is
	// past the notice period: no tx did it.
	if bt := rt.blockTime(3, a.CertifiedHeight); bt.Before(noticeEnds) {
		t.Errorf("certified at height %d (time %s), before the notice ended at %s", a.CertifiedHeight, bt, noticeEnds)
	}
	if bt := rt.blockTime(3, a.CertifiedHeight-1); !bt.Before(noticeEnds) {
		t.Errorf("certified at height %d, but block %d (time %s) was already past the notice end %s",
			a.CertifiedHeight, a.CertifiedHeight-1, bt, noticeEnds)
	}
	if b := nw.BlockAt(3, a.CertifiedHeight); b.NumTxs != 0 {
		t.Errorf("block %d, which certified %s, has %d txs; want none", a.CertifiedHeight, assetID, b.NumTxs)
	}
	var cert certificate
	if _, _, err := nw.CLIJSON(&cert, append([]string{"query", "registry", "certificate", assetID}, nw.NodeFlag(3)...)...); err != nil {
		t.Fatalf("query certificate %s: %v", assetID, err)
	}
	wantCert := certificate{CertificateNo: a.CertificateNo, AssetID: assetID, Name: assetName, CatalogueCode: "BZ-E2E-0001",
		Holder: dept, ContentHash: contentHash, CertifiedHeight: a.CertifiedHeight,
		Classification: "CLASSIFICATION_PUBLIC", Grade: "GRADE_GENERAL"}
	if cert != wantCert {
		t.Errorf("certificate of %s on node 3:\n %+v\nwant\n %+v", assetID, cert, wantCert)
	}
	t.Logf("step 1: %s certified at height %d as %s (%s)", assetID, a.CertifiedHeight, a.CertificateNo, time.Since(start).Round(time.Millisecond))

	// (2) The department registers an enterprise (its key made with the
	// CLI) and grants it a use right; the enterprise records a use, which
	// node 2 lists.
	ent1 := nw.AddKey("bazhong-analytics")
	rt.ok(0, "", "identity", "register-party", ent1, "--kind", "enterprise",
		"--name", "Bazhong Data Analytics Co., Ltd. (巴中数据分析有限公司)", "--org-code", orgCode(t, "91", "511900", "MR000001"))
	useID, grant := rt.okID(0, "", "rights", "grant", holding, "--to", ent1, "--kind", "use",
		"--operations", "query,compute", "--purposes", "analysis", "--duration", "1h")
	r := rt.right(1, useID)
	if r.ID != useID || r.AssetID != assetID || r.Kind != "RIGHT_KIND_USE" || r.Holder != ent1 || r.Grantor != dept ||
		r.ParentID != holding || r.Status != "RIGHT_STATUS_ACTIVE" || r.Depth != 1 || r.GrantedHeight != grant.Height ||
		!slices.Equal(r.Scope.Operations, []string{"OPERATION_QUERY", "OPERATION_COMPUTE"}) ||
		!slices.Equal(r.Scope.Purposes, []string{"analysis"}) || r.Sublicensable {
		t.Fatalf("node 1 has right %s %+v; want an active use right of %s on %s (query,compute; analysis)", useID, r, ent1, assetID)
	}
	if r.ValidUntil == nil || r.ValidUntil.Sub(r.ValidFrom) < time.Hour-time.Minute || r.ValidUntil.Sub(r.ValidFrom) > time.Hour+time.Minute {
		t.Errorf("right %s is valid from %s until %v; want about 1h", useID, r.ValidFrom, r.ValidUntil)
	}

	report := sha256Hex("analysis-report-1")
	use := rt.ok(1, "bazhong-analytics", "rights", "record-usage", useID, "--purpose", "analysis", "--operation", "compute",
		"--result-hash", report)
	if !slices.Equal(use.IDs, []string{useID}) {
		t.Errorf("record-usage printed ids %q, want [%s]", use.IDs, useID)
	}
	recs, usageBefore := rt.usageList(2, useID)
	wantUse := usage{RightID: useID, AssetID: assetID, User: ent1, Purpose: "analysis", Operation: "OPERATION_COMPUTE",
		ResultHash: report, Height: use.Height, TxHash: use.TxHash}
	if len(recs) != 1 || recs[0] != wantUse {
		t.Fatalf("node 2 lists the usage of %s as %+v; want exactly\n %+v", useID, recs, wantUse)
	}
	t.Logf("step 2: %s granted %s, usage recorded at %d (%s)", ent1, useID, use.Height, time.Since(start).Round(time.Millisecond))

	// (3) Uses outside the scope are rejected with the rights module's
	// code and change nothing in the usage list.
	rt.rejected(1, "bazhong-analytics", codeOutOfScope, "operation train is not allowed",
		"rights", "record-usage", useID, "--purpose", "analysis", "--operation", "train", "--result-hash", sha256Hex("model"))
	rt.rejected(2, "bazhong-analytics", codeOutOfScope, `purpose "marketing" is not allowed`,
		"rights", "record-usage", useID, "--purpose", "marketing", "--operation", "query", "--result-hash", sha256Hex("campaign"))
	if _, after := rt.usageList(2, useID); after != usageBefore {
		t.Errorf("the usage list of %s changed with rejected uses:\nbefore %s\nafter  %s", useID, usageBefore, after)
	}

	// (4) The department revokes the right. The same use, sent through
	// each of the four nodes, is rejected by every one with the same code:
	// the message runs in the block (CheckTx does not execute it), on
	// every node alike.
	revoke := rt.ok(0, "", "rights", "revoke", useID, "--reason", "contract terminated (合同终止)")
	var hashes []string
	for i := range nw.Nodes {
		res := rt.rejected(i, "bazhong-analytics", codeNotLive, "was revoked at height "+strconv.FormatInt(revoke.Height, 10),
			"rights", "record-usage", useID, "--purpose", "analysis", "--operation", "compute", "--result-hash", report)
		hashes = append(hashes, res.TxHash)
	}
	for k, hash := range hashes {
		h0, cs0, c0 := rt.txOnNode(0, hash)
		if cs0 != rightsCodespace || c0 != codeNotLive {
			t.Errorf("tx %s (sent through node %d): %s code %d on node 0, want %s code %d", hash, k, cs0, c0, rightsCodespace, codeNotLive)
		}
		for i := 1; i < len(nw.Nodes); i++ {
			if h, cs, c := rt.txOnNode(i, hash); h != h0 || cs != cs0 || c != c0 {
				t.Errorf("tx %s: node %d has it at height %d with %s code %d, node 0 at %d with %s code %d", hash, i, h, cs, c, h0, cs0, c0)
			}
		}
	}
	if _, after := rt.usageList(3, useID); after != usageBefore {
		t.Errorf("the usage list of %s changed after the revocation:\nbefore %s\nafter  %s", useID, usageBefore, after)
	}
	h := rt.commonHeight()
	var ref entityAnswer
	for i := range nw.Nodes {
		var ri right
		ans := rt.queryEntity(i, "rights", "right", useID, true, h, &ri)
		if !ans.Proven || ans.Height != h {
			t.Errorf("right %s on node %d at height %d: proven=%v height=%d", useID, i, h, ans.Proven, ans.Height)
		}
		if ri.Status != "RIGHT_STATUS_REVOKED" || ri.StatusHeight != revoke.Height || ri.StatusReason != "contract terminated (合同终止)" {
			t.Errorf("right %s on node %d: status %s at %d (%q); want revoked at %d", useID, i, ri.Status, ri.StatusHeight, ri.StatusReason, revoke.Height)
		}
		if i == 0 {
			ref = ans
		} else if string(ans.Raw) != string(ref.Raw) {
			t.Errorf("right %s at height %d: node %d has\n %s\nnode 0 has\n %s", useID, h, i, ans.Raw, ref.Raw)
		}
	}
	t.Logf("step 4: %s revoked at %d; uses rejected on all four nodes (%s)", useID, revoke.Height, time.Since(start).Round(time.Millisecond))

	// (5) A cascade: department → enterprise 1 → enterprise 2 →
	// enterprise 3, each a narrower sublicense. Revoking the top revokes
	// all three in the one tx.
	ent2 := nw.AddKey("qinba-agri")
	ent3 := nw.AddKey("red-tourism")
	rt.ok(0, "", "identity", "register-party", ent2, "--kind", "enterprise",
		"--name", "Sichuan Qinba Agricultural Data Co., Ltd. (四川秦巴农业数据有限公司)", "--org-code", orgCode(t, "91", "511900", "MR000002"))
	rt.ok(0, "", "identity", "register-party", ent3, "--kind", "enterprise",
		"--name", "Bazhong Red Tourism Co., Ltd. (巴中红色旅游有限公司)", "--org-code", orgCode(t, "91", "511900", "MR000003"))
	top, _ := rt.okID(0, "", "rights", "grant", holding, "--to", ent1, "--kind", "use",
		"--operations", "query,compute", "--purposes", "analysis", "--duration", "1h", "--sublicensable")
	mid, _ := rt.okID(1, "bazhong-analytics", "rights", "grant", top, "--to", ent2, "--kind", "use",
		"--operations", "query,compute", "--purposes", "analysis", "--duration", "50m", "--sublicensable")
	leaf, _ := rt.okID(2, "qinba-agri", "rights", "grant", mid, "--to", ent3, "--kind", "use",
		"--operations", "compute", "--purposes", "analysis", "--duration", "40m")
	rt.ok(3, "red-tourism", "rights", "record-usage", leaf, "--purpose", "analysis", "--operation", "compute",
		"--result-hash", sha256Hex("visitor-forecast"))
	wantChain := []struct {
		id, holder, grantor, parent string
		depth                       uint32
	}{
		{leaf, ent3, ent2, mid, 3}, {mid, ent2, ent1, top, 2}, {top, ent1, dept, holding, 1}, {holding, dept, "", "", 0},
	}
	c := rt.chain(3, leaf)
	if len(c) != len(wantChain) {
		t.Fatalf("chain of %s on node 3 has %d rights, want %d: %+v", leaf, len(c), len(wantChain), c)
	}
	for k, w := range wantChain {
		if c[k].ID != w.id || c[k].Holder != w.holder || c[k].Grantor != w.grantor || c[k].ParentID != w.parent ||
			c[k].Depth != w.depth || c[k].Status != "RIGHT_STATUS_ACTIVE" {
			t.Errorf("chain of %s, link %d: %+v; want %s held by %s from %s at depth %d, active", leaf, k, c[k], w.id, w.holder, w.parent, w.depth)
		}
	}

	cascade := rt.ok(0, "", "rights", "revoke", top, "--reason", "sublicensing abused")
	if b := nw.BlockAt(2, cascade.Height); b.NumTxs != 1 {
		t.Errorf("block %d has %d txs, want the revocation only", cascade.Height, b.NumTxs)
	}
	c = rt.chain(2, leaf)
	if len(c) != len(wantChain) {
		t.Fatalf("chain of %s on node 2 after the revocation has %d rights, want %d", leaf, len(c), len(wantChain))
	}
	for k, w := range wantChain[:3] {
		reason := "ancestor " + top + " was revoked: sublicensing abused"
		if w.id == top {
			reason = "sublicensing abused"
		}
		if c[k].ID != w.id || c[k].Status != "RIGHT_STATUS_REVOKED" || c[k].StatusHeight != cascade.Height || c[k].StatusReason != reason {
			t.Errorf("right %s on node 2: %s at height %d (%q); want revoked at %d, the revocation's height (%q)",
				c[k].ID, c[k].Status, c[k].StatusHeight, c[k].StatusReason, cascade.Height, reason)
		}
	}
	if root := c[3]; root.ID != holding || root.Status != "RIGHT_STATUS_ACTIVE" {
		t.Errorf("root right %s after the cascade: %+v; want it active", holding, root)
	}
	if rm := rt.right(1, mid); rm.Status != "RIGHT_STATUS_REVOKED" || rm.StatusHeight != cascade.Height {
		t.Errorf("right %s on node 1: %s at %d, want revoked at %d", mid, rm.Status, rm.StatusHeight, cascade.Height)
	}
	rt.rejected(3, "red-tourism", codeNotLive, "right "+leaf+" was revoked at height "+strconv.FormatInt(cascade.Height, 10),
		"rights", "record-usage", leaf, "--purpose", "analysis", "--operation", "compute", "--result-hash", sha256Hex("visitor-forecast-2"))
	t.Logf("step 5: %s, %s, %s revoked at %d (%s)", top, mid, leaf, cascade.Height, time.Since(start).Round(time.Millisecond))

	// (6) Expiry: a right of 8 s is used within its term; once a block is
	// past its end, end-block processing marks it expired without any tx,
	// and a use is rejected.
	short, _ := rt.okID(0, "", "rights", "grant", holding, "--to", ent1, "--kind", "use",
		"--operations", "query,compute", "--purposes", "analysis", "--duration", "8s")
	within := rt.ok(1, "bazhong-analytics", "rights", "record-usage", short, "--purpose", "analysis", "--operation", "query",
		"--result-hash", sha256Hex("quick-look"))
	rs := rt.right(0, short)
	if rs.ValidUntil == nil || rs.Status != "RIGHT_STATUS_ACTIVE" {
		t.Fatalf("right %s: %+v; want active with an end", short, rs)
	}
	until := *rs.ValidUntil
	if bt := rt.blockTime(0, within.Height); !bt.Before(until) {
		t.Fatalf("the use under %s was committed at %s, not before its end %s: the test was too slow", short, bt, until)
	}
	rt.waitBlockTime(0, until, 30*time.Second, "a block past the right's term on node 0")
	rs = rt.right(0, short)
	if rs.Status != "RIGHT_STATUS_EXPIRED" || rs.StatusReason != "its term ended" {
		t.Fatalf("right %s after its term: %s (%q), want expired", short, rs.Status, rs.StatusReason)
	}
	if bt := rt.blockTime(0, rs.StatusHeight); bt.Before(until) {
		t.Errorf("%s expired at height %d (time %s), before its end %s", short, rs.StatusHeight, bt, until)
	}
	if bt := rt.blockTime(0, rs.StatusHeight-1); !bt.Before(until) {
		t.Errorf("%s expired at height %d, but block %d (time %s) was already past its end %s", short, rs.StatusHeight, rs.StatusHeight-1, bt, until)
	}
	if b := nw.BlockAt(0, rs.StatusHeight); b.NumTxs != 0 {
		t.Errorf("block %d, which expired %s, has %d txs; want none", rs.StatusHeight, short, b.NumTxs)
	}
	nw.WaitAllHeight(rs.StatusHeight)
	var re right
	if ans := rt.queryEntity(3, "rights", "right", short, true, 0, &re); !ans.Proven || re.Status != "RIGHT_STATUS_EXPIRED" || re.StatusHeight != rs.StatusHeight {
		t.Errorf("right %s on node 3: proven=%v, %s at %d; want expired at %d", short, ans.Proven, re.Status, re.StatusHeight, rs.StatusHeight)
	}
	_, usageShort := rt.usageList(2, short)
	rt.rejected(2, "bazhong-analytics", codeNotLive, "expired at",
		"rights", "record-usage", short, "--purpose", "analysis", "--operation", "query", "--result-hash", sha256Hex("too-late"))
	if recs, after := rt.usageList(2, short); len(recs) != 1 || recs[0].Height != within.Height || after != usageShort {
		t.Errorf("usage of %s after the rejected use: %+v; want only the one at height %d", short, recs, within.Height)
	}
	t.Logf("step 6: %s expired at height %d (%s)", short, rs.StatusHeight, time.Since(start).Round(time.Millisecond))

	// (7) All four nodes agree on the blocks and the state.
	h = rt.commonHeight()
	ref0 := nw.BlockAt(0, h+1)
	for i := 1; i < len(nw.Nodes); i++ {
		if b := nw.BlockAt(i, h+1); b.AppHash != ref0.AppHash || b.Hash != ref0.Hash {
			t.Errorf("block %d: node %d has hash %s app hash %s; node 0 %s %s", h+1, i, b.Hash, b.AppHash, ref0.Hash, ref0.AppHash)
		}
	}
	if ref0.AppHash == "" {
		t.Error("no app hash in the header of block", h+1)
	}
	t.Logf("all four nodes have app hash %s after height %d; test body took %s", ref0.AppHash, h, time.Since(start).Round(time.Millisecond))
}
