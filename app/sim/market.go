package sim

import (
	"crypto/ecdsa"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/tx"
	mkkeeper "github.com/datarights/datarights/x/market/keeper"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// marketWorld is the committed market state the market messages aim at.
type marketWorld struct {
	listings    []*mktypes.Listing
	bids        []*mktypes.Bid
	withdrawals []*mktypes.Withdrawal
}

func (g *Generator) marketWorld() marketWorld {
	var w marketWorld
	if g.d.Height() == 0 {
		return w
	}
	page := &query.PageRequest{Limit: query.MaxLimit}
	var ls mktypes.QueryListingsResponse
	var bs mktypes.QueryBidsResponse
	var ws mktypes.QueryWithdrawalsResponse
	g.list(mkkeeper.PathListings, &mktypes.QueryListingsRequest{Status: mktypes.ListingStatus_LISTING_STATUS_OPEN, Page: page}, &ls)
	g.list(mkkeeper.PathBids, &mktypes.QueryBidsRequest{Status: mktypes.BidStatus_BID_STATUS_OPEN, Page: page}, &bs)
	g.list(mkkeeper.PathWithdrawals, &mktypes.QueryWithdrawalsRequest{Page: page}, &ws)
	w.listings, w.bids = ls.Listings, bs.Bids
	for _, x := range ws.Withdrawals {
		if x.Status == mktypes.WithdrawalStatus_WITHDRAWAL_STATUS_REQUESTED {
			w.withdrawals = append(w.withdrawals, x)
		}
	}
	return w
}

// expires is an offer's expiry: mostly some blocks ahead, now and then
// none or already past.
func (g *Generator) expires() *timestamppb.Timestamp {
	switch g.rng.IntN(20) {
	case 0:
		return nil
	case 1:
		return timestamppb.New(apptest.BlockTime(g.d.Height()))
	}
	return timestamppb.New(apptest.BlockTime(g.d.Height() + 1).Add(time.Duration(5+g.rng.IntN(60)) * time.Second))
}

// price is an amount in fen, now and then more than anyone holds.
func (g *Generator) price() uint64 {
	if g.rng.IntN(20) == 0 {
		return 1 << 40
	}
	return 1 + uint64(g.rng.IntN(20_000))
}

// marketMsg makes a market or revenue message and picks its signer: the
// exchange for money in and out, holders for listings, policies and
// accepted bids, any active party for purchases and bids; now and then
// someone else.
func (g *Generator) marketMsg() (*ecdsa.PrivateKey, []*tx.Msg) {
	m := func(k *ecdsa.PrivateKey, msg *tx.Msg) (*ecdsa.PrivateKey, []*tx.Msg) { return k, []*tx.Msg{msg} }
	mw := g.mw
	switch g.rng.IntN(20) {
	case 0, 1, 2:
		return m(g.or(Dept), &tx.Msg{Sum: &tx.Msg_Deposit{Deposit: &mktypes.MsgDeposit{
			To: g.grantee(), AmountFen: 1 + uint64(g.rng.IntN(200_000)), BankRef: fmt.Sprintf("bank-%d", g.rng.IntN(1<<20))}}})
	case 3:
		return m(g.keyOf(g.grantee()), &tx.Msg{Sum: &tx.Msg_RequestWithdrawal{RequestWithdrawal: &mktypes.MsgRequestWithdrawal{
			AmountFen: 1 + uint64(g.rng.IntN(50_000))}}})
	case 4:
		if len(mw.withdrawals) > 0 {
			w := mw.withdrawals[g.rng.IntN(len(mw.withdrawals))]
			return m(g.or(Dept), &tx.Msg{Sum: &tx.Msg_Withdraw{Withdraw: &mktypes.MsgWithdraw{
				WithdrawalId: w.Id, BankRef: fmt.Sprintf("payout-%d", g.rng.IntN(1<<20))}}})
		}
	case 5, 6, 7:
		r := g.right(func(r *rightstypes.Right) bool { return active(r) && g.tradable(r.AssetId) })
		l := &mktypes.MsgList{RightId: r.Id, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: g.price(),
			Quantity: 1 + uint64(g.rng.IntN(5)), Scope: g.scope(r.Scope), LicenseSeconds: int64(5 + g.rng.IntN(60)), Expires: g.expires()}
		if g.rng.IntN(4) == 0 {
			l.Kind, l.Quantity, l.Scope, l.LicenseSeconds = mktypes.ListingKind_LISTING_KIND_TRANSFER, 1, nil, 0
		}
		return m(g.or(g.keyOf(r.Holder)), &tx.Msg{Sum: &tx.Msg_List{List: l}})
	case 8:
		if len(mw.listings) > 0 {
			l := mw.listings[g.rng.IntN(len(mw.listings))]
			return m(g.or(g.keyOf(l.Seller)), &tx.Msg{Sum: &tx.Msg_CancelListing{CancelListing: &mktypes.MsgCancelListing{ListingId: l.Id}}})
		}
	case 9, 10, 11, 12:
		if len(mw.listings) > 0 {
			l := mw.listings[g.rng.IntN(len(mw.listings))]
			q := uint64(1)
			if l.Kind == mktypes.ListingKind_LISTING_KIND_LICENSE && g.rng.IntN(3) == 0 {
				q = 1 + uint64(g.rng.IntN(3))
			}
			maxPrice := l.PriceFen * q
			if g.rng.IntN(10) == 0 {
				maxPrice-- // less than the price: refused
			}
			return m(g.keyOf(g.grantee()), &tx.Msg{Sum: &tx.Msg_Buy{Buy: &mktypes.MsgBuy{ListingId: l.Id, Quantity: q, MaxPriceFen: maxPrice}}})
		}
	case 13, 14:
		a := g.asset(func(a *regtypes.Asset) bool { return rightstypes.Blocked(a) == "" })
		return m(g.keyOf(g.grantee()), &tx.Msg{Sum: &tx.Msg_Bid{Bid: &mktypes.MsgBid{AssetId: a.Id, Scope: g.scope(rightstypes.FullScope()),
			LicenseSeconds: int64(5 + g.rng.IntN(60)), PriceFen: g.price(), Expires: g.expires()}}})
	case 15, 16:
		if len(mw.bids) > 0 {
			b := mw.bids[g.rng.IntN(len(mw.bids))]
			r := g.right(func(r *rightstypes.Right) bool { return active(r) && r.AssetId == b.AssetId })
			return m(g.or(g.keyOf(r.Holder)), &tx.Msg{Sum: &tx.Msg_AcceptBid{AcceptBid: &mktypes.MsgAcceptBid{BidId: b.Id, RightId: r.Id}}})
		}
	case 17:
		if len(mw.bids) > 0 {
			b := mw.bids[g.rng.IntN(len(mw.bids))]
			return m(g.or(g.keyOf(b.Buyer)), &tx.Msg{Sum: &tx.Msg_CancelBid{CancelBid: &mktypes.MsgCancelBid{BidId: b.Id}}})
		}
	}
	a := g.asset(anyAsset)
	p := &revtypes.MsgSetPolicy{AssetId: a.Id}
	for range g.rng.IntN(3) {
		p.Shares = append(p.Shares, &revtypes.Share{Beneficiary: g.grantee(), Bps: uint32(1 + g.rng.IntN(4000))})
	}
	if len(a.Inputs) > 0 || g.rng.IntN(8) == 0 {
		p.UpstreamBps = uint32(g.rng.IntN(5000))
	}
	return m(g.or(g.keyOf(g.holderOf(a))), &tx.Msg{Sum: &tx.Msg_SetPolicy{SetPolicy: p}})
}

// tradable: the generator sees the asset certified, not blocked, not core
// and not personal data that is identifiable.
func (g *Generator) tradable(id string) bool {
	for _, a := range g.w.assets {
		if a.Id == id {
			return a.Status == regtypes.AssetStatus_ASSET_STATUS_CERTIFIED && rightstypes.Blocked(a) == "" &&
				a.Grade != regtypes.Grade_GRADE_CORE && (a.Classification != regtypes.Classification_CLASSIFICATION_PERSONAL || a.Deidentified)
		}
	}
	return false
}
