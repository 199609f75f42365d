// Package store is the app's state: one IAVL Merkle tree over cosmos-db, and
// the branches that transactions execute on.
//
// Layers, from the disk up:
//
//	Tree    the IAVL tree. Its working version collects a block's writes;
//	        Commit saves it as version = block height, atomically. Its root
//	        hash is the app hash, so every stored value can be proven (present
//	        or absent) with an ICS23 proof against a header.
//	Branch  an in-memory write buffer over any KV. Each transaction runs on
//	        its own Branch; Write applies it to the parent only if every
//	        message succeeded, so a failed tx leaves no trace.
//	Prefix  a view of a KV under a key prefix. A module's keeper sees only
//	        its own prefix (see each module's keys.go for the byte layout).
//
// Reads and writes never return errors to handlers: a storage failure is not
// the user's fault and must not turn into a tx result that could differ
// between nodes. The tree panics with a *Fault instead, and the tx runner
// re-raises it as a node-stopping error (see app/runtx.go).
package store
