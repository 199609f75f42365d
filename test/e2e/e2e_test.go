//go:build unix

package e2e

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// party is a party as `query identity party -o json` prints it (protobuf
// JSON with proto field names; int64 as strings).
type party struct {
	Address          string   `json:"address"`
	Name             string   `json:"name"`
	Kind             string   `json:"kind"`
	OrgCode          string   `json:"org_code"`
	Roles            []string `json:"roles"`
	Status           string   `json:"status"`
	StatusHeight     int64    `json:"status_height,string"`
	RegisteredBy     string   `json:"registered_by"`
	RegisteredHeight int64    `json:"registered_height,string"`
}

// partyAnswer is the whole output of `query identity party -o json`.
type partyAnswer struct {
	Party  json.RawMessage `json:"party"`
	Height int64           `json:"height"`
	Proven bool            `json:"proven"`
	Proof  string          `json:"proof"`
}

// queryParty runs `query identity party ADDR [--prove] -o json` against
// node i and fails the test if it does not succeed.
func queryParty(t *testing.T, nw *Network, i int, addr string, prove bool) (partyAnswer, party) {
	t.Helper()
	args := append([]string{"query", "identity", "party", addr}, nw.NodeFlag(i)...)
	if prove {
		args = append(args, "--prove")
	}
	var a partyAnswer
	if _, _, err := nw.CLIJSON(&a, args...); err != nil {
		t.Fatalf("query party %s on node %d: %v", addr, i, err)
	}
	var p party
	if err := json.Unmarshal(a.Party, &p); err != nil {
		t.Fatalf("decode party %s: %v\n%s", addr, err, a.Party)
	}
	return a, p
}

// partyRequest is the protobuf QueryPartyRequest{address} (field 1, string)
// that /abci_query path "/identity/party" takes.
func partyRequest(addr string) []byte {
	return append([]byte{0x0a, byte(len(addr))}, addr...)
}

