package sim_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/sim"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/tx"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	govtypes "github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// The signer classes of the matrix and the parties they aim at, beyond
// the fixture's four (sim.Admin the data admin, sim.Dept the exchange and
// the source of all data here, sim.Dept2, sim.Ent auditor and operator).
var (
	holder   = sim.Keys[4]  // enterprise, holds active rights on Dept's data
	other    = sim.Keys[5]  // enterprise without roles ("wrong role"), principal of agent
	susp     = sim.Keys[6]  // enterprise, suspended
	agent    = sim.Keys[7]  // agent of other
	unreg    = sim.Keys[8]  // never registered
	revHold  = sim.Keys[10] // holder of a revoked right
	expHold  = sim.Keys[11] // holder of an expired right
	susHold  = sim.Keys[12] // holder of a suspended right
	endedOp  = sim.Keys[13] // operator (genesis role) of a terminated authorisation
	newParty = sim.Keys[15] // registered only by the register_party control
	bidder   = sim.Keys[16] // enterprise with money and two open bids
	susp2    = sim.Keys[17] // enterprise, suspended (reactivate_party's target)
	newAgent = sim.Keys[18] // made holder's agent by the add_agent control
	assessor = sim.Keys[19] // enterprise with the assessor role (genesis)
	spare    = sim.Keys[20] // enterprise, suspended by the suspend_party control
)

type class struct {
	name string
	key  *ecdsa.PrivateKey
}

// classes are the matrix's columns. "wrong dept" is a department that is
// neither the data's source nor the authoriser nor the data admin; "wrong
// role" is a registered enterprise without roles or rights on the target.
var classes = []class{
	{"unregistered", unreg}, {"suspended", susp}, {"agent", agent}, {"wrong dept", sim.Dept2},
	{"wrong role", other}, {"revoked holder", revHold}, {"expired holder", expHold},
	{"suspended holder", susHold}, {"ended operator", endedOp},
}

// authzWorld is what the matrix's messages aim at.
type authzWorld struct {
	a1, a2, a3, aImp, aNotice, aDisputed, aSpare string // of Dept; a1..a3, aImp certified
	hold1                                        string // a1's holding right (Dept's)
	r1, rt, rRev, rExp, rSus, rc1, rc2, rSus2    string // rights on a1 granted by Dept
	rPend                                        string // grant of aImp awaiting the data admin
	q1, q2                                       string // requests of other for a1
	au1, au2, auApplied, auApplied2, auPending   string // au1 active (Ent), au2 terminated (endedOp)
	au2OpRight                                   string
	listing, bid1, bid2, withdrawal, proposal    string
}

type authzRig struct {
	t *testing.T
	d *apptest.Driver
	w authzWorld
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func msgOf(m proto.Message) *tx.Msg {
	x := &tx.Msg{}
	// Find the oneof member whose type is m's.
	fields := x.ProtoReflect().Descriptor().Oneofs().ByName("sum").Fields()
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		if f.Message().FullName() == m.ProtoReflect().Descriptor().FullName() {
			x.ProtoReflect().Set(f, protoreflect.ValueOfMessage(m.ProtoReflect()))
			return x
		}
	}
	panic(fmt.Sprintf("%T is not a tx.Msg member", m))
}

// send runs one tx of key in a block of its own and returns its ids; it
// fails the test unless the tx succeeded.
func (r *authzRig) send(key *ecdsa.PrivateKey, msgs ...proto.Message) []string {
	r.t.Helper()
	resp := r.try(key, msgs...)
	if resp.Code != abci.CodeTypeOK {
		r.t.Fatalf("setup tx of %s (%T): %s/%d %s", apptest.Addr(key), msgs[0], resp.Codespace, resp.Code, resp.Log)
	}
	var data tx.TxResultData
	if err := proto.Unmarshal(resp.Data, &data); err != nil {
		r.t.Fatal(err)
	}
	var ids []string
	for _, m := range data.Results {
		ids = append(ids, m.Id)
	}
	return ids
}

func (r *authzRig) try(key *ecdsa.PrivateKey, msgs ...proto.Message) *abci.ExecTxResult {
	r.t.Helper()
	n, _ := r.d.Nonce(apptest.Addr(key))
	var ms []*tx.Msg
	for _, m := range msgs {
		ms = append(ms, msgOf(m))
	}
	return r.d.Block(r.d.Sign(key, n, ms...)).TxResults[0]
}

