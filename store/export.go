package store

import (
	"errors"
	"fmt"

	"github.com/cosmos/iavl"
)

// ExportNode is one node of an exported tree version, in the order IAVL's
// exporter gives them (post-order), which its importer rebuilds from.
type ExportNode = iavl.ExportNode

// Export streams every node of a committed version to fn. It may run
// beside the consensus that keeps committing (a state sync snapshot is
// taken in the background): the version is immutable, it is read through
// the tree's reader (see Tree), and pruning leaves it alone until Export
// returns (Commit prunes only below the held version).
func (t *Tree) Export(version int64, fn func(*ExportNode) error) error {
	t.hold.Store(version)
	defer t.hold.Store(0)
	it, err := t.reader.GetImmutable(version)
	if err != nil {
		return fmt.Errorf("export state at height %d: %w", version, err)
	}
	exp, err := it.Export()
	if err != nil {
		return fmt.Errorf("export state at height %d: %w", version, err)
	}
	defer exp.Close()
	for {
		n, err := exp.Next()
		if errors.Is(err, iavl.ErrorExportDone) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("export state at height %d: %w", version, err)
		}
		if err := fn(n); err != nil {
			return err
		}
	}
}

// Import rebuilds a version from the nodes an Export gave, into a tree
// that has no version yet, and makes it the latest. next returns nil, nil
// after the last node. A failure leaves the tree without that version.
func (t *Tree) Import(version int64, next func() (*ExportNode, error)) error {
	if t.Version() != 0 {
		return fmt.Errorf("import state at height %d: the state already has height %d", version, t.Version())
	}
	imp, err := t.tree.Import(version)
	if err != nil {
		return fmt.Errorf("import state at height %d: %w", version, err)
	}
	defer imp.Close()
	for {
		n, err := next()
		if err != nil {
			return fmt.Errorf("import state at height %d: %w", version, err)
		}
		if n == nil {
			break
		}
		if err := imp.Add(n); err != nil {
			return fmt.Errorf("import state at height %d: %w", version, err)
		}
	}
	if err := imp.Commit(); err != nil {
		return fmt.Errorf("import state at height %d: %w", version, err)
	}
	if t.Version() != version {
		return fmt.Errorf("import state at height %d: the tree is at height %d after the import", version, t.Version())
	}
	return nil
}

// Size is the number of keys in the snapshot.
func (s *Snapshot) Size() int64 { return s.tree.Size() }
