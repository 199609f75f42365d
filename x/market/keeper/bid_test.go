package keeper_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

func TestBid(t *testing.T) {
	place := func(f *fixture) { f.must(ent2, f.bid(aEnt, 7000)) }
	accept := func(right string) func(f *fixture) proto.Message {
		return func(f *fixture) proto.Message { return &types.MsgAcceptBid{BidId: "b-1", RightId: right} }
	}
	runCases(t, []msgCase{
		{name: "a bid escrows its price", actor: ent2, msg: func(f *fixture) proto.Message { return f.bid(aEnt, 7000) },
			check: func(t *testing.T, f *fixture, id string) {
				if b := f.balance(ent2); id != "b-1" || b.AvailableFen != fundsBuyer-7000 || b.LockedFen != 7000 {
					t.Fatalf("id %s balance %v", id, b)
				}
				if s := f.k.Supply(f.tree); s.EscrowFen != 7000 {
					t.Fatalf("supply %v", s)
				}
				if !testkit.HasEvent(f.events, types.EventBidPlaced, types.AttrBidID, id, types.AttrAssetID, aEnt, types.AttrBuyer, ent2) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "a bid above the balance", actor: ent3, want: types.ErrInsufficientFunds,
			msg: func(f *fixture) proto.Message { return f.bid(aEnt, fundsOther+1) }},
		{name: "a bid on an unknown asset", actor: ent2, want: errNoAsset,
			msg: func(f *fixture) proto.Message { return f.bid("a-99", 1) }},
		{name: "a bid that has expired already", actor: ent2, want: types.ErrInvalidExpiry,
			msg: func(f *fixture) proto.Message { m := f.bid(aEnt, 1); m.Expires = ts(f.now.Add(-time.Second)); return m }},
		{name: "the holder accepts", actor: ent1, setup: place, msg: accept(root(aEnt)),
			check: func(t *testing.T, f *fixture, id string) {
				tr, err := f.k.Trade(f.tree, id)
				if err != nil || tr.BidId != "b-1" || tr.Buyer != ent2 || tr.Seller != ent1 || tr.AmountFen != 7000 || len(tr.RightIds) != 1 {
					t.Fatalf("trade %v %v", tr, err)
				}
				if r := f.right(tr.RightIds[0]); r.Holder != ent2 || !r.ValidUntil.AsTime().Equal(f.now.Add(7*24*time.Hour)) {
					t.Fatalf("licence %v", r)
				}
				if b := f.balance(ent2); b.AvailableFen != fundsBuyer-7000 || b.LockedFen != 0 {
					t.Fatalf("buyer %v", b)
				}
				if f.available(ent1) != 6300 || f.available(fund) != 700 || f.k.Supply(f.tree).EscrowFen != 0 {
					t.Fatalf("seller %d fund %d supply %v", f.available(ent1), f.available(fund), f.k.Supply(f.tree))
				}
				b, _ := f.k.Bid(f.tree, "b-1")
				if b.Status != types.BidStatus_BID_STATUS_ACCEPTED || b.TradeId != id {
					t.Fatalf("bid %v", b)
				}
				if !testkit.HasEvent(f.events, types.EventBidAccepted, types.AttrBidID, "b-1", types.AttrTradeID, id) ||
					!testkit.HasEvent(f.events, types.EventTraded, types.AttrTradeID, id, types.AttrBidID, "b-1") {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "accepted by a non-holder", actor: ent3, setup: place, msg: accept(root(aEnt)), want: types.ErrNotHolder},
		{name: "accepted by the buyer", actor: ent2, setup: place, msg: accept(root(aEnt)), want: types.ErrSelfTrade},
		{name: "accepted from a right on another asset", actor: ent1, setup: place, msg: accept(root(aProduct)), want: types.ErrAssetMismatch},
		{name: "accepted from a frozen asset", actor: ent1, want: types.ErrAssetFrozen, msg: accept(root(aEnt)),
			setup: func(f *fixture) { place(f); setAsset(f, aEnt, func(a *regtypes.Asset) { a.Frozen = true }) }},
		{name: "accepted after expiry", actor: ent1, want: types.ErrBidExpired, msg: accept(root(aEnt)),
			setup: func(f *fixture) { place(f); f.next(25 * time.Hour) }},
		{name: "accepted twice", actor: ent1, want: types.ErrBidNotOpen, msg: accept(root(aEnt)),
			setup: func(f *fixture) { place(f); f.must(ent1, &types.MsgAcceptBid{BidId: "b-1", RightId: root(aEnt)}) }},
		{name: "accepted from a right that may not grant (x/rights refuses at delivery)", actor: ent3, late: true,
			want: rightstypes.ErrNotSublicensable, msg: accept("r-7"),
			setup: func(f *fixture) {
				place(f)
				m := f.use(root(aEnt), ent3, 90*24*time.Hour, false)
				m.Sublicensable = false
				f.grant(ent1, m)
			}},
		{name: "the buyer cancels", actor: ent2, setup: place,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelBid{BidId: "b-1"} },
			check: func(t *testing.T, f *fixture, id string) {
				if b := f.balance(ent2); b.AvailableFen != fundsBuyer || b.LockedFen != 0 {
					t.Fatalf("buyer %v", b)
				}
				if !testkit.HasEvent(f.events, types.EventBidCancelled, types.AttrBidID, id) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "someone else cancels", actor: ent1, setup: place, want: types.ErrNotBuyer,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelBid{BidId: "b-1"} }},
		{name: "cancelled twice", actor: ent2, want: types.ErrBidNotOpen,
			setup: func(f *fixture) { place(f); f.must(ent2, &types.MsgCancelBid{BidId: "b-1"}) },
			msg:   func(f *fixture) proto.Message { return &types.MsgCancelBid{BidId: "b-1"} }},
		{name: "an unknown bid", actor: ent2, want: types.ErrBidNotFound,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelBid{BidId: "b-9"} }},
	})
}

// TestEndBlock: listings and bids past their expiry end at the end of the
// block, a bid's escrow returns, at most max_expiries_per_block a block,
// earliest first.
func TestEndBlock(t *testing.T) {
	f := newFixture(t, &types.Params{MaxQuantity: 10, MaxExpiriesPerBlock: 2})
	f.must(ent1, f.licences(root(aEnt), 100, 1)) // l-1 expires at now+24h
	f.must(ent2, f.bid(aEnt, 500))               // b-1 at now+24h
	m := f.bid(aEnt, 300)
	m.Expires = ts(f.now.Add(48 * time.Hour))
	f.must(ent2, m) // b-2 at now+48h
	f.must(ent1, f.licences(root(aEnt), 100, 1))
	f.must(ent1, &types.MsgCancelListing{ListingId: "l-2"}) // leaves the queue
	if evs := f.endBlock(); len(evs) != 0 {
		t.Fatalf("nothing is due yet: %v", evs)
	}
	f.next(24 * time.Hour)
	evs := f.endBlock()
	if !testkit.HasEvent(evs, types.EventListingExpired, types.AttrListingID, "l-1") || !testkit.HasEvent(evs, types.EventBidExpired, types.AttrBidID, "b-1") || len(evs) != 2 {
		t.Fatalf("events %v", evs)
	}
	if b := f.balance(ent2); b.LockedFen != 300 || b.AvailableFen != fundsBuyer-300 {
		t.Fatalf("buyer %v", b)
	}
	if l := f.listing("l-1"); l.Status != types.ListingStatus_LISTING_STATUS_EXPIRED {
		t.Fatalf("listing %v", l)
	}
	f.next(48 * time.Hour)
	if evs := f.endBlock(); len(evs) != 1 || !testkit.HasEvent(evs, types.EventBidExpired, types.AttrBidID, "b-2") {
		t.Fatalf("events %v", evs)
	}
	if evs := f.endBlock(); len(evs) != 0 {
		t.Fatalf("queue not empty: %v", evs)
	}
	if b := f.balance(ent2); b.LockedFen != 0 || b.AvailableFen != fundsBuyer {
		t.Fatalf("buyer %v", b)
	}
}

// TestEndBlockBound: the queue is worked max_expiries_per_block at a time.
func TestEndBlockBound(t *testing.T) {
	f := newFixture(t, &types.Params{MaxQuantity: 10, MaxExpiriesPerBlock: 2})
	for range 5 {
		f.must(ent2, f.bid(aEnt, 10))
	}
	f.next(25 * time.Hour)
	for i, want := range []int{2, 2, 1, 0} {
		if evs := f.endBlock(); len(evs) != want {
			t.Fatalf("block %d: %d events, want %d", i, len(evs), want)
		}
	}
	if b := f.balance(ent2); b.LockedFen != 0 {
		t.Fatalf("buyer %v", b)
	}
}
