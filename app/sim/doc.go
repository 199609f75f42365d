// Package sim is the randomized, seeded simulation of the whole app: a
// Generator makes blocks of weighted random txs over every message type and
// every signer class (departments, the data admin, operators, holders,
// grantors, agents, suspended and unregistered keys), valid and invalid
// mixed, and envelope faults (garbage, another chain id, high-S twins,
// stale and future nonces). Check verifies the ledger's invariants after a
// block. The same seed always makes the same blocks, so the same app hash
// at every height.
//
// TestSimulation runs it in CI (3 seeds, a few hundred blocks); the long
// run takes -sim.seeds and -sim.blocks (scripts/chaos.sh), and -sim.out
// writes "seed height apphash" lines that scripts/chaos.sh compares
// between CGO_ENABLED=0 and =1 builds.
//
// The package is for tests only: its keys are public by construction.
package sim
