// Package server runs a datarights node: the home directory layout, the
// configuration files, and an in-process CometBFT node driving the app.
//
// A home directory (default ~/.datarights) holds:
//
//	config/config.toml              CometBFT's configuration
//	config/app.toml                 the app's: state database backend, cache, pruning
//	config/genesis.json             chain id, consensus params, validators, app_state
//	config/node_key.json            the node's p2p identity
//	config/priv_validator_key.json  the validator's consensus key (ed25519)
//	data/                           CometBFT's block store and state, and
//	data/application.db             the app's IAVL state
//	keyring-file/ or keyring-test/  account keys (see package keyring)
package server
