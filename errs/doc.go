// Package errs gives every rejection a stable identity: a codespace (the
// module) and a numeric code, registered once and never renumbered, plus a
// lower-case sentence that names the thing and the reason.
//
// Modules declare their errors in types/errors.go:
//
//	var ErrPartyNotFound = errs.Register("identity", 2, "party not found")
//
// and wrap them with detail at the point of failure:
//
//	return errs.Wrapf(types.ErrPartyNotFound, "no party has address %s", addr)
//
// The app maps any error to an ABCI (codespace, code, log) in one place,
// ABCIInfo, using errors.As; anything unregistered is an internal error.
package errs
