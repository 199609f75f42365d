package app_test

import (
	"crypto/ecdsa"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mkkeeper "github.com/datarights/datarights/x/market/keeper"
	mktypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TestMoneyProperties builds, through real signed txs, a random lineage
// DAG (up to four product layers over a revenue max_lineage_depth of 3,
// fan-in up to 16, public and enterprise data, random policies), then runs
// random rounds of licence listings and purchases — some of them bound to
// fail: a max price below the price, more than is offered, more than the
// buyer has. After every block:
//
//   - the market's money invariant holds (deposits − withdrawals =
//     balances + escrow, as the supply query recomputes it) and every
//     party's balance, the fund's included, adds up to the deposits;
//   - every settled trade's distribution sums exactly to its amount;
//   - a refused purchase left its buyer's balance as it was (buyers are
//     never beneficiaries, so only their own purchases move their money).
//
// The randomness is seeded; a failure names its seed and block.
func TestMoneyProperties(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { moneyRun(t, seed) })
	}
}

// market is one money property run: the chain, its parties and what the
// run has built.
type market struct {
	*settle
	r        *rand.Rand
	exch     *ecdsa.PrivateKey
	makers   []*ecdsa.PrivateKey // enterprises: hold data, make products, sell
	depts    []*ecdsa.PrivateKey // hold public data
	buyers   []*ecdsa.PrivateKey
	holder   map[string]*ecdsa.PrivateKey // asset → holder's key
	root     map[string]string            // asset → holding right
	sellable []string                     // certified enterprise assets and products
	deposits uint64
	trades   int
	refused  int
}

func moneyRun(t *testing.T, seed uint64) {
	keys := apptest.Keys(14, fmt.Sprintf("money properties %d", seed))
	m := &market{r: rand.New(rand.NewPCG(seed, 0x6d6f6e6579)), exch: keys[0], depts: keys[1:3], makers: keys[3:9],
		buyers: keys[9:12], holder: map[string]*ecdsa.PrivateKey{}, root: map[string]string{}}
	parties := []*idtypes.Party{apptest.Department(m.exch, 201, 10, idtypes.Role_ROLE_EXCHANGE),
		apptest.Department(m.depts[0], 202, 10), apptest.Department(m.depts[1], 203, 10)}
	for i, k := range append(append([]*ecdsa.PrivateKey{}, m.makers...), m.buyers...) {
		parties = append(parties, apptest.Party(k, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 210+i))
	}
	gs := apptest.Genesis(parties...)
	reg := regtypes.DefaultParams()
	reg.NoticePeriodSeconds = 2
	gs.Registry = &regtypes.GenesisState{Params: reg}
	gs.Revenue = &revtypes.GenesisState{Params: &revtypes.Params{PublicLevyBps: 1000, MaxLineageDepth: 3, MaxLines: revtypes.MinLines + 40}}
	d := apptest.New(t)
	d.InitChain(gs)
	m.settle = &settle{t: t, d: d, nonce: map[*ecdsa.PrivateKey]uint64{}}

	m.datasets(8 + m.r.IntN(9))
	for layer := 1; layer <= 4; layer++ {
		m.products(1 + m.r.IntN(3))
	}
	for _, b := range m.buyers {
		m.deposits += m.deposit(b, 1_000_000+m.r.Uint64N(50_000_000))
	}
	for round := range 12 {
		m.round(round)
	}
	if m.trades == 0 || m.refused == 0 {
		t.Fatalf("%d trades settled and %d purchases refused: the run exercised too little", m.trades, m.refused)
	}
	t.Logf("seed %d: %d assets, %d trades, %d refused purchases, %d fen deposited", seed, len(m.root), m.trades, m.refused, m.deposits)
}

// datasets registers n datasets, public ones by departments and
// enterprise ones by makers, waits out the notice period and sets
// random policies.
func (m *market) datasets(n int) {
	for i := range n {
		code := fmt.Sprintf("BZ-M-D%02d", i)
		msg := &regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: code,
			Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hash(code)}
		key := m.makers[m.r.IntN(len(m.makers))]
		if m.r.IntN(3) == 0 {
			key = m.depts[m.r.IntN(len(m.depts))]
			msg.Classification, msg.OpenLevel = regtypes.Classification_CLASSIFICATION_PUBLIC, regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL
			msg.SourceDepartment = apptest.Addr(key)
		}
		id := m.ok(key, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: msg}})[0]
		m.holder[id] = key
	}
	m.certify()
}

