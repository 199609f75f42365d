// Package snapshot keeps the state sync snapshots of a node: it takes
// them (in the background, from a committed version of the state tree),
// stores them on disk, serves their chunks to joining nodes, and restores
// one offered by the network.
//
// # Format 1
//
// A snapshot of height H is one byte stream, gzip-compressed and cut into
// chunks of ChunkSize bytes (the last may be shorter):
//
//	"datarights-snapshot\x01"                        magic and format
//	records                                          until the end record
//	  0x01 | height (1 B) | version (uvarint)       a node of the state tree at H, in
//	       | len(key) (uvarint) | key               IAVL export order (store.Export);
//	       | 0x00 | or 0x01 | len(value) | value    inner nodes have no value
//	  0x00                                           the end record
//
// All of the app's state is in the tree (chain id included), so the tree
// is the whole snapshot; a later format adds record types for anything
// kept beside it. The snapshot's metadata is the sha256 of each chunk, in
// order, and its hash the sha256 of the metadata: a chunk that does not
// match is refused and fetched again from another peer. Whether the
// restored state is the chain's is decided by CometBFT, which compares the
// restored app hash with the one its light client verified.
//
// # On disk
//
//	<dir>/<height>/meta.json   height, format, chunk hashes
//	<dir>/<height>/<n>         chunk n
//
// A snapshot directory is complete once its meta.json exists (written
// last, by rename); keep_recent snapshots are kept.
package snapshot
