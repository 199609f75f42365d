package app

import (
	"fmt"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	"github.com/ethereum/go-ethereum/common/lru"

	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/snapshot"
	"github.com/datarights/datarights/store"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	govkeeper "github.com/datarights/datarights/x/governance/keeper"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	marketkeeper "github.com/datarights/datarights/x/market/keeper"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
)

// Version is the app's protocol version, reported in Info. Bump it with any
// change of the state machine's rules.
const Version uint64 = 1

// App is the datarights state machine.
type App struct {
	abci.BaseApplication

	log  log.Logger
	tree *store.Tree

	// chainID is read from state at start and set by InitChain.
	chainID string

	// Keepers, wired by hand in New (see there for the order).
	identity   idkeeper.Keeper
	registry   regkeeper.Keeper
	rights     rightskeeper.Keeper
	auth       authkeeper.Keeper
	revenue    revkeeper.Keeper
	market     marketkeeper.Keeper
	governance govkeeper.Keeper
	provenance provkeeper.Keeper

	// modules in routing and end-block order; queries by path.
	modules []module.Module
	queries map[string]query.Handler

	// Concurrency. CometBFT calls the app from its consensus, mempool,
	// query and snapshot connections, each serialised on its own
	// (server/node.go), so CheckTx and queries run while a block executes.
	// stateMu orders what reads the committed state (checkKV, the tree's
	// version and saved versions) against what replaces it: Commit,
	// InitChain, a snapshot restore, and the first block, which executes
	// on the tree CheckTx reads before anything is committed. checkMu
	// guards CheckTx's bookkeeping (pending, admitted), which the nonce
	// query reads.
	stateMu sync.RWMutex
	checkMu sync.Mutex

	// checkKV is the last committed state, which CheckTx reads; pending holds
	// each signer's next nonce counting txs CheckTx has accepted since the
	// last commit, so a client can send several txs per block.
	checkKV store.KV
	pending map[string]uint64
	// admitted counts each signer's txs CheckTx has admitted since the last
	// commit (the mempool rechecks what is left after each commit, so it is
	// the signer's txs in this node's mempool); maxPending caps it (0: no
	// cap). A node-local mempool policy: it never touches state.
	admitted   map[string]int
	maxPending int

	// snapshots takes and restores state sync snapshots (snapshot.go).
	snapshots *snapshot.Manager

	// bootstrapPeers are the node ids admitted before the first commit
	// (see filter.go).
	bootstrapPeers []string

	// signers caches what verify found by tx hash: a tx's signature is
	// verified once per node, in CheckTx or in a block, not in both, and
	// its bytes decoded only where the tx executes (see screen).
	sigMu   sync.Mutex
	signers lru.BasicLRU[[32]byte, seen]
}

var _ abci.Application = (*App)(nil)

// signerCacheSize bounds the signer cache (about 120 bytes an entry).
const signerCacheSize = 200_000

// New returns the app over an opened state tree.
func New(tree *store.Tree, logger log.Logger) (*App, error) {
	a := &App{
		log:      logger,
		tree:     tree,
		pending:  map[string]uint64{},
		admitted: map[string]int{},
		signers:  lru.NewBasicLRU[[32]byte, seen](signerCacheSize),
	}
	// identity first: every other module asks it who acts. The registry
	// and rights need each other: rights reads assets (Registry.Asset needs
	// no rights), the registry mints, ends and re-checks rights. So the
	// registry is built without rights, rights over it, then the registry
	// is given the rights.
	a.identity = idkeeper.New()
	reg := regkeeper.New(a.identity)
	a.rights = rightskeeper.New(a.identity, reg)
	a.registry = reg.WithRights(a.rights)
	// Authorised operation carries its grants as rights (x/rights mints,
	// suspends and ends them for it).
	a.auth = authkeeper.New(a.identity, a.registry, a.rights)
	// Revenue splits sales by policy, authorisation terms and lineage.
	a.revenue = revkeeper.New(a.identity, a.registry, a.rights, a.auth)
	// The market settles against clearing balances, delivers through
	// x/rights and splits through x/revenue.
	a.market = marketkeeper.New(a.identity, a.registry, a.rights, a.revenue)
	// Governance acts on all of them, so it comes last.
	a.governance = govkeeper.New(a.identity, a.registry, a.rights, a.auth).WithMarket(a.market, a.revenue)
	// Provenance only reads the others (for traces); it has no messages
	// and no end-block work. The history it keeps is recorded by the app
	// itself from each tx's and each block end's events (runtx.go,
	// abci.go), so no module needs to know about it.
	a.provenance = provkeeper.New(a.registry, a.rights, a.auth, a.market, a.identity)
	// Routing and end-block order: the registry certifies assets whose
	// notice ended; authorisations whose term ended end their rights as
	// exited before rights' own expiry would mark them expired; governance
	// executes passed proposals last, so what they change takes effect from
	// the next block.
	a.modules = []module.Module{a.identity, a.registry, a.auth, a.rights, a.revenue, a.market, a.governance, a.provenance}
	a.queries = buildQueries(a.modules)
	if tree.Version() > 0 {
		snap, err := tree.At(tree.Version())
		if err != nil {
			return nil, err
		}
		a.checkKV = snap
		a.chainID = string(snap.Get(chainIDKey))
		if a.chainID == "" {
			return nil, fmt.Errorf("state at height %d has no chain id", tree.Version())
		}
	} else {
		a.checkKV = tree
	}
	return a, nil
}

// Close closes the state tree.
func (a *App) Close() error { return a.tree.Close() }
