package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "provenance"

// Errors of the provenance module. Codes are stable: never renumber or
// reuse.
var (
	ErrInvalidID     = errs.Register(ModuleName, 2, "invalid entity id")
	ErrUnknownEntity = errs.Register(ModuleName, 3, "unknown entity")
	ErrInvalidTrace  = errs.Register(ModuleName, 4, "invalid trace request")
)
