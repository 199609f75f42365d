package keeper_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

func setAsset(f *fixture, id string, fn func(a *regtypes.Asset)) { fn(f.reg.assets[id]) }

func TestList(t *testing.T) {
	runCases(t, []msgCase{
		{name: "licences from a holding right", actor: ent1,
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 5) },
			check: func(t *testing.T, f *fixture, id string) {
				l := f.listing(id)
				if id != "l-1" || l.Seller != ent1 || l.AssetId != aEnt || l.Quantity != 5 || l.Status != types.ListingStatus_LISTING_STATUS_OPEN {
					t.Fatalf("listing %v", l)
				}
				if !testkit.HasEvent(f.events, types.EventListed, types.AttrListingID, id, types.AttrAssetID, aEnt, types.AttrSeller, ent1) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "a transferable right for sale", actor: ent1, msg: func(f *fixture) proto.Message { return f.sale(root(aEnt), 9000) }},
		{name: "de-identified personal data", actor: dept2, msg: func(f *fixture) proto.Message { return f.licences(root(aDeid), 100, 1) }},
		{name: "asset in notice", actor: ent1, want: types.ErrAssetInNotice,
			setup: func(f *fixture) {
				setAsset(f, aEnt, func(a *regtypes.Asset) { a.Status = regtypes.AssetStatus_ASSET_STATUS_IN_NOTICE })
			},
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "asset disputed", actor: ent1, want: types.ErrAssetDisputed,
			setup: func(f *fixture) {
				setAsset(f, aEnt, func(a *regtypes.Asset) { a.Status = regtypes.AssetStatus_ASSET_STATUS_DISPUTED })
			},
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "asset frozen", actor: ent1, want: types.ErrAssetFrozen,
			setup: func(f *fixture) { setAsset(f, aEnt, func(a *regtypes.Asset) { a.Frozen = true }) },
			msg:   func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "asset cancelled", actor: ent1, want: types.ErrAssetCancelled,
			setup: func(f *fixture) {
				setAsset(f, aEnt, func(a *regtypes.Asset) { a.Status = regtypes.AssetStatus_ASSET_STATUS_CANCELLED })
			},
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "core data", actor: dept1, want: types.ErrCoreData,
			msg: func(f *fixture) proto.Message { return f.licences(root(aCore), 100, 1) }},
		{name: "catalogued asset", actor: ent1, want: types.ErrCatalogued,
			setup: func(f *fixture) {
				setAsset(f, aEnt, func(a *regtypes.Asset) { a.Status = regtypes.AssetStatus_ASSET_STATUS_CATALOGUED })
			},
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "personal data not de-identified", actor: dept2, want: types.ErrPersonalData,
			msg: func(f *fixture) proto.Message { return f.licences(root(aPersonal), 100, 1) }},
		{name: "a right the seller does not hold", actor: ent2, want: types.ErrNotHolder,
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, 1) }},
		{name: "a right that is not live", actor: ent2, want: types.ErrRightNotLive,
			setup: func(f *fixture) { f.grant(ent1, f.use(root(aEnt), ent2, time.Hour, true)); f.next(2 * time.Hour) },
			msg:   func(f *fixture) proto.Message { return f.licences("r-7", 100, 1) }},
		{name: "a public-data holding right", actor: dept1, want: types.ErrPublicHolding,
			msg: func(f *fixture) proto.Message { return f.licences(root(aPublic), 100, 1) }},
		{name: "a non-transferable right for sale", actor: ent2, want: types.ErrNotTransferable,
			setup: func(f *fixture) { f.grant(ent1, f.use(root(aEnt), ent2, 90*24*time.Hour, false)) },
			msg:   func(f *fixture) proto.Message { return f.sale("r-7", 100) }},
		{name: "a licence scope wider than the right's", actor: ent2, want: types.ErrScopeNotSubset,
			setup: func(f *fixture) { f.grant(ent1, f.use(root(aEnt), ent2, 90*24*time.Hour, false)) },
			msg: func(f *fixture) proto.Message {
				m := f.licences("r-7", 100, 1)
				m.Scope = scope(rightstypes.Operation_OPERATION_TRAIN)
				return m
			}},
		{name: "more than max_quantity", actor: ent1, want: types.ErrQuantityTooLarge,
			msg: func(f *fixture) proto.Message { return f.licences(root(aEnt), 100, types.DefaultMaxQuantity+1) }},
		{name: "an expiry in the past", actor: ent1, want: types.ErrInvalidExpiry,
			msg: func(f *fixture) proto.Message {
				m := f.licences(root(aEnt), 100, 1)
				m.Expires = ts(f.now)
				return m
			}},
		{name: "a transfer of two units", actor: ent1, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message { m := f.sale(root(aEnt), 100); m.Quantity = 2; return m }},
		{name: "a licence without a term", actor: ent1, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message { m := f.licences(root(aEnt), 100, 1); m.LicenseSeconds = 0; return m }},
		{name: "an unknown right", actor: ent1, want: rightstypes.ErrRightNotFound,
			msg: func(f *fixture) proto.Message { return f.licences("r-99", 100, 1) }},
	})
}

