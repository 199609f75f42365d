package types

// Event types of the identity module. Attribute "party" (indexed) names the
// party the event is about.
const (
	EventPartyRegistered  = "party_registered"
	EventPartyUpdated     = "party_updated"
	EventPartySuspended   = "party_suspended"
	EventPartyReactivated = "party_reactivated"
	EventAgentAdded       = "agent_added"
	EventAgentRemoved     = "agent_removed"

	AttrParty  = "party"
	AttrActor  = "actor"
	AttrKind   = "kind"
	AttrAgent  = "agent"
	AttrReason = "reason"
)
