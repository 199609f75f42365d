package types

// Event types of the registry module, one per state change. Every event
// carries asset_id (indexed) and party (indexed): the party that acted, or,
// for asset_certified at the end of a block, the registrant. A freeze or
// unfreeze decided by governance (Keeper.SetFrozen) has no acting party and
// carries none. The other attributes are plain details.
const (
	EventAssetRegistered   = "asset_registered"
	EventAssetObjected     = "asset_objected"
	EventObjectionResolved = "objection_resolved"
	EventAssetCertified    = "asset_certified"
	EventAssetCancelled    = "asset_cancelled"
	EventVersionAdded      = "version_added"
	EventValuationRecorded = "valuation_recorded"
	EventAssetFrozen       = "asset_frozen"
	EventAssetUnfrozen     = "asset_unfrozen"
	EventAssetReclassified = "asset_reclassified"
)

// Attribute keys. AttrAssetID and AttrParty are indexed for tx_search.
const (
	AttrAssetID        = "asset_id"
	AttrParty          = "party"
	AttrKind           = "kind"
	AttrCatalogueCode  = "catalogue_code"
	AttrClassification = "classification"
	AttrGrade          = "grade"
	AttrOpenLevel      = "open_level"
	AttrStatus         = "status"
	AttrNoticeEnds     = "notice_ends"
	AttrContentHash    = "content_hash"
	AttrInputs         = "inputs"
	AttrRightID        = "right_id"
	AttrEvidenceHash   = "evidence_hash"
	AttrReason         = "reason"
	AttrOutcome        = "outcome"
	AttrCertificateNo  = "certificate_no"
	AttrVersion        = "version"
	AttrValuation      = "valuation"
	AttrValueFen       = "value_fen"
	AttrMethod         = "method"
	AttrReportHash     = "report_hash"
)

// Outcomes of an objection (attribute "outcome" of objection_resolved).
const (
	OutcomeUpheld    = "upheld"
	OutcomeDismissed = "dismissed"
)
