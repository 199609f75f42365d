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

	// Governance's changes to departments and roles (see keeper/governance.go).
	EventDepartmentAdded   = "department_added"
	EventDepartmentRemoved = "department_removed"
	EventPowerChanged      = "power_changed"
	EventRoleGranted       = "role_granted"
	EventRoleRevoked       = "role_revoked"
	EventNodeIDAdded       = "node_id_added"
	EventNodeIDRemoved     = "node_id_removed"

	AttrParty  = "party"
	AttrActor  = "actor"
	AttrKind   = "kind"
	AttrAgent  = "agent"
	AttrReason = "reason"

	AttrPower         = "power"
	AttrPreviousPower = "previous_power"
	AttrPubKey        = "pub_key"
	AttrRole          = "role"
	AttrRoles         = "roles"
	AttrNodeID        = "node_id"
)
