package types

// Event types of the governance module, one per state change. Every event
// carries proposal_id (indexed) and party (indexed): the department that
// proposed (proposal_submitted) or voted (vote_cast), and, for the
// outcomes, the proposer. The other attributes are plain details.
//
// An executed action also emits the events of the module that applied it
// (x/identity's department_added, x/registry's asset_frozen, ...), just
// before proposal_executed, in the same end-of-block event list.
const (
	EventProposalSubmitted = "proposal_submitted"
	EventVoteCast          = "vote_cast"
	// EventProposalPassed: more than two thirds of the departments voted
	// yes; the action is executed at the end of the block.
	EventProposalPassed   = "proposal_passed"
	EventProposalExecuted = "proposal_executed"
	// EventProposalRejected: the voting period ended without enough yes
	// votes.
	EventProposalRejected = "proposal_rejected"
	// EventProposalFailed: passed, but the action no longer applied.
	EventProposalFailed = "proposal_failed"
)

// Attribute keys. AttrProposalID and AttrParty are indexed for tx_search.
const (
	AttrProposalID     = "proposal_id"
	AttrParty          = "party"
	AttrAction         = "action"
	AttrVotingEnds     = "voting_ends"
	AttrOption         = "option"
	AttrPreviousOption = "previous_option"
	AttrYes            = "yes"
	AttrNo             = "no"
	AttrAbstain        = "abstain"
	AttrDepartments    = "departments"
	AttrResult         = "result"
)
