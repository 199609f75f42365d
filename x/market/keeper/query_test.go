package keeper_test

import (
	"bytes"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/market/keeper"
	"github.com/datarights/datarights/x/market/types"
)

// ask runs a query path with req on the tree and decodes the answer.
func ask(t *testing.T, f *fixture, path string, req, resp proto.Message) []byte {
	t.Helper()
	h, ok := f.k.Queries()[path]
	if !ok {
		t.Fatalf("no query %s", path)
	}
	bz, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	val, key, err := h(f.tree, bz)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := proto.Unmarshal(val, resp); err != nil {
		t.Fatal(err)
	}
	return key
}

func TestQueries(t *testing.T) {
	f := newFixture(t, nil)
	f.must(ent1, f.licences(root(aEnt), 100, 5))
	f.must(ent1, f.licences(root(aProduct), 100, 5))
	f.must(ent2, &types.MsgBuy{ListingId: "l-1", Quantity: 2, MaxPriceFen: 100})
	f.must(ent2, f.bid(aEnt, 50))
	f.must(ent2, &types.MsgRequestWithdrawal{AmountFen: 10})

	l := &types.Listing{}
	key := ask(t, f, keeper.PathListing, &types.QueryListingRequest{Id: "l-1"}, l)
	if l.Id != "l-1" || !bytes.Equal(key, keeper.FullListingKey(1)) || !bytes.Equal(f.tree.Get(key), store.Encode(l)) {
		t.Fatalf("listing %v at %X", l, key)
	}
	tr := &types.Trade{}
	key = ask(t, f, keeper.PathTrade, &types.QueryTradeRequest{Id: "t-1"}, tr)
	if tr.Id != "t-1" || !bytes.Equal(key, store.Concat([]byte{0x06}, keeper.TradeKey(1))) || f.tree.Get(key) == nil {
		t.Fatalf("trade %v at %X", tr, key)
	}
	if _, key, err := f.k.Queries()[keeper.PathTrade](f.tree, mustMarshal(&types.QueryTradeRequest{Id: "t-9"})); !errors.Is(err, types.ErrTradeNotFound) || key == nil {
		t.Fatalf("missing trade: %v, key %X", err, key)
	}
	ls := &types.QueryListingsResponse{}
	ask(t, f, keeper.PathListings, &types.QueryListingsRequest{AssetId: aProduct}, ls)
	if len(ls.Listings) != 1 || ls.Listings[0].Id != "l-2" {
		t.Fatalf("listings by asset %v", ls)
	}
	ask(t, f, keeper.PathListings, &types.QueryListingsRequest{Seller: ent1, Status: types.ListingStatus_LISTING_STATUS_OPEN, Page: &query.PageRequest{Limit: 1}}, ls)
	if len(ls.Listings) != 1 || len(ls.Page.NextKey) == 0 {
		t.Fatalf("listings page %v", ls)
	}
	ts := &types.QueryTradesResponse{}
	ask(t, f, keeper.PathTrades, &types.QueryTradesRequest{Buyer: ent2}, ts)
	if len(ts.Trades) != 1 {
		t.Fatalf("trades by buyer %v", ts)
	}
	ask(t, f, keeper.PathTrades, &types.QueryTradesRequest{Seller: ent2}, ts)
	if len(ts.Trades) != 0 {
		t.Fatalf("trades by seller %v", ts)
	}
	bs := &types.QueryBidsResponse{}
	ask(t, f, keeper.PathBids, &types.QueryBidsRequest{Status: types.BidStatus_BID_STATUS_OPEN}, bs)
	if len(bs.Bids) != 1 {
		t.Fatalf("open bids %v", bs)
	}
	b := &types.Balance{}
	ask(t, f, keeper.PathBalance, &types.QueryBalanceRequest{Address: ent2}, b)
	if b.AvailableFen != fundsBuyer-200-50-10 || b.LockedFen != 60 {
		t.Fatalf("balance %v", b)
	}
	s := &types.Supply{}
	ask(t, f, keeper.PathSupply, &types.QuerySupplyRequest{}, s)
	if !s.Holds || s.DepositsFen != fundsBuyer+fundsOther || s.EscrowFen != 60 {
		t.Fatalf("supply %v", s)
	}
	ws := &types.QueryWithdrawalsResponse{}
	ask(t, f, keeper.PathWithdrawals, &types.QueryWithdrawalsRequest{Owner: ent2}, ws)
	if len(ws.Withdrawals) != 1 || ws.Withdrawals[0].Id != "w-1" {
		t.Fatalf("withdrawals %v", ws)
	}
	p := &types.Params{}
	ask(t, f, keeper.PathParams, &types.QueryParamsRequest{}, p)
	if !proto.Equal(p, types.DefaultParams()) {
		t.Fatalf("params %v", p)
	}
	if _, err := f.k.QueryListings(f.tree, &types.QueryListingsRequest{Seller: ent1, AssetId: aEnt}); !errors.Is(err, types.ErrInvalidFields) {
		t.Fatalf("seller and asset: %v", err)
	}
}

func mustMarshal(m proto.Message) []byte {
	bz, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bz
}

func TestParams(t *testing.T) {
	for _, p := range []*types.Params{{MaxQuantity: 0, MaxExpiriesPerBlock: 1}, {MaxQuantity: 1}, {MaxQuantity: types.MaxQuantityLimit + 1, MaxExpiriesPerBlock: 1}} {
		if err := keeper.ValidateGenesis(&types.GenesisState{Params: p}); !errors.Is(err, types.ErrInvalidGenesis) {
			t.Fatalf("%v: %v", p, err)
		}
		f := newFixture(t, nil)
		if err := f.k.SetParams(f.tree, p); !errors.Is(err, types.ErrInvalidParams) {
			t.Fatalf("%v: %v", p, err)
		}
	}
	f := newFixture(t, &types.Params{MaxQuantity: 3, MaxExpiriesPerBlock: 7})
	if got := f.k.ExportGenesis(f.tree); got.Params.MaxQuantity != 3 || got.Params.MaxExpiriesPerBlock != 7 {
		t.Fatalf("export %v", got)
	}
	f.rejects(ent1, f.licences(root(aEnt), 1, 4), types.ErrQuantityTooLarge)
}
