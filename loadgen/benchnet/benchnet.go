package benchnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/keyring"
	"github.com/datarights/datarights/loadgen"
	"github.com/datarights/datarights/server"
)

// Options of a network.
type Options struct {
	// Dir holds the nodes' homes; it must not exist yet or be empty.
	Dir string
	// Binary is the datarightsd binary (Datarights) or cometbft (KVStore).
	Binary string
	// Validators is the number of validator nodes.
	Validators int
	// Parties is the number of signer keys created in genesis (Datarights).
	Parties int
	// TimeoutCommit is CometBFT's consensus.timeout_commit.
	TimeoutCommit time.Duration
	// MempoolSize is mempool.size (txs), for both apps alike.
	MempoolSize int
	// BlockMaxBytes is the genesis block.max_bytes, for both apps alike (0:
	// server.DefaultBlockMaxBytes).
	BlockMaxBytes int64
	// StartingPort: node i listens on P+10i (p2p) and P+10i+1 (rpc).
	StartingPort int
	// PprofAddr, if set, is node 0's rpc.pprof_laddr (e.g. 127.0.0.1:6060).
	PprofAddr string
}

// Network is a running network.
type Network struct {
	Engine string // "datarights" or "kvstore"
	Nodes  []*Node
	// Admin and Keys: department-1's key and the genesis signers (Datarights).
	Admin *ecdsa.PrivateKey
	Keys  []*ecdsa.PrivateKey
}

// Node is one running node.
type Node struct {
	Home string
	RPC  string
	cmd  *exec.Cmd
	log  *os.File
}

// Endpoints are the nodes' RPC addresses.
func (n *Network) Endpoints() []string {
	var out []string
	for _, nd := range n.Nodes {
		out = append(out, nd.RPC)
	}
	return out
}

// PIDs are the node processes' ids.
func (n *Network) PIDs() []int {
	var out []int
	for _, nd := range n.Nodes {
		out = append(out, nd.cmd.Process.Pid)
	}
	return out
}

const chainID = "datarights-bench"

func (o *Options) manifest() *server.Manifest {
	m := server.GenericManifest(o.Validators, chainID, o.StartingPort)
	m.TimeoutCommit = o.TimeoutCommit.String()
	m.NoticePeriod = "1s" // the mixed workload sells licences of an asset it registers
	return m
}

// Datarights creates a datarights network with o.Parties enterprise
// signers in genesis and starts it.
func Datarights(ctx context.Context, o Options) (*Network, error) {
	keys, err := loadgen.Keys(o.Parties)
	if err != nil {
		return nil, err
	}
	m := o.manifest()
	if m.Parties, err = loadgen.Parties(keys); err != nil {
		return nil, err
	}
	nodes, err := server.Testnet(o.Dir, m)
	if err != nil {
		return nil, err
	}
	for _, nd := range nodes {
		doc, gs, err := server.LoadGenesis(server.GenesisFile(nd.Home))
		if err != nil {
			return nil, err
		}
		doc.ConsensusParams.Block.MaxBytes = o.blockMaxBytes()
		if err := server.SaveGenesis(server.GenesisFile(nd.Home), doc, gs); err != nil {
			return nil, err
		}
	}
	kr, err := keyring.New(keyring.BackendTest, nodes[0].Home, nil)
	if err != nil {
		return nil, err
	}
	admin, err := kr.PrivateKey("cdo")
	if err != nil {
		return nil, err
	}
	nw := &Network{Engine: "datarights", Admin: admin, Keys: keys}
	for i, nd := range nodes {
		conf, err := server.LoadCometConfig(nd.Home)
		if err != nil {
			return nil, err
		}
		if err := o.tune(conf, i, nd.Home); err != nil {
			return nil, err
		}
		nw.Nodes = append(nw.Nodes, &Node{Home: nd.Home, RPC: nd.RPC})
	}
	return nw, nw.start(ctx, o.Binary, func(nd *Node) []string { return []string{"start", "--home", nd.Home} })
}

