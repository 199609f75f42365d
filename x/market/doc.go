// Package market is the x/market module: clearing balances, listings, bids
// and atomic settlement (交易、结算、支付).
//
// # Money
//
// Money exists only as clearing balances in fen (uint64). The exchange (a
// party with the exchange role) creates it by crediting a deposit it
// received in the bank, and destroys it by paying out a withdrawal the
// owner requested and signed; each bank reference is booked once. Nothing
// else creates or destroys a fen: a trade moves what the buyer pays to the
// beneficiaries x/revenue names, and the lines must add up to the amount.
// A balance is available or locked (a bid's escrow, a requested
// withdrawal). The supply record keeps the invariant checkable from one key:
//
//	deposits - withdrawals == balances + escrow
//
// Every addition is overflow-checked, every subtraction checked for funds.
//
// # Listings and purchases (挂牌、交易)
//
// A seller lists a right it holds live: a transfer listing sells the
// (transferable) right itself; a licence listing sells up to max_quantity
// licences, each a new use right from the listed right with the listing's
// scope and term. Nothing in notice, disputed, frozen, cancelled, core or
// catalogued, personal and not de-identified, or a public-data holding
// right is listable, each refused with its own error; the same checks run
// again at every sale.
//
// A purchase is delivery versus payment in one message: the buyer pays,
// x/revenue splits, x/rights mints the licences (or moves the right) under
// exactly the rules of the seller's own grant or transfer, and the trade is
// recorded. Either all of it happens or none: the message fails and the
// app discards its branch.
//
// # Bids
//
// A buyer escrows a price for a licence on an asset; a holder who can grant
// the terms accepts it from one of its rights, and the escrow is split and
// paid out as a purchase would be. Cancelled or expired bids return the
// escrow. Expiry runs at the end of the block through a time queue, bounded
// by max_expiries_per_block; a purchase or acceptance checks the expiry
// itself, so the queue's lag never lets a stale offer trade.
package market
