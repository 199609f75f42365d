package app

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
)

// ProofOpType names our proofs in a query response's proof ops: one ICS23
// commitment proof against the IAVL root, which is the app hash.
const ProofOpType = "ics23:iavl"

// Query paths the app answers itself; each module adds its own (see its
// keeper's Queries).
const (
	PathNonce = "/app/nonce" // data: 20-byte address; value: committed and pending nonce, 8 bytes each
	PathStore = "/store/key" // data: a raw state key; value: its raw value (for proofs of anything)
)

// Paths re-exported for clients.
const (
	PathParty   = idkeeper.PathParty
	PathParties = idkeeper.PathParties
)

// storeQuery answers /store/key: any raw state key, provable.
func storeQuery(kv store.KV, data []byte) ([]byte, []byte, error) {
	if len(data) == 0 {
		return nil, nil, query.ErrBadRequest.Wrap("empty key")
	}
	v := kv.Get(data)
	if v == nil {
		return nil, data, query.ErrNotFound.Wrapf("key %X", data)
	}
	return v, data, nil
}

// buildQueries merges the modules' query paths; a path claimed twice is a
// wiring bug.
func buildQueries(mods []module.Module) map[string]query.Handler {
	qs := map[string]query.Handler{PathStore: storeQuery}
	for _, m := range mods {
		for path, h := range m.Queries() {
			if _, dup := qs[path]; dup {
				panic("app: query path registered twice: " + path)
			}
			qs[path] = h
		}
	}
	return qs
}

// QueryPaths lists every query path the app answers, sorted.
func (a *App) QueryPaths() []string {
	return slices.Sorted(maps.Keys(a.queries))
}

// query answers one request at a committed height.
func (a *App) query(req *abci.RequestQuery) *abci.ResponseQuery {
	if req.Path == PathNonce {
		return a.queryNonce(req.Data)
	}
	if strings.HasPrefix(req.Path, "/p2p/filter/") {
		return a.filterQuery(req.Path)
	}
	fn, ok := a.queries[req.Path]
	if !ok {
		return queryErr(query.ErrUnknownPath.Wrapf("%q", req.Path), 0)
	}
	snap, h, latest, err := a.committedAt(req.Height)
	if err != nil {
		return queryErr(query.ErrHeightNotFound.Wrapf("%d (latest is %d): %v", h, latest, err), h)
	}
	value, proofKey, qerr := fn(snap, req.Data)
	resp := queryErr(qerr, h)
	resp.Value = value
	if req.Prove && proofKey != nil {
		p, err := snap.Proof(proofKey)
		if err != nil {
			return queryErr(fmt.Errorf("build proof: %w", err), h)
		}
		bz, err := p.Marshal()
		if err != nil {
			return queryErr(fmt.Errorf("encode proof: %w", err), h)
		}
		resp.Key = proofKey
		resp.ProofOps = &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{{Type: ProofOpType, Key: proofKey, Data: bz}}}
	}
	return resp
}

// committedAt returns the committed state at height h (0: the latest), its
// height and the latest height. The snapshot stays readable after the lock
// is released: a committed version never changes (and a pruned one makes
// reads fail with a store fault, which Query reports).
func (a *App) committedAt(h int64) (snap *store.Snapshot, height, latest int64, err error) {
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	latest = a.tree.Version()
	if h == 0 {
		h = latest
	}
	snap, err = a.tree.At(h)
	return snap, h, latest, err
}

// queryNonce returns a signer's committed next nonce and the next nonce
// counting the txs this node's mempool has accepted.
func (a *App) queryNonce(data []byte) *abci.ResponseQuery {
	if len(data) != 20 {
		return queryErr(query.ErrBadRequest.Wrap("want a 20-byte address"), 0)
	}
	signer := address.FromBytes(data)
	a.stateMu.RLock()
	defer a.stateMu.RUnlock()
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	committed := getNonce(a.checkKV, signer)
	pending, ok := a.pending[signer]
	if !ok {
		pending = committed
	}
	v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, committed), pending)
	return &abci.ResponseQuery{Value: v, Height: a.tree.Version()}
}

func queryErr(err error, height int64) *abci.ResponseQuery {
	if err == nil {
		return &abci.ResponseQuery{Height: height}
	}
	space, code, log := errs.ABCIInfo(err)
	if code == errs.CodeInternal {
		log = err.Error() // queries are not consensus: keep the detail
	}
	return &abci.ResponseQuery{Codespace: space, Code: code, Log: log, Height: height}
}