// The unified social credit code (GB 32100-2015): 18 characters of
// uscc, positions 9-16 an organisation code body (GB 11714) whose check
// character is position 17, and position 18 the check of the whole. This is
// the test's own implementation of the standards, an oracle independent of
// the app's.
const uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// orgCheck is GB 11714's check character of an 8-character body.
func orgCheck(body string) byte {
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		v := int(body[i] - '0')
		if body[i] >= 'A' && body[i] <= 'Z' {
			v = int(body[i]-'A') + 10
		}
		sum += v * w[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// usccCheck is the 18th character of a code from its first 17.
func usccCheck(t *testing.T, first17 string) byte {
	t.Helper()
	w := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(uscc, first17[i])
		if v < 0 {
			t.Fatalf("usccCheck: %q is not in the code alphabet", first17[i])
		}
		sum += v * w[i]
	}
	return uscc[(31-sum%31)%31]
}

// orgCode builds a valid code from the authority ("91" enterprise, "12"
// institution, "11" government organ), a region ("511900" Bazhong) and an
// 8-character body.
func orgCode(t *testing.T, authority, region, body string) string {
	t.Helper()
	if len(authority) != 2 || len(region) != 6 || len(body) != 8 {
		t.Fatalf("orgCode(%q, %q, %q): bad lengths", authority, region, body)
	}
	first := authority + region + body + string(orgCheck(body))
	return first + string(usccCheck(t, first))
}

// otherChar is a character of the code alphabet other than c.
func otherChar(c byte) byte {
	if c == '1' {
		return '2'
	}
	return '1'
}

var txHashRe = regexp.MustCompile(`^[0-9A-F]{64}$`)

// cliExit is the exit code of a CLI run that failed as a command (-1 if
// it did not run to an exit).
func cliExit(err error) int {
	var ce *CLIError
	if errors.As(err, &ce) {
		return ce.ExitCode
	}
	return -1
}

func TestOrgCodeOracle(t *testing.T) {
	// The sample enterprise code of scripts/localnet.sh and the one of a
	// generated department, both accepted by the app.
	if got := orgCode(t, "91", "511900", "MA000007"); got != "91511900MA0000074T" {
		t.Fatalf("orgCode = %s, want 91511900MA0000074T", got)
	}
	if got := orgCode(t, "12", "511900", "MB000010"); got != "12511900MB0000107R" {
		t.Fatalf("orgCode = %s, want 12511900MB0000107R", got)
	}
}

func TestNetworkEndToEnd(t *testing.T) {
	// (1) Four departments, each a validator with its own node.
	nw := StartNetwork(t, 4)
	for i := range nw.Nodes {
		st, err := nw.Status(i)
		if err != nil {
			t.Fatalf("status of node %d: %v", i, err)
		}
		if st.Network != ChainID || st.Moniker != nw.Nodes[i].Moniker || st.Height < 2 {
			t.Fatalf("node %d: status %+v, want chain %s, moniker %s, height >= 2", i, st, ChainID, nw.Nodes[i].Moniker)
		}
	}
	dept0 := nw.Nodes[0].CDO

	// (2) A department registers an enterprise with the CLI, on node 0.
	ent := nw.AddKey("tourism-data")
	entName := "Bazhong Cultural Tourism Data Co., Ltd. (巴中文旅数据有限公司)"
	entCode := orgCode(t, "91", "511900", "MA000007")
	register := []string{"identity", "register-party", ent, "--kind", "enterprise", "--name", entName, "--org-code", entCode}
	res, _, _, err := nw.Tx(0, register...)
	if err != nil {
		t.Fatalf("register-party: %v", err)
	}
	if res.Code != 0 || !res.Committed || res.Height < 1 || !txHashRe.MatchString(res.TxHash) {
		t.Fatalf("register-party printed %+v, want code 0, committed, a height and a tx hash", res)
	}
	if !slices.Equal(res.IDs, []string{ent}) {
		t.Errorf("register-party ids = %q, want [%s]", res.IDs, ent)
	}
	regHeight := res.Height
	t.Logf("registered %s at height %d", ent, regHeight)

	// (3) Another node proves it.
	nw.WaitHeight(3, regHeight)
	ans, p := queryParty(t, nw, 3, ent, true)
	if !ans.Proven || ans.Proof == "" {
		t.Errorf("query --prove on node 3: proven=%v proof=%q", ans.Proven, ans.Proof)
	}
	if ans.Height < regHeight {
		t.Errorf("query answered at height %d, before the registration at %d", ans.Height, regHeight)
	}
	want := party{Address: ent, Name: entName, Kind: "PARTY_KIND_ENTERPRISE", OrgCode: entCode, Status: "PARTY_STATUS_ACTIVE",
		StatusHeight: regHeight, RegisteredBy: dept0, RegisteredHeight: regHeight}
	if !equalParty(p, want) {
		t.Errorf("node 3 has party\n %+v\nwant\n %+v", p, want)
	}

	// (4a) A rejected tx: the same party again. It is committed with
	// identity code 6, the CLI exits non-zero, and the only state it
	// changes is the signer's nonce.
	before, _ := queryParty(t, nw, 0, ent, false)
	rawBefore := rawParty(t, nw, 0, ent)
	listBefore := partiesJSON(t, nw, 0)
	nonceBefore, pendingBefore := nw.Nonce(0, dept0)
	if pendingBefore != nonceBefore {
		t.Fatalf("nonce of %s: committed %d, pending %d: something is in the mempool", dept0, nonceBefore, pendingBefore)
	}

	dup, _, stderr, err := nw.Tx(0, register...)
	if err == nil || cliExit(err) != 1 {
		t.Fatalf("registering %s again: err %v, want exit status 1", ent, err)
	}
	if dup.Code != 6 || dup.Codespace != "identity" || !dup.Committed || dup.Height <= regHeight ||
		!strings.Contains(dup.Log, "already registered") {
		t.Fatalf("registering %s again printed %+v, want a committed tx with identity code 6", ent, dup)
	}
	if !strings.Contains(stderr, "identity code 6") {
		t.Errorf("stderr of the rejected tx = %q, want it to name identity code 6", stderr)
	}
	rej := dup.Height
	var txOut struct {
		Hash     string `json:"hash"`
		Height   int64  `json:"height"`
		TxResult struct {
			Code      uint32 `json:"code"`
			Codespace string `json:"codespace"`
		} `json:"tx_result"`
	}
	if _, _, err := nw.CLIJSON(&txOut, append([]string{"query", "tx", dup.TxHash}, nw.NodeFlag(1)...)...); err != nil {
		t.Fatalf("query tx %s: %v", dup.TxHash, err)
	}
	if txOut.Height != rej || txOut.TxResult.Code != 6 || txOut.TxResult.Codespace != "identity" {
		t.Errorf("query tx %s on node 1: %+v, want height %d, identity code 6", dup.TxHash, txOut, rej)
	}

	nw.WaitHeight(0, rej+1)
	if c, pnd := nw.Nonce(0, dept0); c != nonceBefore+1 || pnd != c {
		t.Errorf("nonce of %s after the rejected tx: committed %d pending %d, want %d", dept0, c, pnd, nonceBefore+1)
	}
	after, _ := queryParty(t, nw, 0, ent, false)
	if after.Height < rej {
		t.Errorf("query after the rejected tx answered at height %d, want >= %d", after.Height, rej)
	}
	if string(after.Party) != string(before.Party) {
		t.Errorf("the party changed with a rejected tx:\nbefore %s\nafter  %s", before.Party, after.Party)
	}
	if rawAfter := rawParty(t, nw, 0, ent); string(rawAfter) != string(rawBefore) {
		t.Errorf("the stored party changed with a rejected tx: %X -> %X", rawBefore, rawAfter)
	}
	if listAfter := partiesJSON(t, nw, 0); listAfter != listBefore {
		t.Errorf("the party list changed with a rejected tx:\nbefore %s\nafter  %s", listBefore, listAfter)
	}

	// The app hash progression: the registration changes the state, empty
	// blocks do not, the rejected tx does (its nonce) and nothing after it.
	hashes := map[int64]string{}
	for h := regHeight - 1; h <= rej+1; h++ {
		hashes[h] = nw.AppHashAt(0, h)
	}
	if hashes[regHeight] == hashes[regHeight-1] {
		t.Errorf("the registration at height %d did not change the app hash", regHeight)
	}
	for h := regHeight + 1; h < rej; h++ {
		if hashes[h] != hashes[regHeight] {
			t.Errorf("app hash changed at height %d, a block without txs", h)
		}
	}
	if hashes[rej] == hashes[rej-1] {
		t.Errorf("the rejected tx at height %d did not change the app hash: its nonce was not consumed", rej)
	}
	if hashes[rej+1] != hashes[rej] {
		t.Errorf("app hash changed at height %d, a block without txs", rej+1)
	}
	// The nonce is the only entry that changed: its proofs before and after
	// the rejected tx verify against those app hashes and share every
	// sibling on the path to the root.
	key, err := NonceKey(dept0)
	if err != nil {
		t.Fatal(err)
	}
	proofs := make([]ABCIResult, 2)
	for k, h := range []int64{rej - 1, rej} {
		if proofs[k], err = nw.ABCIQuery(0, "/store/key", key, h, true); err != nil || proofs[k].Code != 0 || len(proofs[k].Value) != 8 {
			t.Fatalf("/store/key nonce of %s at %d: %+v, %v", dept0, h, proofs[k], err)
		}
	}
	if n0, n1 := binary.BigEndian.Uint64(proofs[0].Value), binary.BigEndian.Uint64(proofs[1].Value); n0 != nonceBefore || n1 != nonceBefore+1 {
		t.Errorf("stored nonce at %d/%d = %d/%d, want %d/%d", rej-1, rej, n0, n1, nonceBefore, nonceBefore+1)
	}
	pBefore, err := VerifyStoreProof(proofs[0], hashes[rej-1])
	if err != nil {
		t.Fatalf("nonce proof at %d: %v", rej-1, err)
	}
	pAfter, err := VerifyStoreProof(proofs[1], hashes[rej])
	if err != nil {
		t.Fatalf("nonce proof at %d: %v", rej, err)
	}
	if err := OnlyLeafChanged(pBefore, pAfter); err != nil {
		t.Errorf("the rejected tx changed more than the nonce: %v", err)
	}

	// (4b) CLI input errors exit non-zero and send nothing.
	nonceBefore, _ = nw.Nonce(0, dept0)
	typo := nw.AddKey("typo-enterprise")
	goodCode := orgCode(t, "91", "511900", "MC000001")
	// A wrong last character; and a wrong organisation code check
	// character under a valid check of the whole.
	badCheck := goodCode[:17] + string(otherChar(goodCode[17]))
	badOrg := goodCode[:16] + string(otherChar(goodCode[16]))
	badOrgCheck := badOrg + string(usccCheck(t, badOrg))
	// Not listed: --kind department, which the CLI signs and sends although
	// the chain always rejects it (identity code 4), consuming a nonce.
	inputErrors := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"short address", []string{"identity", "register-party", "0x1234", "--kind", "enterprise", "--name", "X Co.", "--org-code", goodCode}, "invalid address"},
		{"not hex address", []string{"identity", "register-party", "0xZZ" + strings.Repeat("0", 38), "--kind", "enterprise", "--name", "X Co.", "--org-code", goodCode}, "invalid address"},
		{"org code check character", []string{"identity", "register-party", typo, "--kind", "enterprise", "--name", "X Co.", "--org-code", badCheck}, "\": check character is " + string(badCheck[17])},
		{"embedded organisation code check", []string{"identity", "register-party", typo, "--kind", "enterprise", "--name", "X Co.", "--org-code", badOrgCheck}, "organisation code check character"},
		{"org code too short", []string{"identity", "register-party", typo, "--kind", "enterprise", "--name", "X Co.", "--org-code", goodCode[:17]}, "want 18"},
		{"enterprise without org code", []string{"identity", "register-party", typo, "--kind", "enterprise", "--name", "X Co."}, "invalid organisation code"},
		{"individual with org code", []string{"identity", "register-party", typo, "--kind", "individual", "--name", "Li Si", "--org-code", goodCode}, "individuals carry no organisation code"},
		{"unknown kind", []string{"identity", "register-party", typo, "--kind", "company", "--name", "X Co.", "--org-code", goodCode}, "invalid party kind"},
		{"empty name", []string{"identity", "register-party", typo, "--kind", "enterprise", "--name", " ", "--org-code", goodCode}, "invalid party name"},
	}
	for _, tc := range inputErrors {
		_, stdout, stderr, err := nw.Tx(0, tc.args...)
		if err == nil || cliExit(err) == 0 {
			t.Errorf("%s: CLI exit %d (err %v), want non-zero", tc.name, cliExit(err), err)
			continue
		}
		if strings.Contains(stdout, "txhash") {
			t.Errorf("%s: the CLI sent a tx: %s", tc.name, stdout)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: stderr %q does not mention %q", tc.name, stderr, tc.want)
		}
	}
	if c, pnd := nw.Nonce(0, dept0); c != nonceBefore || pnd != nonceBefore {
		t.Errorf("nonce of %s after CLI input errors: committed %d pending %d, want %d", dept0, c, pnd, nonceBefore)
	}
	if n, err := nw.UnconfirmedTxs(0); err != nil || n != 0 {
		t.Errorf("node 0's mempool after CLI input errors: %d txs (%v), want none", n, err)
	}
	_, stderr, err = nw.CLI(append([]string{"query", "identity", "party", typo, "--prove"}, nw.NodeFlag(0)...)...)
	if err == nil || !strings.Contains(stderr, "absence proven") {
		t.Errorf("query of the never-registered %s: err %v, stderr %q; want a non-zero exit with a proof of absence", typo, err, stderr)
	}

	// (5) SIGKILL node 2; the others (30 of 40 votes) go on committing.
	nw.Kill(2)
	if _, err := nw.Status(2); err == nil {
		t.Fatal("node 2 still answers RPC after SIGKILL")
	}
	downAt := nw.WaitHeight(0, 0).Height
	specs := []struct{ key, kind, name, body string }{
		{"qinba-agri", "enterprise", "Sichuan Qinba Agricultural Data Co., Ltd. (四川秦巴农业数据有限公司)", "MC000002"},
		{"central-hospital", "institution", "Bazhong Central Hospital (巴中市中心医院)", "MC000003"},
		{"citizen-zhang", "individual", "Zhang San (张三)", ""},
		{"red-tourism", "enterprise", "Bazhong Red Tourism Co., Ltd.", "MC000004"},
		{"vocational-college", "institution", "Bazhong Vocational and Technical College (巴中职业技术学院)", "MC000005"},
	}
	var last struct {
		addr   string
		height int64
		signer string
		want   party
	}
	for k, s := range specs {
		i := k % 2 // nodes 0 and 1 in turn, each signing with its own department key
		addr := nw.AddKey(s.key)
		args := []string{"identity", "register-party", addr, "--kind", s.kind, "--name", s.name}
		code := ""
		if s.body != "" {
			authority := "91"
			if s.kind == "institution" {
				authority = "12"
			}
			code = orgCode(t, authority, "511900", s.body)
			args = append(args, "--org-code", code)
		}
		r, _, _, err := nw.Tx(i, args...)
		if err != nil || r.Code != 0 || !r.Committed {
			t.Fatalf("register %s on node %d while node 2 is down: %+v, %v", s.key, i, r, err)
		}
		if r.Height <= last.height {
			t.Errorf("tx %d committed at height %d, not after the previous one (%d)", k, r.Height, last.height)
		}
		if k == 0 {
			// The first tx of node 0's department after the input errors
			// uses the nonce they left untouched.
			if c, _ := nw.Nonce(0, dept0); c != nonceBefore+1 {
				t.Errorf("nonce of %s after its next tx: %d, want %d", dept0, c, nonceBefore+1)
			}
		}
		kind := "PARTY_KIND_" + strings.ToUpper(s.kind)
		last.addr, last.height, last.signer = addr, r.Height, nw.Nodes[i].CDO
		last.want = party{Address: addr, Name: s.name, Kind: kind, OrgCode: code, Status: "PARTY_STATUS_ACTIVE",
			StatusHeight: r.Height, RegisteredBy: nw.Nodes[i].CDO, RegisteredHeight: r.Height}
	}
	if last.height <= downAt {
		t.Fatalf("last tx at height %d, not after node 2 went down at %d", last.height, downAt)
	}
	if nw.Running(2) {
		t.Fatal("node 2 is running again before Restart")
	}

	// Restart node 2: it replays what it has, then catches up.
	nw.Restart(2)
	var target int64
	for _, i := range []int{0, 1, 3} {
		target = max(target, nw.WaitHeight(i, last.height+1).Height)
	}
	st := nw.WaitHeight(2, target)
	nw.poll(2, MaxWait, "node 2 to finish catching up", func() (bool, string) {
		s, err := nw.Status(2)
		if err != nil {
			return false, err.Error()
		}
		st = s
		return !s.CatchingUp, fmt.Sprintf("catching_up at height %d", s.Height)
	})
	t.Logf("node 2 caught up: height %d (the others were at %d; last tx at %d)", st.Height, target, last.height)

	// All four agree on the blocks and the state, at the block that
	// commits the last tx's state and at the latest common height.
	nw.WaitAllHeight(st.Height)
	for _, h := range []int64{last.height, last.height + 1, st.Height} {
		ref := nw.BlockAt(0, h)
		for i := 1; i < len(nw.Nodes); i++ {
			b := nw.BlockAt(i, h)
			if b.Hash != ref.Hash || b.AppHash != ref.AppHash {
				t.Errorf("height %d: node %d has block %s app hash %s, node 0 block %s app hash %s",
					h, i, b.Hash, b.AppHash, ref.Hash, ref.AppHash)
			}
		}
		if h == last.height && ref.NumTxs != 1 {
			t.Errorf("block %d has %d txs, want the last registration only", h, ref.NumTxs)
		}
	}
	if a0, a2 := nw.AppHashAt(0, last.height), nw.AppHashAt(2, last.height); a0 != a2 {
		t.Errorf("app hash after block %d: node 0 %s, node 2 %s", last.height, a0, a2)
	}

	// Node 2, which was down when it was registered, proves the last party.
	ans, p = queryParty(t, nw, 2, last.addr, true)
	if !ans.Proven || ans.Height < last.height {
		t.Errorf("node 2: proven=%v at height %d, want a proof at >= %d", ans.Proven, ans.Height, last.height)
	}
	if !equalParty(p, last.want) {
		t.Errorf("node 2 has party\n %+v\nwant\n %+v", p, last.want)
	}
	var list struct {
		Parties []party `json:"parties"`
	}
	if err := json.Unmarshal([]byte(partiesJSON(t, nw, 2)), &list); err != nil {
		t.Fatalf("decode parties: %v", err)
	}
	if n := len(nw.Nodes) + 1 + len(specs); len(list.Parties) != n {
		t.Errorf("node 2 lists %d parties, want %d (4 departments, 6 registered)", len(list.Parties), n)
	}
}

func equalParty(a, b party) bool {
	return a.Address == b.Address && a.Name == b.Name && a.Kind == b.Kind && a.OrgCode == b.OrgCode &&
		len(a.Roles) == 0 && a.Status == b.Status && a.StatusHeight == b.StatusHeight &&
		a.RegisteredBy == b.RegisteredBy && a.RegisteredHeight == b.RegisteredHeight
}

// rawParty is the stored bytes of a party, from /abci_query on node i.
func rawParty(t *testing.T, nw *Network, i int, addr string) []byte {
	t.Helper()
	r, err := nw.ABCIQuery(i, "/identity/party", partyRequest(addr), 0, false)
	if err != nil || r.Code != 0 || len(r.Value) == 0 {
		t.Fatalf("/identity/party %s on node %d: %+v, %v", addr, i, r, err)
	}
	return r.Value
}

// partiesJSON is the output of `query identity parties -o json` on node i.
func partiesJSON(t *testing.T, nw *Network, i int) string {
	t.Helper()
	out, _, err := nw.CLI(append([]string{"query", "identity", "parties", "-o", "json"}, nw.NodeFlag(i)...)...)
	if err != nil {
		t.Fatalf("query parties on node %d: %v", i, err)
	}
	return out
}
