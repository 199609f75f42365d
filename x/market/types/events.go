package types

// Event types of the market, one per state change. Every event carries
// party (indexed): the party whose money or offer changed (repeated for
// both sides of a trade), and actor (indexed) when someone signed; expiry
// at the end of a block has none. Ids people search by are indexed:
// listing_id, trade_id, bid_id, withdrawal_id, asset_id, right_id, buyer,
// seller. Amounts are plain.
//
// The rights a trade mints or moves emit x/rights' own events
// (right_granted, right_transferred); the distribution lines x/revenue's.
const (
	EventDeposited           = "deposited"
	EventWithdrawalRequested = "withdrawal_requested"
	EventWithdrawn           = "withdrawn"
	EventListed              = "listed"
	EventListingCancelled    = "listing_cancelled"
	EventListingExpired      = "listing_expired"
	EventTraded              = "traded"
	EventBidPlaced           = "bid_placed"
	EventBidAccepted         = "bid_accepted"
	EventBidCancelled        = "bid_cancelled"
	EventBidExpired          = "bid_expired"
)

// Attribute keys.
const (
	AttrParty        = "party"
	AttrActor        = "actor"
	AttrListingID    = "listing_id"
	AttrTradeID      = "trade_id"
	AttrBidID        = "bid_id"
	AttrWithdrawalID = "withdrawal_id"
	AttrAssetID      = "asset_id"
	AttrRightID      = "right_id"
	AttrBuyer        = "buyer"
	AttrSeller       = "seller"
	AttrAmountFen    = "amount_fen"
	AttrPriceFen     = "price_fen"
	AttrQuantity     = "quantity"
	AttrBankRef      = "bank_ref"
	AttrKind         = "kind"
	AttrRightIDs     = "right_ids"
)
