// Package governance is the x/governance module: the departments (部门)
// that run the ledger decide together how it changes. The departments are
// the validators; what one department alone may not do (admit or remove a
// department, change a validator's power, grant or revoke a role, change a
// module's params, freeze or unfreeze an asset over the data admin's head)
// is proposed by one and decided by more than two thirds of them.
//
// # Proposals
//
// A proposal carries exactly one action:
//
//	add_department     a new department: address, name, organisation code,
//	                   its validator's ed25519 key and power, roles
//	remove_department  its validator leaves (power 0) and the party is
//	                   suspended; its history and its key stay, the key
//	                   is never used again
//	set_power          a department validator's voting power
//	grant_role         data_admin, auditor, operator, exchange, assessor,
//	revoke_role        to or from any party
//	set_params         one module's params: registry, rights, governance,
//	                   authorization, market or revenue, checked against
//	                   its bounds
//	freeze_asset,      the data admin's freeze, decided by the departments
//	unfreeze_asset
//
// Only a department that votes (active, with a validator of positive
// power) may propose or vote, with its own (CDO) key or an agent's; an
// enterprise, its agents and a removed department may not.
//
// # Lifecycle
//
//	submit ─► voting ──(yes > 2/3 of the departments)──► passed ─(end of block)─► executed
//	            │                                                              └► failed
//	            └──(voting_period ends first)──► rejected
//
// A proposal is checked when submitted: the stateless checks (types), then
// the action itself is applied to a scratch branch of the state that is
// then dropped. The action must apply now (no proposal to add a party that
// exists, remove the last validator, set the power of a removed
// department, grant a role already held, freeze an unknown asset...), and
// the module that owns the state says why not, with its own error. Its
// voting period (param voting_period_seconds, in block time) starts.
//
// Each department has one vote per proposal, yes, no or abstain; a new
// vote replaces its earlier one. Every vote recounts the current votes of
// the current departments, so a department that left stops counting and
// one that joined counts once it votes. When yes votes are more than two
// thirds of the departments (3 of 4, 5 of 7: yes·3 > 2·departments), the
// proposal has passed: no vote changes it any more, and the action is
// executed at the end of that block. At voting_ends the period is over,
// whether or not the end-of-block step has reached the proposal; that step
// then recounts once more and rejects the proposal (or, if departments
// have left meanwhile and the yes votes are now enough, executes it).
//
// # Execution
//
// The end-of-block step (EndBlock) reads two queues in order, passed
// proposals first, then those whose period has ended, together at most
// max_closings_per_block proposals a block; the rest wait, in order. An
// action is applied on a branch and kept only if it succeeds, with the
// events of the module that applied it (department_added, asset_frozen,
// ...). State may have changed since the vote (another proposal removed
// the department, the registration was cancelled): the same checks run
// again, and an action that no longer applies leaves nothing behind and
// ends the proposal as failed, its result naming the module, code and
// reason. It never stops the node.
//
// # Validators
//
// Departments are CometBFT's validators. x/identity owns them and keeps
// the set CometBFT would build valid, since CometBFT halts the chain on an
// update it refuses: powers from 1 to MaxTotalVotingPower in total, a key
// never used twice, never an empty set, never the removal of a validator
// that joined in the same block. Each change is queued in x/identity's
// state; the app takes the queue (identity's TakeValidatorUpdates) after
// every module's EndBlock and returns it from FinalizeBlock, and CometBFT
// applies it two blocks later.
//
// # What governance asks other modules
//
// types/expected.go declares it: x/identity for the acting party, the
// departments and the changes to them; x/registry for SetFrozen and its
// params; x/rights and x/authorization for their params. Governance holds
// only proposals, votes, its two queues and its own params.
//
// Layout: types/ holds the generated protobuf types, errors, events,
// params and the stateless checks the CLI also runs; keeper/ holds state
// access (keys.go documents the byte layout), message handlers, the
// end-of-block step, queries and genesis; cli/ holds `tx governance` and
// `query governance`.
package governance
