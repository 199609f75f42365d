package app_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mkkeeper "github.com/datarights/datarights/x/market/keeper"
	mktypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// settle drives one app through a settlement scenario, tracking nonces and
// reading back the ids the txs return.
type settle struct {
	t     *testing.T
	d     *apptest.Driver
	nonce map[*ecdsa.PrivateKey]uint64
	// hash is the id of the last tx ok sent.
	hash []byte
}

// ok runs one block holding one tx of msgs signed by key and returns the
// ids its messages produced.
func (s *settle) ok(key *ecdsa.PrivateKey, msgs ...*tx.Msg) []string {
	s.t.Helper()
	raw := s.d.Sign(key, s.nonce[key], msgs...)
	s.nonce[key]++
	h := sha256.Sum256(raw)
	s.hash = h[:]
	resp := s.d.BlockOK(raw)
	var data tx.TxResultData
	if err := proto.Unmarshal(resp.TxResults[0].Data, &data); err != nil {
		s.t.Fatalf("tx result data: %v", err)
	}
	ids := make([]string, len(data.Results))
	for i, r := range data.Results {
		ids[i] = r.Id
	}
	return ids
}

// advance runs empty blocks until the block time has moved on by d.
func (s *settle) advance(d time.Duration) {
	s.t.Helper()
	for range int(d / time.Second) {
		s.d.BlockOK()
	}
}

// query decodes the answer to req at path into resp.
func (s *settle) query(path string, req, resp proto.Message) {
	s.t.Helper()
	r := s.d.Query(path, req, 0, false)
	if r.Code != abci.CodeTypeOK {
		s.t.Fatalf("query %s: code %d %s", path, r.Code, r.Log)
	}
	if err := proto.Unmarshal(r.Value, resp); err != nil {
		s.t.Fatalf("query %s: %v", path, err)
	}
}

func (s *settle) balance(addr string) *mktypes.Balance {
	s.t.Helper()
	b := &mktypes.Balance{}
	s.query(mkkeeper.PathBalance, &mktypes.QueryBalanceRequest{Address: addr}, b)
	return b
}

func hash(word string) string {
	h := sha256.Sum256([]byte(word))
	return hex.EncodeToString(h[:])
}

