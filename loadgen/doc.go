// Package loadgen drives a running network with a pre-signed workload and
// measures what it committed.
//
// Run signs every tx of a workload before the clock starts, sends them over
// CometBFT's JSON-RPC (batched broadcast_tx_sync, one stream per worker,
// each worker owning its own signers so that nonces stay in order) at an
// offered rate or flat out, and reads the committed blocks back: committed
// tx/s is the sum of the run's txs over its blocks divided by the time
// between their header times; latency is from a tx's send to the moment the
// block holding it was seen committed. Node CPU and resident memory come
// from /proc of the node processes when their pids are given.
//
// Workloads: "usage" (record-usage only), "mixed" (60% usage, 10% grants,
// 10% requests, 10% asset registrations, 10% buys), "identity"
// (registering individuals) and "kvstore" (random key=value txs of a given
// size, for CometBFT's kvstore example app: the engine's own ceiling).
//
// The parties that sign are created in genesis (Keys, Parties); the assets,
// rights, listing and balances a workload needs are set up by txs before
// the clock starts (Setup). Result lists the hashes of every tx the nodes
// acked and every tx committed, so a fault test can check that nothing
// acked was lost.
//
// Spam runs beside a load: well-formed txs whose signature is wrong in one
// of five ways (SpamKinds), each naming one of the load's signers, at a
// rate, and the most expensive queries a client can send (SpamQueries:
// every list at the largest page, provenance traces at the largest depth
// and node count, /store/key proofs), counting CheckTx's and the queries'
// codes and the queries' latency. `datarightsd bench --spam-rate R
// --spam-queries Q` starts it when the load starts sending.
package loadgen
