package store

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	idb "github.com/cosmos/iavl/db"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/google/btree"
	"github.com/syndtr/goleveldb/leveldb/opt"

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
	// LevelDB, if set, are the goleveldb settings of the tree's database
	// on the goleveldb backend (nil: cosmos-db's).
	LevelDB *opt.Options
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
	// saved is the last committed version (nil before the first) and
	// pending the working version's writes since, in key order. Iterators
	// merge the two: IAVL's own iterator over a tree with unsaved writes
	// ranges over and sorts every unsaved write of the block on each call,
	// which made a block of n iterating txs cost O(n²).
	saved   *iavl.ImmutableTree
	pending *btree.BTreeG[entry]
	// reader is a second IAVL instance over the same database, from which
	// At and Export read committed versions while the working version is
	// written and saved on another goroutine (CheckTx, queries and state
	// sync run beside block execution). Nothing it holds in memory is
	// shared with tree, which matters: IAVL's readers of a saved version
	// race with the working tree (clone clears the child pointers of saved
	// nodes; SaveVersion writes the node database's latest version
	// unguarded; cosmos/iavl#241). Committed versions never change on
	// disk, so the reader needs no coordination but pruning's (hold). It
	// keeps no fast-node index: it walks the tree.
	reader *iavl.MutableTree
	// hold is a version an Export is reading (0: none); pruning stays
	// below it.
	hold atomic.Int64
}

var _ KV = (*Tree)(nil)

// Open opens (or creates) the tree stored in dir/application.db with the
// given cosmos-db backend ("goleveldb" or "pebbledb"), at its latest version.
func Open(dir, backend string, opts Options) (*Tree, error) {
	var db dbm.DB
	var err error
	if dbm.BackendType(backend) == dbm.GoLevelDBBackend && opts.LevelDB != nil {
		db, err = dbm.NewGoLevelDBWithOpts("application", dir, opts.LevelDB)
	} else {
		db, err = dbm.NewDB("application", dbm.BackendType(backend), dir)
	}
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
	reader := iavl.NewMutableTree(idb.NewWrapper(db), opts.CacheSize, true, iavl.NewNopLogger())
	t := &Tree{db: db, tree: tree, reader: reader, opts: opts, pending: btree.NewG(16, lessEntry)}
	if err := t.loadSaved(); err != nil {
		return nil, err
	}
	return t, nil
}

// loadSaved points saved at the last committed version and empties pending.
func (t *Tree) loadSaved() error {
	t.pending.Clear(false)
	t.saved = nil
	if v := t.tree.Version(); v > 0 {
		it, err := t.tree.GetImmutable(v)
		if err != nil {
			return fmt.Errorf("load state version %d: %w", v, err)
		}
		t.saved = it
	}
	return nil
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
		to := version - k
		if h := t.hold.Load(); h > 0 && to >= h {
			to = h - 1 // a snapshot is being exported from h
		}
		if to > 0 {
			if err := t.tree.DeleteVersionsTo(to); err != nil {
				return nil, 0, fmt.Errorf("prune state versions to %d: %w", to, err)
			}
		}
	}
	if err := t.loadSaved(); err != nil {
		return nil, 0, err
	}
	return hash, version, nil
}

// Rollback discards the working version's uncommitted writes.
func (t *Tree) Rollback() {
	t.tree.Rollback()
	t.pending.Clear(false)
}

// Close closes the database.
func (t *Tree) Close() error {
	err := errors.Join(t.tree.Close(), t.reader.Close())
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
	key, value = bytes.Clone(key), bytes.Clone(value)
	if _, err := t.tree.Set(key, value); err != nil {
		fault("set", err)
	}
	t.pending.ReplaceOrInsert(entry{key: key, value: value})
}

// Delete implements KV. It copies key, as Set does.
func (t *Tree) Delete(key []byte) {
	checkKey(key)
	key = bytes.Clone(key)
	if _, _, err := t.tree.Remove(key); err != nil {
		fault("delete", err)
	}
	t.pending.ReplaceOrInsert(entry{key: key, deleted: true})
}

// Iterator implements KV: the last committed version merged with the
// working version's writes.
func (t *Tree) Iterator(start, end []byte) Iterator {
	return newMergeIter(t.savedIterator(start, end, true), collect(t.pending, start, end, true), true)
}

// ReverseIterator implements KV.
func (t *Tree) ReverseIterator(start, end []byte) Iterator {
	return newMergeIter(t.savedIterator(start, end, false), collect(t.pending, start, end, false), false)
}

func (t *Tree) savedIterator(start, end []byte, ascending bool) Iterator {
	if t.saved == nil {
		return emptyIterator{}
	}
	it, err := t.saved.Iterator(start, end, ascending)
	if err != nil {
		fault("iterate", err)
	}
	return it
}

// At returns a read-only view of a committed version, or an error if the
// version was pruned or does not exist yet.
func (t *Tree) At(version int64) (*Snapshot, error) {
	it, err := t.reader.GetImmutable(version)
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
//
// It walks the tree (mostly from the node cache) rather than IAVL's
// fast-node index: opening a database iterator per call made the short
// prefix scans of queries (three per asset in a provenance trace) cost
// ~25 µs each before reading anything.
func (s *Snapshot) Iterator(start, end []byte) Iterator {
	return iavl.NewIterator(start, end, true, s.tree)
}

// ReverseIterator implements KV.
func (s *Snapshot) ReverseIterator(start, end []byte) Iterator {
	it, err := s.tree.Iterator(start, end, false)
	if err != nil {
		fault("iterate", err)
	}
	return it
}
