//go:build unix

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBenchSmoke runs the load tool for a few seconds against a fresh
// one-node network (the mixed workload: every kind of tx it sends) and
// checks its result line: txs committed, none failed, none acked and lost,
// the measured fields present. A smoke test of the tool, not a benchmark
// (scripts/bench.sh is): no figure is asserted.
func TestBenchSmoke(t *testing.T) {
	base, unlock, err := FreePortBase(1)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	dir := filepath.Join(t.TempDir(), "net")
	cmd := exec.Command(Binary(), "bench", "--workload", "mixed", "--duration", "4s", "--parties", "20",
		"--max-rate", "200", "--timeout-commit", "500ms", "--drain", "60s",
		"--starting-port", strconv.Itoa(base), "--dir", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "sending") {
		t.Errorf("no progress on stderr:\n%s", stderr.String())
	}
	var res map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout is not one JSON result line: %v\n%s", err, stdout.String())
	}
	for _, f := range []string{"workload", "validators", "sent", "acked", "committed", "failed", "committed_tps",
		"latency_p50_s", "latency_p99_s", "block_interval_s", "node_cpu_percent", "node_rss_max_mb", "tx_bytes"} {
		if _, ok := res[f]; !ok {
			t.Errorf("result has no %q: %s", f, stdout.String())
		}
	}
	num := func(f string) float64 { v, _ := res[f].(float64); return v }
	if res["workload"] != "mixed" || num("validators") != 1 {
		t.Errorf("workload %v validators %v, want mixed on 1", res["workload"], res["validators"])
	}
	if num("committed") <= 0 || num("committed_tps") <= 0 || num("latency_p50_s") <= 0 || num("node_rss_max_mb") <= 0 {
		t.Errorf("nothing measured: %s", stdout.String())
	}
	if num("failed") != 0 || num("rejected") != 0 {
		t.Errorf("the workload's txs failed: %s", stdout.String())
	}
	if num("committed") != num("acked") {
		t.Errorf("committed %v of %v acked txs", res["committed"], res["acked"])
	}

	// The report reads the line back into its table.
	lines := filepath.Join(t.TempDir(), "results.jsonl")
	if err := os.WriteFile(lines, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(Binary(), "bench", "report", "--in", lines).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "| datarights | mixed | 1 |") {
		t.Errorf("bench report: %v\n%s", err, out)
	}

	// A wrong workload is refused before any network is made.
	out, err = exec.Command(Binary(), "bench", "--workload", "nosuch", "--dir", filepath.Join(t.TempDir(), "x")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), `unknown workload "nosuch"`) {
		t.Errorf("bench --workload nosuch: err %v, output %s", err, out)
	}
}
