package types

import "github.com/datarights/datarights/errs"

// ModuleName is the module's codespace, store name and query route.
const ModuleName = "market"

// Errors of the market, one per reason a message is refused. Codes are
// stable: never renumber or reuse them.
//
// Errors raised by the modules the market asks (x/identity for the acting
// party, x/registry for an asset, x/rights when it delivers, x/revenue when
// it splits) pass through with their own codespace and code.
var (
	ErrInvalidFields          = errs.Register(ModuleName, 2, "invalid message")
	ErrInvalidID              = errs.Register(ModuleName, 3, "invalid id")
	ErrListingNotFound        = errs.Register(ModuleName, 4, "listing not found")
	ErrTradeNotFound          = errs.Register(ModuleName, 5, "trade not found")
	ErrBidNotFound            = errs.Register(ModuleName, 6, "bid not found")
	ErrWithdrawalNotFound     = errs.Register(ModuleName, 7, "withdrawal not found")
	ErrNotExchange            = errs.Register(ModuleName, 8, "only a party with the exchange role moves money in or out")
	ErrDuplicateBankRef       = errs.Register(ModuleName, 9, "bank reference already used")
	ErrInsufficientFunds      = errs.Register(ModuleName, 10, "insufficient balance")
	ErrOverflow               = errs.Register(ModuleName, 11, "amount overflows")
	ErrWithdrawalNotRequested = errs.Register(ModuleName, 12, "withdrawal is not awaiting payment")
	ErrAssetInNotice          = errs.Register(ModuleName, 13, "asset is in its notice period")
	ErrAssetDisputed          = errs.Register(ModuleName, 14, "asset is disputed")
	ErrAssetFrozen            = errs.Register(ModuleName, 15, "asset is frozen")
	ErrAssetCancelled         = errs.Register(ModuleName, 16, "asset is cancelled")
	ErrCoreData               = errs.Register(ModuleName, 17, "red line: core data is never traded")
	ErrCatalogued             = errs.Register(ModuleName, 18, "a catalogued (core) asset is never traded")
	ErrPersonalData           = errs.Register(ModuleName, 19, "red line: personal data is traded only de-identified")
	ErrNotHolder              = errs.Register(ModuleName, 20, "seller does not hold the right")
	ErrRightNotLive           = errs.Register(ModuleName, 21, "right is not live")
	ErrPublicHolding          = errs.Register(ModuleName, 22, "a public-data holding right is never traded")
	ErrNotTransferable        = errs.Register(ModuleName, 23, "right is not transferable")
	ErrScopeNotSubset         = errs.Register(ModuleName, 24, "licence scope is not a subset of the right's")
	ErrQuantityTooLarge       = errs.Register(ModuleName, 25, "quantity is above max_quantity")
	ErrListingNotOpen         = errs.Register(ModuleName, 26, "listing is not open")
	ErrListingExpired         = errs.Register(ModuleName, 27, "listing has expired")
	ErrQuantityUnavailable    = errs.Register(ModuleName, 28, "not that many units left")
	ErrPriceAboveMax          = errs.Register(ModuleName, 29, "price is above the buyer's max price")
	ErrSelfTrade              = errs.Register(ModuleName, 30, "a party cannot trade with itself")
	ErrNotSeller              = errs.Register(ModuleName, 31, "signer is not the listing's seller")
	ErrNotBuyer               = errs.Register(ModuleName, 32, "signer is not the bid's buyer")
	ErrBidNotOpen             = errs.Register(ModuleName, 33, "bid is not open")
	ErrBidExpired             = errs.Register(ModuleName, 34, "bid has expired")
	ErrInvalidExpiry          = errs.Register(ModuleName, 35, "expiry is not after the block time")
	ErrAssetMismatch          = errs.Register(ModuleName, 36, "right is on another asset")
	ErrBadSplit               = errs.Register(ModuleName, 37, "revenue lines do not add up to the amount")
	ErrInvalidParams          = errs.Register(ModuleName, 38, "invalid market params")
	ErrInvalidGenesis         = errs.Register(ModuleName, 39, "invalid market genesis")
	ErrLicencePending         = errs.Register(ModuleName, 40, "licence would not be usable on delivery")
)
