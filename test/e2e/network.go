//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	ics23 "github.com/cosmos/ics23/go"
)

// Bounds on every wait, so that no test can hang.
const (
	// MaxWait bounds any single wait: a height, a node's RPC, a CLI run.
	MaxWait = 60 * time.Second
	// Budget bounds a whole network's life, from StartNetwork to Stop;
	// BudgetEnv (a Go duration) raises it for long runs (scripts/chaos.sh).
	Budget    = 4 * time.Minute
	BudgetEnv = "DATARIGHTS_E2E_BUDGET"
	// stopGrace is how long Stop waits after SIGTERM before SIGKILL.
	stopGrace = 15 * time.Second
	// ChainID is the chain id of the networks StartNetwork generates.
	ChainID = "datarights-e2e"
	// KeepEnv, when set to 1, keeps each network's directory after the
	// test (its path is logged) instead of deleting it.
	KeepEnv = "DATARIGHTS_E2E_KEEP"
)

// binPath is the datarightsd binary Main builds once per test binary run,
// and srcDir the snapshot of the checkout it was built from.
var binPath, srcDir string

// Binary is the path of the datarightsd binary under test ("" before Main).
func Binary() string { return binPath }

// SourceDir is the snapshot of the checkout that Binary was built from: the
// place to run the repository's scripts from ("" before Main).
func SourceDir() string { return srcDir }

// Main is the body of the package's TestMain. It copies the checkout's
// source into a temporary directory (so that every test sees one
// consistent tree, even while files are being edited), builds
// ./cmd/datarightsd there once with `go build -o`, runs the tests and
// removes it all. Under -short nothing is built (the tests skip themselves).
func Main(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "datarights-e2e-build-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	root, err := ModuleRoot()
	if err == nil {
		srcDir = filepath.Join(dir, "src")
		err = Snapshot(root, srcDir)
	}
	if err == nil {
		binPath, err = Build(srcDir, filepath.Join(dir, "bin"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: built %s from a snapshot of %s in %s\n", binPath, root, time.Since(start).Round(time.Millisecond))
	return m.Run()
}

// ModuleRoot is the directory of the go.mod of the module under test.
func ModuleRoot() (string, error) {
	out, err := exec.Command(goTool(), "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(mod), nil
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

// Snapshot copies the source of the checkout at root into dir: the files
// git tracks or would track (not ignored ones such as build/ and
// .localnet/), or, without git, every file outside dot-directories and
// build/.
func Snapshot(root, dir string) error {
	var files []string
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err == nil {
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				files = append(files, f)
			}
		}
	} else {
		err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || rel == "build") {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", root, err)
		}
	}
	for _, f := range files {
		src := filepath.Join(root, f)
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		bz, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		if err := os.WriteFile(dst, bz, fi.Mode().Perm()); err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
	}
	return nil
}

// Build compiles ./cmd/datarightsd of the module at src into dir and
// returns the binary's path.
func Build(src, dir string) (string, error) {
	bin := filepath.Join(dir, "datarightsd")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a cold build cache
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "./cmd/datarightsd")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/datarightsd in %s: %w\n%s", src, err, out)
	}
	return bin, nil
}

// Network is a loopback network of real `datarightsd start` processes,
// generated by `datarightsd testnet`. Every method that waits is bounded by
// MaxWait and by the network's Budget; helpers that cannot go on call
// t.Fatal, so they must be called from the test's goroutine.
type Network struct {
	t        testing.TB
	Dir      string // homes (one per node), logs, keys, the CLI's $HOME
	ChainID  string
	Nodes    []*Node
	KeysHome string // a --home for keys that are not departments' (AddKey)

	deadline time.Time
	http     *http.Client
	unlock   func()
	mu       sync.Mutex
	stopped  bool
	// portBase and portSpan are the loopback ports reserved by
	// FreePortBase: node i of the generated network uses portBase+10i and
	// portBase+10i+1; AddNode uses the rest of the span while it lasts.
	portBase, portSpan int
	// netns is set when the nodes run in network namespaces (netns.go).
	netns *NetnsOptions
}

// Node is one department's node.
type Node struct {
	Index   int
	Moniker string
	Home    string
	NodeID  string
	RPC     string // tcp://127.0.0.1:PORT, for --node
	P2P     string
	CDO     string // address of the key "cdo" in Home's test keyring
	Log     string // stdout and stderr of every run of the node
	// Env is added to the node's environment at its next (re)start, for
	// fail points (DATARIGHTS_FAILPOINT, FAIL_TEST_INDEX).
	Env []string
	// Netns is the network namespace the node runs in ("" on loopback).
	Netns string

	rpcURL string
	proc   *process
}

