package types

import (
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"

	idtypes "github.com/datarights/datarights/x/identity/types"
	markettypes "github.com/datarights/datarights/x/market/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Node kinds of a trace.
const (
	KindAsset         = "asset"
	KindProduct       = "product" // an asset derived from inputs
	KindRight         = "right"
	KindAuthorization = "authorization"
	KindParty         = "party"
	KindTrade         = "trade"
	KindListing       = "listing"
)

// Edge kinds of a trace; an edge points from the dependent entity to what
// it depends on, belongs to or came from.
const (
	// EdgeDerivedFrom: product → input; via names the right and/or the
	// authorisation that allowed the derivation.
	EdgeDerivedFrom = "derived_from"
	// EdgeRightOn: right → the asset it is a right on.
	EdgeRightOn = "right_on"
	// EdgeSublicensedFrom: right → the right it was granted from.
	EdgeSublicensedFrom = "sublicensed_from"
	// EdgeHeldBy: right → its holder.
	EdgeHeldBy = "held_by"
	// EdgeUnderAuthorization: right → the authorisation it was minted under.
	EdgeUnderAuthorization = "under_authorization"
	// EdgeTradedIn: trade → a right it delivered, and trade → its listing.
	EdgeTradedIn = "traded_in"
	// EdgeListed: listing → the right it sells or licenses from.
	EdgeListed = "listed"
)

// Event attributes that name entities. An indexed attribute with one of
// these keys gives the entity it names a history entry for the event;
// AttrRightIDs is a comma-separated list (not indexed: tx_search matches
// whole values) and gives each right in it an entry.
//
//	asset_id          asset (a-N)
//	right_id          right (r-N)
//	right_ids         rights (r-N,r-M,...)
//	authorization_id  authorisation (au-N)
//	listing_id        listing (l-N)
//	trade_id          trade (t-N)
//	bid_id            bid (b-N)
//	withdrawal_id     withdrawal (w-N)
//	proposal_id       proposal (p-N)
//	request_id        right request (q-N)
//	party             party (address), only on the events in partyEvents
//
// "party" is on most events (the registrant, the seller, the proposer...);
// a party's own history is what happened to the party: x/identity's events
// and its clearing balance (deposits, withdrawals). Everything else it did
// is found through the entities, or by tx_search on party.
const (
	AttrAssetID         = "asset_id"
	AttrRightID         = "right_id"
	AttrRightIDs        = "right_ids"
	AttrAuthorizationID = "authorization_id"
	AttrListingID       = "listing_id"
	AttrTradeID         = "trade_id"
	AttrBidID           = "bid_id"
	AttrWithdrawalID    = "withdrawal_id"
	AttrProposalID      = "proposal_id"
	AttrRequestID       = "request_id"
	AttrParty           = "party"
)

var entityAttrs = map[string]bool{
	AttrAssetID: true, AttrRightID: true, AttrAuthorizationID: true, AttrListingID: true,
	AttrTradeID: true, AttrBidID: true, AttrWithdrawalID: true, AttrProposalID: true, AttrRequestID: true,
}

// partyEvents are the events that are history of the party they name.
var partyEvents = map[string]bool{
	idtypes.EventPartyRegistered: true, idtypes.EventPartyUpdated: true, idtypes.EventPartySuspended: true,
	idtypes.EventPartyReactivated: true, idtypes.EventAgentAdded: true, idtypes.EventAgentRemoved: true,
	idtypes.EventDepartmentAdded: true, idtypes.EventDepartmentRemoved: true, idtypes.EventPowerChanged: true,
	idtypes.EventRoleGranted: true, idtypes.EventRoleRevoked: true,
	markettypes.EventDeposited: true, markettypes.EventWithdrawalRequested: true, markettypes.EventWithdrawn: true,
}

// Events that are not history:
//   - "tx" and "message", which every tx has (the tx's signer, actor and
//     message names are in the tx itself);
//   - usage_recorded: the usage log (x/rights /rights/usage) is the record
//     of uses, one key per use; recording a use is the highest-volume tx
//     and must stay one write.
var notHistory = map[string]bool{
	"tx": true, "message": true,
	rightstypes.EventUsageRecorded: true,
}

// IsHistory reports whether an event of this type becomes history.
func IsHistory(eventType string) bool { return !notHistory[eventType] }

// Subjects returns the ids of the entities whose history an event belongs
// to, in attribute order, each once.
func Subjects(ev abci.Event) []string {
	if !IsHistory(ev.Type) {
		return nil
	}
	var out []string
	add := func(id string) {
		if id == "" {
			return
		}
		for _, s := range out {
			if s == id {
				return
			}
		}
		out = append(out, id)
	}
	for _, a := range ev.Attributes {
		switch {
		case a.Key == AttrRightIDs:
			for _, id := range strings.Split(a.Value, ",") {
				add(strings.TrimSpace(id))
			}
		case !a.Index:
		case entityAttrs[a.Key]:
			add(a.Value)
		case a.Key == AttrParty && partyEvents[ev.Type]:
			add(a.Value)
		}
	}
	return out
}

// MaxSummaryBytes bounds an entry's summary.
const MaxSummaryBytes = 256

// Summary is an event as the history of subject shows it: its attributes
// other than the one naming subject itself and msg_index, as "k=v k=v",
// cut at MaxSummaryBytes (on a rune boundary, ending in "…"). The other
// entities stay: an asset's entry for right_expired says which right, and
// an authorisation's entries for one change (one event per covered asset)
// say which asset.
func Summary(ev abci.Event, subject string) string {
	var b strings.Builder
	for _, a := range ev.Attributes {
		if (entityAttrs[a.Key] || a.Key == AttrParty) && a.Value == subject || a.Key == "msg_index" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.Value)
		if b.Len() > MaxSummaryBytes {
			break
		}
	}
	return truncate(b.String(), MaxSummaryBytes)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	cut := n - len(ellipsis)
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
