package types

// Event types of the authorised-operation module: one per state change.
// Every event carries authorization_id and party, indexed, so that
// tx_search finds every tx touching an authorisation or a party: party is
// repeated for the operator and the authoriser (the parties the
// authorisation is about), and actor names who signed, when someone did
// (expiry at the end of a block has no actor). asset_id is repeated, one
// indexed attribute per covered asset. The other attributes are plain
// details.
//
// The rights the authorisation mints, suspends, resumes and ends emit
// their own events (x/rights: right_granted, right_suspended,
// right_resumed, right_exited), each with authorization_id.
const (
	EventApplied    = "authorization_applied"
	EventApproved   = "authorization_approved"
	EventCoApproved = "authorization_co_approved"
	// EventActivated follows approval (or, for important data,
	// co-approval): the operator's rights are minted and the term runs.
	EventActivated = "authorization_activated"
	EventRejected  = "authorization_rejected"
	EventEvaluated = "authorization_evaluated"
	// EventSuspended: by the data admin, or automatically by an evaluation
	// scoring below evaluation_threshold (attribute score is then set).
	EventSuspended  = "authorization_suspended"
	EventResumed    = "authorization_resumed"
	EventTerminated = "authorization_terminated"
	EventExited     = "authorization_exited"
	// EventExpired is emitted at the end of the block in which the term
	// passed.
	EventExpired = "authorization_expired"
)

// Attribute keys. AttrAuthorizationID, AttrParty, AttrActor and AttrAssetID
// are indexed.
const (
	AttrAuthorizationID = "authorization_id"
	AttrParty           = "party"
	AttrActor           = "actor"
	AttrAssetID         = "asset_id"
	AttrOperator        = "operator"
	AttrAuthoriser      = "authoriser"
	AttrReason          = "reason"
	AttrScore           = "score"
	AttrThreshold       = "threshold"
	AttrNumber          = "number"
	AttrReportHash      = "report_hash"
	AttrAttestationHash = "attestation_hash"
	AttrTermsHash       = "terms_hash"
	AttrValidUntil      = "valid_until"
	AttrRightIDs        = "right_ids"
)
