package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "authorization"

// Errors of the authorised-operation module, one per reason a message is
// refused. Codes are stable: never renumber or reuse them.
//
// Errors raised by the modules this one asks (x/identity for the acting
// party, x/registry for an asset, x/rights when it mints, suspends, resumes
// or ends the operator's rights) pass through with their own codespace and
// code: the module that knows the reason reports it.
var (
	ErrInvalidFields         = errs.Register(ModuleName, 2, "invalid message")
	ErrInvalidID             = errs.Register(ModuleName, 3, "invalid authorisation id")
	ErrNotFound              = errs.Register(ModuleName, 4, "authorisation not found")
	ErrNotOperatorRole       = errs.Register(ModuleName, 5, "only a party with the operator role may operate public data")
	ErrNotAuthoriser         = errs.Register(ModuleName, 6, "signer is not the authorisation's authoriser")
	ErrNotHolder             = errs.Register(ModuleName, 7, "the authoriser does not hold the asset")
	ErrCoreData              = errs.Register(ModuleName, 8, "red line: core data is never authorised")
	ErrNotPublicData         = errs.Register(ModuleName, 9, "only public data is operated under authorisation")
	ErrAssetBlocked          = errs.Register(ModuleName, 10, "asset is frozen, disputed or cancelled")
	ErrWrongStatus           = errs.Register(ModuleName, 11, "the authorisation's status does not allow this")
	ErrNotEvaluator          = errs.Register(ModuleName, 12, "only an auditor or the data admin may evaluate an authorisation")
	ErrNotDataAdmin          = errs.Register(ModuleName, 13, "signer is not a data admin")
	ErrNotOperator           = errs.Register(ModuleName, 14, "signer is not the authorisation's operator")
	ErrInvalidRevenue        = errs.Register(ModuleName, 15, "invalid revenue terms")
	ErrTermTooLong           = errs.Register(ModuleName, 16, "term is longer than max_term_seconds")
	ErrTooManyAssets         = errs.Register(ModuleName, 17, "too many assets for one authorisation")
	ErrDuplicateAsset        = errs.Register(ModuleName, 18, "asset listed twice")
	ErrInvalidScope          = errs.Register(ModuleName, 19, "invalid scope")
	ErrInvalidTerm           = errs.Register(ModuleName, 20, "invalid term")
	ErrInvalidReason         = errs.Register(ModuleName, 21, "invalid reason")
	ErrInvalidHash           = errs.Register(ModuleName, 22, "invalid hash")
	ErrInvalidScore          = errs.Register(ModuleName, 23, "invalid score")
	ErrInvalidAuthoriser     = errs.Register(ModuleName, 24, "the authoriser must be an active department other than the operator")
	ErrImportantNeedsPrivacy = errs.Register(ModuleName, 25, "red line: important data is authorised for privacy-preserving computation only")
	ErrNotAuthoriserOrAdmin  = errs.Register(ModuleName, 26, "signer is neither the authoriser nor a data admin")
	ErrTermEnded             = errs.Register(ModuleName, 27, "the authorisation's term has ended")
	ErrInvalidParams         = errs.Register(ModuleName, 28, "invalid authorisation params")
	ErrInvalidGenesis        = errs.Register(ModuleName, 29, "invalid authorisation genesis")
)
