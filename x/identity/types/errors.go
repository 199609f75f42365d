package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "identity"

// Errors of the identity module. Codes are stable: never renumber or reuse.
var (
	ErrInvalidAddress     = errs.Register(ModuleName, 2, "invalid address")
	ErrInvalidName        = errs.Register(ModuleName, 3, "invalid party name")
	ErrInvalidKind        = errs.Register(ModuleName, 4, "invalid party kind")
	ErrInvalidOrgCode     = errs.Register(ModuleName, 5, "invalid organisation code")
	ErrPartyExists        = errs.Register(ModuleName, 6, "party already registered")
	ErrPartyNotFound      = errs.Register(ModuleName, 7, "party not found")
	ErrOrgCodeTaken       = errs.Register(ModuleName, 8, "organisation code already registered")
	ErrNotDepartment      = errs.Register(ModuleName, 9, "only a department may do this")
	ErrUnauthorized       = errs.Register(ModuleName, 10, "not authorised")
	ErrPartySuspended     = errs.Register(ModuleName, 11, "party is suspended")
	ErrPartyActive        = errs.Register(ModuleName, 12, "party is not suspended")
	ErrDepartmentGoverned = errs.Register(ModuleName, 13, "departments change only through governance")
	ErrAgentExists        = errs.Register(ModuleName, 14, "address is already a party or an agent")
	ErrAgentNotFound      = errs.Register(ModuleName, 15, "agent not found")
	ErrTooManyAgents      = errs.Register(ModuleName, 16, "too many agents")
	ErrAgentCannotManage  = errs.Register(ModuleName, 17, "an agent key cannot manage agents")
	ErrUnknownSigner      = errs.Register(ModuleName, 18, "signer is not a registered party or agent")
	ErrInvalidReason      = errs.Register(ModuleName, 19, "invalid reason")
	ErrInvalidRole        = errs.Register(ModuleName, 20, "invalid role")
	ErrInvalidValidator   = errs.Register(ModuleName, 21, "invalid validator")
	ErrInvalidGenesis     = errs.Register(ModuleName, 22, "invalid identity genesis")
	ErrMissingRole        = errs.Register(ModuleName, 23, "party lacks the required role")
	ErrValidatorKeyTaken  = errs.Register(ModuleName, 24, "validator key already in use")
	ErrRoleHeld           = errs.Register(ModuleName, 25, "party already holds the role")
	ErrNotValidator       = errs.Register(ModuleName, 26, "department runs no validator")
	ErrLastValidator      = errs.Register(ModuleName, 27, "the last validator cannot be removed")
	ErrTotalPower         = errs.Register(ModuleName, 28, "total voting power over CometBFT's limit")
	ErrJoinedThisBlock    = errs.Register(ModuleName, 29, "department joined in this block")
)

// Errors of node ids (network-level permissioning, see keeper/node.go).
var (
	ErrInvalidNodeID  = errs.Register(ModuleName, 30, "invalid node id")
	ErrNodeIDTaken    = errs.Register(ModuleName, 31, "node id already registered")
	ErrNodeIDNotFound = errs.Register(ModuleName, 32, "node id not registered to the party")
	ErrCannotRunNodes = errs.Register(ModuleName, 33, "only departments and auditors run nodes")
	ErrTooManyNodeIDs = errs.Register(ModuleName, 34, "too many node ids")
	ErrNodeNotAllowed = errs.Register(ModuleName, 35, "node may not connect")
)