type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func (p *process) exited() bool {
	if p == nil {
		return true
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// StartNetwork generates a network of n departments with `datarightsd
// testnet --departments n` on a free range of loopback ports, starts every
// node (logs in Dir/<moniker>.log) and waits until all are at height 2 or
// more. Stop is registered with t.Cleanup: no node outlives the test, and
// the tail of every log is printed if the test failed.
func StartNetwork(t testing.TB, n int) *Network {
	t.Helper()
	return startNetwork(t, n, "", Options{})
}

// Options change how StartNetworkOptions prepares a generated network
// before its first start.
type Options struct {
	// Genesis edits each node's config/genesis.json (its path) after
	// `datarightsd testnet`, e.g. to add genesis parties; it must make
	// the same change for every node.
	Genesis func(path string) error
	// Netns, if set, runs every node in its own network namespace on a
	// private bridge (netns.go) instead of on loopback.
	Netns *NetnsOptions
}

// StartNetworkOptions is StartNetwork with Options.
func StartNetworkOptions(t testing.TB, n int, o Options) *Network {
	t.Helper()
	return startNetwork(t, n, "", o)
}

// StartNetworkManifest is StartNetwork for the departments, roles, block
// time and registry notice period of a network manifest (the format of
// networks/local/manifest.toml), generated with `datarightsd testnet
// --manifest path`. The harness still picks the ports and the chain id
// (--starting-port and --chain-id override the manifest's). n is the number
// of departments the manifest must describe.
func StartNetworkManifest(t testing.TB, manifest string, n int) *Network {
	t.Helper()
	if manifest == "" {
		t.Fatal("e2e: StartNetworkManifest: no manifest")
	}
	return startNetwork(t, n, manifest, Options{})
}

func startNetwork(t testing.TB, n int, manifest string, opts Options) *Network {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: skipped under -short")
	}
	if binPath == "" {
		t.Fatal("e2e: datarightsd was not built: call e2e.Main from TestMain")
	}
	if n < 1 || n > 10 {
		t.Fatalf("e2e: StartNetwork: %d nodes, want 1 to 10", n)
	}
	nw := &Network{
		t: t, ChainID: ChainID, Dir: networkDir(t),
		deadline: time.Now().Add(budget()),
		http:     &http.Client{Timeout: 5 * time.Second},
	}
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok && d.Add(-10*time.Second).Before(nw.deadline) {
			nw.deadline = d.Add(-10 * time.Second)
		}
	}
	nw.KeysHome = filepath.Join(nw.Dir, "keys")
	t.Cleanup(nw.cleanup)

	base, unlock, err := FreePortBase(n)
	if err != nil {
		t.Fatalf("e2e: %v", err)
	}
	nw.unlock = unlock
	nw.portBase, nw.portSpan = base, portSlots(n)*portSlot
	var out struct {
		ChainID string `json:"chain_id"`
		Nodes   []struct {
			Moniker string `json:"moniker"`
			Home    string `json:"home"`
			NodeID  string `json:"node_id"`
			RPC     string `json:"rpc"`
			P2P     string `json:"p2p"`
			CDO     string `json:"cdo_address"`
		} `json:"nodes"`
	}
	args := []string{"testnet", "--output-dir", nw.Dir, "--starting-port", strconv.Itoa(base), "--chain-id", ChainID}
	if manifest != "" {
		args = append(args, "--manifest", manifest)
	} else {
		args = append(args, "--departments", strconv.Itoa(n))
	}
	if _, _, err := nw.CLIJSON(&out, args...); err != nil {
		t.Fatalf("e2e: testnet: %v", err)
	}
	if len(out.Nodes) != n || out.ChainID != ChainID {
		t.Fatalf("e2e: testnet made %d nodes of chain %q, want %d of %q", len(out.Nodes), out.ChainID, n, ChainID)
	}
	for i, o := range out.Nodes {
		nw.Nodes = append(nw.Nodes, &Node{
			Index: i, Moniker: o.Moniker, Home: o.Home, NodeID: o.NodeID, RPC: o.RPC, P2P: o.P2P, CDO: o.CDO,
			Log:    filepath.Join(nw.Dir, o.Moniker+".log"),
			rpcURL: "http://" + strings.TrimPrefix(o.RPC, "tcp://"),
		})
	}
	if opts.Genesis != nil {
		for _, nd := range nw.Nodes {
			if err := opts.Genesis(filepath.Join(nd.Home, "config", "genesis.json")); err != nil {
				t.Fatalf("e2e: edit the genesis of %s: %v", nd.Moniker, err)
			}
		}
	}
	if opts.Netns != nil {
		nw.setupNetns(*opts.Netns)
	}
	for i := range nw.Nodes {
		if err := nw.startProcess(i); err != nil {
			t.Fatalf("e2e: %v", err)
		}
	}
	t.Logf("e2e: %d nodes on ports %d-%d in %s", n, base, base+10*(n-1)+1, nw.Dir)
	nw.waitAll(2)
	return nw
}

// budget is Budget, or BudgetEnv's duration when it is set and longer.
func budget() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(BudgetEnv)); err == nil && d > Budget {
		return d
	}
	return Budget
}

// networkDir is t.TempDir, or with KeepEnv=1 a directory that survives.
func networkDir(t testing.TB) string {
	if os.Getenv(KeepEnv) != "1" {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("", "datarights-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { t.Logf("e2e: kept %s (%s=1)", dir, KeepEnv) })
	return dir
}

// FreePortBase finds P such that P+10i and P+10i+1 (i < n) are free on
// loopback, below the usual ephemeral range and away from CometBFT's and
// localnet's default ports. The range is also reserved with a lock file
// until unlock is called, so concurrent test runs never pick the same one.
func FreePortBase(n int) (base int, unlock func(), err error) {
	const lo, hi, slot = 20000, 32000, portSlot
	span := 10 * n
	slots := portSlots(n)
	for attempt := 0; attempt < 200; attempt++ {
		base = lo + slot*rand.IntN((hi-lo)/slot-slots)
		if base < 26700 && base+span > 26500 { // localnet (26600+) and CometBFT defaults (26656/7)
			continue
		}
		var unlocks []func()
		ok := true
		for s := 0; s < slots && ok; s++ {
			u, locked := lockPortSlot(base + s*slot)
			if locked {
				unlocks = append(unlocks, u)
			} else {
				ok = false
			}
		}
		release := func() {
			for _, u := range unlocks {
				u()
			}
		}
		if ok && PortsFree(base, n) {
			return base, release, nil
		}
		release()
	}
	return 0, nil, errors.New("no free range of loopback ports found")
}

// portSlot is the size of the port ranges FreePortBase locks.
const portSlot = 100

// portSlots is how many port slots n nodes (10 ports each) take.
func portSlots(n int) int { return (10*n + portSlot - 1) / portSlot }

// PortsFree reports whether the p2p and rpc ports of n nodes from base are
// free on 127.0.0.1.
func PortsFree(base, n int) bool {
	for i := 0; i < n; i++ {
		for _, p := range []int{base + 10*i, base + 10*i + 1} {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				return false
			}
			l.Close()
		}
	}
	return true
}

// lockPortSlot takes an exclusive, non-blocking lock on a per-port-range
// file; the kernel releases it if the test binary dies.
func lockPortSlot(port int) (unlock func(), ok bool) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("datarights-e2e-ports-%d.lock", port))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}