// products registers n products in a new layer: each takes 1 to 16
// inputs from the assets so far (the newest among them), its maker first
// given a derive right on every input it does not hold.
func (m *market) products(n int) {
	assets := m.assetIDs()
	for range n {
		maker := m.makers[m.r.IntN(len(m.makers))]
		perm := m.r.Perm(len(assets) - 1)
		picked := []string{assets[len(assets)-1]}
		for _, i := range perm[:m.r.IntN(min(16, len(assets)))] {
			picked = append(picked, assets[i])
		}
		inputs := make([]*regtypes.Input, len(picked))
		left := uint32(10_000)
		for i, id := range picked {
			w := left - uint32(len(picked)-1-i) // at least 1 bps for each input after this one
			if i < len(picked)-1 {
				w = 1 + m.r.Uint32N(w)
			}
			left -= w
			inputs[i] = &regtypes.Input{AssetId: id, WeightBps: w}
			if h := m.holder[id]; h != maker {
				m.ok(h, grantDerive(m.root[id], apptest.Addr(maker), apptest.BlockTime(m.d.Height()+100_000)))
			}
		}
		code := fmt.Sprintf("BZ-M-P%02d", len(m.holder))
		id := m.ok(maker, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
			Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, CatalogueCode: code, Name: code, ContentHash: hash(code),
			Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL, Inputs: inputs,
		}}})[0]
		m.holder[id] = maker
	}
	m.certify()
}

// assetIDs lists the assets registered so far, oldest first.
func (m *market) assetIDs() []string {
	ids := make([]string, 0, len(m.holder))
	for n := 1; len(ids) < len(m.holder); n++ {
		if id := regtypes.FormatAssetID(uint64(n)); m.holder[id] != nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// certify waits out the notice period, then records each new asset's
// holding right, makes enterprise data and products sellable and gives
// each a random policy (or none) by its holder.
func (m *market) certify() {
	m.advance(3 * time.Second)
	for _, id := range m.assetIDs() {
		if m.root[id] != "" {
			continue
		}
		a := &regtypes.Asset{}
		m.query(regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: id}, a)
		if a.Status != regtypes.AssetStatus_ASSET_STATUS_CERTIFIED {
			m.t.Fatalf("%s is %v, not certified", id, a.Status)
		}
		m.root[id] = a.HoldingRightId
		if a.Classification != regtypes.Classification_CLASSIFICATION_PUBLIC {
			m.sellable = append(m.sellable, id)
		}
		if m.r.IntN(10) < 7 {
			m.ok(m.holder[id], &tx.Msg{Sum: &tx.Msg_SetPolicy{SetPolicy: m.policy(a)}})
		}
	}
}

// policy is a random policy for a: shares to makers and departments
// (never to buyers) and, for a product, an upstream part.
func (m *market) policy(a *regtypes.Asset) *revtypes.MsgSetPolicy {
	p := &revtypes.MsgSetPolicy{AssetId: a.Id}
	left := uint32(10_000)
	if len(a.Inputs) > 0 {
		p.UpstreamBps = m.r.Uint32N(left + 1)
		left -= p.UpstreamBps
	}
	payees := append(append([]*ecdsa.PrivateKey{}, m.makers...), m.depts...)
	for _, i := range m.r.Perm(len(payees))[:m.r.IntN(5)] {
		if left == 0 {
			break
		}
		bps := 1 + m.r.Uint32N(left)
		left -= bps
		p.Shares = append(p.Shares, &revtypes.Share{Beneficiary: apptest.Addr(payees[i]), Bps: bps})
	}
	return p
}

func grantDerive(parent, grantee string, until time.Time) *tx.Msg {
	return &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: &rightstypes.MsgGrantRight{
		ParentId: parent, Grantee: grantee, Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope:      &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_DERIVE}},
		ValidUntil: timestamppb.New(until),
	}}}
}

func (m *market) deposit(to *ecdsa.PrivateKey, fen uint64) uint64 {
	m.ok(m.exch, &tx.Msg{Sum: &tx.Msg_Deposit{Deposit: &mktypes.MsgDeposit{
		To: apptest.Addr(to), AmountFen: fen, BankRef: fmt.Sprintf("bank-%d-%d", m.d.Height(), fen)}}})
	return fen
}

