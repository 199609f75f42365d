package server

import (
	"context"
	"fmt"
	"os"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmtflags "github.com/cometbft/cometbft/libs/cli/flags"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/store"
)

// Node is a running datarights node: the app and CometBFT in one process.
type Node struct {
	App   *app.App
	Comet *node.Node
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
	nodeKey, err := p2p.LoadNodeKey(conf.NodeKeyFile())
	if err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("load node key: %w", err)
	}
	pv := privval.LoadFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	n, err := node.NewNodeWithContext(ctx, conf, pv, nodeKey, proxy.NewLocalClientCreator(a),
		node.DefaultGenesisDocProviderFunc(conf), cmtcfg.DefaultDBProvider,
		node.DefaultMetricsProvider(conf.Instrumentation), logger)
	if err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("create node: %w", err)
	}
	if err := n.Start(); err != nil {
		_ = a.Close()
		return nil, fmt.Errorf("start node: %w", err)
	}
	return &Node{App: a, Comet: n}, nil
}

// Stop stops CometBFT, then closes the app's state.
func (n *Node) Stop() error {
	if n.Comet.IsRunning() {
		if err := n.Comet.Stop(); err != nil {
			return err
		}
		n.Comet.Wait()
	}
	return n.App.Close()
}
