// Package audit proves what the ledger says about an entity without
// trusting any RPC node: `datarightsd audit verify` and `audit bundle`, and
// the explorer's verify button.
//
// Trust starts from a root the auditor holds: the genesis file (its
// validators must have signed header 1) or a trusted height and header
// hash. From there CometBFT's light client verifies headers against a
// primary node and cross-checks them with witnesses. Everything else is an
// untrusted answer checked against those verified headers:
//
//   - state: the entity's stored value (or its absence) at height H, with
//     an ICS23 proof against the app hash in header H+1;
//   - txs: a tx's bytes with a Merkle inclusion proof against the data hash
//     of header H, and its result (code 0) with a Merkle proof against the
//     last-results hash of header H+1;
//   - history and trace (when the chain has x/provenance): each entry's
//     store key proven like state, and its tx like a tx.
//
// Every check becomes an Item with a verdict and a reason; a Report is
// VERIFIED only when every item is. Verify returns an error only for an
// unusable configuration; whatever the network answers, or fails to
// answer, becomes a FAILED item.
//
// All checks read through a source: live (RPC nodes and the light client),
// recording (live, keeping every answer for a bundle) or a bundle replayed
// offline, whose light blocks are verified from the trust root with the
// light client's verification functions. The same check code runs in all
// three, so a bundle proves exactly what a live run proved.
package audit