// round lists a few licences, then lets each buyer try one purchase in
// one block, and checks the properties.
func (m *market) round(round int) {
	type offer struct {
		id         string
		price, qty uint64
	}
	var offers []offer
	for range 1 + m.r.IntN(3) {
		asset := m.sellable[m.r.IntN(len(m.sellable))]
		o := offer{price: 1 + m.r.Uint64N(3_000_000), qty: 1 + m.r.Uint64N(5)}
		o.id = m.ok(m.holder[asset], &tx.Msg{Sum: &tx.Msg_List{List: &mktypes.MsgList{
			RightId: m.root[asset], Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: o.price, Quantity: o.qty,
			Scope:          &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}},
			LicenseSeconds: 3600, Expires: timestamppb.New(apptest.BlockTime(m.d.Height() + 10_000)),
		}}})[0]
		offers = append(offers, o)
	}
	before := map[*ecdsa.PrivateKey]uint64{}
	var raws [][]byte
	for _, b := range m.buyers {
		before[b] = m.balance(apptest.Addr(b)).AvailableFen
		o := offers[m.r.IntN(len(offers))]
		qty, maxPrice := 1+m.r.Uint64N(o.qty), o.price
		switch m.r.IntN(5) {
		case 0:
			maxPrice = o.price - 1 // refused: the price is above the buyer's limit
		case 1:
			qty = o.qty + 1 // refused: more than is offered
		}
		raws = append(raws, m.d.Sign(b, m.nonce[b], &tx.Msg{Sum: &tx.Msg_Buy{Buy: &mktypes.MsgBuy{ListingId: o.id, Quantity: qty, MaxPriceFen: maxPrice}}}))
		m.nonce[b]++
	}
	resp := m.d.Block(raws...)
	for i, b := range m.buyers {
		m.checkPurchase(round, b, before[b], resp.TxResults[i])
	}
	m.checkMoney(round)
}

// checkPurchase: a settled purchase's distribution sums to what the buyer
// paid; a refused one moved none of the buyer's money.
func (m *market) checkPurchase(round int, buyer *ecdsa.PrivateKey, before uint64, r *abci.ExecTxResult) {
	after := m.balance(apptest.Addr(buyer)).AvailableFen
	if r.Code != abci.CodeTypeOK {
		m.refused++
		if after != before {
			m.t.Fatalf("round %d: refused purchase (%s %d: %s) moved the buyer's balance from %d to %d", round, r.Codespace, r.Code, r.Log, before, after)
		}
		return
	}
	m.trades++
	trade := resultIDs(m.t, r)[0]
	var got revtypes.QueryDistributionsResponse
	m.query(revkeeper.PathDistributions, &revtypes.QueryDistributionsRequest{TradeId: trade}, &got)
	if len(got.Distributions) != 1 {
		m.t.Fatalf("round %d: trade %s has %d distributions", round, trade, len(got.Distributions))
	}
	dist := got.Distributions[0]
	var sum uint64
	for _, l := range dist.Lines {
		if l.AmountFen == 0 || sum+l.AmountFen < sum {
			m.t.Fatalf("round %d: trade %s: line %v", round, trade, l)
		}
		sum += l.AmountFen
	}
	if sum != dist.AmountFen || before-after != dist.AmountFen {
		m.t.Fatalf("round %d: trade %s: lines sum to %d, distribution %d, buyer paid %d", round, trade, sum, dist.AmountFen, before-after)
	}
}

// checkMoney: the invariant the supply query recomputes, and the sum of
// every balance the run knows of.
func (m *market) checkMoney(round int) {
	supply := &mktypes.Supply{}
	m.query(mkkeeper.PathSupply, &mktypes.QuerySupplyRequest{}, supply)
	if !supply.Holds || supply.DepositsFen != m.deposits || supply.BalancesFen+supply.EscrowFen != m.deposits {
		m.t.Fatalf("round %d: supply %+v, deposits %d", round, supply, m.deposits)
	}
	var total uint64
	addrs := []string{revtypes.FundAddress}
	for _, k := range append(append(append([]*ecdsa.PrivateKey{m.exch}, m.depts...), m.makers...), m.buyers...) {
		addrs = append(addrs, apptest.Addr(k))
	}
	for _, a := range addrs {
		b := m.balance(a)
		if b.AvailableFen > m.deposits || b.LockedFen > m.deposits {
			m.t.Fatalf("round %d: balance of %s: %+v beyond the deposits %d", round, a, b, m.deposits)
		}
		total += b.AvailableFen + b.LockedFen
	}
	if total != m.deposits {
		m.t.Fatalf("round %d: balances add up to %d, deposits %d", round, total, m.deposits)
	}
}