// TestSettlementSplitByHand settles three sales of a data product derived
// from two departments' public datasets and an enterprise dataset, and
// checks every distribution line and final balance against a computation
// by hand that follows x/revenue's documented order (levy, authorisation
// terms, policy down the lineage) and remainder rule (each floor's loss at
// a level goes to that level's holder as one REMAINDER line).
//
// Cast: deptA holds D1 (public), deptB holds D2 (public), X (enterprise)
// holds E (enterprise data), O (operator) makes P from D1:3000, D2:3000,
// E:4000 under two authorisations (operator 6000 / public service 2000
// bps) and X's derive grant; exch (a department with the exchange role)
// deposits 50,000 fen to buyer Y.
//
// Policies (chosen so that every line kind of the policy step appears):
//
//	P:  share X 1000 bps, upstream 5000 bps; holder O keeps 4000 bps.
//	D1: none: everything reaching D1 goes to deptA (HOLDER).
//	D2: share deptA 3333 bps (an odd bps, so the floors lose a fen);
//	    no inputs, so no upstream: holder deptB keeps 6667 bps.
//	E:  none: everything reaching E goes to X (HOLDER).
//
// Authorisation terms: P's operation right is the root right minted to O
// at registration (x/rights MintRoot), and a root right never carries an
// authorization_id; the market passes the sold right's authorization_id
// (a licence listing sells from that root right) to Split, so the terms of
// au-1/au-2 do NOT apply to sales of P: no OPERATOR or PUBLIC_SERVICE
// lines. The test asserts exactly that, and so records the behaviour.
func TestSettlementSplitByHand(t *testing.T) {
	keys := apptest.Keys(7, "settlement split by hand")
	deptA, deptB, exch, kX, kO, kY := keys[0], keys[1], keys[2], keys[3], keys[4], keys[5]
	A, B, X, O, Y := apptest.Addr(deptA), apptest.Addr(deptB), apptest.Addr(kX), apptest.Addr(kO), apptest.Addr(kY)
	fund := revtypes.FundAddress

	gs := apptest.Genesis(
		apptest.Department(deptA, 101, 10),
		apptest.Department(deptB, 102, 10),
		apptest.Department(exch, 103, 10, idtypes.Role_ROLE_EXCHANGE),
		apptest.Party(kX, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 104),
		apptest.Party(kO, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 105, idtypes.Role_ROLE_OPERATOR),
		apptest.Party(kY, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 106),
	)
	regParams := regtypes.DefaultParams()
	regParams.NoticePeriodSeconds = 10
	gs.Registry = &regtypes.GenesisState{Params: regParams}

	d := apptest.New(t)
	d.InitChain(gs)
	s := &settle{t: t, d: d, nonce: map[*ecdsa.PrivateKey]uint64{}}

	dataset := func(code, name string, class regtypes.Classification, source string) *tx.Msg {
		m := &regtypes.MsgRegisterAsset{
			Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: name, SourceDepartment: source,
			Classification: class, Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hash(code),
		}
		if class == regtypes.Classification_CLASSIFICATION_PUBLIC {
			m.OpenLevel = regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL // only public data has an open level
		}
		return &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: m}}
	}
	d1 := s.ok(deptA, dataset("BZ-A-001", "D1", regtypes.Classification_CLASSIFICATION_PUBLIC, A))[0]
	d2 := s.ok(deptB, dataset("BZ-B-001", "D2", regtypes.Classification_CLASSIFICATION_PUBLIC, B))[0]
	e := s.ok(kX, dataset("BZ-X-001", "E", regtypes.Classification_CLASSIFICATION_ENTERPRISE, ""))[0]
	s.advance(10 * time.Second) // the notice period ends: all three certified

	holding := func(id string) string {
		a := &regtypes.Asset{}
		s.query(regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: id}, a)
		if a.Status != regtypes.AssetStatus_ASSET_STATUS_CERTIFIED {
			t.Fatalf("%s is %v, not certified", id, a.Status)
		}
		return a.HoldingRightId
	}
	eRoot := holding(e)
	holding(d1)
	holding(d2)

	// Two authorisations, one per department, each with derive and the
	// terms operator 6000 / public service 2000 bps.
	apply := func(authoriser, asset string) *tx.Msg {
		return &tx.Msg{Sum: &tx.Msg_ApplyAuthorization{ApplyAuthorization: &authtypes.MsgApplyAuthorization{
			Authoriser: authoriser, AssetIds: []string{asset},
			Scope: &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{
				rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_DERIVE}},
			TermsHash: hash("terms " + asset), TermSeconds: 100_000,
			Revenue: &authtypes.RevenueTerms{OperatorShareBps: 6000, PublicServiceShareBps: 2000},
		}}}
	}
	approve := func(id string) *tx.Msg {
		return &tx.Msg{Sum: &tx.Msg_ApproveAuthorization{ApproveAuthorization: &authtypes.MsgApproveAuthorization{Id: id}}}
	}
	au1 := s.ok(kO, apply(A, d1))[0]
	au2 := s.ok(kO, apply(B, d2))[0]
	s.ok(deptA, approve(au1))
	s.ok(deptB, approve(au2))

	// X grants O a use right with derive on E.
	s.ok(kX, &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: &rightstypes.MsgGrantRight{
		ParentId: eRoot, Grantee: O, Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope:      &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_DERIVE}},
		ValidUntil: timestamppb.New(apptest.BlockTime(d.Height() + 100_000)),
	}}})

	// O registers P and waits out its notice period.
	p := s.ok(kO, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, CatalogueCode: "BZ-O-P01", Name: "P",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL,
		ContentHash: hash("product P"),
		Inputs:      []*regtypes.Input{{AssetId: d1, WeightBps: 3000}, {AssetId: d2, WeightBps: 3000}, {AssetId: e, WeightBps: 4000}},
	}}})[0]
	s.advance(10 * time.Second)
	pRoot := holding(p)

	// P's operation right is minted to O with no authorization_id.
	opRight := &rightstypes.Right{}
	s.query(rightskeeper.PathRight, &rightstypes.QueryRightRequest{Id: pRoot}, opRight)
	if opRight.Kind != rightstypes.RightKind_RIGHT_KIND_OPERATION || opRight.Holder != O || opRight.AuthorizationId != "" {
		t.Fatalf("P's root right: kind %v holder %s authorization %q", opRight.Kind, opRight.Holder, opRight.AuthorizationId)
	}

	policy := func(key *ecdsa.PrivateKey, asset string, upstream uint32, shares ...*revtypes.Share) {
		s.ok(key, &tx.Msg{Sum: &tx.Msg_SetPolicy{SetPolicy: &revtypes.MsgSetPolicy{AssetId: asset, Shares: shares, UpstreamBps: upstream}}})
	}
	policy(kO, p, 5000, &revtypes.Share{Beneficiary: X, Bps: 1000})
	policy(deptB, d2, 0, &revtypes.Share{Beneficiary: A, Bps: 3333})
	// D1 and E: no policy.

	const deposit = 50_000
	s.ok(exch, &tx.Msg{Sum: &tx.Msg_Deposit{Deposit: &mktypes.MsgDeposit{To: Y, AmountFen: deposit, BankRef: "bank-ref-1"}}})

	list := func(price, qty uint64) string {
		return s.ok(kO, &tx.Msg{Sum: &tx.Msg_List{List: &mktypes.MsgList{
			RightId: pRoot, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: price, Quantity: qty,
			Scope:          &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}},
			LicenseSeconds: 3600, Expires: timestamppb.New(apptest.BlockTime(d.Height() + 10_000)),
		}}})[0]
	}
	buy := func(listing string, qty, price uint64) string {
		return s.ok(kY, &tx.Msg{Sum: &tx.Msg_Buy{Buy: &mktypes.MsgBuy{ListingId: listing, Quantity: qty, MaxPriceFen: price}}})[0]
	}

	type line struct {
		to    string
		fen   uint64
		kind  revtypes.LineKind
		asset string
		depth uint32
	}
	const (
		levy   = revtypes.LineKind_LINE_KIND_PUBLIC_LEVY
		share  = revtypes.LineKind_LINE_KIND_POLICY_SHARE
		holder = revtypes.LineKind_LINE_KIND_HOLDER
		rem    = revtypes.LineKind_LINE_KIND_REMAINDER
	)
	sales := []struct {
		price, qty uint64
		want       []line
	}{
		// Sale 1: 1 × 9999 = 9999 fen.
		//  levy: P derives from public D1/D2: floor(9999×1000/10000) = 999; R1 = 9000.
		//  authorisation: none (sold right has no authorization_id); R2 = 9000.
		//  P (9000): X share floor(9000×1000/10000) = 900; upstream
		//   floor(9000×5000/10000) = 4500 → D1 floor(4500×3000/10000) = 1350,
		//   D2 1350, E floor(4500×4000/10000) = 1800; holder O
		//   floor(9000×4000/10000) = 3600; remainder 9000−900−4500−3600 = 0 (omitted).
		//  D1 (1350): no policy → deptA 1350.
		//  D2 (1350): deptA floor(1350×3333/10000) = floor(449.955) = 449;
		//   deptB floor(1350×6667/10000) = floor(900.045) = 900; remainder 1350−449−900 = 1.
		//  E (1800): no policy → X 1800.
		//  Σ = 999+900+1350+449+900+1+1800+3600 = 9999.
		{9999, 1, []line{
			{fund, 999, levy, p, 0},
			{X, 900, share, p, 0},
			{A, 1350, holder, d1, 1},
			{A, 449, share, d2, 1},
			{B, 900, holder, d2, 1},
			{B, 1, rem, d2, 1},
			{X, 1800, holder, e, 1},
			{O, 3600, holder, p, 0},
		}},
		// Sale 2: 2 × 10001 = 20002 fen.
		//  levy floor(20002×1000/10000) = floor(2000.2) = 2000; R1 = R2 = 18002.
		//  P (18002): X floor(1800.2) = 1800; upstream floor(9001) = 9001 →
		//   D1 floor(9001×0.3) = floor(2700.3) = 2700, D2 2700, E floor(3600.4) = 3600;
		//   holder O floor(18002×0.4) = floor(7200.8) = 7200;
		//   remainder 18002−1800−(2700+2700+3600)−7200 = 2 → O.
		//  D1 (2700) → deptA 2700.
		//  D2 (2700): deptA floor(899.91) = 899; deptB floor(1800.09) = 1800; remainder 1.
		//  E (3600) → X 3600.
		//  Σ = 2000+1800+2700+899+1800+1+3600+7200+2 = 20002.
		{10001, 2, []line{
			{fund, 2000, levy, p, 0},
			{X, 1800, share, p, 0},
			{A, 2700, holder, d1, 1},
			{A, 899, share, d2, 1},
			{B, 1800, holder, d2, 1},
			{B, 1, rem, d2, 1},
			{X, 3600, holder, e, 1},
			{O, 7200, holder, p, 0},
			{O, 2, rem, p, 0},
		}},
		// Sale 3: 1 × 12345 = 12345 fen.
		//  levy floor(1234.5) = 1234; R1 = R2 = 11111.
		//  P (11111): X floor(1111.1) = 1111; upstream floor(5555.5) = 5555 →
		//   D1 floor(5555×0.3) = floor(1666.5) = 1666, D2 1666, E floor(2222.0) = 2222;
		//   holder O floor(4444.4) = 4444; remainder 11111−1111−5554−4444 = 2 → O.
		//  D1 (1666) → deptA 1666.
		//  D2 (1666): deptA floor(1666×3333/10000) = floor(555.2778) = 555;
		//   deptB floor(1666×6667/10000) = floor(1110.7222) = 1110; remainder 1.
		//  E (2222) → X 2222.
		//  Σ = 1234+1111+1666+555+1110+1+2222+4444+2 = 12345.
		{12345, 1, []line{
			{fund, 1234, levy, p, 0},
			{X, 1111, share, p, 0},
			{A, 1666, holder, d1, 1},
			{A, 555, share, d2, 1},
			{B, 1110, holder, d2, 1},
			{B, 1, rem, d2, 1},
			{X, 2222, holder, e, 1},
			{O, 4444, holder, p, 0},
			{O, 2, rem, p, 0},
		}},
	}
	for i, sale := range sales {
		trade := buy(list(sale.price, sale.qty), sale.qty, sale.price)
		var got revtypes.QueryDistributionsResponse
		s.query(revkeeper.PathDistributions, &revtypes.QueryDistributionsRequest{TradeId: trade}, &got)
		if len(got.Distributions) != 1 {
			t.Fatalf("sale %d (%s): %d distributions", i+1, trade, len(got.Distributions))
		}
		dist := got.Distributions[0]
		if dist.AmountFen != sale.price*sale.qty || dist.AssetId != p {
			t.Errorf("sale %d: distribution of %d fen for %s", i+1, dist.AmountFen, dist.AssetId)
		}
		if len(dist.Lines) != len(sale.want) {
			t.Errorf("sale %d: %d lines, want %d: %v", i+1, len(dist.Lines), len(sale.want), dist.Lines)
			continue
		}
		for j, w := range sale.want {
			l := dist.Lines[j]
			if l.Beneficiary != w.to || l.AmountFen != w.fen || l.Kind != w.kind || l.AssetId != w.asset || l.Depth != w.depth {
				t.Errorf("sale %d line %d: got %s %d %v %s d%d, want %s %d %v %s d%d", i+1, j,
					l.Beneficiary, l.AmountFen, l.Kind, l.AssetId, l.Depth, w.to, w.fen, w.kind, w.asset, w.depth)
			}
		}
	}

	// Final balances (all available, nothing locked):
	//  fund  999 + 2000 + 1234                          =  4233
	//  X     (900+1800) + (1800+3600) + (1111+2222)     = 11433
	//  deptA (1350+449) + (2700+899) + (1666+555)       =  7619
	//  deptB (900+1) + (1800+1) + (1110+1)              =  3813
	//  O     3600 + (7200+2) + (4444+2)                 = 15248
	//  Y     50000 − (9999 + 20002 + 12345) = 50000 − 42346 = 7654
	//  Σ = 4233+11433+7619+3813+15248+7654 = 50000 = the deposit.
	//  The authorisation terms pay O nothing extra and the fund no
	//  PUBLIC_SERVICE line (see the doc comment).
	for _, w := range []struct {
		who string
		fen uint64
	}{{fund, 4233}, {X, 11433}, {A, 7619}, {B, 3813}, {O, 15248}, {Y, 7654}, {apptest.Addr(exch), 0}} {
		if b := s.balance(w.who); b.AvailableFen != w.fen || b.LockedFen != 0 {
			t.Errorf("balance of %s: %d available, %d locked; want %d, 0", w.who, b.AvailableFen, b.LockedFen, w.fen)
		}
	}
	var fundQ revtypes.QueryFundResponse
	s.query(revkeeper.PathFund, &revtypes.QueryFundRequest{}, &fundQ)
	if fundQ.Address != fund || fundQ.TotalFen != 4233 {
		t.Errorf("fund: %s total %d, want %s 4233", fundQ.Address, fundQ.TotalFen, fund)
	}
	supply := &mktypes.Supply{}
	s.query(mkkeeper.PathSupply, &mktypes.QuerySupplyRequest{}, supply)
	if !supply.Holds || supply.DepositsFen != deposit || supply.WithdrawalsFen != 0 ||
		supply.BalancesFen != deposit || supply.EscrowFen != 0 {
		t.Errorf("supply: %+v", supply)
	}
}
