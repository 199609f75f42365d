package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "governance"

// Errors of the governance module. Codes are stable: never renumber or
// reuse.
//
// A proposal's stateless checks are governance's own (ErrInvalidAction,
// ErrInvalidParams, with the reason in the text). Whether its action
// applies to the current state is decided by the module that owns that
// state: x/identity's or x/registry's error passes through unchanged, with
// its own codespace and code.
var (
	ErrInvalidProposal  = errs.Register(ModuleName, 2, "invalid proposal")
	ErrInvalidAction    = errs.Register(ModuleName, 3, "invalid action")
	ErrInvalidParams    = errs.Register(ModuleName, 4, "invalid params")
	ErrInvalidVote      = errs.Register(ModuleName, 5, "invalid vote")
	ErrInvalidID        = errs.Register(ModuleName, 6, "invalid proposal id")
	ErrProposalNotFound = errs.Register(ModuleName, 7, "proposal not found")
	ErrNotDepartment    = errs.Register(ModuleName, 8, "only a department may propose or vote")
	ErrNotVoting        = errs.Register(ModuleName, 9, "proposal is not open for voting")
	ErrVotingEnded      = errs.Register(ModuleName, 10, "the voting period has ended")
	ErrInvalidGenesis   = errs.Register(ModuleName, 11, "invalid governance genesis")
)
