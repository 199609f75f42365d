package sim

import (
	"fmt"
	"slices"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mkkeeper "github.com/datarights/datarights/x/market/keeper"
	mktypes "github.com/datarights/datarights/x/market/types"
	provtypes "github.com/datarights/datarights/x/provenance/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Checker verifies the ledger's invariants on a chain after each block:
//
//   - each right has exactly one holder, a registered party, and each
//     asset exactly one root right, the one it names;
//   - scopes only narrow: a derived right's scope is within its parent's,
//     its term within its parent's, on the same asset;
//   - nothing revoked, expired, exited or suspended is exercised: every
//     usage, grant, listing and sale in the block used a right that was
//     active when the tx ran;
//   - a failed tx emits nothing (its messages' writes are discarded);
//   - trades are all or nothing: each trade has its rights, held by the
//     buyer, on its asset, and one distribution; a listing's sold count is
//     the sum of its trades;
//   - distributions sum exactly to the amount paid;
//   - money: every fen deposited and not withdrawn is in exactly one
//     balance or escrow, and the supply record agrees with the balances;
//   - history has no gaps: every event of a successful tx or of the
//     block's end that names entities is in each entity's history at its
//     (height, tx index, event index), with its type.
type Checker struct {
	t  testing.TB
	d  *apptest.Driver
	in uint64 // fen deposited, from events
	// out is fen withdrawn, from events.
	out uint64
	// Counts of what was checked, for the test's log.
	Rights, Exercised, Trades, Failed, History int
}

// NewChecker checks d's state.
func NewChecker(t testing.TB, d *apptest.Driver) *Checker { return &Checker{t: t, d: d} }

// Check verifies every invariant after the block whose response is resp
// has been committed.
func (c *Checker) Check(resp *abci.ResponseFinalizeBlock) {
	c.t.Helper()
	h := c.d.Height()
	fail := func(format string, args ...any) {
		c.t.Helper()
		c.t.Fatalf("height %d: invariant broken: %s", h, fmt.Sprintf(format, args...))
	}
	var events []abci.Event // the block's events in order: txs, then the block's end
	c.history(h, resp, fail)
	for i, r := range resp.TxResults {
		if r.Code != abci.CodeTypeOK {
			c.Failed++
			if len(r.Events) > 0 {
				fail("failed tx %d (%s/%d) emitted %d events", i, r.Codespace, r.Code, len(r.Events))
			}
			continue
		}
		events = append(events, r.Events...)
	}
	events = append(events, resp.Events...)
	rights := c.rights(h)
	c.Rights = len(rights)
	c.holders(h, rights, fail)
	c.narrowing(rights, fail)
	c.exercised(h, events, fail)
	c.trades(h, rights, fail)
	c.money(events, fail)
}

func (c *Checker) list(path string, h int64, req, resp proto.Message) {
	c.t.Helper()
	r := c.d.Query(path, req, h, false)
	if r.Code != 0 {
		c.t.Fatalf("query %s at %d: %s", path, h, r.Log)
	}
	if err := proto.Unmarshal(r.Value, resp); err != nil {
		c.t.Fatal(err)
	}
}

// all pages through a list query: set puts the page into the request,
// next takes the response's items and returns its next key.
func all(c *Checker, path string, h int64, req proto.Message, set func(*query.PageRequest), resp proto.Message, next func() []byte) {
	var key []byte
	for {
		set(&query.PageRequest{Key: key, Limit: query.MaxLimit})
		c.list(path, h, req, resp)
		if key = next(); len(key) == 0 {
			return
		}
	}
}

func (c *Checker) rights(h int64) map[string]*rightstypes.Right {
	out := map[string]*rightstypes.Right{}
	req, resp := &rightstypes.QueryRightsRequest{}, &rightstypes.QueryRightsResponse{}
	all(c, rightskeeper.PathList, h, req, func(p *query.PageRequest) { req.Page = p }, resp, func() []byte {
		for _, r := range resp.Rights {
			out[r.Id] = r
		}
		return resp.GetPage().GetNextKey()
	})
	return out
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (c *Checker) holders(h int64, rights map[string]*rightstypes.Right, fail func(string, ...any)) {
	parties := map[string]bool{}
	for _, k := range Keys {
		r := c.d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: apptest.Addr(k)}, h, false)
		parties[apptest.Addr(k)] = r.Code == 0
	}
	roots := map[string][]string{} // asset -> root rights
	for _, id := range sortedIDs(rights) {
		r := rights[id]
		if r.Holder == "" || !parties[r.Holder] {
			fail("right %s has holder %q, not a registered party", id, r.Holder)
		}
		if r.ParentId == "" && r.AuthorizationId == "" {
			roots[r.AssetId] = append(roots[r.AssetId], id)
		}
	}
	req, resp := &regtypes.QueryAssetsRequest{}, &regtypes.QueryAssetsResponse{}
	all(c, regkeeper.PathAssets, h, req, func(p *query.PageRequest) { req.Page = p }, resp, func() []byte {
		for _, a := range resp.Assets {
			if rs := roots[a.Id]; len(rs) != 1 || rs[0] != a.HoldingRightId {
				fail("asset %s names root right %q, has root rights %v", a.Id, a.HoldingRightId, rs)
			}
		}
		return resp.GetPage().GetNextKey()
	})
}