// advance runs empty blocks for secs seconds.
func (r *authzRig) advance(secs int) {
	for range secs {
		r.d.Block()
	}
}

func (r *authzRig) until(secs int) *timestamppb.Timestamp {
	return timestamppb.New(apptest.BlockTime(r.d.Height() + 1).Add(time.Duration(secs) * time.Second))
}

const notice = 1000 // seconds: assets registered last stay in notice through the matrix

func newAuthzRig(t *testing.T) *authzRig {
	gs := sim.Genesis()
	gs.Identity.Parties = append(gs.Identity.Parties,
		apptest.Party(endedOp, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 5, idtypes.Role_ROLE_OPERATOR),
		apptest.Party(assessor, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 6, idtypes.Role_ROLE_ASSESSOR))
	gs.Registry.Params.NoticePeriodSeconds = notice
	gs.Governance.Params = govtypes.DefaultParams()
	d := apptest.New(t)
	d.InitChain(gs)
	r := &authzRig{t: t, d: d}
	w := &r.w
	dept := apptest.Addr(sim.Dept)
	ent := func(k *ecdsa.PrivateKey, seed int) proto.Message {
		return &idtypes.MsgRegisterParty{Address: apptest.Addr(k), Name: fmt.Sprintf("enterprise %d", seed),
			Kind: idtypes.PartyKind_PARTY_KIND_ENTERPRISE, OrgCode: apptest.OrgCode(seed)}
	}
	r.send(sim.Dept, ent(holder, 100), ent(other, 101), ent(susp, 102), ent(revHold, 103), ent(expHold, 104),
		ent(susHold, 105), ent(bidder, 106), ent(susp2, 107), ent(spare, 108))
	r.send(sim.Dept, &idtypes.MsgSuspendParty{Address: apptest.Addr(susp), Reason: "licence withdrawn"},
		&idtypes.MsgSuspendParty{Address: apptest.Addr(susp2), Reason: "licence withdrawn"})
	r.send(other, &idtypes.MsgAddAgent{Agent: apptest.Addr(agent)})
	asset := func(code string, grade regtypes.Grade) proto.Message {
		return &regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: code,
			SourceDepartment: dept, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
			Grade: grade, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: hashOf(code)}
	}
	general, important := regtypes.Grade_GRADE_GENERAL, regtypes.Grade_GRADE_IMPORTANT
	ids := r.send(sim.Dept, asset("BZ-A1", general), asset("BZ-A2", general), asset("BZ-A3", general),
		asset("BZ-A4", general), asset("BZ-A5", important))
	w.a1, w.a2, w.a3, w.aDisputed, w.aImp = ids[0], ids[1], ids[2], ids[3], ids[4]
	r.send(holder, &regtypes.MsgObjectAsset{AssetId: w.aDisputed, EvidenceHash: hashOf("contract"), Reason: "ours"})
	r.advance(notice + 1)
	var a1, aImp regtypes.Asset
	r.get(regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: w.a1}, &a1)
	r.get(regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: w.aImp}, &aImp)
	w.hold1 = a1.HoldingRightId
	const far = 100_000
	grant := func(to *ecdsa.PrivateKey, secs int) proto.Message {
		return &rightstypes.MsgGrantRight{ParentId: w.hold1, Grantee: apptest.Addr(to), Kind: rightstypes.RightKind_RIGHT_KIND_USE,
			Scope: rightstypes.FullScope(), Transferable: true, Sublicensable: true, ValidUntil: r.until(secs)}
	}
	pc := &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_COMPUTE}, PrivacyComputingOnly: true}
	ids = r.send(sim.Dept, grant(holder, far), grant(holder, far), grant(revHold, far), grant(expHold, 3),
		grant(susHold, far), grant(other, far), grant(other, far), grant(other, far),
		&rightstypes.MsgGrantRight{ParentId: aImp.HoldingRightId, Grantee: apptest.Addr(holder), Kind: rightstypes.RightKind_RIGHT_KIND_USE,
			Scope: pc, ValidUntil: r.until(far)})
	w.r1, w.rt, w.rRev, w.rExp, w.rSus, w.rc1, w.rc2, w.rSus2, w.rPend = ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]
	r.send(sim.Dept, &rightstypes.MsgRevokeRight{RightId: w.rRev, Reason: "contract ended"})
	r.send(sim.Admin, &rightstypes.MsgSuspendRight{RightId: w.rSus, Reason: "audit"}, &rightstypes.MsgSuspendRight{RightId: w.rSus2, Reason: "audit"})
	request := &rightstypes.MsgRequestRight{AssetId: w.a1, Scope: rightstypes.FullScope(), Purpose: "research", ValidUntil: r.until(far)}
	ids = r.send(other, request, request)
	w.q1, w.q2 = ids[0], ids[1]
	// Authorised operation: au1 active (Ent), au2 terminated (endedOp),
	// two applications waiting, one awaiting the data admin.
	apply := func(asset string, scope *rightstypes.Scope) proto.Message {
		return &authtypes.MsgApplyAuthorization{Authoriser: dept, AssetIds: []string{asset}, Scope: scope,
			TermsHash: hashOf("terms"), TermSeconds: far, Revenue: &authtypes.RevenueTerms{OperatorShareBps: 3000, PublicServiceShareBps: 1000}}
	}
	w.au1 = r.send(sim.Ent, apply(w.a2, rightstypes.FullScope()))[0]
	w.au2 = r.send(endedOp, apply(w.a3, rightstypes.FullScope()))[0]
	w.auPending = r.send(sim.Ent, apply(w.aImp, pc))[0]
	r.send(sim.Dept, &authtypes.MsgApproveAuthorization{Id: w.au1}, &authtypes.MsgApproveAuthorization{Id: w.au2},
		&authtypes.MsgApproveAuthorization{Id: w.auPending})
	var au2 authtypes.Authorization
	r.get(authkeeper.PathShow, &authtypes.QueryAuthorizationRequest{Id: w.au2}, &au2)
	w.au2OpRight = au2.OperatorRightIds[0]
	r.send(sim.Dept, &authtypes.MsgTerminateAuthorization{Id: w.au2, Reason: "term breached"})
	w.auApplied = r.send(sim.Ent, apply(w.a1, rightstypes.FullScope()))[0]
	w.auApplied2 = r.send(sim.Ent, apply(w.a1, rightstypes.FullScope()))[0]
	// Market: money for holder and the bidder, a listing of holder's, two
	// bids, a withdrawal request of holder's.
	r.send(sim.Dept, &mktypes.MsgDeposit{To: apptest.Addr(holder), AmountFen: 100_000, BankRef: "bank-1"},
		&mktypes.MsgDeposit{To: apptest.Addr(bidder), AmountFen: 100_000, BankRef: "bank-2"},
		&mktypes.MsgDeposit{To: apptest.Addr(other), AmountFen: 100_000, BankRef: "bank-3"})
	w.listing = r.send(holder, &mktypes.MsgList{RightId: w.r1, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: 100, Quantity: 100,
		Scope: rightstypes.FullScope(), LicenseSeconds: 50_000, Expires: r.until(far)})[0]
	bid := &mktypes.MsgBid{AssetId: w.a1, Scope: rightstypes.FullScope(), LicenseSeconds: 50_000, PriceFen: 100, Expires: r.until(far)}
	ids = r.send(bidder, bid, bid)
	w.bid1, w.bid2 = ids[0], ids[1]
	w.withdrawal = r.send(holder, &mktypes.MsgRequestWithdrawal{AmountFen: 10})[0]
	w.proposal = r.send(sim.Dept, &govtypes.MsgSubmitProposal{Title: "freeze a3", Action: &govtypes.Action{
		Action: &govtypes.Action_FreezeAsset{FreezeAsset: &govtypes.FreezeAsset{AssetId: w.a3, Reason: "review"}}}})[0]
	r.advance(5) // the expired right expires
	ids = r.send(sim.Dept, asset("BZ-A6", general), asset("BZ-A7", general))
	w.aNotice, w.aSpare = ids[0], ids[1]
	return r
}

