package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "registry"

// Errors of the registry module, one per reason a message is refused.
// Codes are stable: never renumber or reuse.
//
// Errors raised by the modules the registry asks (x/identity for the
// acting party, x/rights for CheckDerive) pass through with their own
// codespace and code, prefixed with what the registry was checking: the
// module that knows the reason reports it.
var (
	ErrInvalidField           = errs.Register(ModuleName, 2, "invalid field")
	ErrDuplicateCatalogueCode = errs.Register(ModuleName, 3, "catalogue code already registered")
	ErrDuplicateContentHash   = errs.Register(ModuleName, 4, "content hash already registered")
	ErrAssetNotFound          = errs.Register(ModuleName, 5, "asset not found")
	ErrNotInNotice            = errs.Register(ModuleName, 6, "asset is not in its notice period")
	ErrNotDisputed            = errs.Register(ModuleName, 7, "asset has no pending objection")
	ErrNotDataAdmin           = errs.Register(ModuleName, 8, "only the data admin may do this")
	ErrNotAssessor            = errs.Register(ModuleName, 9, "only an assessor may record a valuation")
	ErrNotHolder              = errs.Register(ModuleName, 10, "only the holder of the asset may do this")
	ErrFrozen                 = errs.Register(ModuleName, 11, "asset is frozen")
	ErrNotFrozen              = errs.Register(ModuleName, 12, "asset is not frozen")
	ErrCancelled              = errs.Register(ModuleName, 13, "asset registration is cancelled")
	ErrCoreData               = errs.Register(ModuleName, 14, "core data red line")
	ErrPublicDataSource       = errs.Register(ModuleName, 15, "public data must be registered by its source department")
	ErrInvalidInputs          = errs.Register(ModuleName, 16, "invalid inputs")
	ErrSourceNotDepartment    = errs.Register(ModuleName, 17, "source department is not a department")
	ErrOwnRegistration        = errs.Register(ModuleName, 18, "a registrant cannot object to its own registration")
	ErrNoChange               = errs.Register(ModuleName, 19, "reclassification changes nothing")
	ErrNotCertified           = errs.Register(ModuleName, 20, "asset has no certificate")
	ErrInvalidParams          = errs.Register(ModuleName, 21, "invalid registry params")
	ErrInvalidGenesis         = errs.Register(ModuleName, 22, "invalid registry genesis")
)