// LockPorts reserves the port slot of base (as FreePortBase does) for a
// test that must use fixed ports; ok is false if another run holds it.
func LockPorts(base int) (unlock func(), ok bool) { return lockPortSlot(base) }

// timeout is d, cut to what is left of the network's budget.
func (nw *Network) timeout(d time.Duration) time.Duration {
	nw.t.Helper()
	left := time.Until(nw.deadline)
	if left <= 0 {
		nw.t.Fatalf("e2e: the network's budget of %s is spent", Budget)
	}
	return min(d, left)
}

// startProcess starts node i's `datarightsd start`, appending to its log.
func (nw *Network) startProcess(i int) error {
	nd := nw.Nodes[i]
	f, err := os.OpenFile(nd.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "\n===== e2e: %s start --home %s (%s) =====\n", binPath, nd.Home, time.Now().Format(time.RFC3339Nano))
	if len(nd.Env) > 0 {
		fmt.Fprintf(f, "===== e2e: with %s =====\n", strings.Join(nd.Env, " "))
	}
	cmd := exec.Command(binPath, "start", "--home", nd.Home)
	if nd.Netns != "" {
		// ip netns exec execs the node: the pid is the node's own.
		cmd = exec.Command(ipTool, "netns", "exec", nd.Netns, binPath, "start", "--home", nd.Home)
	}
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(nw.env(), nd.Env...)
	cmd.SysProcAttr = nodeProcAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start node %d (%s): %w", i, nd.Moniker, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	nd.proc = p
	return nil
}

// env is the environment of every process the harness starts: $HOME points
// into the network's directory so that nothing touches ~/.datarights.
func (nw *Network) env() []string {
	home := filepath.Join(nw.Dir, "user-home")
	_ = os.MkdirAll(home, 0o755)
	return append(os.Environ(), "HOME="+home)
}

// Running reports whether node i's process is alive.
func (nw *Network) Running(i int) bool { return !nw.Nodes[i].proc.exited() }

// Kill sends SIGKILL to node i (as a crash or power cut would) and waits
// for the process to exit.
func (nw *Network) Kill(i int) {
	nw.t.Helper()
	nd := nw.Nodes[i]
	if nd.proc.exited() {
		nw.t.Fatalf("e2e: Kill(%d): node %s is not running", i, nd.Moniker)
	}
	_ = nd.proc.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-nd.proc.done:
	case <-time.After(10 * time.Second):
		nw.t.Fatalf("e2e: node %s did not exit 10 s after SIGKILL", nd.Moniker)
	}
	nw.t.Logf("e2e: killed node %d (%s) with SIGKILL", i, nd.Moniker)
}

// StopNode stops node i gracefully: SIGTERM, then SIGKILL after a grace
// period. It reports the process's exit error (nil for a clean stop).
func (nw *Network) StopNode(i int) error {
	p := nw.Nodes[i].proc
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(stopGrace):
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
	return fmt.Errorf("node %s ignored SIGTERM for %s and was killed", nw.Nodes[i].Moniker, stopGrace)
}

// Restart starts node i again on its home (stopping it first if it is
// running) and waits until its RPC answers.
func (nw *Network) Restart(i int) {
	nw.t.Helper()
	if nw.Running(i) {
		if err := nw.StopNode(i); err != nil {
			nw.t.Errorf("e2e: stop node %d: %v", i, err)
		}
	}
	if err := nw.startProcess(i); err != nil {
		nw.t.Fatalf("e2e: %v", err)
	}
	nw.t.Logf("e2e: restarted node %d (%s)", i, nw.Nodes[i].Moniker)
	nw.poll(i, MaxWait, "its RPC to answer after restart", func() (bool, string) {
		_, err := nw.Status(i)
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	})
}

// AddNode creates one more node for the running network, the way an
// operator joins a new machine, and starts it; it returns the node's index
// (for Status, WaitHeight, Kill, Restart, Tx...). The node is a full node
// of the chain: `datarightsd init MONIKER --chain-id` in Dir/MONIKER, node
// 0's genesis.json copied over the generated one, and a config.toml for
// loopback like the generated nodes' (server/testnet.go nodeConfig): p2p
// and RPC on free ports, persistent_peers = every running node's
// id@127.0.0.1:port (ids from /status), pex off, allow_duplicate_ip,
// addr_book_strict off, node 0's timeout_commit. It block-syncs from its
// peers; AddNode waits only until its RPC answers. Its key ring is empty
// (AddKeyAt) and Node.CDO unset. Stop (and so the test's cleanup) stops it
// with the others.
func (nw *Network) AddNode(moniker string) int {
	nw.t.Helper()
	i := nw.PrepareNode(moniker)
	nw.StartNode(i)
	return i
}