func TestCancelListing(t *testing.T) {
	list := func(f *fixture) { f.must(ent1, f.licences(root(aEnt), 100, 5)) }
	runCases(t, []msgCase{
		{name: "the seller cancels", actor: ent1, setup: list,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelListing{ListingId: "l-1"} },
			check: func(t *testing.T, f *fixture, id string) {
				if l := f.listing(id); l.Status != types.ListingStatus_LISTING_STATUS_CANCELLED {
					t.Fatalf("listing %v", l)
				}
				if !testkit.HasEvent(f.events, types.EventListingCancelled, types.AttrListingID, id) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "someone else cancels", actor: ent2, setup: list, want: types.ErrNotSeller,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelListing{ListingId: "l-1"} }},
		{name: "cancelled twice", actor: ent1, want: types.ErrListingNotOpen,
			setup: func(f *fixture) { list(f); f.must(ent1, &types.MsgCancelListing{ListingId: "l-1"}) },
			msg:   func(f *fixture) proto.Message { return &types.MsgCancelListing{ListingId: "l-1"} }},
		{name: "an unknown listing", actor: ent1, want: types.ErrListingNotFound,
			msg: func(f *fixture) proto.Message { return &types.MsgCancelListing{ListingId: "l-9"} }},
	})
}

func TestBuy(t *testing.T) {
	licences := func(f *fixture) { f.must(ent1, f.licences(root(aEnt), 1000, 5)) }
	buy := func(q, max uint64) func(f *fixture) proto.Message {
		return func(f *fixture) proto.Message { return &types.MsgBuy{ListingId: "l-1", Quantity: q, MaxPriceFen: max} }
	}
	runCases(t, []msgCase{
		{name: "two licences", actor: ent2, setup: licences, msg: buy(2, 1000),
			check: func(t *testing.T, f *fixture, id string) {
				tr, err := f.k.Trade(f.tree, id)
				if err != nil || id != "t-1" || tr.Buyer != ent2 || tr.Seller != ent1 || tr.AmountFen != 2000 || tr.Quantity != 2 ||
					!slices.Equal(tr.RightIds, []string{"r-7", "r-8"}) || tr.ListingId != "l-1" || tr.TxHash == "" {
					t.Fatalf("trade %v, %v", tr, err)
				}
				for _, rid := range tr.RightIds {
					r := f.right(rid)
					if r.Holder != ent2 || r.Grantor != ent1 || r.Transferable || r.Sublicensable ||
						!r.ValidUntil.AsTime().Equal(f.now.Add(30*24*time.Hour)) || !proto.Equal(r.Scope, f.listing("l-1").Scope) {
						t.Fatalf("licence %v", r)
					}
				}
				if f.available(ent2) != fundsBuyer-2000 || f.available(fund) != 200 || f.available(ent1) != 1800 {
					t.Fatalf("balances: buyer %d fund %d seller %d", f.available(ent2), f.available(fund), f.available(ent1))
				}
				if l := f.listing("l-1"); l.Quantity != 3 || l.Sold != 2 || l.Status != types.ListingStatus_LISTING_STATUS_OPEN {
					t.Fatalf("listing %v", l)
				}
				if !slices.Equal(f.rev.calls, []string{"t-1"}) {
					t.Fatalf("split calls %v", f.rev.calls)
				}
				if !testkit.HasEvent(f.events, types.EventTraded, types.AttrTradeID, id, types.AttrListingID, "l-1", types.AttrAssetID, aEnt,
					types.AttrBuyer, ent2, types.AttrSeller, ent1) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "the last units sell the listing out", actor: ent2, setup: licences, msg: buy(5, 1000),
			check: func(t *testing.T, f *fixture, id string) {
				if l := f.listing("l-1"); l.Quantity != 0 || l.Sold != 5 || l.Status != types.ListingStatus_LISTING_STATUS_SOLD_OUT {
					t.Fatalf("listing %v", l)
				}
			}},
		{name: "a right bought outright", actor: ent2,
			setup: func(f *fixture) { f.must(ent1, f.sale(root(aEnt), 50_000)) },
			msg:   buy(1, 50_000),
			check: func(t *testing.T, f *fixture, id string) {
				if r := f.right(root(aEnt)); r.Holder != ent2 {
					t.Fatalf("right %v", r)
				}
				tr, _ := f.k.Trade(f.tree, id)
				if !slices.Equal(tr.RightIds, []string{root(aEnt)}) {
					t.Fatalf("trade %v", tr)
				}
			}},
		{name: "insufficient balance", actor: ent3, setup: licences, msg: buy(5, 1000), want: types.ErrInsufficientFunds},
		{name: "above the max price", actor: ent2, setup: licences, msg: buy(1, 999), want: types.ErrPriceAboveMax},
		{name: "buying from oneself", actor: ent1, setup: licences, msg: buy(1, 1000), want: types.ErrSelfTrade},
		{name: "more than is left", actor: ent2, setup: licences, msg: buy(6, 1000), want: types.ErrQuantityUnavailable},
		{name: "an expired listing", actor: ent2, want: types.ErrListingExpired,
			setup: func(f *fixture) { licences(f); f.next(24 * time.Hour) }, msg: buy(1, 1000)},
		{name: "a sold-out listing", actor: ent2, want: types.ErrListingNotOpen,
			setup: func(f *fixture) {
				licences(f)
				f.must(ent2, &types.MsgBuy{ListingId: "l-1", Quantity: 5, MaxPriceFen: 1000})
			},
			msg: buy(1, 1000)},
		{name: "a cancelled listing", actor: ent2, want: types.ErrListingNotOpen,
			setup: func(f *fixture) { licences(f); f.must(ent1, &types.MsgCancelListing{ListingId: "l-1"}) },
			msg:   buy(1, 1000)},
		{name: "an amount that overflows", actor: ent2, want: types.ErrOverflow,
			setup: func(f *fixture) { f.must(ent1, f.licences(root(aEnt), math.MaxUint64/2, 5)) },
			msg:   buy(3, math.MaxUint64/2)},
		{name: "the asset frozen since listing", actor: ent2, want: types.ErrAssetFrozen,
			setup: func(f *fixture) { licences(f); setAsset(f, aEnt, func(a *regtypes.Asset) { a.Frozen = true }) },
			msg:   buy(1, 1000)},
		{name: "the seller no longer holds the right", actor: ent3, want: types.ErrNotHolder,
			setup: func(f *fixture) {
				licences(f)
				f.must(ent1, f.sale(root(aEnt), 100))
				f.must(ent2, &types.MsgBuy{ListingId: "l-2", Quantity: 1, MaxPriceFen: 100})
			},
			msg: buy(1, 1000)},
		{name: "the licence outlasts the right (x/rights refuses at delivery)", actor: ent3, late: true, want: rightstypes.ErrTermOutsideParent,
			setup: func(f *fixture) {
				f.grant(ent1, f.use(root(aEnt), ent2, 10*24*time.Hour, false))
				f.must(ent2, f.licences("r-7", 10, 1))
			},
			msg: buy(1, 10)},
		{name: "the revenue split fails", actor: ent2, setup: func(f *fixture) { licences(f); f.rev.err = errSplit },
			msg: buy(1, 1000), want: errSplit, late: true},
		{name: "the revenue lines do not add up", actor: ent2, setup: func(f *fixture) { licences(f); f.rev.short = true },
			msg: buy(1, 1000), want: types.ErrBadSplit, late: true},
		{name: "an unknown listing", actor: ent2, msg: buy(1, 1000), want: types.ErrListingNotFound},
		{name: "zero units", actor: ent2, setup: licences, msg: buy(0, 1000), want: types.ErrInvalidFields},
	})
}

// TestBuyRefusesPendingLicence: on important data a licence can only be
// privacy-computing-only and waits for the data admin's approval, so a buyer
// would pay for a right it cannot use. The sale is refused and nothing of it
// (payment, split, delivery) remains.
func TestBuyRefusesPendingLicence(t *testing.T) {
	f := newFixture(t, nil)
	f.reg.assets[aEnt].Grade = regtypes.Grade_GRADE_IMPORTANT
	l := f.licences(root(aEnt), 1000, 2)
	l.Scope.PrivacyComputingOnly = true
	f.must(ent1, l)
	f.failsLate(ent2, &types.MsgBuy{ListingId: "l-1", Quantity: 1, MaxPriceFen: 1000}, types.ErrLicencePending)
	if f.available(ent2) != fundsBuyer || f.available(ent1) != 0 {
		t.Fatalf("balances moved: buyer %d seller %d", f.available(ent2), f.available(ent1))
	}
}
