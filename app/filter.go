package app

import (
	"net"
	"slices"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/datarights/datarights/query"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Peer filtering. With filter_peers = true in config.toml, CometBFT asks the
// app before it admits a peer, on dial and on accept alike:
//
//	/p2p/filter/addr/<IP:PORT>  on the raw connection, before the handshake
//	/p2p/filter/id/<NODE ID>    after the authenticated handshake: the id is
//	                            the peer's proven node key
//
// A response with code 0 admits the peer; any other code refuses it. The
// app admits every address (the address proves nothing: NAT, proxies and
// moved machines change it; firewalls are the place for address rules) and
// only the node ids that x/identity registers to an active department or
// auditor, in the last committed state. CometBFT filters only on connect;
// server/peers.go drops connected peers whose id is no longer admitted.
const (
	PathFilterAddr = "/p2p/filter/addr/"
	PathFilterID   = "/p2p/filter/id/"
)

// SetBootstrapPeers gives the node ids admitted while the app has no
// committed state yet: when starting from genesis, before the first block,
// and while restoring a state sync snapshot. The server passes the node ids
// registered in genesis.json's app_state.
func (a *App) SetBootstrapPeers(ids []string) { a.bootstrapPeers = slices.Clone(ids) }

// filterQuery answers CometBFT's peer-filter queries.
func (a *App) filterQuery(path string) *abci.ResponseQuery {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	height := a.tree.Version()
	if addr, ok := strings.CutPrefix(path, PathFilterAddr); ok {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return queryErr(query.ErrBadRequest.Wrapf("peer address %q: %v", addr, err), height)
		}
		return &abci.ResponseQuery{Height: height, Log: "any address is admitted; node ids are filtered"}
	}
	raw, ok := strings.CutPrefix(path, PathFilterID)
	if !ok {
		return queryErr(query.ErrUnknownPath.Wrapf("%q", path), 0)
	}
	if height == 0 {
		id, err := idtypes.ParseNodeID(raw)
		if err != nil {
			return queryErr(err, 0)
		}
		if !slices.Contains(a.bootstrapPeers, id) {
			return queryErr(idtypes.ErrNodeNotAllowed.Wrapf("node %s is not registered in genesis (this node has no state yet)", id), 0)
		}
		return &abci.ResponseQuery{Log: "registered in genesis"}
	}
	p, err := a.identity.NodeAllowed(a.checkKV, raw)
	if err != nil {
		return queryErr(err, height)
	}
	return &abci.ResponseQuery{Height: height, Log: "node of " + p.Name + " (" + p.Address + ")"}
}