func (r *authzRig) get(path string, req, resp proto.Message) {
	r.t.Helper()
	q := r.d.Query(path, req, 0, false)
	if q.Code != 0 {
		r.t.Fatalf("%s: %s", path, q.Log)
	}
	if err := proto.Unmarshal(q.Value, resp); err != nil {
		r.t.Fatal(err)
	}
}

// row is one message type of the matrix: attack is the message a class
// must not be able to send (aimed at state it is not entitled to touch),
// na the classes that may send it, with the reason, and ctrl the
// authorised party whose control message must succeed and change state.
type row struct {
	name   string
	attack func(c class) proto.Message
	na     map[string]string
	ctrl   *ecdsa.PrivateKey
	ctrlM  proto.Message
	// scoped: the message acts on the signer's own grants only, so a
	// registered signer may send it and it must then change nothing.
	scoped bool
}

// own is the inactive right (or ended authorisation's right) a class holds,
// or def for the other classes.
func (w *authzWorld) own(c class, def string) string {
	switch c.key {
	case revHold:
		return w.rRev
	case expHold:
		return w.rExp
	case susHold:
		return w.rSus
	case endedOp:
		return w.au2OpRight
	}
	return def
}

// anyRegistered marks the registered classes n/a for a message any active
// party may send on its own account.
func anyRegistered(reason string) map[string]string {
	na := map[string]string{}
	for _, c := range classes[2:] {
		na[c.name] = "any party may: " + reason
	}
	return na
}

