package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/datarights/datarights/store"
)

// restore is a snapshot being applied: its chunks are checked against the
// metadata and kept on disk until the last arrives, then imported.
type restore struct {
	snap   *abci.Snapshot
	hashes [][]byte
	dir    string
	next   uint32 // CometBFT applies chunks in order
}

// Offer decides on a snapshot a peer offers: this node must have no
// state yet, and the snapshot must be of our format with metadata that
// names one sha256 per chunk and hashes to the snapshot's hash.
func (m *Manager) Offer(tree *store.Tree, s *abci.Snapshot) abci.ResponseOfferSnapshot_Result {
	switch {
	case s == nil:
		return abci.ResponseOfferSnapshot_REJECT
	case tree.Version() != 0:
		m.log.Error("refusing a snapshot: this node already has state", "height", tree.Version())
		return abci.ResponseOfferSnapshot_ABORT
	case s.Format != Format:
		return abci.ResponseOfferSnapshot_REJECT_FORMAT
	case s.Chunks == 0 || len(s.Metadata) != sha256.Size*int(s.Chunks):
		return abci.ResponseOfferSnapshot_REJECT
	}
	if h := sha256.Sum256(s.Metadata); !bytes.Equal(h[:], s.Hash) {
		return abci.ResponseOfferSnapshot_REJECT
	}
	m.dropRestore()
	dir, err := os.MkdirTemp(m.dir, ".restoring-")
	if err != nil {
		m.log.Error("snapshot restore", "err", err)
		return abci.ResponseOfferSnapshot_ABORT
	}
	r := &restore{snap: s, dir: dir}
	for i := range int(s.Chunks) {
		r.hashes = append(r.hashes, s.Metadata[i*sha256.Size:(i+1)*sha256.Size])
	}
	m.restore = r
	m.log.Info("restoring snapshot", "height", s.Height, "chunks", s.Chunks)
	return abci.ResponseOfferSnapshot_ACCEPT
}

func (m *Manager) dropRestore() {
	if m.restore != nil {
		_ = os.RemoveAll(m.restore.dir)
		m.restore = nil
	}
}

// ApplyChunk checks chunk index against its hash and keeps it; after the
// last chunk it imports the snapshot into tree (which then has the
// snapshot's height). A chunk with the wrong hash is fetched again, and
// its sender refused.
func (m *Manager) ApplyChunk(tree *store.Tree, req *abci.RequestApplySnapshotChunk) *abci.ResponseApplySnapshotChunk {
	r := m.restore
	if r == nil {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY_SNAPSHOT}
	}
	if req.Index != r.next || int(req.Index) >= len(r.hashes) {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY_SNAPSHOT}
	}
	if h := sha256.Sum256(req.Chunk); !bytes.Equal(h[:], r.hashes[req.Index]) {
		m.log.Error("snapshot chunk with a wrong hash", "height", r.snap.Height, "chunk", req.Index, "sender", req.Sender)
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY,
			RefetchChunks: []uint32{req.Index}, RejectSenders: []string{req.Sender}}
	}
	if err := os.WriteFile(filepath.Join(r.dir, strconv.FormatUint(uint64(req.Index), 10)), req.Chunk, 0o644); err != nil {
		m.log.Error("snapshot restore", "err", err)
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ABORT}
	}
	r.next++
	if int(r.next) < len(r.hashes) {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ACCEPT}
	}
	defer m.dropRestore()
	if err := importDir(tree, r.dir, len(r.hashes), int64(r.snap.Height)); err != nil {
		// The chunks matched the hashes the peers announced, so the
		// snapshot itself is bad: try another.
		m.log.Error("snapshot import failed", "height", r.snap.Height, "err", err)
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_REJECT_SNAPSHOT}
	}
	m.log.Info("snapshot restored", "height", r.snap.Height)
	return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ACCEPT}
}

// importDir decodes the chunks in dir and imports them as version height.
func importDir(tree *store.Tree, dir string, chunks int, height int64) error {
	rc, err := concat(dir, chunks)
	if err != nil {
		return err
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	dec, err := newDecoder(zr)
	if err != nil {
		return err
	}
	return tree.Import(height, dec.next)
}

func sha256sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