// PrepareNode is AddNode without the start: the node's home and config
// exist (Nodes[i].NodeID is its id), so a test can register the id on
// chain or edit the config (EditTOML) before StartNode(i).
func (nw *Network) PrepareNode(moniker string) int {
	nw.t.Helper()
	nw.mu.Lock()
	stopped := nw.stopped
	nw.mu.Unlock()
	if stopped {
		nw.t.Fatal("e2e: AddNode: the network is stopped")
	}
	i := len(nw.Nodes)
	home := filepath.Join(nw.Dir, moniker)
	if _, err := os.Stat(home); err == nil {
		nw.t.Fatalf("e2e: AddNode: %s exists", home)
	}
	p2pPort, rpcPort := nw.nodePorts(i)

	var out struct {
		Home    string `json:"home"`
		ChainID string `json:"chain_id"`
		NodeID  string `json:"node_id"`
	}
	if _, _, err := nw.CLIJSON(&out, "init", moniker, "--chain-id", nw.ChainID, "--home", home); err != nil {
		nw.t.Fatalf("e2e: AddNode: %v", err)
	}
	if out.ChainID != nw.ChainID || out.NodeID == "" {
		nw.t.Fatalf("e2e: AddNode: init printed chain %q node id %q", out.ChainID, out.NodeID)
	}
	genesis, err := os.ReadFile(filepath.Join(nw.Nodes[0].Home, "config", "genesis.json"))
	if err == nil {
		err = os.WriteFile(filepath.Join(home, "config", "genesis.json"), genesis, 0o644)
	}
	if err != nil {
		nw.t.Fatalf("e2e: AddNode: copy node 0's genesis: %v", err)
	}

	var ref struct {
		Consensus struct {
			TimeoutCommit string `toml:"timeout_commit"`
		} `toml:"consensus"`
	}
	if _, err := toml.DecodeFile(filepath.Join(nw.Nodes[0].Home, "config", "config.toml"), &ref); err != nil || ref.Consensus.TimeoutCommit == "" {
		nw.t.Fatalf("e2e: AddNode: timeout_commit of node 0: %q, %v", ref.Consensus.TimeoutCommit, err)
	}
	var peers []string
	for j, nd := range nw.Nodes {
		if !nw.Running(j) {
			continue
		}
		st, err := nw.Status(j)
		if err != nil {
			nw.t.Fatalf("e2e: AddNode: status of node %d: %v", j, err)
		}
		if st.NodeID != nd.NodeID {
			nw.t.Fatalf("e2e: AddNode: node %d has node id %s in /status, %s when generated", j, st.NodeID, nd.NodeID)
		}
		peers = append(peers, st.NodeID+"@"+nd.P2P)
	}
	if len(peers) == 0 {
		nw.t.Fatal("e2e: AddNode: no running node to peer with")
	}
	p2pAddr, rpcAddr := fmt.Sprintf("127.0.0.1:%d", p2pPort), fmt.Sprintf("127.0.0.1:%d", rpcPort)
	err = EditTOML(filepath.Join(home, "config", "config.toml"), map[string]map[string]string{
		"p2p": {
			"laddr":              strconv.Quote("tcp://" + p2pAddr),
			"persistent_peers":   strconv.Quote(strings.Join(peers, ",")),
			"pex":                "false",
			"allow_duplicate_ip": "true",
			"addr_book_strict":   "false",
		},
		"rpc":             {"laddr": strconv.Quote("tcp://" + rpcAddr)},
		"consensus":       {"timeout_commit": strconv.Quote(ref.Consensus.TimeoutCommit)},
		"instrumentation": {"prometheus": "false"},
	})
	if err != nil {
		nw.t.Fatalf("e2e: AddNode: %v", err)
	}

	nd := &Node{Index: i, Moniker: moniker, Home: home, NodeID: out.NodeID, RPC: "tcp://" + rpcAddr, P2P: p2pAddr,
		Log: filepath.Join(nw.Dir, moniker+".log"), rpcURL: "http://" + rpcAddr}
	nw.mu.Lock()
	nw.Nodes = append(nw.Nodes, nd)
	nw.mu.Unlock()
	nw.t.Logf("e2e: prepared node %d (%s, id %s): p2p %s, rpc %s, peers %s", i, moniker, out.NodeID, p2pAddr, rpcAddr, strings.Join(peers, ","))
	return i
}

// StartNode starts a node PrepareNode made and waits until its RPC answers
// as that node of the chain.
func (nw *Network) StartNode(i int) {
	nw.t.Helper()
	nd := nw.Nodes[i]
	if err := nw.startProcess(i); err != nil {
		nw.t.Fatalf("e2e: StartNode: %v", err)
	}
	nw.t.Logf("e2e: started node %d (%s)", i, nd.Moniker)
	nw.poll(i, MaxWait, fmt.Sprintf("node %d's RPC to answer", i), func() (bool, string) {
		st, err := nw.Status(i)
		if err != nil {
			return false, err.Error()
		}
		if st.NodeID != nd.NodeID || st.Network != nw.ChainID {
			nw.t.Fatalf("e2e: StartNode: node %d answers as node %s of chain %s, want %s of %s", i, st.NodeID, st.Network, nd.NodeID, nw.ChainID)
		}
		return true, ""
	})
}

// nodePorts picks the p2p and RPC ports of node i: portBase+10i and +1
// while they are inside the range the network reserved, otherwise a new
// range reserved the same way (released by Stop).
func (nw *Network) nodePorts(i int) (p2p, rpc int) {
	nw.t.Helper()
	if p := nw.portBase + 10*i; nw.portSpan > 0 && 10*i+1 < nw.portSpan && PortsFree(p, 1) {
		return p, p + 1
	}
	base, unlock, err := FreePortBase(1)
	if err != nil {
		nw.t.Fatalf("e2e: ports for node %d: %v", i, err)
	}
	nw.mu.Lock()
	prev := nw.unlock
	nw.unlock = func() {
		if prev != nil {
			prev()
		}
		unlock()
	}
	nw.mu.Unlock()
	return base, base + 1
}