func (r *authzRig) rows() []row {
	w := &r.w
	addr := apptest.Addr
	dept := addr(sim.Dept)
	reason := "not yours"
	any := func(m proto.Message) func(class) proto.Message { return func(class) proto.Message { return m } }
	anyDept := map[string]string{"wrong dept": "any department may: registration of parties is every department's duty"}
	pc := &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_COMPUTE}, PrivacyComputingOnly: true}
	apply := &authtypes.MsgApplyAuthorization{Authoriser: dept, AssetIds: []string{w.a1}, Scope: rightstypes.FullScope(),
		TermsHash: hashOf("terms 2"), TermSeconds: 100_000, Revenue: &authtypes.RevenueTerms{OperatorShareBps: 3000, PublicServiceShareBps: 1000}}
	regAsset := func(code string) *regtypes.MsgRegisterAsset {
		return &regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: code,
			SourceDepartment: dept, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
			Grade: regtypes.Grade_GRADE_GENERAL, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: hashOf(code)}
	}
	grantTo := func(parent string, to *ecdsa.PrivateKey) *rightstypes.MsgGrantRight {
		return &rightstypes.MsgGrantRight{ParentId: parent, Grantee: addr(to), Kind: rightstypes.RightKind_RIGHT_KIND_USE,
			Scope: pc, ValidUntil: r.until(50_000)}
	}
	usage := func(right string) *rightstypes.MsgRecordUsage {
		return &rightstypes.MsgRecordUsage{RightId: right, Purpose: "research", Operation: rightstypes.Operation_OPERATION_COMPUTE, ResultHash: hashOf("result " + right)}
	}
	list := func(right string) *mktypes.MsgList {
		return &mktypes.MsgList{RightId: right, Kind: mktypes.ListingKind_LISTING_KIND_LICENSE, PriceFen: 50, Quantity: 1,
			Scope: pc, LicenseSeconds: 50_000, Expires: r.until(50_000)}
	}
	proposal := &govtypes.MsgSubmitProposal{Title: "freeze a1", Action: &govtypes.Action{
		Action: &govtypes.Action_FreezeAsset{FreezeAsset: &govtypes.FreezeAsset{AssetId: w.a1, Reason: "review"}}}}
	bid := &mktypes.MsgBid{AssetId: w.a1, Scope: pc, LicenseSeconds: 50_000, PriceFen: 10, Expires: r.until(50_000)}
	return []row{
		// x/identity
		{name: "register_party", attack: any(sim.MsgRegister(addr(newParty), "intruder", idtypes.PartyKind_PARTY_KIND_ENTERPRISE, apptest.OrgCode(200)).GetRegisterParty()),
			na: anyDept, ctrl: sim.Dept, ctrlM: sim.MsgRegister(addr(newParty), "newcomer", idtypes.PartyKind_PARTY_KIND_ENTERPRISE, apptest.OrgCode(200)).GetRegisterParty()},
		{name: "update_party", attack: any(&idtypes.MsgUpdateParty{Address: addr(holder), Name: "hijacked", OrgCode: apptest.OrgCode(100)}),
			ctrl: sim.Dept, ctrlM: &idtypes.MsgUpdateParty{Address: addr(holder), Name: "holder renamed", OrgCode: apptest.OrgCode(100)}},
		{name: "suspend_party", attack: any(&idtypes.MsgSuspendParty{Address: addr(holder), Reason: reason}),
			ctrl: sim.Dept, ctrlM: &idtypes.MsgSuspendParty{Address: addr(spare), Reason: "licence withdrawn"}},
		{name: "reactivate_party", attack: any(&idtypes.MsgReactivateParty{Address: addr(susp2), Reason: reason}),
			ctrl: sim.Dept, ctrlM: &idtypes.MsgReactivateParty{Address: addr(susp2), Reason: "licence restored"}},
		{name: "add_agent", attack: any(&idtypes.MsgAddAgent{Agent: addr(newAgent)}),
			na: anyRegistered("an active party adds an agent for itself only"), ctrl: holder, ctrlM: &idtypes.MsgAddAgent{Agent: addr(newAgent)}},
		{name: "remove_agent", attack: any(&idtypes.MsgRemoveAgent{Agent: addr(newAgent)}),
			ctrl: holder, ctrlM: &idtypes.MsgRemoveAgent{Agent: addr(newAgent)}},
		// x/registry
		{name: "register_asset", attack: any(regAsset("BZ-FAKE")), ctrl: sim.Dept, ctrlM: regAsset("BZ-REAL")},
		{name: "object_asset", attack: any(&regtypes.MsgObjectAsset{AssetId: w.aNotice, EvidenceHash: hashOf("claim"), Reason: "ours"}),
			na: anyRegistered("any active party may object to an asset in notice"), ctrl: other,
			ctrlM: &regtypes.MsgObjectAsset{AssetId: w.aNotice, EvidenceHash: hashOf("claim"), Reason: "ours"}},
		{name: "resolve_objection", attack: any(&regtypes.MsgResolveObjection{AssetId: w.aDisputed, Uphold: true, Reason: reason}),
			ctrl: sim.Admin, ctrlM: &regtypes.MsgResolveObjection{AssetId: w.aDisputed, Reason: "the source's own"}},
		{name: "add_version", attack: any(&regtypes.MsgAddVersion{AssetId: w.a1, ContentHash: hashOf("forged"), Note: "forged"}),
			ctrl: sim.Dept, ctrlM: &regtypes.MsgAddVersion{AssetId: w.a1, ContentHash: hashOf("v2"), Note: "refreshed"}},
		{name: "record_valuation", attack: any(&regtypes.MsgRecordValuation{AssetId: w.a1, ValueFen: 1, Method: regtypes.ValuationMethod(1), ReportHash: hashOf("fake")}),
			ctrl: assessor, ctrlM: &regtypes.MsgRecordValuation{AssetId: w.a1, ValueFen: 1000, Method: regtypes.ValuationMethod(1), ReportHash: hashOf("report")}},
		{name: "freeze_asset", attack: any(&regtypes.MsgFreezeAsset{AssetId: w.aSpare, Reason: reason}),
			ctrl: sim.Admin, ctrlM: &regtypes.MsgFreezeAsset{AssetId: w.aSpare, Reason: "investigation"}},
		{name: "unfreeze_asset", attack: any(&regtypes.MsgUnfreezeAsset{AssetId: w.aSpare, Reason: reason}),
			ctrl: sim.Admin, ctrlM: &regtypes.MsgUnfreezeAsset{AssetId: w.aSpare, Reason: "cleared"}},
		{name: "reclassify_asset", attack: any(&regtypes.MsgReclassifyAsset{AssetId: w.aSpare, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
			Grade: regtypes.Grade_GRADE_GENERAL, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_UNCONDITIONAL, Reason: reason}),
			ctrl: sim.Admin, ctrlM: &regtypes.MsgReclassifyAsset{AssetId: w.aSpare, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
				Grade: regtypes.Grade_GRADE_GENERAL, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_NOT_OPEN, Reason: "regraded"}},
		// x/rights
		{name: "grant_right", attack: func(c class) proto.Message { return grantTo(w.own(c, w.hold1), c.key) },
			ctrl: holder, ctrlM: grantTo(w.r1, other)},
		{name: "approve_grant", attack: any(&rightstypes.MsgApproveGrant{RightId: w.rPend}), ctrl: sim.Admin, ctrlM: &rightstypes.MsgApproveGrant{RightId: w.rPend}},
		{name: "request_right", attack: any(&rightstypes.MsgRequestRight{AssetId: w.a1, Scope: pc, Purpose: "research", ValidUntil: r.until(50_000)}),
			na: anyRegistered("any active party may ask a holder for a right"), ctrl: holder,
			ctrlM: &rightstypes.MsgRequestRight{AssetId: w.a1, Scope: pc, Purpose: "research", ValidUntil: r.until(50_000)}},
		{name: "approve_request", attack: any(&rightstypes.MsgApproveRequest{RequestId: w.q1}), ctrl: sim.Dept, ctrlM: &rightstypes.MsgApproveRequest{RequestId: w.q1}},
		{name: "reject_request", attack: any(&rightstypes.MsgRejectRequest{RequestId: w.q2, Reason: reason}), ctrl: sim.Dept, ctrlM: &rightstypes.MsgRejectRequest{RequestId: w.q2, Reason: "no"}},
		{name: "transfer_right", attack: func(c class) proto.Message {
			return &rightstypes.MsgTransferRight{RightId: w.own(c, w.rt), To: addr(c.key)}
		}, ctrl: holder, ctrlM: &rightstypes.MsgTransferRight{RightId: w.rt, To: addr(other)}},
		{name: "revoke_right", attack: any(&rightstypes.MsgRevokeRight{RightId: w.r1, Reason: reason}), ctrl: sim.Dept, ctrlM: &rightstypes.MsgRevokeRight{RightId: w.rc1, Reason: "contract ended"}},
		{name: "suspend_right", attack: any(&rightstypes.MsgSuspendRight{RightId: w.r1, Reason: reason}), ctrl: sim.Admin, ctrlM: &rightstypes.MsgSuspendRight{RightId: w.rc2, Reason: "audit"}},
		{name: "resume_right", attack: func(c class) proto.Message {
			return &rightstypes.MsgResumeRight{RightId: w.own(c, w.rSus2), Reason: reason}
		},
			ctrl: sim.Admin, ctrlM: &rightstypes.MsgResumeRight{RightId: w.rSus2, Reason: "cleared"}},
		{name: "record_usage", attack: func(c class) proto.Message { return usage(w.own(c, w.r1)) }, ctrl: holder, ctrlM: usage(w.r1)},
		// x/market and x/revenue
		{name: "deposit", attack: func(c class) proto.Message {
			return &mktypes.MsgDeposit{To: addr(c.key), AmountFen: 1_000_000, BankRef: "forged"}
		}, ctrl: sim.Dept, ctrlM: &mktypes.MsgDeposit{To: addr(other), AmountFen: 10, BankRef: "bank-9"}},
		{name: "request_withdrawal", attack: any(&mktypes.MsgRequestWithdrawal{AmountFen: 10}),
			na: anyRegistered("a party asks for its own balance only (other's and the holders' balance checks are per party)"), ctrl: holder, ctrlM: &mktypes.MsgRequestWithdrawal{AmountFen: 10}},
		{name: "withdraw", attack: any(&mktypes.MsgWithdraw{WithdrawalId: w.withdrawal, BankRef: "forged"}), ctrl: sim.Dept, ctrlM: &mktypes.MsgWithdraw{WithdrawalId: w.withdrawal, BankRef: "payout-1"}},
		{name: "list", attack: func(c class) proto.Message { return list(w.own(c, w.r1)) }, ctrl: holder, ctrlM: list(w.r1)},
		{name: "buy", attack: any(&mktypes.MsgBuy{ListingId: w.listing, Quantity: 1, MaxPriceFen: 100}),
			na: anyRegistered("any active party with the money may buy a listed licence"), ctrl: other, ctrlM: &mktypes.MsgBuy{ListingId: w.listing, Quantity: 1, MaxPriceFen: 100}},
		{name: "cancel_listing", attack: any(&mktypes.MsgCancelListing{ListingId: w.listing}), ctrl: holder, ctrlM: &mktypes.MsgCancelListing{ListingId: w.listing}},
		{name: "bid", attack: any(bid), na: anyRegistered("any active party may bid with its own money"), ctrl: other, ctrlM: bid},
		{name: "accept_bid", attack: func(c class) proto.Message { return &mktypes.MsgAcceptBid{BidId: w.bid1, RightId: w.own(c, w.r1)} },
			ctrl: holder, ctrlM: &mktypes.MsgAcceptBid{BidId: w.bid1, RightId: w.r1}},
		{name: "cancel_bid", attack: any(&mktypes.MsgCancelBid{BidId: w.bid2}), ctrl: bidder, ctrlM: &mktypes.MsgCancelBid{BidId: w.bid2}},
		{name: "set_policy", attack: func(c class) proto.Message {
			return &revtypes.MsgSetPolicy{AssetId: w.a1, Shares: []*revtypes.Share{{Beneficiary: addr(c.key), Bps: 5000}}}
		}, ctrl: sim.Dept, ctrlM: &revtypes.MsgSetPolicy{AssetId: w.a1, Shares: []*revtypes.Share{{Beneficiary: addr(holder), Bps: 1000}}}},
		// x/authorization
		{name: "apply_authorization", attack: any(apply), na: map[string]string{"ended operator": "any party with the operator role may apply; an ended authorisation does not take the role away"},
			ctrl: sim.Ent, ctrlM: apply},
		{name: "approve_authorization", attack: any(&authtypes.MsgApproveAuthorization{Id: w.auApplied}), ctrl: sim.Dept, ctrlM: &authtypes.MsgApproveAuthorization{Id: w.auApplied}},
		{name: "co_approve_authorization", attack: any(&authtypes.MsgCoApproveAuthorization{Id: w.auPending}), ctrl: sim.Admin, ctrlM: &authtypes.MsgCoApproveAuthorization{Id: w.auPending}},
		{name: "reject_authorization", attack: any(&authtypes.MsgRejectAuthorization{Id: w.auApplied2, Reason: reason}), ctrl: sim.Dept, ctrlM: &authtypes.MsgRejectAuthorization{Id: w.auApplied2, Reason: "no"}},
		{name: "evaluate_authorization", attack: any(&authtypes.MsgEvaluateAuthorization{Id: w.au1, Score: 0, ReportHash: hashOf("smear")}),
			ctrl: sim.Admin, ctrlM: &authtypes.MsgEvaluateAuthorization{Id: w.au1, Score: 100, ReportHash: hashOf("audit")}},
		{name: "suspend_authorization", attack: any(&authtypes.MsgSuspendAuthorization{Id: w.au1, Reason: reason}), ctrl: sim.Admin, ctrlM: &authtypes.MsgSuspendAuthorization{Id: w.au1, Reason: "audit"}},
		{name: "resume_authorization", attack: any(&authtypes.MsgResumeAuthorization{Id: w.au1, Reason: reason}), ctrl: sim.Admin, ctrlM: &authtypes.MsgResumeAuthorization{Id: w.au1, Reason: "fixed"}},
		{name: "terminate_authorization", attack: any(&authtypes.MsgTerminateAuthorization{Id: w.au1, Reason: reason}), ctrl: sim.Dept, ctrlM: &authtypes.MsgTerminateAuthorization{Id: w.auApplied, Reason: "ended"}},
		{name: "exit_authorization", attack: func(c class) proto.Message {
			id := w.au1
			if c.key == endedOp {
				id = w.au2
			}
			return &authtypes.MsgExitAuthorization{Id: id, AttestationHash: hashOf("fake")}
		}, ctrl: sim.Ent, ctrlM: &authtypes.MsgExitAuthorization{Id: w.au1, AttestationHash: hashOf("returned")}},
		// x/governance
		{name: "submit_proposal", attack: any(proposal), na: map[string]string{"wrong dept": "any department may: proposals are every department's"},
			ctrl: sim.Dept2, ctrlM: proposal},
		{name: "vote", attack: any(&govtypes.MsgVote{ProposalId: w.proposal, Option: govtypes.VoteOption_VOTE_OPTION_NO}),
			na:   map[string]string{"wrong dept": "any department may: every department votes"},
			ctrl: sim.Admin, ctrlM: &govtypes.MsgVote{ProposalId: w.proposal, Option: govtypes.VoteOption_VOTE_OPTION_NO}},
		// Last: its control revokes Dept's grants on a1. It revokes only the
		// signer's own grants, so from another signer it is a no-op.
		{name: "revoke_all", attack: any(&rightstypes.MsgRevokeAll{AssetId: w.a1, Reason: reason}), scoped: true,
			ctrl: sim.Dept, ctrlM: &rightstypes.MsgRevokeAll{AssetId: w.a1, Reason: "withdrawn"}},
	}
}

