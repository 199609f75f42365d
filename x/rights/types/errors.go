package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "rights"

// Errors of the rights module, one per reason a message is refused. Codes
// are stable: never renumber or reuse them.
var (
	ErrInvalidID                    = errs.Register(ModuleName, 2, "invalid id")
	ErrInvalidScope                 = errs.Register(ModuleName, 3, "invalid scope")
	ErrInvalidTerm                  = errs.Register(ModuleName, 4, "invalid term")
	ErrInvalidFields                = errs.Register(ModuleName, 5, "invalid message")
	ErrInvalidReason                = errs.Register(ModuleName, 6, "invalid reason")
	ErrRightNotFound                = errs.Register(ModuleName, 7, "right not found")
	ErrNotHolder                    = errs.Register(ModuleName, 8, "signer does not hold the right")
	ErrNotGrantor                   = errs.Register(ModuleName, 9, "signer did not grant the right")
	ErrNotLive                      = errs.Register(ModuleName, 10, "right is not live")
	ErrNotSublicensable             = errs.Register(ModuleName, 11, "right is not sublicensable")
	ErrScopeNotSubset               = errs.Register(ModuleName, 12, "scope is not a subset of the parent right's")
	ErrTermOutsideParent            = errs.Register(ModuleName, 13, "term is outside the parent right's")
	ErrExclusiveConflict            = errs.Register(ModuleName, 14, "conflicts with an exclusive use right")
	ErrNotTransferable              = errs.Register(ModuleName, 15, "right is not transferable")
	ErrPublicHoldingNotTransferable = errs.Register(ModuleName, 16, "a public-data holding right is never transferable")
	ErrCoreDataRedLine              = errs.Register(ModuleName, 17, "red line: core data never leaves its source department")
	ErrImportantDataRedLine         = errs.Register(ModuleName, 18, "red line: important data is granted only for privacy-preserving computation, with the data admin's approval")
	ErrPersonalDataRedLine          = errs.Register(ModuleName, 19, "red line: personal data leaves its source only de-identified, or for privacy-preserving computation with the data admin's approval")
	ErrNotPendingApproval           = errs.Register(ModuleName, 20, "right is not pending approval")
	ErrNotDataAdmin                 = errs.Register(ModuleName, 21, "signer is not a data admin")
	ErrRequestNotFound              = errs.Register(ModuleName, 22, "request not found")
	ErrRequestNotPending            = errs.Register(ModuleName, 23, "request is not pending")
	ErrNotRequestHolder             = errs.Register(ModuleName, 24, "signer is not the holder the request is addressed to")
	ErrUsageOutOfScope              = errs.Register(ModuleName, 25, "usage is outside the right's scope")
	ErrDepthLimit                   = errs.Register(ModuleName, 26, "sublicensing depth limit reached")
	ErrInvalidGrantee               = errs.Register(ModuleName, 27, "invalid grantee")
	ErrKindNotAllowed               = errs.Register(ModuleName, 28, "this kind of right cannot be granted from the parent")
	ErrRightEnded                   = errs.Register(ModuleName, 29, "right has ended")
	ErrNotActive                    = errs.Register(ModuleName, 30, "right is not active")
	ErrNotSuspended                 = errs.Register(ModuleName, 31, "right is not suspended")
	ErrRightRequired                = errs.Register(ModuleName, 32, "a right is required")
	ErrDeriveNotAllowed             = errs.Register(ModuleName, 33, "no live right allows deriving from the asset")
	ErrRootExists                   = errs.Register(ModuleName, 34, "asset already has a root right")
	ErrAssetBlocked                 = errs.Register(ModuleName, 35, "asset is frozen, disputed or cancelled")
	ErrRootNotRevocable             = errs.Register(ModuleName, 36, "a root right ends only with its asset")
	ErrInvalidParams                = errs.Register(ModuleName, 37, "invalid rights params")
	ErrInvalidGenesis               = errs.Register(ModuleName, 38, "invalid rights genesis")
	ErrUnderAuthorization           = errs.Register(ModuleName, 39, "the operator's right of an authorisation ends only with the authorisation")
)
