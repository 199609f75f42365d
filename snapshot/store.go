package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"

	"github.com/datarights/datarights/store"
)

// Meta is a stored snapshot's meta.json.
type Meta struct {
	Height      int64    `json:"height"`
	Format      uint32   `json:"format"`
	ChunkHashes [][]byte `json:"chunk_hashes"`
}

// metadata is what ABCI's Snapshot.Metadata carries: the chunk hashes,
// concatenated.
func metadata(hashes [][]byte) []byte { return bytes.Join(hashes, nil) }

// ABCI is the snapshot as ListSnapshots announces it.
func (m *Meta) ABCI() *abci.Snapshot {
	md := metadata(m.ChunkHashes)
	h := sha256.Sum256(md)
	return &abci.Snapshot{Height: uint64(m.Height), Format: m.Format, Chunks: uint32(len(m.ChunkHashes)), Hash: h[:], Metadata: md}
}

// Manager takes, keeps and restores a node's snapshots.
type Manager struct {
	dir        string
	interval   int64
	keepRecent int
	log        log.Logger

	mu     sync.Mutex
	taking bool
	wg     sync.WaitGroup

	restore *restore // the snapshot being restored, if any
}

// NewManager keeps snapshots in dir, taking one every interval heights
// (0: never; restoring still works) and keeping the keepRecent latest.
func NewManager(dir string, interval int64, keepRecent int, logger log.Logger) (*Manager, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot directory: %w", err)
	}
	if keepRecent < 1 {
		keepRecent = 1
	}
	return &Manager{dir: dir, interval: interval, keepRecent: keepRecent, log: logger}, nil
}

// Due reports whether a snapshot should be taken at this height.
func (m *Manager) Due(height int64) bool { return m.interval > 0 && height%m.interval == 0 }

// Take exports the tree's committed version height in the background,
// unless a snapshot is already being taken (that one is then skipped, and
// logged). Consensus goes on meanwhile: the version is immutable.
func (m *Manager) Take(tree *store.Tree, height int64) {
	m.mu.Lock()
	if m.taking {
		m.mu.Unlock()
		m.log.Info("skipping snapshot: the previous one is still being taken", "height", height)
		return
	}
	m.taking = true
	m.wg.Add(1)
	m.mu.Unlock()
	go func() {
		defer m.wg.Done()
		defer func() { m.mu.Lock(); m.taking = false; m.mu.Unlock() }()
		meta, err := m.write(tree, height)
		if err != nil {
			m.log.Error("snapshot failed", "height", height, "err", err)
			return
		}
		m.log.Info("snapshot taken", "height", height, "chunks", len(meta.ChunkHashes))
		m.prune()
	}()
}

// Wait waits for a snapshot being taken (the node's stop calls it before
// closing the state).
func (m *Manager) Wait() { m.wg.Wait() }

// write exports one snapshot into a temporary directory and renames it
// into place.
func (m *Manager) write(tree *store.Tree, height int64) (*Meta, error) {
	final := filepath.Join(m.dir, strconv.FormatInt(height, 10))
	if _, err := os.Stat(filepath.Join(final, "meta.json")); err == nil {
		return readMeta(final)
	}
	tmp, err := os.MkdirTemp(m.dir, ".taking-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cw := &chunkWriter{dir: tmp}
	zw, err := gzip.NewWriterLevel(cw, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	enc, err := newEncoder(zw)
	if err != nil {
		return nil, err
	}
	if err := tree.Export(height, enc.node); err != nil {
		return nil, err
	}
	if err := enc.close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := cw.close(); err != nil {
		return nil, err
	}
	meta := &Meta{Height: height, Format: Format, ChunkHashes: cw.hashes}
	bz, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), bz, 0o644); err != nil {
		return nil, err
	}
	_ = os.RemoveAll(final)
	if err := os.Rename(tmp, final); err != nil {
		return nil, err
	}
	return meta, nil
}

// chunkWriter cuts a stream into ChunkSize files, hashing each.
type chunkWriter struct {
	dir    string
	buf    []byte
	hashes [][]byte
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		take := min(ChunkSize-len(c.buf), len(p))
		c.buf = append(c.buf, p[:take]...)
		p = p[take:]
		if len(c.buf) == ChunkSize {
			if err := c.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (c *chunkWriter) flush() error {
	h := sha256.Sum256(c.buf)
	if err := os.WriteFile(filepath.Join(c.dir, strconv.Itoa(len(c.hashes))), c.buf, 0o644); err != nil {
		return err
	}
	c.hashes = append(c.hashes, h[:])
	c.buf = c.buf[:0]
	return nil
}

func (c *chunkWriter) close() error {
	if len(c.buf) > 0 || len(c.hashes) == 0 {
		return c.flush()
	}
	return nil
}

func readMeta(dir string) (*Meta, error) {
	bz, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, err
	}
	m := &Meta{}
	if err := json.Unmarshal(bz, m); err != nil {
		return nil, fmt.Errorf("%s/meta.json: %w", dir, err)
	}
	return m, nil
}

// List returns the complete snapshots, newest first.
func (m *Manager) List() ([]*Meta, error) {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return nil, err
	}
	var out []*Meta
	for _, e := range entries {
		h, err := strconv.ParseInt(e.Name(), 10, 64)
		if err != nil || !e.IsDir() {
			continue
		}
		meta, err := readMeta(filepath.Join(m.dir, e.Name()))
		if err != nil || meta.Height != h {
			continue // incomplete or foreign
		}
		out = append(out, meta)
	}
	slices.SortFunc(out, func(a, b *Meta) int { return int(b.Height - a.Height) })
	return out, nil
}

// prune deletes all but the keepRecent newest snapshots.
func (m *Manager) prune() {
	list, err := m.List()
	if err != nil {
		m.log.Error("list snapshots", "err", err)
		return
	}
	for _, old := range list[min(len(list), m.keepRecent):] {
		if err := os.RemoveAll(filepath.Join(m.dir, strconv.FormatInt(old.Height, 10))); err != nil {
			m.log.Error("delete old snapshot", "height", old.Height, "err", err)
		}
	}
}

// LoadChunk returns chunk n of the snapshot of a height, or nil if there
// is no such chunk (CometBFT then asks another peer).
func (m *Manager) LoadChunk(height uint64, format, n uint32) []byte {
	if format != Format {
		return nil
	}
	dir := filepath.Join(m.dir, strconv.FormatUint(height, 10))
	meta, err := readMeta(dir)
	if err != nil || int(n) >= len(meta.ChunkHashes) {
		return nil
	}
	bz, err := os.ReadFile(filepath.Join(dir, strconv.FormatUint(uint64(n), 10)))
	if err != nil {
		return nil
	}
	return bz
}

// concat reads the files of a directory's chunks 0..n-1 in order.
func concat(dir string, n int) (io.ReadCloser, error) {
	var files []*os.File
	var readers []io.Reader
	for i := range n {
		f, err := os.Open(filepath.Join(dir, strconv.Itoa(i)))
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, err
		}
		files = append(files, f)
		readers = append(readers, f)
	}
	return &multiCloser{Reader: io.MultiReader(readers...), files: files}, nil
}

type multiCloser struct {
	io.Reader
	files []*os.File
}

func (m *multiCloser) Close() error {
	for _, f := range m.files {
		f.Close()
	}
	return nil
}
