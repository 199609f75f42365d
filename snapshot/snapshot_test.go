package snapshot

import (
	"bytes"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/datarights/datarights/store"
)

func newTree(t *testing.T) *store.Tree {
	t.Helper()
	opts := store.DefaultOptions()
	opts.Sync = false
	tr, err := store.OpenDB(dbm.NewMemDB(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	return tr
}

// filled is a tree with a few versions of incompressible values (about
// 6 MB at the last version), so that its snapshot spans several chunks.
func filled(t *testing.T, versions int) *store.Tree {
	t.Helper()
	tr := newTree(t)
	for v := 1; v <= versions; v++ {
		for i := range 1500 {
			var val []byte
			for j := range 64 {
				val = append(val, sha256sum([]byte(fmt.Sprint(v, i, j)))...)
			}
			tr.Set([]byte(fmt.Sprintf("k/%05d", (i*13+v)%3000)), val)
		}
		tr.Delete([]byte(fmt.Sprintf("k/%05d", v)))
		if _, _, err := tr.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func restoreAll(t *testing.T, m *Manager, dst *store.Tree, s *abci.Snapshot, chunk func(i uint32) []byte) abci.ResponseApplySnapshotChunk_Result {
	t.Helper()
	if r := m.Offer(dst, s); r != abci.ResponseOfferSnapshot_ACCEPT {
		t.Fatalf("offer: %v", r)
	}
	var res abci.ResponseApplySnapshotChunk_Result
	for i := uint32(0); i < s.Chunks; i++ {
		res = m.ApplyChunk(dst, &abci.RequestApplySnapshotChunk{Index: i, Chunk: chunk(i), Sender: "peer"}).Result
		if res != abci.ResponseApplySnapshotChunk_ACCEPT {
			return res
		}
	}
	return res
}

func TestTakeAndRestore(t *testing.T) {
	src := filled(t, 3)
	m, err := NewManager(t.TempDir(), 3, 2, log.NewNopLogger())
	if err != nil {
		t.Fatal(err)
	}
	if !m.Due(3) || m.Due(4) {
		t.Fatal("Due")
	}
	m.Take(src, 2)
	m.Wait()
	m.Take(src, 3)
	m.Wait()
	list, err := m.List()
	if err != nil || len(list) != 2 || list[0].Height != 3 || list[1].Height != 2 {
		t.Fatalf("list %v, %v", list, err)
	}
	s := list[0].ABCI()
	if s.Chunks < 2 {
		t.Fatalf("%d chunks: the test wants several", s.Chunks)
	}
	chunk := func(i uint32) []byte { return m.LoadChunk(s.Height, s.Format, i) }

	// A chunk that does not match its hash is refetched from elsewhere and
	// its sender refused; nothing is imported.
	dst := newTree(t)
	r := NewManagerMust(t)
	if res := r.Offer(dst, s); res != abci.ResponseOfferSnapshot_ACCEPT {
		t.Fatal(res)
	}
	bad := bytes.Clone(chunk(0))
	bad[10] ^= 1
	resp := r.ApplyChunk(dst, &abci.RequestApplySnapshotChunk{Index: 0, Chunk: bad, Sender: "liar"})
	if resp.Result != abci.ResponseApplySnapshotChunk_RETRY || len(resp.RejectSenders) != 1 || resp.RejectSenders[0] != "liar" || resp.RefetchChunks[0] != 0 {
		t.Fatalf("bad chunk: %v", resp)
	}
	if res := restoreAll(t, r, dst, s, chunk); res != abci.ResponseApplySnapshotChunk_ACCEPT {
		t.Fatalf("restore: %v", res)
	}
	if dst.Version() != 3 || !bytes.Equal(dst.Hash(), src.Hash()) {
		t.Fatalf("restored version %d hash %X, want 3 and %X", dst.Version(), dst.Hash(), src.Hash())
	}
	// The restored tree goes on like the original.
	for _, tr := range []*store.Tree{src, dst} {
		tr.Set([]byte("after"), []byte("x"))
		if _, _, err := tr.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(dst.Hash(), src.Hash()) {
		t.Fatal("hashes differ after a further commit")
	}
	// A node with state refuses snapshots.
	if res := r.Offer(dst, s); res != abci.ResponseOfferSnapshot_ABORT {
		t.Fatalf("offer to a node with state: %v", res)
	}
	// Keep-recent: a third snapshot drops the oldest.
	m.Take(src, 4)
	m.Wait()
	if list, _ := m.List(); len(list) != 2 || list[1].Height != 3 {
		t.Fatalf("after pruning: %v", list)
	}
}

func TestOfferRejects(t *testing.T) {
	m := NewManagerMust(t)
	tr := newTree(t)
	good := (&Meta{Height: 5, Format: Format, ChunkHashes: [][]byte{make([]byte, 32)}}).ABCI()
	for name, tc := range map[string]struct {
		s    *abci.Snapshot
		want abci.ResponseOfferSnapshot_Result
	}{
		"nil":             {nil, abci.ResponseOfferSnapshot_REJECT},
		"format":          {&abci.Snapshot{Height: 5, Format: 9, Chunks: 1, Hash: good.Hash, Metadata: good.Metadata}, abci.ResponseOfferSnapshot_REJECT_FORMAT},
		"metadata length": {&abci.Snapshot{Height: 5, Format: Format, Chunks: 2, Hash: good.Hash, Metadata: good.Metadata}, abci.ResponseOfferSnapshot_REJECT},
		"hash":            {&abci.Snapshot{Height: 5, Format: Format, Chunks: 1, Hash: make([]byte, 32), Metadata: good.Metadata}, abci.ResponseOfferSnapshot_REJECT},
		"good":            {good, abci.ResponseOfferSnapshot_ACCEPT},
	} {
		if got := m.Offer(tr, tc.s); got != tc.want {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
}

// TestCorruptSnapshotRejected: chunks that match their announced hashes
// but do not decode are a bad snapshot; the tree stays empty.
func TestCorruptSnapshotRejected(t *testing.T) {
	m := NewManagerMust(t)
	tr := newTree(t)
	junk := []byte("not a gzip stream")
	h := sha256sum(junk)
	s := (&Meta{Height: 5, Format: Format, ChunkHashes: [][]byte{h}}).ABCI()
	if res := restoreAll(t, m, tr, s, func(uint32) []byte { return junk }); res != abci.ResponseApplySnapshotChunk_REJECT_SNAPSHOT {
		t.Fatalf("corrupt snapshot: %v", res)
	}
	if tr.Version() != 0 {
		t.Fatalf("tree at version %d after a rejected snapshot", tr.Version())
	}
}

func NewManagerMust(t *testing.T) *Manager {
	t.Helper()
	m, err := NewManager(t.TempDir(), 0, 1, log.NewNopLogger())
	if err != nil {
		t.Fatal(err)
	}
	return m
}
