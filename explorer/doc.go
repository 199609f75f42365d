// Package explorer is the auditor's web view of the ledger (审计浏览器),
// served by `datarightsd explorer`.
//
// Pages (server-rendered html/template, templates and CSS embedded with
// embed.FS, no JavaScript):
//
//	/                 search by id (a-3, r-5, au-1, l-1, t-1) or party address
//	/e/{id}           an entity's state, its provenance graph (lineage plus
//	                  rights, from x/provenance's trace), its history (from
//	                  x/provenance's history) and related records
//	POST /e/{id}/verify  the same page with the verdict of the Verifier
//	                  (datarightsd wires audit.Verify: light client from a
//	                  trust root, Merkle proofs; it trusts no node)
//	/dashboard        the city's counts and series as SVG charts
//
// The pieces: Ledger asks the first --node that answers (what a page shows
// is one node's word; the verify button is what proves it); PlaceGraph
// lays a trace out in layers by longest dependency path, deterministically,
// and Layout.SVG draws it; BarChart and LineChart draw the dashboard with
// integer arithmetic; the dashboard walks the modules' list queries page by
// page up to MaxPages. Every word on a page comes from the catalogue in
// explorer/i18n: Chinese by default, English with ?lang=en (kept in a
// cookie).
package explorer
