// Package identity is the x/identity module: parties (主体), their roles and
// the agent keys that sign for them.
//
// A party is an account with a kind (department, enterprise, institution,
// individual), an organisation code for organisations (统一社会信用代码,
// checksum-validated), roles (data admin, auditor, operator, exchange,
// assessor) and a status. Departments come from genesis or governance and
// run the validators; a department registers the other kinds after
// attesting their identity off chain. A party may name agent keys (a
// department's staff) that sign for it; only the party's own key manages its
// agents.
//
// The app's ante step asks this module who acts for a signer (Resolve): an
// unknown or suspended signer is rejected before it reaches a block.
//
// x/governance alone admits and removes departments, changes their
// validators' power and grants or revokes roles (keeper/governance.go),
// when the departments have voted for it. x/identity keeps the validator
// set valid for CometBFT and queues each change of power; the app takes
// the queue at the end of every block (TakeValidatorUpdates) and hands it
// to CometBFT in FinalizeBlock's validator updates.
//
// Layout: types/ holds the generated protobuf types, errors, events and
// stateless checks; keeper/ holds state access (keys.go documents the byte
// layout), message handlers, queries and genesis.
package identity
