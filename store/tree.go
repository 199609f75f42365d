package store

import (
	"bytes"
	"errors"
	"fmt"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	idb "github.com/cosmos/iavl/db"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/datarights/datarights/internal/failpoint"
)

// Options tune the tree. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// CacheSize is the number of IAVL nodes kept in memory.
	CacheSize int
	// KeepRecent is how many past versions stay queryable (and provable);
	// 0 keeps every version, which is what an audit ledger wants by default.
	KeepRecent int64
	// PruneInterval is how often (in versions) old versions are deleted when
	// KeepRecent is set.
	PruneInterval int64
	// Sync fsyncs every commit, so that a power loss cannot lose a block the
	// node has voted on.
	Sync bool
}

// DefaultOptions are the options a production node starts with.
func DefaultOptions() Options {
	return Options{CacheSize: 200_000, KeepRecent: 0, PruneInterval: 100, Sync: true}
}

// Tree is the app's Merkle state. Writes go to the working version; Commit
// saves it. It implements KV over the working version.
type Tree struct {
	db   dbm.DB
	tree *iavl.MutableTree
	opts Options
}

var _ KV = (*Tree)(nil)

// Open opens (or creates) the tree stored in dir/application.db with the
// given cosmos-db backend ("goleveldb" or "pebbledb"), at its latest version.
func Open(dir, backend string, opts Options) (*Tree, error) {
	db, err := dbm.NewDB("application", dbm.BackendType(backend), dir)
	if err != nil {
		return nil, fmt.Errorf("open %s database in %s: %w", backend, dir, err)
	}
	t, err := OpenDB(db, opts)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return t, nil
}

// OpenDB opens the tree over an already open database (tests use an
// in-memory one).
func OpenDB(db dbm.DB, opts Options) (*Tree, error) {
	tree := iavl.NewMutableTree(idb.NewWrapper(db), opts.CacheSize, false, iavl.NewNopLogger(),
		iavl.SyncOption(opts.Sync))
	if _, err := tree.Load(); err != nil {
		return nil, fmt.Errorf("load state tree: %w", err)
	}
	return &Tree{db: db, tree: tree, opts: opts}, nil
}

// Version is the last committed version (the height of the last committed
// block; 0 before the first).
func (t *Tree) Version() int64 { return t.tree.Version() }

// Hash is the root hash of the last committed version.
func (t *Tree) Hash() []byte { return t.tree.Hash() }

// WorkingHash is the root hash the working version would commit to.
func (t *Tree) WorkingHash() []byte { return t.tree.WorkingHash() }

// Commit saves the working version atomically and prunes old versions if
// configured. A crash before it returns leaves the previous version intact.
func (t *Tree) Commit() ([]byte, int64, error) {
	hash, version, err := t.tree.SaveVersion()
	if err != nil {
		return nil, 0, fmt.Errorf("save state version: %w", err)
	}
	failpoint.Hit("commit/saved", version)
	if k := t.opts.KeepRecent; k > 0 && t.opts.PruneInterval > 0 && version%t.opts.PruneInterval == 0 && version > k {
		if err := t.tree.DeleteVersionsTo(version - k); err != nil {
			return nil, 0, fmt.Errorf("prune state versions to %d: %w", version-k, err)
		}
	}
	return hash, version, nil
}

// Rollback discards the working version's uncommitted writes.
func (t *Tree) Rollback() { t.tree.Rollback() }

// Close closes the database.
func (t *Tree) Close() error {
	err := t.tree.Close()
	return errors.Join(err, t.db.Close())
}

// Get implements KV.
func (t *Tree) Get(key []byte) []byte {
	checkKey(key)
	v, err := t.tree.Get(key)
	if err != nil {
		fault("get", err)
	}
	return v
}

// Has implements KV.
func (t *Tree) Has(key []byte) bool { return t.Get(key) != nil }

// Set implements KV. Like Branch.Set it copies key and value: IAVL keeps the
// slices it is given (the key even as the unsafe string of its unsaved-node
// maps), so a caller reusing a buffer after Set would corrupt the tree.
func (t *Tree) Set(key, value []byte) {
	checkKey(key)
	checkValue(value)
	if _, err := t.tree.Set(bytes.Clone(key), bytes.Clone(value)); err != nil {
		fault("set", err)
	}
}

// Delete implements KV. It copies key, as Set does.
func (t *Tree) Delete(key []byte) {
	checkKey(key)
	if _, _, err := t.tree.Remove(bytes.Clone(key)); err != nil {
		fault("delete", err)
	}
}

// Iterator implements KV.
func (t *Tree) Iterator(start, end []byte) Iterator {
	it, err := t.tree.Iterator(start, end, true)
	if err != nil {
		fault("iterate", err)
	}
	return it
}

// ReverseIterator implements KV.
func (t *Tree) ReverseIterator(start, end []byte) Iterator {
	it, err := t.tree.Iterator(start, end, false)
	if err != nil {
		fault("iterate", err)
	}
	return it
}

// At returns a read-only view of a committed version, or an error if the
// version was pruned or does not exist yet.
func (t *Tree) At(version int64) (*Snapshot, error) {
	it, err := t.tree.GetImmutable(version)
	if err != nil {
		return nil, fmt.Errorf("state at height %d is not available: %w", version, err)
	}
	return &Snapshot{tree: it, version: version}, nil
}

// Snapshot is a committed version: read-only, provable.
type Snapshot struct {
	tree    *iavl.ImmutableTree
	version int64
}

var _ KV = (*Snapshot)(nil)

// Version is the snapshot's version (block height).
func (s *Snapshot) Version() int64 { return s.version }

// Hash is the snapshot's root hash: the app hash in the header of the next
// block.
func (s *Snapshot) Hash() []byte { return s.tree.Hash() }

// Proof returns an ICS23 proof that key has its value in this version, or
// that it is absent.
func (s *Snapshot) Proof(key []byte) (*ics23.CommitmentProof, error) {
	return s.tree.GetProof(key)
}

// Get implements KV.
func (s *Snapshot) Get(key []byte) []byte {
	checkKey(key)
	v, err := s.tree.Get(key)
	if err != nil {
		fault("get", err)
	}
	return v
}

// Has implements KV.
func (s *Snapshot) Has(key []byte) bool { return s.Get(key) != nil }

// Set panics: a snapshot is read-only.
func (s *Snapshot) Set(_, _ []byte) { panic("store: write to a read-only snapshot") }

// Delete panics: a snapshot is read-only.
func (s *Snapshot) Delete(_ []byte) { panic("store: write to a read-only snapshot") }

// Iterator implements KV.
func (s *Snapshot) Iterator(start, end []byte) Iterator {
	it, err := s.tree.Iterator(start, end, true)
	if err != nil {
		fault("iterate", err)
	}
	return it
}

// ReverseIterator implements KV.
func (s *Snapshot) ReverseIterator(start, end []byte) Iterator {
	it, err := s.tree.Iterator(start, end, false)
	if err != nil {
		fault("iterate", err)
	}
	return it
}
