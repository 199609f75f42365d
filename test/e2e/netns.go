//go:build linux

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ipTool is iproute2's ip.
const ipTool = "ip"

// NetnsOptions place every node of a network in its own network namespace:
// namespace Prefix+"n"+i, a veth pair (Prefix+"h"+i on the host, enslaved
// to the bridge Prefix+"br"; Prefix+"c"+i inside) with address
// Subnet.(10+i)/24, and the bridge itself Subnet.1/24 on the host, so that
// the test process reaches every node's RPC over the bridge. Names must be
// unique per test (Prefix at most 8 characters: interface names are at
// most 15).
type NetnsOptions struct {
	Prefix string // e.g. "drkill"
	Subnet string // the first three octets, e.g. "10.77.3"
}

// NetnsAvailable says why network namespaces cannot be used here ("" if
// they can): not root, or no ip tool.
func NetnsAvailable() string {
	if os.Geteuid() != 0 {
		return "not root"
	}
	if _, err := exec.LookPath(ipTool); err != nil {
		return "iproute2's ip is not installed"
	}
	return ""
}

// RequireNetns skips the test when network namespaces cannot be used,
// except under CI=true, where it fails instead.
func RequireNetns(t *testing.T) {
	t.Helper()
	if why := NetnsAvailable(); why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("e2e: network namespaces are needed in CI: %s", why)
		}
		t.Skipf("e2e: skipped: network namespace tests need root and iproute2 (%s)", why)
	}
}

// ip runs iproute2's ip with args, failing the test on error.
func (nw *Network) ip(args ...string) {
	nw.t.Helper()
	if out, err := exec.Command(ipTool, args...).CombinedOutput(); err != nil {
		nw.t.Fatalf("e2e: ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// nodeAddr is node i's address inside its namespace.
func nodeAddr(o NetnsOptions, i int) string { return fmt.Sprintf("%s.%d", o.Subnet, 10+i) }

// setupNetns creates the bridge and the namespaces, and rewrites each
// node's config.toml to listen (p2p and RPC, same ports) on its namespace
// address with persistent peers at the others' addresses. The cleanup
// stops the nodes and deletes everything, also when the test failed.
func (nw *Network) setupNetns(o NetnsOptions) {
	nw.t.Helper()
	if len(o.Prefix) == 0 || len(o.Prefix) > 8 || strings.Count(o.Subnet, ".") != 2 {
		nw.t.Fatalf("e2e: netns prefix %q (1-8 characters) subnet %q (a.b.c)", o.Prefix, o.Subnet)
	}
	nw.netns = &o
	br := o.Prefix + "br"
	nw.t.Cleanup(func() {
		nw.Stop()
		for i := range nw.Nodes {
			_ = exec.Command(ipTool, "link", "del", o.Prefix+"h"+strconv.Itoa(i)).Run()
			_ = exec.Command(ipTool, "netns", "del", o.Prefix+"n"+strconv.Itoa(i)).Run()
		}
		_ = exec.Command(ipTool, "link", "del", br).Run()
	})
	nw.ip("link", "add", br, "type", "bridge")
	nw.ip("addr", "add", o.Subnet+".1/24", "dev", br)
	nw.ip("link", "set", br, "up")
	ports := make([]string, len(nw.Nodes))
	for i, nd := range nw.Nodes {
		ns, host, inner := o.Prefix+"n"+strconv.Itoa(i), o.Prefix+"h"+strconv.Itoa(i), o.Prefix+"c"+strconv.Itoa(i)
		nw.ip("netns", "add", ns)
		nw.ip("link", "add", host, "type", "veth", "peer", "name", inner)
		nw.ip("link", "set", inner, "netns", ns)
		nw.ip("link", "set", host, "master", br)
		nw.ip("link", "set", host, "up")
		nw.ip("-n", ns, "link", "set", "lo", "up")
		nw.ip("-n", ns, "addr", "add", nodeAddr(o, i)+"/24", "dev", inner)
		nw.ip("-n", ns, "link", "set", inner, "up")
		nd.Netns = ns
		ports[i] = nd.P2P[strings.LastIndex(nd.P2P, ":")+1:]
	}
	for i, nd := range nw.Nodes {
		rpcPort := nd.RPC[strings.LastIndex(nd.RPC, ":")+1:]
		var peers []string
		for j, p := range nw.Nodes {
			if j != i {
				peers = append(peers, fmt.Sprintf("%s@%s:%s", p.NodeID, nodeAddr(o, j), ports[j]))
			}
		}
		err := EditTOML(filepath.Join(nd.Home, "config", "config.toml"), map[string]map[string]string{
			"rpc": {"laddr": strconv.Quote("tcp://" + nodeAddr(o, i) + ":" + rpcPort)},
			"p2p": {"laddr": strconv.Quote("tcp://" + nodeAddr(o, i) + ":" + ports[i]),
				"persistent_peers": strconv.Quote(strings.Join(peers, ","))},
		})
		if err != nil {
			nw.t.Fatalf("e2e: %v", err)
		}
		nd.RPC = "tcp://" + nodeAddr(o, i) + ":" + rpcPort
		nd.P2P = nodeAddr(o, i) + ":" + ports[i]
		nd.rpcURL = "http://" + nodeAddr(o, i) + ":" + rpcPort
	}
	nw.t.Logf("e2e: %d nodes in namespaces %sn0-%d on bridge %s (%s.0/24)", len(nw.Nodes), o.Prefix, len(nw.Nodes)-1, br, o.Subnet)
}

// Cut isolates the given nodes: no packet passes between a cut node and
// any other node (cut or not), in either direction, by blackhole routes
// inside the namespaces (packets are dropped silently, as a failed link
// would). The test process still reaches every node's RPC over the
// bridge. Heal undoes it.
func (nw *Network) Cut(nodes ...int) {
	nw.t.Helper()
	nw.partition(true, nodes)
	nw.t.Logf("e2e: cut nodes %v off the network", nodes)
}

// Heal removes the blackhole routes Cut added for these nodes.
func (nw *Network) Heal(nodes ...int) {
	nw.t.Helper()
	nw.partition(false, nodes)
	nw.t.Logf("e2e: healed nodes %v", nodes)
}

func (nw *Network) partition(cut bool, nodes []int) {
	nw.t.Helper()
	if nw.netns == nil {
		nw.t.Fatal("e2e: Cut/Heal need a network started with Options.Netns")
	}
	verb := "add"
	if !cut {
		verb = "del"
	}
	done := map[[2]int]bool{}
	for _, c := range nodes {
		for j := range nw.Nodes {
			if j == c {
				continue
			}
			// Both directions: c drops what it would send to j, j what
			// it would send to c.
			for _, p := range [][2]int{{c, j}, {j, c}} {
				if !done[p] {
					done[p] = true
					nw.ip("-n", nw.Nodes[p[0]].Netns, "route", verb, "blackhole", nodeAddr(*nw.netns, p[1])+"/32")
				}
			}
		}
	}
}
