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
	return resultIDs(s.t, s.d.BlockOK(raw).TxResults[0])
}

// resultIDs reads the ids a successful tx's messages produced.
func resultIDs(t *testing.T, r *abci.ExecTxResult) []string {
	t.Helper()
	var data tx.TxResultData
	if err := proto.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("tx result data: %v", err)
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
// Authorisation terms: O derived P from D1 under au-1 and from D2 under
// au-2, and x/registry records that on P's inputs; so every sale of P
// pays each authorisation its terms on its input's weight (3000 bps of
// what is left after the levy each): operator 6000 bps and public service
// 2000 bps of that part, as one OPERATOR and one PUBLIC_SERVICE line per
// authorisation. E came from X's own grant and adds no terms.
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

	// P's operation right is minted to O; P's inputs record the
	// authorisations O derived them under.
	opRight := &rightstypes.Right{}
	s.query(rightskeeper.PathRight, &rightstypes.QueryRightRequest{Id: pRoot}, opRight)
	if opRight.Kind != rightstypes.RightKind_RIGHT_KIND_OPERATION || opRight.Holder != O {
		t.Fatalf("P's root right: kind %v holder %s", opRight.Kind, opRight.Holder)
	}
	pAsset := &regtypes.Asset{}
	s.query(regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: p}, pAsset)
	if in := pAsset.Inputs; in[0].AuthorizationId != au1 || in[1].AuthorizationId != au2 || in[2].AuthorizationId != "" || in[2].RightId == "" {
		t.Fatalf("P's inputs: %v", in)
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
		auth  string
	}
	const (
		op     = revtypes.LineKind_LINE_KIND_OPERATOR
		pubSvc = revtypes.LineKind_LINE_KIND_PUBLIC_SERVICE
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
		//  au-1 (D1, 3000 bps): operator floor(9000×3000×6000/10⁸) = 1620,
		//   public service floor(9000×3000×2000/10⁸) = 540; au-2 (D2) the same.
		//   R2 = 9000 − 2×(1620+540) = 4680.
		//  P (4680): X share floor(4680×1000/10000) = 468; upstream
		//   floor(4680×5000/10000) = 2340 → D1 floor(2340×3000/10000) = 702,
		//   D2 702, E floor(2340×4000/10000) = 936; holder O
		//   floor(4680×4000/10000) = 1872; remainder 4680−468−2340−1872 = 0 (omitted).
		//  D1 (702): no policy → deptA 702.
		//  D2 (702): deptA floor(702×3333/10000) = floor(233.9766) = 233;
		//   deptB floor(702×6667/10000) = floor(468.0234) = 468; remainder 702−233−468 = 1.
		//  E (936): no policy → X 936.
		//  Σ = 999+1620+540+1620+540+468+702+233+468+1+936+1872 = 9999.
		{9999, 1, []line{
			{fund, 999, levy, p, 0, ""},
			{O, 1620, op, p, 0, au1},
			{fund, 540, pubSvc, p, 0, au1},
			{O, 1620, op, p, 0, au2},
			{fund, 540, pubSvc, p, 0, au2},
			{X, 468, share, p, 0, ""},
			{A, 702, holder, d1, 1, ""},
			{A, 233, share, d2, 1, ""},
			{B, 468, holder, d2, 1, ""},
			{B, 1, rem, d2, 1, ""},
			{X, 936, holder, e, 1, ""},
			{O, 1872, holder, p, 0, ""},
		}},
		// Sale 2: 2 × 10001 = 20002 fen.
		//  levy floor(2000.2) = 2000; R1 = 18002.
		//  each authorisation: operator floor(18002×0.18) = floor(3240.36) = 3240,
		//   public service floor(18002×0.06) = floor(1080.12) = 1080; R2 = 18002 − 8640 = 9362.
		//  P (9362): X floor(936.2) = 936; upstream floor(4681) = 4681 →
		//   D1 floor(4681×0.3) = floor(1404.3) = 1404, D2 1404, E floor(1872.4) = 1872;
		//   holder O floor(9362×0.4) = floor(3744.8) = 3744;
		//   remainder 9362−936−(1404+1404+1872)−3744 = 2 → O.
		//  D1 (1404) → deptA 1404.
		//  D2 (1404): deptA floor(467.9532) = 467; deptB floor(936.0468) = 936; remainder 1.
		//  E (1872) → X 1872.
		//  Σ = 2000+3240+1080+3240+1080+936+1404+467+936+1+1872+3744+2 = 20002.
		{10001, 2, []line{
			{fund, 2000, levy, p, 0, ""},
			{O, 3240, op, p, 0, au1},
			{fund, 1080, pubSvc, p, 0, au1},
			{O, 3240, op, p, 0, au2},
			{fund, 1080, pubSvc, p, 0, au2},
			{X, 936, share, p, 0, ""},
			{A, 1404, holder, d1, 1, ""},
			{A, 467, share, d2, 1, ""},
			{B, 936, holder, d2, 1, ""},
			{B, 1, rem, d2, 1, ""},
			{X, 1872, holder, e, 1, ""},
			{O, 3744, holder, p, 0, ""},
			{O, 2, rem, p, 0, ""},
		}},
		// Sale 3: 1 × 12345 = 12345 fen.
		//  levy floor(1234.5) = 1234; R1 = 11111.
		//  each authorisation: operator floor(11111×0.18) = floor(1999.98) = 1999,
		//   public service floor(666.66) = 666; R2 = 11111 − 5330 = 5781.
		//  P (5781): X floor(578.1) = 578; upstream floor(2890.5) = 2890 →
		//   D1 floor(2890×0.3) = 867, D2 867, E floor(2890×0.4) = 1156;
		//   holder O floor(2312.4) = 2312; remainder 5781−578−2890−2312 = 1 → O.
		//  D1 (867) → deptA 867.
		//  D2 (867): deptA floor(867×3333/10000) = floor(288.9711) = 288;
		//   deptB floor(867×6667/10000) = floor(578.0289) = 578; remainder 1.
		//  E (1156) → X 1156.
		//  Σ = 1234+1999+666+1999+666+578+867+288+578+1+1156+2312+1 = 12345.
		{12345, 1, []line{
			{fund, 1234, levy, p, 0, ""},
			{O, 1999, op, p, 0, au1},
			{fund, 666, pubSvc, p, 0, au1},
			{O, 1999, op, p, 0, au2},
			{fund, 666, pubSvc, p, 0, au2},
			{X, 578, share, p, 0, ""},
			{A, 867, holder, d1, 1, ""},
			{A, 288, share, d2, 1, ""},
			{B, 578, holder, d2, 1, ""},
			{B, 1, rem, d2, 1, ""},
			{X, 1156, holder, e, 1, ""},
			{O, 2312, holder, p, 0, ""},
			{O, 1, rem, p, 0, ""},
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
			if l.Beneficiary != w.to || l.AmountFen != w.fen || l.Kind != w.kind || l.AssetId != w.asset || l.Depth != w.depth || l.AuthorizationId != w.auth {
				t.Errorf("sale %d line %d: got %s %d %v %s d%d %q, want %s %d %v %s d%d %q", i+1, j,
					l.Beneficiary, l.AmountFen, l.Kind, l.AssetId, l.Depth, l.AuthorizationId, w.to, w.fen, w.kind, w.asset, w.depth, w.auth)
			}
		}
	}

	// Final balances (all available, nothing locked):
	//  fund  levies 999 + 2000 + 1234 = 4233;
	//        public service 2×540 + 2×1080 + 2×666 = 4572        →  8805
	//  X     (468+936) + (936+1872) + (578+1156)                 =  5946
	//  deptA (702+233) + (1404+467) + (867+288)                  =  3961
	//  deptB (468+1) + (936+1) + (578+1)                         =  1985
	//  O     operator 2×1620 + 2×3240 + 2×1999 = 13718;
	//        holder 1872 + (3744+2) + (2312+1) = 7931            → 21649
	//  Y     50000 − (9999 + 20002 + 12345) = 50000 − 42346      =  7654
	//  Σ = 8805+5946+3961+1985+21649+7654 = 50000 = the deposit.
	for _, w := range []struct {
		who string
		fen uint64
	}{{fund, 8805}, {X, 5946}, {A, 3961}, {B, 1985}, {O, 21649}, {Y, 7654}, {apptest.Addr(exch), 0}} {
		if b := s.balance(w.who); b.AvailableFen != w.fen || b.LockedFen != 0 {
			t.Errorf("balance of %s: %d available, %d locked; want %d, 0", w.who, b.AvailableFen, b.LockedFen, w.fen)
		}
	}
	var fundQ revtypes.QueryFundResponse
	s.query(revkeeper.PathFund, &revtypes.QueryFundRequest{}, &fundQ)
	if fundQ.Address != fund || fundQ.TotalFen != 8805 {
		t.Errorf("fund: %s total %d, want %s 8805", fundQ.Address, fundQ.TotalFen, fund)
	}
	supply := &mktypes.Supply{}
	s.query(mkkeeper.PathSupply, &mktypes.QuerySupplyRequest{}, supply)
	if !supply.Holds || supply.DepositsFen != deposit || supply.WithdrawalsFen != 0 ||
		supply.BalancesFen != deposit || supply.EscrowFen != 0 {
		t.Errorf("supply: %+v", supply)
	}
}
