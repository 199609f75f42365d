package server

import (
	"context"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"

	"github.com/datarights/datarights/app"
)

// CometBFT consults filter_peers only when a peer connects (on dial and on
// accept). When governance withdraws a node id, or removes the department
// that ran it, the connections that node already has must end too: after
// every new block, dropPeers asks the app the very question CometBFT asks
// on connect, through the same ABCI query connection (so it is serialised
// with block execution and sees the last committed state), and stops every
// peer the app now refuses with Switch.StopPeerForError, the switch's
// supported way to drop a peer. If the dropped node is one of this node's
// persistent peers, the switch redials it, and the dial is refused by the
// same filter.

//
// The other side of a refusal: a node that its peers refused (its id was
// not yet registered) dials its persistent peers again and again, and
// CometBFT's reconnect loop can give up on a peer whose connection is
// accepted and then closed by the peer's filter (the dial counts as a
// success, the close starts a reconnect that finds the first one still
// marked as reconnecting). So the watcher also redials every missing
// persistent peer every redialInterval: once governance registers the
// node, it connects within that time, without a restart.

// peerCheckInterval is how often the watcher looks for a new block;
// redialInterval how often it redials missing persistent peers.
const (
	peerCheckInterval = 500 * time.Millisecond
	redialInterval    = 5 * time.Second
)

// watchPeers runs until ctx ends, re-checking connected peers whenever the
// committed height moves, and redialing missing persistent peers.
func watchPeers(ctx context.Context, n *node.Node, persistent string, logger log.Logger) {
	t := time.NewTicker(peerCheckInterval)
	defer t.Stop()
	var checked int64
	var redialed time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if now.Sub(redialed) >= redialInterval {
				redialed = now
				redial(n, persistent, logger)
			}
		}
		h := n.BlockStore().Height()
		if h == checked {
			continue
		}
		checked = h
		dropPeers(ctx, n, logger)
	}
}

// redial dials the persistent peers this node is not connected to (nor
// dialing). CometBFT's DialPeersAsync skips the others itself.
func redial(n *node.Node, persistent string, logger log.Logger) {
	var missing []string
	for _, a := range strings.Split(persistent, ",") {
		a = strings.TrimSpace(a)
		id, _, ok := strings.Cut(a, "@")
		if !ok || n.Switch().Peers().Has(p2p.ID(id)) {
			continue
		}
		missing = append(missing, a)
	}
	if len(missing) == 0 {
		return
	}
	if err := n.Switch().DialPeersAsync(missing); err != nil {
		logger.Error("redial persistent peers", "err", err)
	}
}

// dropPeers stops each connected peer whose node id the app refuses.
func dropPeers(ctx context.Context, n *node.Node, logger log.Logger) {
	sw := n.Switch()
	for _, peer := range sw.Peers().Copy() {
		res, err := n.ProxyApp().Query().Query(ctx, &abci.RequestQuery{Path: app.PathFilterID + string(peer.ID())})
		if err != nil {
			logger.Error("peer check failed", "peer", peer.ID(), "err", err)
			continue
		}
		if res.IsErr() {
			logger.Info("dropping peer no longer admitted by the ledger", "peer", peer.ID(), "reason", res.Log)
			sw.StopPeerForError(peer, "node no longer admitted by the ledger: "+res.Log)
		}
	}
}
