// Package app is the datarights ABCI 2.0 application.
//
// The ABCI methods in abci.go are thin: each is a short list of named steps
// implemented in the files beside it.
//
//	ante.go    the envelope checks every tx passes before any handler runs:
//	           strict decode, chain id, limits, signature (recovered once per
//	           node and cached), signer resolved to an active party, nonce
//	runtx.go   one tx on a branch: nonce consumed, messages routed, all
//	           written or none, panics recovered into an error result
//	router.go  the closed set of messages and the handler of each
//	query.go   query paths, historical heights and ICS23 proofs
//	genesis.go InitChain: app_state into state, departments into validators
//
// State is one IAVL tree (package store); its root hash is the app hash.
// Each module owns one key prefix of it (see each keeper's keys.go); the app
// itself owns prefix 0x01 (keys.go).
//
// Nonces: a tx that passes the envelope checks consumes its nonce even if a
// message then fails, as in Ethereum. The failed tx changes nothing else,
// but it cannot be replayed, and a client's next nonce does not depend on
// whether an earlier tx succeeded.
package app
