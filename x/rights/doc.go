// Package rights is the x/rights module: the three separated rights to data
// (三权分置) and everything that happens to them — grants and sublicenses,
// requests, transfers, revocation, suspension, expiry and recorded use —
// under the classification and grading red lines (分类分级).
//
// # The three rights
//
//   - holding (数据资源持有权): who holds and controls a data resource. It is
//     minted with the asset: x/registry calls MintRoot at registration, and
//     the registrant holds it. Every asset but a data product has one.
//   - operation (数据产品经营权): the right to operate (license, sell) a data
//     product. A product's root right is an operation right, minted to its
//     registrant; operation rights are also granted from holding rights.
//   - use (数据加工使用权): the right to process data within a scope:
//     purposes, operations from {query, compute, train, derive,
//     redistribute}, and whether only privacy-preserving computation (隐私计算)
//     is allowed.
//
// Rights form one tree per asset. The root (holding, or a product's
// operation right) has the full scope, no end, and may always grant; it is
// transferable except for the holding right of public data, which never
// moves. Every other right has a parent, a grantor (who held the parent when
// granting), a depth (parent's + 1, at most param max_depth) and an end:
// granted rights are term-limited, only roots are open-ended.
//
// # Liveness
//
// A right may be exercised only while it is live (Keeper.Live): its asset is
// not frozen, disputed or cancelled (in notice, certified and catalogued
// assets are fine); it is active and valid_from <= block time < valid_until;
// it breaks no red line under the asset's current classification (and,
// where a red line needs the data admin, was approved under it); and the
// same holds for every ancestor up to the root. The walk up is bounded by
// the right's depth. Because liveness reads the term and the ancestors
// itself, nothing that lags behind — the expiry queue, a cascade's cleanup,
// a reclassification's recheck — can make a right usable when it should
// not be: those only bring stored statuses in line, with events.
//
// A suspension (by the data admin) is lazy: the suspended right's
// descendants keep their status but are not live until it is resumed.
//
// # Narrowing
//
// A grant (tx rights grant, or approving a request) only narrows:
//
//   - the signer holds the parent, and the parent is live;
//   - only a sublicensable parent has children (a holding right always may);
//   - kinds narrow too: holding grants use or operation rights; operation
//     rights grant operation or use rights; use rights grant use rights;
//   - the child's operations are among the parent's, its purposes among the
//     parent's (when the parent names any), and it keeps
//     privacy-computing-only when the parent has it (a privacy-computing-only
//     scope never allows redistribute);
//   - its term lies inside the parent's: it starts at the block time unless
//     later (no backdating), and ends no later than the parent;
//   - the grantee is an active party other than the grantor;
//   - an exclusive use right conflicts with any other use right on the asset
//     that has not ended, except the exclusive right's own ancestors and
//     descendants (an exclusive licensee may sublicense). Two keys per asset
//     — the count of use rights that have not ended and the exclusive one —
//     make the check two reads, not a scan. Suspended and pending rights
//     keep their place; exclusive applies to use rights only.
//
// Transfer (of a transferable right) keeps the right's id, scope and term
// and moves the holder index. Children keep their grantor, who may still
// revoke them. The red lines apply to the new holder as to a grantee.
//
// # Red lines
//
// types.CheckRedLines is a pure function of (asset, grantor, grantee,
// scope), shared by grants, requests, transfers, approvals, resumptions,
// reclassification rechecks and liveness (and, later, listings and
// authorisations). Each line has its own error:
//
//   - core data never leaves its source department (ErrCoreDataRedLine);
//   - data that stays with its source is always allowed (the source is the
//     registrant: the source department for public and core data, the
//     enterprise for its own data even when it names a supervising
//     department);
//   - important data goes out only privacy-computing-only
//     (ErrImportantDataRedLine), and then waits in pending_approval until the
//     data admin runs tx rights approve-grant;
//   - personal data goes out de-identified, or privacy-computing-only with
//     the data admin's approval (ErrPersonalDataRedLine otherwise);
//   - unconditionally open public data (of general grade) needs no right at
//     all: MsgRecordUsage with only an asset id records its use.
//
// An approval is stamped with the asset's classification, grade and
// de-identified flag; after a reclassification it no longer counts. x/registry
// calls Recheck on reclassification: rights that now break a red line are
// suspended, rights that now need an approval they lack go back to
// pending_approval, each with an event.
//
// # Revocation and bounded cascades
//
// The grantor revokes a right (tx rights revoke) and, through the
// parent→children index, every descendant, depth first, in the same tx —
// up to param max_cascade descendants visited. If the tree is larger, the
// rest is written to a cleanup queue that EndBlock continues, max_cascade
// rights per block, oldest job first. Meanwhile no leftover is usable: each
// has a revoked ancestor, which liveness sees at once. tx rights revoke-all
// revokes everything the signer granted on an asset (before that message)
// the same way; while a revoke-all still has work queued, the asset carries
// a mark (grantor, last right covered) that liveness reads, since the
// grants it has not reached have no revoked ancestor. Reclassification
// rechecks use the same queue. Root rights are not revoked by message: they
// end with their asset (EndAll, when an objection is upheld).
//
// # Expiry
//
// Every granted right sits in an expiry queue ordered by valid_until.
// EndBlock ends every right whose valid_until <= block time — at most param
// max_expiries_per_block per block, earliest first — and emits
// right_expired. A right past its term is dead before EndBlock reaches it.
//
// # Requests and usage
//
// Any party may ask the holder of an asset's root right for a use right
// (tx rights request, 数据共享申请); the holder approves it (minting a use
// right from the root, or from another right it holds, neither transferable
// nor sublicensable) or rejects it with a reason. A request the red lines
// could never let through is refused at once.
//
// The holder of a live right records each use (tx rights record-usage:
// purpose, operation, result hash), which must be inside the right's scope.
// Usage is the highest-volume message, so a record is exactly one write:
// one key per record (right | height | tx hash prefix | message index), no
// counter.
//
// # Authorised operation
//
// x/authorization (公共数据授权运营) works through four calls
// (keeper/authorization.go). When an authorisation becomes active,
// MintUnder mints the operator one use right per covered asset from the
// asset's root right: sublicensable, with the authorisation's scope and
// its end as valid_until, marked with the authorisation's id. It is a
// grant by the root's holder under every rule above, except that the
// authorisation's approval (with the data admin's co-approval for
// important data) is the data admin's approval the red lines ask for. The
// operator then grants from it with tx rights grant, and its children
// inherit the mark. SuspendUnder and ResumeUnder suspend and resume the
// operator rights (their descendants follow by liveness); EndUnder ends
// them with status exited and cascades exited to every descendant, as a
// revocation would. An operator right ends only with its authorisation:
// its grantor cannot revoke it, alone or by revoke-all
// (ErrUnderAuthorization).
//
// Layout: types/ holds the generated protobuf types, errors, events,
// stateless checks and the red lines; keeper/ holds state access (keys.go
// documents the byte layout), handlers, the hooks x/registry calls,
// cascades, EndBlock, queries and genesis; cli/ holds the commands.
package rights
