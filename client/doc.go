// Package client is what every datarightsd command that talks to a node
// shares: the common flags, signing and broadcasting a tx and waiting for
// its commit, queries with verified proofs, and one printer that knows
// text and JSON.
//
// Conventions (as in CometBFT and Cosmos chains): --home (default
// ~/.datarights), --node (RPC address), --chain-id (read from the node when
// omitted), --from (key name or address), --keyring-backend (file|test),
// --output (text|json). A tx command waits for the commit by default and
// exits non-zero when the tx is rejected, printing the module, code and
// reason.
package client
