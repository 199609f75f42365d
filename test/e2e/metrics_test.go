//go:build unix

package e2e

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// scrape reads node i's Prometheus endpoint (instrumentation.prometheus
// in its config.toml) and returns each sample line's value by its name and
// labels as printed ("datarights_height", `datarights_txs_total{...}`).
func scrape(t *testing.T, nw *Network, i int) map[string]float64 {
	t.Helper()
	var conf struct {
		Instrumentation struct {
			Prometheus bool   `toml:"prometheus"`
			Addr       string `toml:"prometheus_listen_addr"`
		} `toml:"instrumentation"`
	}
	if _, err := toml.DecodeFile(filepath.Join(nw.Nodes[i].Home, "config", "config.toml"), &conf); err != nil || !conf.Instrumentation.Prometheus {
		t.Fatalf("node %d: prometheus %v in config.toml (%v)", i, conf.Instrumentation.Prometheus, err)
	}
	resp, err := http.Get("http://" + conf.Instrumentation.Addr + "/metrics")
	if err != nil {
		t.Fatalf("scrape node %d: %v", i, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

// TestMetrics: a node's /metrics carries the app's metrics beside
// CometBFT's, and they count what happened: a registration, a rejected
// registration in a block (identity code 6), a tx CheckTx refused (an
// unknown signer, identity code 18), commits, the state's size and queues.
func TestMetrics(t *testing.T) {
	nw := StartNetwork(t, 1)
	ent := nw.AddKey("metrics-co")
	code := orgCode(t, "91", "511900", "MG000088")
	args := []string{"identity", "register-party", ent, "--kind", "enterprise", "--name", "Metrics Co.", "--org-code", code}
	if res, _, _, err := nw.Tx(0, args...); err != nil || res.Code != 0 {
		t.Fatalf("register: %+v, %v", res, err)
	}
	res, _, _, _ := nw.Tx(0, args...) // the same party again: in a block, refused
	if res.Code != 6 || !res.Committed {
		t.Fatalf("second registration: %+v, want committed with identity code 6", res)
	}
	nw.AddKey("stranger")
	_, _, err := nw.CLI(append([]string{"tx", "identity", "register-party", nw.AddKey("stranger2"), "--kind", "enterprise", "--name", "X",
		"--org-code", orgCode(t, "91", "511900", "MG000089"), "--from", "stranger", "--home", nw.KeysHome}, nw.NodeFlag(0)...)...)
	if err == nil {
		t.Fatal("a tx from an unregistered signer was accepted")
	}
	h := nw.WaitHeight(0, 0).Height
	nw.WaitHeight(0, h+3)

	var m map[string]float64
	nw.poll(0, MaxWait, "the state gauges to be measured", func() (bool, string) {
		m = scrape(t, nw, 0)
		return m["datarights_state_keys"] > 0, "datarights_state_keys not yet set"
	})
	want := map[string]func(float64) bool{
		`datarights_txs_total{code="0",codespace="ok",msg_type="register_party"}`:       func(v float64) bool { return v == 1 },
		`datarights_txs_total{code="6",codespace="identity",msg_type="register_party"}`: func(v float64) bool { return v == 1 },
		`datarights_checktx_rejected_total{code="18",codespace="identity"}`:             func(v float64) bool { return v >= 1 },
		`datarights_commit_duration_seconds_count`:                                      func(v float64) bool { return v >= float64(h) },
		`datarights_height`:                                        func(v float64) bool { return v >= float64(h) },
		`datarights_state_keys`:                                    func(v float64) bool { return v > 5 },
		`datarights_rights_active{kind="holding"}`:                 func(v float64) bool { return v == 0 },
		`datarights_queue_length{queue="registry_notice"}`:         func(v float64) bool { return v == 0 },
		`datarights_queue_length{queue="rights_expiry"}`:           func(v float64) bool { return v == 0 },
		`datarights_queue_length{queue="authorization_expiry"}`:    func(v float64) bool { return v == 0 },
		`datarights_queue_length{queue="governance_deadline"}`:     func(v float64) bool { return v == 0 },
		`cometbft_consensus_height{chain_id="` + nw.ChainID + `"}`: func(v float64) bool { return v >= float64(h) },
	}
	for name, ok := range want {
		v, found := m[name]
		if !found || !ok(v) {
			t.Errorf("/metrics: %s = %v (found %v)", name, v, found)
		}
	}
	if t.Failed() {
		var names []string
		for k := range m {
			if strings.HasPrefix(k, "datarights_") {
				names = append(names, k)
			}
		}
		t.Logf("datarights metrics: %v", names)
	}
}