// TestAuthorizationMatrix sends every message type from every signer class
// that must not send it, each tx in a block of its own through the real
// app, and checks that the tx failed with a registered code and that the
// whole state (every key of the tree) is unchanged but for the signer's
// nonce. Per message type, the authorised party then sends it and must
// change state.
func TestAuthorizationMatrix(t *testing.T) {
	r := newAuthzRig(t)
	rows := r.rows()
	covered := map[string]bool{}
	for _, rw := range rows {
		covered[rw.name] = true
	}
	for _, typ := range msgTypes() {
		if !covered[typ] {
			t.Errorf("message type %s has no row in the matrix", typ)
		}
	}
	var cells, refused, noops, controls int
	seen := map[string]string{} // codespace/code -> description, for the legend
	var na []string
	var table strings.Builder
	fmt.Fprintf(&table, "%-25s", "message")
	for _, c := range classes {
		fmt.Fprintf(&table, " %-17s", c.name)
	}
	fmt.Fprintf(&table, " %s\n", "control")
	for _, rw := range rows {
		fmt.Fprintf(&table, "%-25s", rw.name)
		for _, c := range classes {
			if why, ok := rw.na[c.name]; ok {
				fmt.Fprintf(&table, " %-17s", "n/a")
				na = append(na, fmt.Sprintf("%s × %s: %s", rw.name, c.name, why))
				continue
			}
			cells++
			res, diff := r.cell(c.key, rw.attack(c))
			code := fmt.Sprintf("%s/%d", res.Codespace, res.Code)
			if e, ok := errs.Lookup(res.Codespace, res.Code); ok {
				seen[code] = e.Error()
			}
			switch {
			case res.Code == abci.CodeTypeOK && rw.scoped && len(diff) == 0:
				noops++
				code = "ok, no change"
			case res.Code == abci.CodeTypeOK:
				t.Errorf("%s × %s: accepted", rw.name, c.name)
			case !registered(res):
				t.Errorf("%s × %s: unregistered error %s/%d %s", rw.name, c.name, res.Codespace, res.Code, res.Log)
			case len(diff) > 0:
				t.Errorf("%s × %s: refused (%s/%d) but changed state: %v", rw.name, c.name, res.Codespace, res.Code, diff)
			default:
				refused++
			}
			fmt.Fprintf(&table, " %-17s", code)
		}
		res, diff := r.cell(rw.ctrl, rw.ctrlM)
		if res.Code != abci.CodeTypeOK {
			t.Errorf("%s control: %s/%d %s", rw.name, res.Codespace, res.Code, res.Log)
		} else if len(diff) == 0 {
			t.Errorf("%s control succeeded but changed nothing beyond the nonce", rw.name)
		} else {
			controls++
		}
		fmt.Fprintf(&table, " %s\n", map[bool]string{true: "ok", false: "FAILED"}[res.Code == abci.CodeTypeOK && len(diff) > 0])
	}
	t.Logf("authorisation matrix (codespace/code per message × signer class):\n%s", table.String())
	var legend []string
	for code, desc := range seen {
		legend = append(legend, fmt.Sprintf("%-18s %s", code, desc))
	}
	slices.Sort(legend)
	t.Logf("codes:\n  %s", strings.Join(legend, "\n  "))
	t.Logf("not applicable:\n  %s", strings.Join(na, "\n  "))
	t.Logf("%d message types, %d classes: %d cells, %d refused with a registered code and no state change, %d accepted as a no-op on the signer's own grants, %d n/a; %d/%d controls changed state",
		len(rows), len(classes), cells, refused, noops, len(na), controls, len(rows))
	if refused+noops != cells || controls != len(rows) {
		t.Errorf("%d of %d cells let a signer through; %d of %d controls changed state", cells-refused-noops, cells, controls, len(rows))
	}
}

