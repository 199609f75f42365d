package app_test

import (
	"bytes"
	"crypto/ecdsa"
	"slices"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/tx"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	provtypes "github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TestProvenance drives a product's life through the real tx path and
// checks its history and trace: deptA's public dataset D1 (operated by O
// under an authorisation), X's dataset E (O derives under X's grant), O's
// product P from both, a licence listing of P and Y's purchase. A failed
// tx and a recorded use leave no history.
func TestProvenance(t *testing.T) {
	keys := apptest.Keys(5, "provenance")
	deptA, exch, kX, kO, kY := keys[0], keys[1], keys[2], keys[3], keys[4]
	A, O, Y := apptest.Addr(deptA), apptest.Addr(kO), apptest.Addr(kY)
	gs := apptest.Genesis(apptest.Department(deptA, 1, 10), apptest.Department(exch, 2, 10, idtypes.Role_ROLE_EXCHANGE),
		apptest.Party(kX, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 3),
		apptest.Party(kO, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 4, idtypes.Role_ROLE_OPERATOR),
		apptest.Party(kY, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 5))
	rp := regtypes.DefaultParams()
	rp.NoticePeriodSeconds = 2
	gs.Registry = &regtypes.GenesisState{Params: rp}
	d := apptest.New(t)
	d.InitChain(gs)
	s := &settle{t: t, d: d, nonce: map[*ecdsa.PrivateKey]uint64{}}
	msg := func(m proto.Message) *tx.Msg { return wrap(t, m) }

	d1 := s.ok(deptA, msg(&regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: "PV-D1", Name: "D1",
		SourceDepartment: A, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC, Grade: regtypes.Grade_GRADE_GENERAL,
		OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: hash("pv d1")}))[0]
	e := s.ok(kX, msg(&regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: "PV-E", Name: "E",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hash("pv e")}))[0]
	s.advance(2 * time.Second)
	derive := &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{
		rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_DERIVE}}
	au := s.ok(kO, msg(&authtypes.MsgApplyAuthorization{Authoriser: A, AssetIds: []string{d1}, Scope: derive,
		TermsHash: hash("pv terms"), TermSeconds: 100_000,
		Revenue: &authtypes.RevenueTerms{OperatorShareBps: 6000, PublicServiceShareBps: 2000}}))[0]
	s.ok(deptA, msg(&authtypes.MsgApproveAuthorization{Id: au}))
	eAsset := &regtypes.Asset{}
	s.query("/registry/asset", &regtypes.QueryAssetRequest{Id: e}, eAsset)
	grant := s.ok(kX, msg(&rightstypes.MsgGrantRight{ParentId: eAsset.HoldingRightId, Grantee: O, Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope: derive, ValidUntil: timestamppb.New(apptest.BlockTime(d.Height() + 100_000))}))[0]

	p := s.ok(kO, msg(&regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, CatalogueCode: "PV-P", Name: "P",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hash("pv p"),
		Inputs: []*regtypes.Input{{AssetId: d1, WeightBps: 5000}, {AssetId: e, WeightBps: 5000}}}))[0]
	registerHash, registerHeight := s.hash, d.Height()
	s.advance(2 * time.Second)
	pAsset := &regtypes.Asset{}
	s.query("/registry/asset", &regtypes.QueryAssetRequest{Id: p}, pAsset)
	pRoot := pAsset.HoldingRightId

	// A failed tx about P (Y does not hold P's right) appends nothing.
	before := historyOf(t, d, p)
	raw := d.Sign(kY, s.nonce[kY], msg(&mktypes.MsgList{RightId: pRoot, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: 1,
		Quantity: 1, Scope: derive, LicenseSeconds: 60, Expires: timestamppb.New(apptest.BlockTime(d.Height() + 1000))}))
	s.nonce[kY]++
	if r := d.Block(raw).TxResults[0]; r.Code == abci.CodeTypeOK || len(r.Events) != 0 {
		t.Fatalf("Y listed O's right: code %d, events %v", r.Code, r.Events)
	}
	if after := historyOf(t, d, p); len(after) != len(before) {
		t.Fatalf("a failed tx added history: %d entries before, %d after", len(before), len(after))
	}

	scope := &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}}
	listing := s.ok(kO, msg(&mktypes.MsgList{RightId: pRoot, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: 100, Quantity: 1,
		Scope: scope, LicenseSeconds: 3600, Expires: timestamppb.New(apptest.BlockTime(d.Height() + 1000))}))[0]
	s.ok(exch, msg(&mktypes.MsgDeposit{To: Y, AmountFen: 1000, BankRef: "pv-ref-1"}))
	trade := s.ok(kY, msg(&mktypes.MsgBuy{ListingId: listing, Quantity: 1, MaxPriceFen: 100}))[0]
	buyHash := s.hash
	tr := &mktypes.Trade{}
	s.query("/market/trade", &mktypes.QueryTradeRequest{Id: trade}, tr)
	licence := tr.RightIds[0]
	usageBefore := len(historyOf(t, d, licence))
	s.ok(kY, msg(&rightstypes.MsgRecordUsage{RightId: licence, Purpose: "research", Operation: rightstypes.Operation_OPERATION_QUERY,
		ResultHash: hash("pv use")}))

	// History of P, oldest first: registered (the tx we sent), certified at
	// a block's end, listed, traded.
	hist := historyOf(t, d, p)
	actions := []string{}
	for i, h := range hist {
		actions = append(actions, h.Action)
		if h.EntityId != p {
			t.Errorf("entry %d names %s", i, h.EntityId)
		}
		if i > 0 && bytes.Compare(provtypes.HistoryKey(p, hist[i-1].Height, hist[i-1].TxIndex, hist[i-1].EventIndex),
			provtypes.HistoryKey(p, h.Height, h.TxIndex, h.EventIndex)) >= 0 {
			t.Errorf("entries %d and %d are out of order", i-1, i)
		}
		// Each entry is provable under its documented key.
		key := provtypes.HistoryKey(p, h.Height, h.TxIndex, h.EventIndex)
		r := d.QueryRaw(app.PathStore, key, 0, true)
		stored := &provtypes.HistoryEntry{}
		if r.Code != 0 || r.ProofOps == nil || proto.Unmarshal(r.Value, stored) != nil || !proto.Equal(stored, h) {
			t.Errorf("entry %d: /store/key %X: code %d proof %v", i, key, r.Code, r.ProofOps != nil)
		}
	}
	for _, want := range []string{regtypes.EventAssetRegistered, regtypes.EventAssetCertified, mktypes.EventListed, mktypes.EventTraded} {
		if !slices.Contains(actions, want) {
			t.Errorf("history of %s lacks %s: %v", p, want, actions)
		}
	}
	// The registration's tx also minted P's right (right_minted, whose
	// asset_id is P): both entries are in that tx.
	first := hist[slices.IndexFunc(hist, func(h *provtypes.HistoryEntry) bool { return h.Action == regtypes.EventAssetRegistered })]
	if hist[0].Height != registerHeight || !bytes.Equal(first.TxHash, registerHash) || first.Height != registerHeight ||
		first.TxIndex != 0 || first.Actor != O {
		t.Errorf("first entry: %v; want registered at %d by %s in tx %X", first, registerHeight, O, registerHash)
	}
	for _, h := range hist {
		if h.Action == regtypes.EventAssetCertified && (h.TxIndex != provtypes.EndBlockTxIndex || len(h.TxHash) != 0 || h.Actor != "") {
			t.Errorf("certification entry %v: want end-block position", h)
		}
		if h.Action == mktypes.EventTraded && !bytes.Equal(h.TxHash, buyHash) {
			t.Errorf("trade entry tx %X, want %X", h.TxHash, buyHash)
		}
	}
	// Pages of 2 give the same entries.
	var paged []*provtypes.HistoryEntry
	page := &query.PageRequest{Limit: 2}
	for {
		resp := &provtypes.HistoryResponse{}
		s.query(provkeeper.PathHistory, &provtypes.HistoryRequest{Id: p, Page: page}, resp)
		paged = append(paged, resp.Entries...)
		if len(resp.Page.GetNextKey()) == 0 {
			break
		}
		page.Key = resp.Page.NextKey
	}
	if len(paged) != len(hist) {
		t.Errorf("paged history has %d entries, want %d", len(paged), len(hist))
	}
	// The use is in the usage log, not in the history.
	if got := historyOf(t, d, licence); len(got) != usageBefore {
		t.Errorf("recording a use added history to %s: %v", licence, got)
	}
	// Y's own history: the deposit (a party's balance), not the trade.
	yActions := []string{}
	for _, h := range historyOf(t, d, Y) {
		yActions = append(yActions, h.Action)
	}
	if !slices.Contains(yActions, mktypes.EventDeposited) ||
		slices.Contains(yActions, mktypes.EventTraded) {
		t.Errorf("history of Y: %v", yActions)
	}

	// Trace up from P: lineage with the right and authorisation of each
	// derivation, and custody.
	trace := &provtypes.Trace{}
	s.query(provkeeper.PathTrace, &provtypes.TraceRequest{Id: p, Direction: provtypes.Direction_DIRECTION_UP}, trace)
	edge := func(from, to, kind string) *provtypes.TraceEdge {
		for _, e := range trace.Edges {
			if e.From == from && e.To == to && e.Kind == kind {
				return e
			}
		}
		t.Errorf("trace of %s lacks %s → %s (%s)", p, from, to, kind)
		return &provtypes.TraceEdge{}
	}
	auth := &authtypes.Authorization{}
	s.query("/authorization/show", &authtypes.QueryAuthorizationRequest{Id: au}, auth)
	opRight := auth.OperatorRightIds[0]
	if via := edge(p, d1, provtypes.EdgeDerivedFrom).Via; via != opRight+","+au {
		t.Errorf("P derived from D1 via %q, want %s,%s", via, opRight, au)
	}
	if via := edge(p, e, provtypes.EdgeDerivedFrom).Via; via != grant {
		t.Errorf("P derived from E via %q, want %s", via, grant)
	}
	edge(opRight, au, provtypes.EdgeUnderAuthorization)
	edge(opRight, d1, provtypes.EdgeRightOn)
	edge(grant, eAsset.HoldingRightId, provtypes.EdgeSublicensedFrom)
	edge(pRoot, O, provtypes.EdgeHeldBy)
	edge(licence, pRoot, provtypes.EdgeSublicensedFrom)
	edge(licence, Y, provtypes.EdgeHeldBy)
	edge(trade, licence, provtypes.EdgeTradedIn)
	edge(trade, listing, provtypes.EdgeTradedIn)
	edge(listing, pRoot, provtypes.EdgeListed)
	seen := map[string]bool{}
	for _, n := range trace.Nodes {
		if seen[n.Id] {
			t.Errorf("node %s twice", n.Id)
		}
		seen[n.Id] = true
	}
	for _, e := range trace.Edges {
		if !seen[e.From] || !seen[e.To] {
			t.Errorf("edge %v names a node outside the trace", e)
		}
	}
	if trace.Truncated {
		t.Errorf("trace truncated: %s", trace.TruncatedReason)
	}
}

