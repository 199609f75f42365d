// Package authorization is the x/authorization module: public-data
// authorised operation (公共数据授权运营). A department that holds public
// data lets an operator — an enterprise with the operator role — run it
// under terms, for a term, evaluated and supervised; the operator licenses
// others and derives products, and when the authorisation ends, everything
// granted under it ends too.
//
// # Lifecycle
//
//	apply ─► applied ─ approve ─► active ◄──── resume ───┐
//	            │        │          │                    │
//	            │        │          ├─ suspend / evaluate below threshold ─► suspended
//	            │        │          │                    │
//	            │        └ (important data) ─► pending_co_approval ─ co-approve ─► active
//	            │                   │                    │
//	            └─ reject ◄─────────┘ (applied or pending_co_approval)
//
//	active or suspended ─ terminate ─► terminated   (authoriser or data admin, with a reason)
//	                    ─ exit ──────► exited       (the operator, attesting data returned or destroyed)
//	                    ─ term ends ─► expired      (at the end of the block, bounded per block)
//
// # Who does what
//
//   - apply: a party with the operator role, naming the authoriser (an
//     active department), the assets, the scope (purposes, operations,
//     privacy-computing-only), a terms hash, standards, the requested term
//     (at most max_term_seconds) and the revenue terms (operator share and
//     public-service share in basis points, each at most 10,000 and
//     together at most 10,000).
//   - approve: the authoriser, who must hold every covered asset (the
//     holder of its root right, x/rights' HolderOf).
//   - co-approve: the data admin, for important data.
//   - reject: the authoriser or the data admin, before activation.
//   - evaluate: an auditor or the data admin, with a score (0-100) and a
//     report hash; a score below evaluation_threshold suspends an active
//     authorisation at once, with an event.
//   - suspend, resume: the data admin. terminate: the authoriser or the
//     data admin. exit: the operator.
//
// # What may be covered
//
// Every covered asset must be public data (公共数据), never core data (a
// red line, with its own error), not frozen, disputed or cancelled, and
// held by the authoriser; important data only for privacy-preserving
// computation (the red lines allow it out no other way). These are checked
// at application and again at approval and co-approval. A covered asset
// that is reclassified, frozen or disputed while the authorisation runs is
// governed by x/rights' liveness like any right.
//
// # The rights it carries
//
// On activation, for each covered asset, x/rights mints the operator a
// sublicensable use right from the asset's root right (MintUnder) with the
// authorisation's scope and valid_until = the end of the term, marked with
// the authorisation's id; their ids are kept in operator_right_ids, in
// asset order. The operator then grants with the ordinary tx rights grant
// (the children inherit the authorisation's id) and registers products
// (x/registry accepts a live right that allows derive). Suspension
// suspends the operator rights (SuspendUnder), and by liveness everything
// below them; resumption resumes them (ResumeUnder, which checks the red
// lines again). Termination, exit and expiry end them with status exited
// and cascade to every right granted under the authorisation in the same
// block (EndUnder): x/rights' bounded cascade ends up to max_cascade at
// once, and the rest are dead at once (an ancestor has exited) until its
// end-of-block cleanup reaches them. An operator right cannot be revoked
// by its grantor; the authorisation is ended instead.
//
// The term runs from activation, so that the operator gets the term it
// applied for whether or not the data admin had to co-approve.
//
// Layout: types/ holds the generated protobuf types, errors, events,
// params and stateless checks; keeper/ holds state access (keys.go
// documents the byte layout), handlers, EndBlock, queries and genesis;
// cli/ holds the commands.
package authorization