// KVStore creates a network of CometBFT's kvstore example app: `cometbft
// init` for each node, then the loopback config datarights uses and one
// genesis with every node's validator.
func KVStore(ctx context.Context, o Options) (*Network, error) {
	m := o.manifest()
	nw := &Network{Engine: "kvstore"}
	var vals []cmttypes.GenesisValidator
	var ids []string
	for i := range o.Validators {
		home := filepath.Join(o.Dir, fmt.Sprintf("kvstore-%d", i+1))
		if out, err := exec.CommandContext(ctx, o.Binary, "init", "--home", home).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("cometbft init: %v: %s", err, out)
		}
		doc, err := cmttypes.GenesisDocFromFile(filepath.Join(home, "config", "genesis.json"))
		if err != nil {
			return nil, err
		}
		vals = append(vals, doc.Validators...)
		nk, err := p2p.LoadNodeKey(filepath.Join(home, "config", "node_key.json"))
		if err != nil {
			return nil, err
		}
		ids = append(ids, string(nk.ID()))
		nw.Nodes = append(nw.Nodes, &Node{Home: home, RPC: fmt.Sprintf("tcp://127.0.0.1:%d", m.RPCPort(i))})
	}
	// One genesis for all (the first node's, with every validator): each
	// init wrote its own genesis time, and nodes with different genesis
	// docs never agree on block 1.
	doc, err := cmttypes.GenesisDocFromFile(filepath.Join(nw.Nodes[0].Home, "config", "genesis.json"))
	if err != nil {
		return nil, err
	}
	doc.ChainID, doc.Validators = chainID, vals
	doc.ConsensusParams.Block.MaxBytes = o.blockMaxBytes()
	for i, nd := range nw.Nodes {
		if err := doc.SaveAs(filepath.Join(nd.Home, "config", "genesis.json")); err != nil {
			return nil, err
		}
		conf := server.LoopbackConfig(m, i, o.TimeoutCommit)
		var peers []string
		for j, id := range ids {
			if j != i {
				peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", id, m.P2PPort(j)))
			}
		}
		conf.P2P.PersistentPeers = strings.Join(peers, ",")
		if err := o.tune(conf, i, nd.Home); err != nil {
			return nil, err
		}
	}
	return nw, nw.start(ctx, o.Binary, func(nd *Node) []string {
		return []string{"start", "--home", nd.Home, "--proxy_app", "kvstore"}
	})
}

func (o *Options) blockMaxBytes() int64 {
	if o.BlockMaxBytes > 0 {
		return o.BlockMaxBytes
	}
	return server.DefaultBlockMaxBytes
}

// tune applies the settings both apps share and writes config.toml.
func (o *Options) tune(conf *cmtcfg.Config, i int, home string) error {
	conf.SetRoot(home)
	if o.MempoolSize > 0 {
		conf.Mempool.Size = o.MempoolSize
		// The cache is what keeps a tx that peers gossip again from reaching
		// CheckTx again: it must hold more than the mempool does.
		conf.Mempool.CacheSize = max(conf.Mempool.CacheSize, 2*o.MempoolSize)
	}
	// The load generator sends JSON-RPC batches (default limit: 10).
	conf.RPC.MaxRequestBatchSize = max(conf.RPC.MaxRequestBatchSize, 500)
	conf.LogLevel = "error"
	if i == 0 && o.PprofAddr != "" {
		conf.RPC.PprofListenAddress = o.PprofAddr
	}
	if err := conf.ValidateBasic(); err != nil {
		return err
	}
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
	return nil
}

// start runs every node and waits until each has committed a block.
func (n *Network) start(ctx context.Context, bin string, args func(*Node) []string) error {
	for _, nd := range n.Nodes {
		f, err := os.Create(filepath.Join(nd.Home, "node.log"))
		if err != nil {
			return err
		}
		nd.log = f
		nd.cmd = exec.Command(bin, args(nd)...)
		nd.cmd.Stdout, nd.cmd.Stderr = f, f
		if err := nd.cmd.Start(); err != nil {
			n.Stop()
			return fmt.Errorf("start %s: %w", bin, err)
		}
	}
	for _, nd := range n.Nodes {
		if err := waitHeight(ctx, nd, 1, 60*time.Second); err != nil {
			n.Stop()
			return err
		}
	}
	return nil
}

func waitHeight(ctx context.Context, nd *Node, h int64, timeout time.Duration) error {
	c, err := rpchttp.New(strings.Replace(nd.RPC, "tcp://", "http://", 1), "/websocket")
	if err != nil {
		return err
	}
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		if st, err := c.Status(ctx); err == nil && st.SyncInfo.LatestBlockHeight >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("node %s did not reach height %d in %s (see %s)", nd.RPC, h, timeout, filepath.Join(nd.Home, "node.log"))
}

// Stop stops every node (SIGTERM, then SIGKILL after 10s).
func (n *Network) Stop() {
	for _, nd := range n.Nodes {
		if nd.cmd == nil || nd.cmd.Process == nil {
			continue
		}
		_ = nd.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = nd.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = nd.cmd.Process.Kill()
			<-done
		}
		if nd.log != nil {
			_ = nd.log.Close()
		}
	}
}
