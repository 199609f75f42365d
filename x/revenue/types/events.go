package types

// Event types of the revenue module. A policy change emits
// revenue_policy_set (asset_id and party, the signer, indexed). A split
// emits revenue_distributed (trade_id and asset_id indexed) and then one
// revenue_line per line (beneficiary indexed), so that tx_search finds
// every settlement that paid a party.
const (
	EventPolicySet   = "revenue_policy_set"
	EventDistributed = "revenue_distributed"
	EventLine        = "revenue_line"
)

// Attribute keys. AttrAssetID, AttrParty, AttrTradeID and AttrBeneficiary
// are indexed.
const (
	AttrAssetID     = "asset_id"
	AttrParty       = "party"
	AttrTradeID     = "trade_id"
	AttrBeneficiary = "beneficiary"
	// AttrAuthorizationID names the authorisation whose terms produced a
	// line (indexed: an authorisation's revenue is part of its record).
	AttrAuthorizationID = "authorization_id"
	AttrAmount          = "amount_fen"
	AttrKind            = "kind"
	AttrDepth           = "depth"
	AttrLines           = "lines"
	AttrShares          = "shares"
	AttrUpstreamBps     = "upstream_bps"
)
