package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "revenue"

// Errors of the revenue module, one per reason a message or a split is
// refused. Codes are stable: never renumber or reuse them.
//
// Errors raised by the modules this one asks (x/identity for the acting
// party and the beneficiaries, x/registry for an asset, x/rights for the
// holder, x/authorization for the terms) pass through with their own
// codespace and code: the module that knows the reason reports it.
var (
	ErrInvalidFields         = errs.Register(ModuleName, 2, "invalid message")
	ErrNotHolder             = errs.Register(ModuleName, 3, "signer does not hold the asset's root right")
	ErrTooManyShares         = errs.Register(ModuleName, 4, "too many shares in one policy")
	ErrDuplicateBeneficiary  = errs.Register(ModuleName, 5, "beneficiary listed twice")
	ErrBpsTooHigh            = errs.Register(ModuleName, 6, "shares and upstream exceed 10,000 bps")
	ErrUpstreamWithoutInputs = errs.Register(ModuleName, 7, "upstream share for an asset without inputs")
	ErrInactiveBeneficiary   = errs.Register(ModuleName, 8, "beneficiary is not an active party")
	ErrPolicyNotFound        = errs.Register(ModuleName, 9, "revenue policy not found")
	ErrInvalidTrade          = errs.Register(ModuleName, 10, "invalid trade id")
	ErrDuplicateTrade        = errs.Register(ModuleName, 11, "trade already distributed")
	ErrInvalidTerms          = errs.Register(ModuleName, 12, "invalid authorisation revenue terms")
	ErrOverflow              = errs.Register(ModuleName, 13, "amount overflows")
	ErrInvalidParams         = errs.Register(ModuleName, 14, "invalid revenue params")
	ErrInvalidGenesis        = errs.Register(ModuleName, 15, "invalid revenue genesis")
)
