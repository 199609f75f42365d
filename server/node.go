package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtflags "github.com/cometbft/cometbft/libs/cli/flags"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/metrics"
	"github.com/datarights/datarights/snapshot"
	"github.com/datarights/datarights/store"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
)

// Node is a running datarights node: the app and CometBFT in one process.
type Node struct {
	App   *app.App
	Comet *node.Node

	// Halted is closed when the node committed its halt_height.
	Halted <-chan struct{}

	cancel    context.CancelFunc // stops the node's own routines (watchPeers)
	snapshots *snapshot.Manager
}

// NewLogger is CometBFT's logger at the configured level and format.
func NewLogger(conf *cmtcfg.Config) (log.Logger, error) {
	logger := log.NewTMLogger(log.NewSyncWriter(os.Stdout))
	if conf.LogFormat == cmtcfg.LogFormatJSON {
		logger = log.NewTMJSONLogger(log.NewSyncWriter(os.Stdout))
	}
	return cmtflags.ParseLogLevel(conf.LogLevel, logger, cmtcfg.DefaultLogLevel)
}

// Start opens the app's state and starts CometBFT over it, in process. The
// in-process client serialises all ABCI connections behind one lock, which
// is what the app's CheckTx/Commit bookkeeping assumes.
func Start(ctx context.Context, home string, logger log.Logger) (*Node, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	acfg, err := LoadAppConfig(home)
	if err != nil {
		return nil, err
	}
	tree, err := store.Open(conf.DBDir(), acfg.DBBackend, acfg.StoreOptions())
	if err != nil {
		return nil, err
	}
	a, err := app.New(tree, logger.With("module", "app"))
	if err != nil {
		_ = tree.Close()
		return nil, err
	}
	a.SetMaxPendingPerSigner(acfg.MaxPendingPerSigner)
	_, gs, err := LoadGenesis(conf.GenesisFile())
	if err != nil {
		_ = a.Close()
		return nil, err
	}
	a.SetBootstrapPeers(idkeeper.GenesisNodeIDs(gs.GetIdentity()))
	snaps, err := snapshot.NewManager(filepath.Join(conf.DBDir(), "snapshots"), acfg.SnapshotInterval, acfg.SnapshotKeepRecent,
		logger.With("module", "snapshots"))
	if err != nil {
		_ = a.Close()
		return nil, err
	}
	a.SetSnapshots(snaps)
	nodeKey, err := p2p.LoadNodeKey(conf.NodeKeyFile())
	if err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("load node key: %w", err)
	}
	var pv cmttypes.PrivValidator
	if conf.PrivValidatorListenAddr != "" {
		// A remote signer (tmkms, horcrux...) holds the validator key:
		// CometBFT replaces this placeholder with its socket client, and
		// the key file need not be on this machine.
		pv = privval.NewFilePV(ed25519.GenPrivKey(), "", "")
	} else {
		pv = privval.LoadFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	}
	var abciApp abci.Application = a
	if conf.Instrumentation.Prometheus {
		m, err := metrics.New(prometheus.DefaultRegisterer) // the registry CometBFT's endpoint serves
		if err != nil {
			_ = a.Close()
			return nil, fmt.Errorf("metrics: %w", err)
		}
		abciApp = &instrumented{App: a, m: m, log: logger.With("module", "metrics")}
	}
	halted := make(chan struct{})
	if acfg.HaltHeight > 0 {
		if v := tree.Version(); v >= acfg.HaltHeight {
			_ = a.Close()
			return nil, fmt.Errorf("app.toml: halt_height %d is reached (state at height %d): set it to 0 (or later) to go on", acfg.HaltHeight, v)
		}
		abciApp = &halting{Application: abciApp, at: acfg.HaltHeight, done: halted}
	}
	// One lock per ABCI connection, not one for all: CheckTx and queries
	// run while a block executes (the app orders them itself, see
	// app.App's stateMu). With a single lock no tx was admitted during
	// FinalizeBlock and Commit (docs/bench/README.md).
	n, err := node.NewNodeWithContext(ctx, conf, pv, nodeKey, proxy.NewConnSyncLocalClientCreator(abciApp),
		node.DefaultGenesisDocProviderFunc(conf), dbProvider,
		node.DefaultMetricsProvider(conf.Instrumentation), logger)
	if err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("create node: %w", err)
	}
	if err := n.Start(); err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("start node: %w", err)
	}
	nd := &Node{App: a, Comet: n, snapshots: snaps, Halted: halted}
	var wctx context.Context
	wctx, nd.cancel = context.WithCancel(ctx)
	if conf.FilterPeers {
		go watchPeers(wctx, n, conf.P2P.PersistentPeers, logger.With("module", "peers"))
	}
	return nd, nil
}

// Stop stops CometBFT, then closes the app's state.
func (n *Node) Stop() error {
	n.cancel()
	if n.Comet.IsRunning() {
		if err := n.Comet.Stop(); err != nil {
			return err
		}
		n.Comet.Wait()
	}
	n.snapshots.Wait() // a snapshot being taken reads the state
	return n.App.Close()
}