// EditTOML sets keys of a TOML file in place, section by section
// (sections[""] for the top level), keeping every other line and comment.
// Values are TOML literals (quoted strings, true, 10). Every key must be
// present in its section already, as in the config.toml that init writes.
func EditTOML(path string, sections map[string]map[string]string) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(bz), "\n")
	done := map[string]bool{}
	section := ""
	for n, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			section = strings.Trim(trimmed, "[] ")
			continue
		}
		key, _, ok := strings.Cut(trimmed, "=")
		if !ok || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key = strings.TrimSpace(key)
		if v, ok := sections[section][key]; ok {
			lines[n] = key + " = " + v
			done[section+"."+key] = true
		}
	}
	for sec, kv := range sections {
		for k := range kv {
			if !done[sec+"."+k] {
				return fmt.Errorf("%s: no key %s in section [%s]", path, k, sec)
			}
		}
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

// Stop stops every node (SIGTERM, then SIGKILL after a grace period) and
// reports nodes that did not stop cleanly. It is idempotent and registered
// with t.Cleanup by StartNetwork.
func (nw *Network) Stop() {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if nw.stopped {
		return
	}
	nw.stopped = true
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(nw.Nodes))
	for i := range nw.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = nw.StopNode(i)
		}()
	}
	wg.Wait()
	nw.t.Logf("e2e: stopped %d nodes in %s", len(nw.Nodes), time.Since(start).Round(time.Millisecond))
	for i, err := range errs {
		if err != nil {
			nw.t.Errorf("e2e: node %d (%s) did not stop cleanly: %v", i, nw.Nodes[i].Moniker, err)
		}
	}
	if nw.unlock != nil {
		nw.unlock()
	}
}

func (nw *Network) cleanup() {
	nw.Stop()
	if nw.t.Failed() {
		for _, nd := range nw.Nodes {
			nw.t.Logf("e2e: last lines of %s:\n%s", nd.Log, LogTail(nd.Log, 40))
		}
	}
}

// LogTail is the last n lines of a file.
func LogTail(path string, n int) string {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(bz), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// CLIError is a CLI run that exited non-zero.
type CLIError struct {
	Args           []string
	ExitCode       int
	Stdout, Stderr string
}

func (e *CLIError) Error() string {
	return fmt.Sprintf("datarightsd %s: exit %d: %s", strings.Join(e.Args, " "), e.ExitCode, strings.TrimSpace(e.Stderr))
}

// CLI runs the datarightsd binary with args and --keyring-backend test,
// bounded by MaxWait. A non-zero exit is a *CLIError (stdout and stderr are
// returned as well).
func (nw *Network) CLI(args ...string) (stdout, stderr string, err error) {
	nw.t.Helper()
	args = append(append([]string(nil), args...), "--keyring-backend", "test")
	ctx, cancel := context.WithTimeout(context.Background(), nw.timeout(MaxWait))
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = nw.env()
	cmd.WaitDelay = 5 * time.Second
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	err = cmd.Run()
	stdout, stderr = o.String(), e.String()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		err = fmt.Errorf("datarightsd %s: no answer within %s (stderr: %s)", strings.Join(args, " "), MaxWait, stderr)
	case errors.As(err, &exit):
		err = &CLIError{Args: args, ExitCode: exit.ExitCode(), Stdout: stdout, Stderr: stderr}
	}
	nw.t.Logf("$ datarightsd %s  # %s, %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), exitText(err))
	return stdout, stderr, err
}

func exitText(err error) string {
	var ce *CLIError
	switch {
	case err == nil:
		return "exit 0"
	case errors.As(err, &ce):
		return fmt.Sprintf("exit %d", ce.ExitCode)
	}
	return err.Error()
}

// CLIJSON runs the CLI with -o json and decodes its stdout into v when
// there is any, also when the command failed (a rejected tx prints its
// result as JSON and exits non-zero).
func (nw *Network) CLIJSON(v any, args ...string) (stdout, stderr string, err error) {
	nw.t.Helper()
	stdout, stderr, err = nw.CLI(append(append([]string(nil), args...), "-o", "json")...)
	if v != nil && strings.TrimSpace(stdout) != "" {
		if derr := json.Unmarshal([]byte(stdout), v); derr != nil && err == nil {
			err = fmt.Errorf("decode the JSON output of datarightsd %s: %w\n%s", strings.Join(args, " "), derr, stdout)
		}
	}
	return stdout, stderr, err
}

// NodeFlag is --node of node i.
func (nw *Network) NodeFlag(i int) []string { return []string{"--node", nw.Nodes[i].RPC} }

// TxFlags sign with node i's department key ("cdo" in its home) and send to
// node i.
func (nw *Network) TxFlags(i int) []string {
	return []string{"--from", "cdo", "--home", nw.Nodes[i].Home, "--node", nw.Nodes[i].RPC, "--timeout", "30s"}
}

// TxResult is what a tx command prints with -o json.
type TxResult struct {
	TxHash    string   `json:"txhash"`
	Height    int64    `json:"height"`
	Code      uint32   `json:"code"`
	Codespace string   `json:"codespace"`
	Log       string   `json:"log"`
	IDs       []string `json:"ids"`
	Committed bool     `json:"committed"`
}

// Tx runs `datarightsd tx ARGS` signed by node i's department key and sent
// to node i, and returns the printed result.
func (nw *Network) Tx(i int, args ...string) (res TxResult, stdout, stderr string, err error) {
	nw.t.Helper()
	stdout, stderr, err = nw.CLIJSON(&res, append(append([]string{"tx"}, args...), nw.TxFlags(i)...)...)
	return res, stdout, stderr, err
}

// AddKey creates a key in KeysHome and returns its address.
func (nw *Network) AddKey(name string) string {
	nw.t.Helper()
	return nw.AddKeyAt(nw.KeysHome, name)
}

// AddKeyAt creates a key in the test keyring of home (e.g. a node's home,
// where "cdo" is the department's key that Tx signs with) and returns its
// address.
func (nw *Network) AddKeyAt(home, name string) string {
	nw.t.Helper()
	var out struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	}
	if _, _, err := nw.CLIJSON(&out, "keys", "add", name, "--home", home); err != nil {
		nw.t.Fatalf("e2e: keys add %s --home %s: %v", name, home, err)
	}
	if out.Name != name || !strings.HasPrefix(out.Address, "0x") || len(out.Address) != 42 {
		nw.t.Fatalf("e2e: keys add %s printed name %q address %q", name, out.Name, out.Address)
	}
	return out.Address
}

