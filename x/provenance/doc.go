// Package provenance is the x/provenance module: what happened to every
// entity, kept in app state, and the provenance trace auditors (审计/监管)
// read.
//
// # History
//
// The app, not the modules, records history: after a tx's messages
// succeed, app/runtx.go passes the tx result's events to Keeper.Record on
// the tx's branch (so a failed tx appends nothing), and app/abci.go passes
// the end-block events the same way. Each event gives one HistoryEntry to
// each entity it names (types.Subjects: asset_id, right_id, right_ids,
// authorization_id, listing_id, trade_id, bid_id, withdrawal_id,
// proposal_id, request_id, and party on identity and balance events),
// stored under
//
//	0x0A | 0x01 | uvarint(len id) | id | height (8 B) | tx_index (4 B) | event_index (4 B)
//
// (types.HistoryKey). Entries sort in chain order and each is one write,
// with no counter to read. Anyone can prove an entry with /store/key and
// prove=true; tx_index (0xFFFFFFFF for end-block work) and tx_hash locate
// the tx in its block. Record-usage events are not history: the usage log
// in x/rights is their record, and a use must stay one write.
//
// # Trace
//
// /provenance/trace walks the lineage breadth first from any asset, right,
// authorisation, trade, listing or party: up through each product's
// inputs (derived_from, via the right and authorisation recorded on the
// input), down through the registry's input → product index, and for
// every asset reached its custody: the rights on it (right_on,
// sublicensed_from, held_by, under_authorization) and its trades
// (traded_in, listed). Nodes and edges appear once, in a deterministic
// order; depth and node count are capped by the server (keeper.MaxDepth,
// keeper.MaxMaxNodes) and a cut trace says truncated and why.
//
// The CLI (`query provenance history|trace`) prints a trace as a tree,
// JSON, Graphviz DOT or W3C PROV-JSON (cli.ToPROV).
//
// The module has no messages, no params and no end-block work.
package provenance
