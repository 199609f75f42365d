package types

// Event types of the rights module: one per state change. right_id,
// asset_id, party (the holder, grantee or requester the event is about),
// request_id and authorization_id are indexed, so tx_search finds every tx
// touching them.
const (
	// EventRightMinted: a root right (holding, or a product's operation
	// right) came into being with its asset.
	EventRightMinted = "right_minted"
	// EventRightGranted: a child right was granted and is active.
	EventRightGranted = "right_granted"
	// EventRightPendingApproval: a right waits for the data admin (a grant
	// on important or personal data, a transfer of one, or a right a
	// reclassification made need approval again).
	EventRightPendingApproval = "right_pending_approval"
	EventGrantApproved        = "grant_approved"
	EventRightRequested       = "right_requested"
	EventRequestApproved      = "request_approved"
	EventRequestRejected      = "request_rejected"
	EventRightTransferred     = "right_transferred"
	EventRightRevoked         = "right_revoked"
	EventRightSuspended       = "right_suspended"
	EventRightResumed         = "right_resumed"
	// EventRightExpired is emitted at the end of the block in which the
	// right's term passed.
	EventRightExpired = "right_expired"
	// EventRightExited: the right ended with the authorisation it was
	// granted under (terminated, expired or exited; see x/authorization).
	EventRightExited   = "right_exited"
	EventUsageRecorded = "usage_recorded"

	AttrRightID    = "right_id"
	AttrAssetID    = "asset_id"
	AttrParty      = "party"
	AttrHolder     = "holder"
	AttrRequestID  = "request_id"
	AttrActor      = "actor"
	AttrKind       = "kind"
	AttrParentID   = "parent_id"
	AttrGrantor    = "grantor"
	AttrFrom       = "from"
	AttrReason     = "reason"
	AttrValidUntil = "valid_until"
	AttrPurpose    = "purpose"
	AttrOperation  = "operation"
	AttrResultHash = "result_hash"
	// AttrCascadeRoot names the right whose revocation ended this one.
	AttrCascadeRoot = "cascade_root"
	// AttrAuthorizationID names the authorisation a right was granted
	// under (x/authorization), on the events of such rights.
	AttrAuthorizationID = "authorization_id"
)
