//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// localnetMonikers are the departments of networks/local/manifest.toml.
var localnetMonikers = []string{"bigdata", "economy", "hrss", "health"}

const localnetPort = 26600 // starting_port of networks/local/manifest.toml

// runScript runs scripts/localnet.sh of the checkout at root with args,
// bounded by d, and returns its combined output.
func runScript(t *testing.T, root string, d time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(root, "scripts", "localnet.sh")}, args...)...)
	cmd.Dir = root
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("localnet.sh %s: still running after %s", strings.Join(args, " "), d)
	}
	t.Logf("$ scripts/localnet.sh %s  # %s, %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), exitText(err))
	return out.String(), err
}

var (
	ansiRe   = regexp.MustCompile("\x1b\\[[0-9;]*m")
	statusRe = regexp.MustCompile(`^(\S+)\s+(tcp://\S+)\s+(\S+)\s+(\S+)$`)
)

type statusRow struct{ moniker, rpc, height, appHash string }

// statusTable parses the NODE/RPC/HEIGHT/APP_HASH table the script prints.
func statusTable(out string) []statusRow {
	var rows []statusRow
	in := false
	for _, line := range strings.Split(ansiRe.ReplaceAllString(out, ""), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "NODE") && strings.HasSuffix(line, "APP_HASH") {
			in, rows = true, nil
			continue
		}
		if !in {
			continue
		}
		m := statusRe.FindStringSubmatch(line)
		if m == nil {
			in = false
			continue
		}
		rows = append(rows, statusRow{m[1], m[2], m[3], m[4]})
	}
	return rows
}