// historyOf is an entity's whole history through /provenance/history.
func historyOf(t *testing.T, d *apptest.Driver, id string) []*provtypes.HistoryEntry {
	t.Helper()
	r := d.Query(provkeeper.PathHistory, &provtypes.HistoryRequest{Id: id, Page: &query.PageRequest{Limit: query.MaxLimit}}, 0, false)
	resp := &provtypes.HistoryResponse{}
	if r.Code != 0 || proto.Unmarshal(r.Value, resp) != nil {
		t.Fatalf("history %s: %d %s", id, r.Code, r.Log)
	}
	return resp.Entries
}

// wrap puts a module message into the tx oneof.
func wrap(t *testing.T, m proto.Message) *tx.Msg {
	t.Helper()
	out := &tx.Msg{}
	r := out.ProtoReflect()
	oneof := r.Descriptor().Oneofs().ByName("sum")
	for i := 0; i < oneof.Fields().Len(); i++ {
		f := oneof.Fields().Get(i)
		if f.Message().FullName() == m.ProtoReflect().Descriptor().FullName() {
			r.Set(f, protoValue(m))
			return out
		}
	}
	t.Fatalf("no tx oneof field for %T", m)
	return nil
}

func protoValue(m proto.Message) protoreflect.Value {
	return protoreflect.ValueOfMessage(m.ProtoReflect())
}