func (c *Checker) narrowing(rights map[string]*rightstypes.Right, fail func(string, ...any)) {
	for _, id := range sortedIDs(rights) {
		r := rights[id]
		if r.ParentId == "" {
			continue
		}
		p, ok := rights[r.ParentId]
		if !ok {
			fail("right %s has parent %s, which does not exist", id, r.ParentId)
		}
		if r.AssetId != p.AssetId {
			fail("right %s is on asset %s, its parent %s on %s", id, r.AssetId, p.Id, p.AssetId)
		}
		if err := rightstypes.ScopeSubset(r.Scope, p.Scope); err != nil {
			fail("right %s has a scope wider than its parent %s: %v", id, p.Id, err)
		}
		if pu := p.GetValidUntil(); pu != nil && (r.GetValidUntil() == nil || r.ValidUntil.AsTime().After(pu.AsTime())) {
			fail("right %s runs until %v, past its parent %s's %v", id, r.GetValidUntil(), p.Id, pu.AsTime())
		}
	}
}

func attr(e abci.Event, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// exercised replays the block's right status changes in event order and
// checks that each use of a right found it active. A right's status before
// the block is the committed one at h-1; a right made in the block starts
// active.
func (c *Checker) exercised(h int64, events []abci.Event, fail func(string, ...any)) {
	status := map[string]rightstypes.RightStatus{}
	before := func(id string) rightstypes.RightStatus {
		if s, ok := status[id]; ok {
			return s
		}
		r := c.d.Query(rightskeeper.PathRight, &rightstypes.QueryRightRequest{Id: id}, h-1, false)
		if r.Code != 0 {
			return rightstypes.RightStatus_RIGHT_STATUS_UNSPECIFIED // made in this block
		}
		var right rightstypes.Right
		if err := proto.Unmarshal(r.Value, &right); err != nil {
			c.t.Fatal(err)
		}
		status[id] = right.Status
		return right.Status
	}
	use := func(what, id string) {
		if id == "" {
			return
		}
		c.Exercised++
		if s := before(id); s != rightstypes.RightStatus_RIGHT_STATUS_ACTIVE && s != rightstypes.RightStatus_RIGHT_STATUS_UNSPECIFIED {
			fail("%s of right %s while it was %s", what, id, s)
		}
	}
	set := func(id string, s rightstypes.RightStatus) {
		before(id)
		status[id] = s
	}
	for _, e := range events {
		id := attr(e, rightstypes.AttrRightID)
		switch e.Type {
		case rightstypes.EventUsageRecorded:
			use("usage", id)
		case rightstypes.EventRightGranted:
			use("grant", attr(e, rightstypes.AttrParentID))
		case mktypes.EventListed:
			use("listing", attr(e, mktypes.AttrRightID))
		case rightstypes.EventRightRevoked:
			set(id, rightstypes.RightStatus_RIGHT_STATUS_REVOKED)
		case rightstypes.EventRightExpired:
			set(id, rightstypes.RightStatus_RIGHT_STATUS_EXPIRED)
		case rightstypes.EventRightExited:
			set(id, rightstypes.RightStatus_RIGHT_STATUS_EXITED)
		case rightstypes.EventRightSuspended:
			set(id, rightstypes.RightStatus_RIGHT_STATUS_SUSPENDED)
		case rightstypes.EventRightResumed, rightstypes.EventGrantApproved:
			set(id, rightstypes.RightStatus_RIGHT_STATUS_ACTIVE)
		case rightstypes.EventRightPendingApproval:
			use("grant", attr(e, rightstypes.AttrParentID))
			set(id, rightstypes.RightStatus_RIGHT_STATUS_PENDING_APPROVAL)
		}
	}
}

func (c *Checker) trades(h int64, rights map[string]*rightstypes.Right, fail func(string, ...any)) {
	sold := map[string]uint64{}
	req, resp := &mktypes.QueryTradesRequest{}, &mktypes.QueryTradesResponse{}
	all(c, mkkeeper.PathTrades, h, req, func(p *query.PageRequest) { req.Page = p }, resp, func() []byte {
		for _, tr := range resp.Trades {
			c.trade(h, tr, rights, fail)
			sold[tr.ListingId] += tr.Quantity
		}
		return resp.GetPage().GetNextKey()
	})
	lreq, lresp := &mktypes.QueryListingsRequest{}, &mktypes.QueryListingsResponse{}
	all(c, mkkeeper.PathListings, h, lreq, func(p *query.PageRequest) { lreq.Page = p }, lresp, func() []byte {
		for _, l := range lresp.Listings {
			if l.Sold != sold[l.Id] {
				fail("listing %s sold %d, its trades %d", l.Id, l.Sold, sold[l.Id])
			}
		}
		return lresp.GetPage().GetNextKey()
	})
}

// trade checks one trade; the deep checks only in the block that made it.
func (c *Checker) trade(h int64, tr *mktypes.Trade, rights map[string]*rightstypes.Right, fail func(string, ...any)) {
	if tr.Height != h {
		return
	}
	c.Trades++
	if len(tr.RightIds) == 0 || tr.AmountFen == 0 {
		fail("trade %s: %d rights for %d fen", tr.Id, len(tr.RightIds), tr.AmountFen)
	}
	for _, id := range tr.RightIds {
		r, ok := rights[id]
		if !ok || r.AssetId != tr.AssetId || r.Holder != tr.Buyer {
			fail("trade %s delivered right %s (%v), not a right on %s held by buyer %s", tr.Id, id, r, tr.AssetId, tr.Buyer)
		}
	}
	var ds revtypes.QueryDistributionsResponse
	c.list(revkeeper.PathDistributions, h, &revtypes.QueryDistributionsRequest{TradeId: tr.Id}, &ds)
	if len(ds.Distributions) != 1 {
		fail("trade %s has %d distributions", tr.Id, len(ds.Distributions))
	}
	d := ds.Distributions[0]
	var sum uint64
	for _, l := range d.Lines {
		sum += l.AmountFen
	}
	if d.AmountFen != tr.AmountFen || sum != tr.AmountFen {
		fail("trade %s of %d fen: distribution of %d fen, lines sum to %d", tr.Id, tr.AmountFen, d.AmountFen, sum)
	}
}

func (c *Checker) money(events []abci.Event, fail func(string, ...any)) {
	for _, e := range events {
		var n uint64
		if _, err := fmt.Sscan(attr(e, mktypes.AttrAmountFen), &n); err != nil && (e.Type == mktypes.EventDeposited || e.Type == mktypes.EventWithdrawn) {
			fail("%s event without an amount: %v", e.Type, e)
		}
		switch e.Type {
		case mktypes.EventDeposited:
			c.in += n
		case mktypes.EventWithdrawn:
			c.out += n
		}
	}
	var s mktypes.Supply
	c.list(mkkeeper.PathSupply, 0, &mktypes.QuerySupplyRequest{}, &s)
	var avail, locked uint64
	for _, a := range append(addrs(), revtypes.FundAddress) {
		var b mktypes.Balance
		c.list(mkkeeper.PathBalance, 0, &mktypes.QueryBalanceRequest{Address: a}, &b)
		avail, locked = avail+b.AvailableFen, locked+b.LockedFen
	}
	if !s.Holds || s.DepositsFen != c.in || s.WithdrawalsFen != c.out || s.BalancesFen != avail || s.EscrowFen != locked ||
		c.in-c.out != avail+locked {
		fail("money: supply %v; deposited %d, withdrawn %d per events; balances %d available + %d locked", &s, c.in, c.out, avail, locked)
	}
}

func (c *Checker) history(h int64, resp *abci.ResponseFinalizeBlock, fail func(string, ...any)) {
	check := func(txIndex uint32, evs []abci.Event) {
		for j, e := range evs {
			for _, id := range provtypes.Subjects(e) {
				c.History++
				r := c.d.QueryRaw(app.PathStore, provtypes.HistoryKey(id, h, txIndex, uint32(j)), h, false)
				var entry provtypes.HistoryEntry
				if r.Code != 0 || len(r.Value) == 0 || proto.Unmarshal(r.Value, &entry) != nil || entry.Action != e.Type || entry.EntityId != id {
					fail("history of %s has no %s entry at tx %d event %d (code %d, %d bytes)", id, e.Type, txIndex, j, r.Code, len(r.Value))
				}
			}
		}
	}
	for i, r := range resp.TxResults {
		if r.Code == abci.CodeTypeOK {
			check(uint32(i), r.Events)
		}
	}
	check(provtypes.EndBlockTxIndex, resp.Events)
}

func addrs() []string {
	out := make([]string, len(Keys))
	for i, k := range Keys {
		out[i] = apptest.Addr(k)
	}
	return out
}