// checkTable checks a status table: the four departments, up, with app
// hashes, equal among nodes at the same height. It reports whether all four
// app hashes are equal.
func checkTable(t *testing.T, rows []statusRow) (allEqual bool) {
	t.Helper()
	if len(rows) != len(localnetMonikers) {
		t.Fatalf("status table has %d rows, want %d: %+v", len(rows), len(localnetMonikers), rows)
	}
	byHeight := map[string]string{}
	hashes := map[string]bool{}
	for i, r := range rows {
		h, err := strconv.Atoi(r.height)
		if r.moniker != localnetMonikers[i] || err != nil || h < 2 || !regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(r.appHash) {
			t.Fatalf("status row %d = %+v, want %s up at height >= 2 with an app hash", i, r, localnetMonikers[i])
		}
		if want := fmt.Sprintf("tcp://127.0.0.1:%d", localnetPort+10*i+1); r.rpc != want {
			t.Errorf("status row %d: rpc %s, want %s", i, r.rpc, want)
		}
		if prev, ok := byHeight[r.height]; ok && prev != r.appHash {
			t.Errorf("status: two nodes at height %s with app hashes %s and %s", r.height, prev, r.appHash)
		}
		byHeight[r.height] = r.appHash
		hashes[r.appHash] = true
	}
	return len(hashes) == 1
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	s := string(bz)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

// processesUnder lists live processes whose command line mentions dir.
func processesUnder(dir string) []string {
	var found []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(dir)) || !alive(pid) {
			continue
		}
		found = append(found, fmt.Sprintf("%d: %s", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
	}
	return found
}

func TestLocalnetScript(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped under -short")
	}
	if binPath == "" {
		t.Fatal("e2e: datarightsd was not built: call e2e.Main from TestMain")
	}
	for _, tool := range []string{"bash", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("scripts/localnet.sh needs %s, not found: %v", tool, err)
		}
	}
	unlock, ok := LockPorts(localnetPort)
	if !ok {
		t.Skipf("another e2e run is using localnet's fixed ports %d-%d", localnetPort, localnetPort+31)
	}
	defer unlock()
	if !PortsFree(localnetPort, len(localnetMonikers)) {
		t.Skipf("localnet's fixed ports %d-%d are busy (a localnet running?): skipping", localnetPort, localnetPort+31)
	}
	root := SourceDir() // the script builds datarightsd itself, from the same snapshot as Binary
	dir := t.TempDir()

	// Whatever happens, stop the nodes: with the script, then any node it
	// started that is still alive, by the pid it recorded.
	var pids []int
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			if out, err := runScript(t, root, 40*time.Second, "stop", "--dir", dir); err != nil {
				t.Errorf("cleanup: localnet.sh stop: %v\n%s", err, out)
			}
		}
		for _, pid := range pids {
			if alive(pid) {
				t.Errorf("cleanup: killing node pid %d, still alive after stop", pid)
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if t.Failed() {
			for _, m := range localnetMonikers {
				t.Logf("last lines of %s.log:\n%s", m, LogTail(filepath.Join(dir, m+".log"), 30))
			}
		}
	})

	out, err := runScript(t, root, 2*MaxWait, "--dir", dir)
	for _, m := range localnetMonikers {
		if bz, rerr := os.ReadFile(filepath.Join(dir, m+".pid")); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(bz))); perr == nil {
				pids = append(pids, pid)
			}
		}
	}
	if err != nil {
		t.Fatalf("localnet.sh --dir %s: %v\n%s", dir, err, out)
	}
	if len(pids) != len(localnetMonikers) {
		t.Fatalf("localnet.sh recorded %d node pids, want %d\n%s", len(pids), len(localnetMonikers), out)
	}
	for i, pid := range pids {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		home := filepath.Join(dir, localnetMonikers[i])
		if !alive(pid) || !bytes.Contains(cmdline, []byte(home)) {
			t.Errorf("node %s: pid %d is not a live `start --home %s` (cmdline %q)", localnetMonikers[i], pid, home, cmdline)
		}
	}

	// The table the script printed lists the four departments; nodes at
	// the same height agree. Right after the last sample tx a node may be
	// a block behind, so all four hashes are compared on `status` until
	// they agree (empty blocks do not change the app hash).
	t.Logf("localnet.sh printed:\n%s", ansiRe.ReplaceAllString(out, ""))
	if !checkTable(t, statusTable(out)) {
		t.Logf("the start table shows nodes at different heights and app hashes; checking `status` until they agree")
		deadline := time.Now().Add(30 * time.Second)
		for {
			st, err := runScript(t, root, 20*time.Second, "status", "--dir", dir)
			if err != nil {
				t.Fatalf("localnet.sh status: %v\n%s", err, st)
			}
			if checkTable(t, statusTable(st)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("app hashes still differ after 30 s:\n%s", st)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	// The script's sample parties are on the ledger.
	q := exec.Command(binPath, "query", "identity", "parties", "-o", "json", "--node", fmt.Sprintf("tcp://127.0.0.1:%d", localnetPort+31))
	q.Env = append(os.Environ(), "HOME="+t.TempDir())
	bz, err := q.Output()
	if err != nil {
		t.Fatalf("query parties on health: %v", err)
	}
	var list struct {
		Parties []struct {
			Kind string `json:"kind"`
		} `json:"parties"`
	}
	if err := json.Unmarshal(bz, &list); err != nil {
		t.Fatalf("decode parties: %v\n%s", err, bz)
	}
	kinds := map[string]int{}
	for _, p := range list.Parties {
		kinds[p.Kind]++
	}
	if len(list.Parties) != 7 || kinds["PARTY_KIND_DEPARTMENT"] != 4 || kinds["PARTY_KIND_ENTERPRISE"] != 1 ||
		kinds["PARTY_KIND_INSTITUTION"] != 1 || kinds["PARTY_KIND_INDIVIDUAL"] != 1 {
		t.Errorf("parties after localnet.sh: %v, want 4 departments and the 3 sample parties", kinds)
	}

	// stop stops exactly these nodes, and nothing of dir is left running.
	out, err = runScript(t, root, MaxWait, "stop", "--dir", dir)
	stopped = true
	if err != nil {
		t.Fatalf("localnet.sh stop: %v\n%s", err, out)
	}
	for i, m := range localnetMonikers {
		if want := fmt.Sprintf("stopped %s (pid %d)", m, pids[i]); !strings.Contains(out, want) {
			t.Errorf("localnet.sh stop did not print %q:\n%s", want, out)
		}
		if _, err := os.Stat(filepath.Join(dir, m+".pid")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s.pid still exists after stop (%v)", m, err)
		}
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("node pid %d is alive after localnet.sh stop", pid)
		}
	}
	if left := processesUnder(dir); len(left) > 0 {
		t.Errorf("processes of %s alive after stop:\n%s", dir, strings.Join(left, "\n"))
	}
}