// RPC calls a CometBFT RPC endpoint of node i over HTTP (GET with URI
// parameters) and decodes its result into out.
func (nw *Network) RPC(i int, method string, params url.Values, out any) error {
	u := nw.Nodes[i].rpcURL + "/" + method
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	resp, err := nw.http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("%s: HTTP %d, not JSON-RPC: %.200s", method, resp.StatusCode, body)
	}
	if env.Error != nil {
		return fmt.Errorf("%s: RPC error %d %s: %s", method, env.Error.Code, env.Error.Message, env.Error.Data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// Status is a node's /status.
type Status struct {
	Moniker    string
	Network    string
	NodeID     string // the p2p node id, for persistent_peers
	Height     int64
	AppHash    string // after executing block Height
	BlockHash  string
	CatchingUp bool
	// The node's own validator key (whether or not it is in the set): its
	// address (upper-case hex, as in /validators and commit signatures),
	// its ed25519 public key (base64), and its power in the current set (0
	// when it is not a validator).
	ValidatorAddress string
	ValidatorPubKey  string
	VotingPower      int64
}

// Status asks node i for /status.
func (nw *Network) Status(i int) (Status, error) {
	var r struct {
		NodeInfo struct {
			ID      string `json:"id"`
			Network string `json:"network"`
			Moniker string `json:"moniker"`
		} `json:"node_info"`
		SyncInfo struct {
			BlockHash  string `json:"latest_block_hash"`
			AppHash    string `json:"latest_app_hash"`
			Height     int64  `json:"latest_block_height,string"`
			CatchingUp bool   `json:"catching_up"`
		} `json:"sync_info"`
		ValidatorInfo struct {
			Address string `json:"address"`
			PubKey  struct {
				Value string `json:"value"`
			} `json:"pub_key"`
			VotingPower int64 `json:"voting_power,string"`
		} `json:"validator_info"`
	}
	if err := nw.RPC(i, "status", nil, &r); err != nil {
		return Status{}, err
	}
	return Status{Moniker: r.NodeInfo.Moniker, Network: r.NodeInfo.Network, NodeID: r.NodeInfo.ID, Height: r.SyncInfo.Height,
		AppHash: r.SyncInfo.AppHash, BlockHash: r.SyncInfo.BlockHash, CatchingUp: r.SyncInfo.CatchingUp,
		ValidatorAddress: r.ValidatorInfo.Address, ValidatorPubKey: r.ValidatorInfo.PubKey.Value,
		VotingPower: r.ValidatorInfo.VotingPower}, nil
}

// Validator is one entry of /validators.
type Validator struct {
	Address string // upper-case hex: the first 20 bytes of sha256(pub key)
	PubKey  string // ed25519, base64
	Power   int64
}

// ValidatorsAt is the validator set of height h (the set that signs block
// h) according to node i: /validators?height=h, every page.
func (nw *Network) ValidatorsAt(i int, h int64) ([]Validator, error) {
	var out []Validator
	for page := 1; ; page++ {
		var r struct {
			Validators []struct {
				Address string `json:"address"`
				PubKey  struct {
					Value string `json:"value"`
				} `json:"pub_key"`
				Power int64 `json:"voting_power,string"`
			} `json:"validators"`
			Total int `json:"total,string"`
		}
		params := url.Values{"height": {strconv.FormatInt(h, 10)}, "page": {strconv.Itoa(page)}, "per_page": {"100"}}
		if err := nw.RPC(i, "validators", params, &r); err != nil {
			return nil, err
		}
		for _, v := range r.Validators {
			out = append(out, Validator{Address: v.Address, PubKey: v.PubKey.Value, Power: v.Power})
		}
		if len(out) >= r.Total || len(r.Validators) == 0 {
			return out, nil
		}
	}
}

// CommitSig is one signature slot of a commit.
type CommitSig struct {
	Flag    int    // CometBFT's BlockIDFlag: 1 absent, 2 commit, 3 nil
	Address string // the validator's address, upper-case hex ("" if absent)
}

// Commit is what /commit?height=h says of the commit of block h.
type Commit struct {
	Height     int64
	Canonical  bool // from block h+1's last commit, not the node's own seen commit
	Signatures []CommitSig
}

// Block ID flags of a commit signature (CometBFT's types.BlockIDFlag).
const (
	FlagAbsent = 1
	FlagCommit = 2
	FlagNil    = 3
)

// CommitAt reads /commit?height=h from node i.
func (nw *Network) CommitAt(i int, h int64) (Commit, error) {
	var r struct {
		SignedHeader struct {
			Commit struct {
				Height     int64 `json:"height,string"`
				Signatures []struct {
					Flag    json.RawMessage `json:"block_id_flag"`
					Address string          `json:"validator_address"`
				} `json:"signatures"`
			} `json:"commit"`
		} `json:"signed_header"`
		Canonical bool `json:"canonical"`
	}
	if err := nw.RPC(i, "commit", url.Values{"height": {strconv.FormatInt(h, 10)}}, &r); err != nil {
		return Commit{}, err
	}
	c := Commit{Height: r.SignedHeader.Commit.Height, Canonical: r.Canonical}
	for _, s := range r.SignedHeader.Commit.Signatures {
		// A number in CometBFT's JSON; accept a quoted one as well.
		f, err := strconv.Atoi(strings.Trim(string(s.Flag), `"`))
		if err != nil {
			return Commit{}, fmt.Errorf("commit %d: block_id_flag %s: %w", h, s.Flag, err)
		}
		c.Signatures = append(c.Signatures, CommitSig{Flag: f, Address: s.Address})
	}
	return c, nil
}

// poll calls cond every 100 ms until it holds, for at most d (and the
// budget); it fails the test on timeout or if node i's process exits
// (i < 0: no node to watch).
func (nw *Network) poll(i int, d time.Duration, what string, cond func() (bool, string)) {
	nw.t.Helper()
	deadline := time.Now().Add(nw.timeout(d))
	for {
		ok, last := cond()
		if ok {
			return
		}
		if i >= 0 && nw.Nodes[i].proc.exited() {
			nd := nw.Nodes[i]
			nw.t.Fatalf("e2e: node %d (%s) exited (%v) while waiting for %s; last lines of %s:\n%s",
				i, nd.Moniker, nd.proc.err, what, nd.Log, LogTail(nd.Log, 40))
		}
		if time.Now().After(deadline) {
			nw.t.Fatalf("e2e: gave up waiting for %s after %s (last: %s)", what, d, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitHeight waits (at most MaxWait) until node i has committed height h,
// and returns its status.
func (nw *Network) WaitHeight(i int, h int64) Status {
	nw.t.Helper()
	var st Status
	nw.poll(i, MaxWait, fmt.Sprintf("node %d to reach height %d", i, h), func() (bool, string) {
		var err error
		if st, err = nw.Status(i); err != nil {
			return false, err.Error()
		}
		return st.Height >= h, fmt.Sprintf("height %d", st.Height)
	})
	return st
}

// waitAll waits until every running node has committed height h.
func (nw *Network) waitAll(h int64) {
	nw.t.Helper()
	for i := range nw.Nodes {
		if nw.Running(i) {
			nw.WaitHeight(i, h)
		}
	}
}

// WaitAllHeight waits until every node has committed height h.
func (nw *Network) WaitAllHeight(h int64) { nw.t.Helper(); nw.waitAll(h) }

// Block is what the harness reads of a block.
type Block struct {
	Height  int64
	Hash    string // block id hash
	AppHash string // app hash after block Height-1
	ChainID string
	NumTxs  int
	Time    time.Time // the header's time (BFT time: the median of the previous commit's votes)
}

// BlockAt reads /block?height=h from node i, waiting (at most MaxWait)
// until the node has it.
func (nw *Network) BlockAt(i int, h int64) Block {
	nw.t.Helper()
	var b Block
	nw.poll(i, MaxWait, fmt.Sprintf("block %d on node %d", h, i), func() (bool, string) {
		var r struct {
			BlockID struct {
				Hash string `json:"hash"`
			} `json:"block_id"`
			Block struct {
				Header struct {
					ChainID string    `json:"chain_id"`
					Height  int64     `json:"height,string"`
					AppHash string    `json:"app_hash"`
					Time    time.Time `json:"time"`
				} `json:"header"`
				Data struct {
					Txs []json.RawMessage `json:"txs"`
				} `json:"data"`
			} `json:"block"`
		}
		if err := nw.RPC(i, "block", url.Values{"height": {strconv.FormatInt(h, 10)}}, &r); err != nil {
			return false, err.Error()
		}
		b = Block{Height: r.Block.Header.Height, Hash: r.BlockID.Hash, AppHash: r.Block.Header.AppHash,
			ChainID: r.Block.Header.ChainID, NumTxs: len(r.Block.Data.Txs), Time: r.Block.Header.Time}
		return b.Height == h && b.Hash != "", fmt.Sprintf("got height %d", b.Height)
	})
	return b
}

// AppHashAt is the app hash of the state after block h on node i: the
// app_hash in the header of block h+1 (waiting for it, at most MaxWait).
func (nw *Network) AppHashAt(i int, h int64) string {
	nw.t.Helper()
	return nw.BlockAt(i, h+1).AppHash
}

// ABCIResult is the response of /abci_query.
type ABCIResult struct {
	Code      uint32
	Codespace string
	Log       string
	Key       []byte
	Value     []byte
	Height    int64
	Proofs    []ProofOp
}

// ProofOp is one proof op of an ABCI query response.
type ProofOp struct {
	Type string
	Key  []byte
	Data []byte
}

// ABCIQuery sends /abci_query to node i (height 0: latest).
func (nw *Network) ABCIQuery(i int, path string, data []byte, height int64, prove bool) (ABCIResult, error) {
	var r struct {
		Response struct {
			Code      uint32 `json:"code"`
			Codespace string `json:"codespace"`
			Log       string `json:"log"`
			Key       []byte `json:"key"`
			Value     []byte `json:"value"`
			Height    int64  `json:"height,string"`
			ProofOps  *struct {
				Ops []struct {
					Type string `json:"type"`
					Key  []byte `json:"key"`
					Data []byte `json:"data"`
				} `json:"ops"`
			} `json:"proofOps"`
		} `json:"response"`
	}
	params := url.Values{"path": {strconv.Quote(path)}, "data": {"0x" + hex.EncodeToString(data)}}
	if height > 0 {
		params.Set("height", strconv.FormatInt(height, 10))
	}
	if prove {
		params.Set("prove", "true")
	}
	if err := nw.RPC(i, "abci_query", params, &r); err != nil {
		return ABCIResult{}, err
	}
	q := r.Response
	res := ABCIResult{Code: q.Code, Codespace: q.Codespace, Log: q.Log, Key: q.Key, Value: q.Value, Height: q.Height}
	if q.ProofOps != nil {
		for _, op := range q.ProofOps.Ops {
			res.Proofs = append(res.Proofs, ProofOp{Type: op.Type, Key: op.Key, Data: op.Data})
		}
	}
	return res, nil
}

// AddressBytes decodes a 0x-prefixed hex address.
func AddressBytes(addr string) ([]byte, error) {
	bz, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(addr, "0x"), "0X"))
	if err != nil || len(bz) != 20 {
		return nil, fmt.Errorf("address %q: want 0x and 40 hex digits", addr)
	}
	return bz, nil
}

// Nonce asks node i for a signer's next nonce: the committed one and the
// one counting txs in the node's mempool (/abci_query path "/app/nonce").
func (nw *Network) Nonce(i int, signer string) (committed, pending uint64) {
	nw.t.Helper()
	addr, err := AddressBytes(signer)
	if err != nil {
		nw.t.Fatalf("e2e: %v", err)
	}
	r, err := nw.ABCIQuery(i, "/app/nonce", addr, 0, false)
	if err != nil {
		nw.t.Fatalf("e2e: nonce of %s on node %d: %v", signer, i, err)
	}
	if r.Code != 0 || len(r.Value) != 16 {
		nw.t.Fatalf("e2e: nonce of %s on node %d: code %d %s, %d bytes", signer, i, r.Code, r.Log, len(r.Value))
	}
	return binary.BigEndian.Uint64(r.Value[:8]), binary.BigEndian.Uint64(r.Value[8:])
}

// NonceKey is the state key of a signer's nonce (app/keys.go: 0x01 0x01
// address), for proofs with /abci_query path "/store/key".
func NonceKey(signer string) ([]byte, error) {
	addr, err := AddressBytes(signer)
	if err != nil {
		return nil, err
	}
	return append([]byte{0x01, 0x01}, addr...), nil
}

// UnconfirmedTxs is the number of txs in node i's mempool.
func (nw *Network) UnconfirmedTxs(i int) (int, error) {
	var r struct {
		N int `json:"n_txs,string"`
	}
	err := nw.RPC(i, "num_unconfirmed_txs", nil, &r)
	return r.N, err
}

// VerifyStoreProof decodes the ICS23 proof of a /store/key answer and checks
// it against appHash (hex), the app hash of the state at r.Height.
func VerifyStoreProof(r ABCIResult, appHash string) (*ics23.ExistenceProof, error) {
	if len(r.Proofs) != 1 || r.Proofs[0].Type != "ics23:iavl" {
		return nil, fmt.Errorf("want one ics23:iavl proof op, got %d", len(r.Proofs))
	}
	var p ics23.CommitmentProof
	if err := p.Unmarshal(r.Proofs[0].Data); err != nil {
		return nil, fmt.Errorf("decode proof: %w", err)
	}
	root, err := hex.DecodeString(appHash)
	if err != nil {
		return nil, fmt.Errorf("app hash %q: %w", appHash, err)
	}
	if !ics23.VerifyMembership(ics23.IavlSpec, root, &p, r.Key, r.Value) {
		return nil, fmt.Errorf("proof of key %X at height %d does not verify against app hash %s", r.Key, r.Height, appHash)
	}
	return p.GetExist(), nil
}

// OnlyLeafChanged checks, from existence proofs of the same key in two
// versions of the IAVL state, that nothing else in the tree differs: every
// sibling hash on the path to the root is the same, and so are the height
// and size of every inner node. Only the versions recorded in the path's
// nodes may differ. Together with both proofs verifying against their app
// hashes, this shows that the two app hashes differ by this one entry.
func OnlyLeafChanged(before, after *ics23.ExistenceProof) error {
	if before == nil || after == nil {
		return errors.New("missing existence proof")
	}
	if !bytes.Equal(before.Key, after.Key) {
		return fmt.Errorf("proofs of different keys %X and %X", before.Key, after.Key)
	}
	if len(before.Path) != len(after.Path) {
		return fmt.Errorf("the key's depth changed from %d to %d: the tree's shape changed", len(before.Path), len(after.Path))
	}
	for i := range before.Path {
		hb, sb, rb, err := splitInnerPrefix(before.Path[i].Prefix)
		if err != nil {
			return err
		}
		ha, sa, ra, err := splitInnerPrefix(after.Path[i].Prefix)
		if err != nil {
			return err
		}
		if hb != ha || sb != sa {
			return fmt.Errorf("inner node %d above the leaf: height/size %d/%d became %d/%d", i, hb, sb, ha, sa)
		}
		if !bytes.Equal(rb, ra) || !bytes.Equal(before.Path[i].Suffix, after.Path[i].Suffix) {
			return fmt.Errorf("inner node %d above the leaf: its other child changed", i)
		}
	}
	return nil
}

// splitInnerPrefix splits an IAVL inner op prefix into the node's height and
// size and the rest (the length-prefixed left child hash, if any) after its
// version.
func splitInnerPrefix(p []byte) (height, size int64, rest []byte, err error) {
	var vals [3]int64
	for k := range vals {
		v, n := binary.Varint(p)
		if n <= 0 {
			return 0, 0, nil, errors.New("malformed IAVL inner op prefix")
		}
		vals[k], p = v, p[n:]
	}
	return vals[0], vals[1], p, nil
}
