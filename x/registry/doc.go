// Package registry is the x/registry module: the catalogue of data
// resources and other digital assets (数据资源目录, "一本账") that every
// right, authorisation and trade on the ledger refers to. One data, one
// source, one standard: each asset has a catalogue code and a content hash
// that no other asset has, a source department, and the standard it
// follows. Only hashes and metadata go on chain, never the data.
//
// # Kinds and grading
//
// An asset is a dataset, data product, scenario, model, software, hardware
// or project. Every asset is classified (分类: public, enterprise, personal)
// and graded (分级: general, important, core); public data also has an
// open level (not_open, conditional, unconditional), and only public data
// has one. A data product names the inputs it was derived from with their
// value contributions in basis points (summing to 10,000); a scenario,
// model or project may name the assets it uses, with or without weights.
// These lineage edges are stored both ways (product → inputs and input →
// products), so a trace in either direction reads only the edges it
// follows; since inputs exist before the product, the lineage is acyclic by
// construction.
//
// # Lifecycle
//
//	register ─► in_notice ──(notice_period ends, no objection)──► certified
//	              │                                          ▲
//	              └─ object ─► disputed ─ resolve: dismiss ──┘
//	                                    └ resolve: uphold ──► cancelled
//
//	register core data ─► catalogued (never certified)
//
// A registration starts the public notice period (公示期, param
// notice_period_seconds, measured in block time). Any active party other
// than the registrant may object (异议) while it runs, with an evidence hash
// and a reason; the data admin (数据主管部门) then upholds the objection,
// which cancels the registration, ends every right on the asset and frees
// its catalogue code and content hashes for the rightful source, or
// dismisses it, which certifies the asset at once. An asset nobody objected
// to is certified when its period ends, by the end-of-block step (EndBlock)
// and without anyone sending a tx: it reads a queue of assets ordered by
// notice end, at most max_certifications_per_block a block, and gives each
// a registration certificate (登记凭证) numbered BZDR-<year>-<sequence>.
//
// Independently of that lifecycle the data admin may freeze an asset (every
// right on it is blocked until it is unfrozen), as may the departments by a
// governance proposal (Keeper.SetFrozen), and the data admin may
// reclassify it; the
// holder of the asset's root right appends content versions (the history is
// kept); an assessor (评估机构) records valuations in fen.
//
// # Red lines enforced here
//
//   - Core data (核心数据) is catalogued only by its own source department
//     and is never certified for circulation: it is registered as
//     catalogued, an asset reclassified to core while in notice is
//     catalogued at once, and a dismissed objection catalogues rather than
//     certifies it. A certified asset reclassified to core keeps its
//     certificate, but x/rights suspends its rights outside the source
//     department.
//   - Public data (公共数据) is registered by its source department, a
//     department naming itself; a named source department must be a
//     department.
//   - The same catalogue code or content hash (of any version) is never
//     registered twice; the error names the asset that has it.
//   - Nothing derives from, versions or values a cancelled registration, and
//     no product derives from a frozen input.
//
// # What the registry asks x/rights
//
// x/rights owns the rights; the registry decides when an asset's rights
// begin and end (types.Rights): MintRoot at registration (the holding
// right, or the operation right of a data product, even for catalogued
// core data, which is held but never circulates), CheckDerive for each
// input of a data product, HolderOf for who may add versions, EndAll when a
// registration is cancelled, and Recheck after a reclassification, which
// suspends the rights that now break a red line. x/rights in turn reads
// assets through Keeper.Asset, which needs no rights: the app builds the
// registry (New), then rights from it, then wires it back (WithRights).
//
// Layout: types/ holds the generated protobuf types, errors, events, params
// and the stateless checks the CLI also runs; keeper/ holds state access
// (keys.go documents the byte layout), message handlers, the end-of-block
// step, queries and genesis; cli/ holds `tx registry` and `query registry`.
package registry
