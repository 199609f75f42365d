package app

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/datarights/datarights/snapshot"
)

// State sync. The snapshot manager (package snapshot) takes snapshots of
// committed versions in the background and restores one offered by the
// network into an empty tree; these ABCI methods only hand over to it.
// Everything the app keeps in memory is derived from the tree and is
// rebuilt after a restore (restored).

// SetSnapshots gives the app its snapshot manager (nil: no state sync,
// neither serving nor restoring).
func (a *App) SetSnapshots(m *snapshot.Manager) { a.snapshots = m }

// takeSnapshot starts a snapshot of the version just committed if one is
// due. It runs after Commit and reads only that immutable version, so it
// cannot change what consensus computes.
func (a *App) takeSnapshot(version int64) {
	if a.snapshots != nil && a.snapshots.Due(version) {
		a.snapshots.Take(a.tree, version)
	}
}

// ListSnapshots announces the snapshots this node can serve.
func (a *App) ListSnapshots(_ context.Context, _ *abci.RequestListSnapshots) (*abci.ResponseListSnapshots, error) {
	resp := &abci.ResponseListSnapshots{}
	if a.snapshots == nil {
		return resp, nil
	}
	list, err := a.snapshots.List()
	if err != nil {
		a.log.Error("list snapshots", "err", err)
		return resp, nil
	}
	for _, m := range list {
		resp.Snapshots = append(resp.Snapshots, m.ABCI())
	}
	return resp, nil
}

// LoadSnapshotChunk serves one chunk of a snapshot.
func (a *App) LoadSnapshotChunk(_ context.Context, req *abci.RequestLoadSnapshotChunk) (*abci.ResponseLoadSnapshotChunk, error) {
	if a.snapshots == nil {
		return &abci.ResponseLoadSnapshotChunk{}, nil
	}
	return &abci.ResponseLoadSnapshotChunk{Chunk: a.snapshots.LoadChunk(req.Height, req.Format, req.Chunk)}, nil
}

// OfferSnapshot accepts a snapshot to restore if this node has no state.
func (a *App) OfferSnapshot(_ context.Context, req *abci.RequestOfferSnapshot) (*abci.ResponseOfferSnapshot, error) {
	if a.snapshots == nil {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_ABORT}, nil
	}
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	return &abci.ResponseOfferSnapshot{Result: a.snapshots.Offer(a.tree, req.Snapshot)}, nil
}

// ApplySnapshotChunk checks and keeps a chunk; after the last one the
// state is imported and the app's memory rebuilt from it.
func (a *App) ApplySnapshotChunk(_ context.Context, req *abci.RequestApplySnapshotChunk) (*abci.ResponseApplySnapshotChunk, error) {
	if a.snapshots == nil {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ABORT}, nil
	}
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	resp := a.snapshots.ApplyChunk(a.tree, req)
	if resp.Result == abci.ResponseApplySnapshotChunk_ACCEPT && a.tree.Version() > 0 {
		if err := a.restored(); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// restored rebuilds what the app keeps in memory from a restored state:
// the chain id, CheckTx's view, the pending nonces.
func (a *App) restored() error {
	snap, err := a.tree.At(a.tree.Version())
	if err != nil {
		return err
	}
	a.chainID = string(snap.Get(chainIDKey))
	if a.chainID == "" {
		return fmt.Errorf("restored state at height %d has no chain id", a.tree.Version())
	}
	a.checkKV = snap
	clear(a.pending)
	clear(a.admitted)
	return nil
}