// cell runs one tx of key in a block of its own and returns its result
// and the state keys it changed other than the signer's nonce.
func (r *authzRig) cell(key *ecdsa.PrivateKey, m proto.Message) (*abci.ExecTxResult, []string) {
	r.t.Helper()
	before := testkit.Dump(r.d.Tree)
	res := r.try(key, m)
	after := testkit.Dump(r.d.Tree)
	return res, changed(before, after, app.NonceKey(apptest.Addr(key)))
}

// changed lists the keys whose values differ between two dumps, but skip.
func changed(a, b []testkit.Pair, skip []byte) []string {
	m := make(map[string][]byte, len(a))
	for _, p := range a {
		m[string(p.Key)] = p.Value
	}
	var out []string
	for _, p := range b {
		if v, ok := m[string(p.Key)]; !ok || !bytes.Equal(v, p.Value) {
			if !bytes.Equal(p.Key, skip) {
				out = append(out, fmt.Sprintf("%X", p.Key))
			}
		}
		delete(m, string(p.Key))
	}
	for k := range m {
		if !bytes.Equal([]byte(k), skip) {
			out = append(out, fmt.Sprintf("%X (deleted)", k))
		}
	}
	slices.Sort(out)
	return out
}

func registered(res *abci.ExecTxResult) bool {
	_, ok := errs.Lookup(res.Codespace, res.Code)
	return ok
}
