package keeper_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/x/authorization/keeper"
	"github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

func TestApply(t *testing.T) {
	f := newFixture(t, nil)
	id := f.must(op1, apply(aPublic, aPublic2))
	a := f.auth(id)
	switch {
	case id != "au-1", a.Authoriser != dept1, a.Operator != op1, !slices.Equal(a.AssetIds, []string{aPublic, aPublic2}):
		t.Fatalf("authorisation: %v", a)
	case a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_APPLIED, a.AppliedHeight != f.height, a.ValidFrom != nil:
		t.Fatalf("status: %v", a)
	case a.TermSeconds != year, a.TermsHash != hashT, a.Revenue.OperatorShareBps != 3000, a.Revenue.PublicServiceShareBps != 1000:
		t.Fatalf("terms: %v", a)
	case !slices.Equal(a.Scope.Operations, qcd) || len(a.OperatorRightIds) != 0:
		t.Fatalf("scope: %v", a)
	}
	// One event per covered asset, each naming it.
	for _, asset := range []string{aPublic, aPublic2} {
		if !testkit.HasEvent(f.events, types.EventApplied, types.AttrAuthorizationID, id, types.AttrOperator, op1, types.AttrAuthoriser, dept1,
			types.AttrActor, op1, types.AttrAssetID, asset) {
			t.Fatalf("events: %v", f.events)
		}
	}
	if len(f.events) != 2 {
		t.Fatalf("%d events, want one per covered asset: %v", len(f.events), f.events)
	}
	for _, e := range f.events {
		for _, at := range e.Attributes {
			indexed := at.Key == types.AttrAuthorizationID || at.Key == types.AttrOperator || at.Key == types.AttrAuthoriser ||
				at.Key == types.AttrActor || at.Key == types.AttrAssetID
			if at.Index != indexed {
				t.Fatalf("attribute %s indexed %v", at.Key, at.Index)
			}
		}
	}
	if len(f.rights.calls) != 0 {
		t.Fatalf("applying called x/rights: %v", f.rights.ops())
	}
	// The scope is stored in canonical form.
	id2 := f.must(op2, with(apply(aPublic), func(m *types.MsgApplyAuthorization) {
		m.Scope.Operations = []rightstypes.Operation{rightstypes.Operation_OPERATION_DERIVE, rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_QUERY}
	}))
	if got := f.auth(id2).Scope.Operations; !slices.Equal(got, []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_DERIVE}) {
		t.Fatalf("normalised operations: %v", got)
	}
}

func TestApplyRejected(t *testing.T) {
	edit := func(e func(*types.MsgApplyAuthorization)) *types.MsgApplyAuthorization {
		return with(apply(aPublic), e)
	}
	for _, tc := range []struct {
		name  string
		actor string
		msg   *types.MsgApplyAuthorization
		want  error
	}{
		{"not an operator", ent, apply(aPublic), types.ErrNotOperatorRole},
		{"a department is no operator", dept2, apply(aPublic), types.ErrNotOperatorRole},
		{"suspended operator", susp, apply(aPublic), idtypes.ErrPartySuspended},
		{"core data", op1, apply(aPublic, aCore), types.ErrCoreData},
		{"enterprise data", op1, with(apply(aEnt), func(m *types.MsgApplyAuthorization) { m.Authoriser = dept1 }), types.ErrNotPublicData},
		{"personal data", op1, apply(aPersonal), types.ErrNotPublicData},
		{"frozen asset", op1, apply(aFrozen), types.ErrAssetBlocked},
		{"disputed asset", op1, apply(aDisputed), types.ErrAssetBlocked},
		{"cancelled asset", op1, apply(aCancelled), types.ErrAssetBlocked},
		{"important data without privacy computing", op1, apply(aImportant), types.ErrImportantNeedsPrivacy},
		{"authoriser does not hold the asset", op1, apply(aPublic, aOther), types.ErrNotHolder},
		{"unknown asset", op1, apply("a-99"), errNoAsset},
		{"authoriser not a department", op1, edit(func(m *types.MsgApplyAuthorization) { m.Authoriser = op2 }), types.ErrInvalidAuthoriser},
		{"authoriser not a party", op1, edit(func(m *types.MsgApplyAuthorization) { m.Authoriser = nobody }), types.ErrInvalidAuthoriser},
		{"authoriser is the operator", op1, edit(func(m *types.MsgApplyAuthorization) { m.Authoriser = op1 }), types.ErrInvalidAuthoriser},
		{"more than max_assets", op1, apply(aPublic, aPublic2, aImportant), types.ErrTooManyAssets},
		{"term over max_term_seconds", op1, edit(func(m *types.MsgApplyAuthorization) { m.TermSeconds = types.DefaultMaxTermSeconds + 1 }), types.ErrTermTooLong},
		{"no term", op1, edit(func(m *types.MsgApplyAuthorization) { m.TermSeconds = 0 }), types.ErrInvalidTerm},
		{"shares over 10,000 together", op1, edit(func(m *types.MsgApplyAuthorization) { m.Revenue.PublicServiceShareBps = 7001 }), types.ErrInvalidRevenue},
		{"share over 10,000", op1, edit(func(m *types.MsgApplyAuthorization) { m.Revenue.OperatorShareBps = 10_001 }), types.ErrInvalidRevenue},
		{"no revenue terms", op1, edit(func(m *types.MsgApplyAuthorization) { m.Revenue = nil }), types.ErrInvalidRevenue},
		{"asset twice", op1, apply(aPublic, aPublic), types.ErrDuplicateAsset},
		{"no asset", op1, apply(), types.ErrInvalidFields},
		{"bad terms hash", op1, edit(func(m *types.MsgApplyAuthorization) { m.TermsHash = strings.ToUpper(hashT) }), types.ErrInvalidHash},
		{"no operation", op1, edit(func(m *types.MsgApplyAuthorization) { m.Scope.Operations = nil }), types.ErrInvalidScope},
		{"bad standard", op1, edit(func(m *types.MsgApplyAuthorization) { m.Standards = []string{"GB T"} }), types.ErrInvalidFields},
		{"bad authoriser address", op1, edit(func(m *types.MsgApplyAuthorization) { m.Authoriser = "dept1" }), types.ErrInvalidFields},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, &types.Params{EvaluationThreshold: 60, MaxAssets: 2, MaxTermSeconds: types.DefaultMaxTermSeconds, MaxExpiriesPerBlock: 10})
			f.rejects(tc.actor, tc.msg, tc.want)
		})
	}
}

func TestApproveActivates(t *testing.T) {
	f := newFixture(t, nil)
	id := f.must(op1, apply(aPublic, aPublic2))
	f.next(time.Hour)
	f.must(dept1, &types.MsgApproveAuthorization{Id: id})
	a := f.auth(id)
	until := f.now.Add(time.Duration(year) * time.Second)
	switch {
	case a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE, a.StatusHeight != f.height:
		t.Fatalf("status: %v", a)
	case !a.ValidFrom.AsTime().Equal(f.now), !a.ValidUntil.AsTime().Equal(until):
		t.Fatalf("term: %v to %v", a.ValidFrom.AsTime(), a.ValidUntil.AsTime())
	case !slices.Equal(a.OperatorRightIds, []string{"r-101", "r-102"}):
		t.Fatalf("operator rights: %v", a.OperatorRightIds)
	}
	if len(f.rights.calls) != 2 {
		t.Fatalf("calls: %v", f.rights.ops())
	}
	for i, asset := range []string{aPublic, aPublic2} {
		c := f.rights.calls[i]
		if c.op != "mint" || c.asset != asset || c.operator != op1 || c.authz != id || !c.until.Equal(until) || !proto.Equal(c.scope, a.Scope) {
			t.Fatalf("mint %d: %+v", i, c)
		}
	}
	if got := eventTypes(f.events); !slices.Equal(got, []string{types.EventApproved, types.EventActivated}) {
		t.Fatalf("events %v", got)
	}
	if !testkit.HasEvent(f.events, types.EventActivated, types.AttrAuthorizationID, id, types.AttrActor, dept1, types.AttrRightIDs, "r-101,r-102") {
		t.Fatalf("events: %v", f.events)
	}
	// Wrong status: the message names the status it is in.
	err := f.rejects(dept1, &types.MsgApproveAuthorization{Id: id}, types.ErrWrongStatus)
	if !strings.Contains(err.Error(), "au-1 is active") {
		t.Fatalf("wrong-status message: %v", err)
	}
}

func TestApproveRejected(t *testing.T) {
	for _, tc := range []struct {
		name  string
		actor string
		id    string
		setup func(f *fixture)
		want  error
	}{
		{name: "by another department", actor: dept2, want: types.ErrNotAuthoriser},
		{name: "by the operator", actor: op1, want: types.ErrNotAuthoriser},
		{name: "by the data admin", actor: admin, want: types.ErrNotAuthoriser},
		{name: "authoriser no longer holds an asset", actor: dept1, want: types.ErrNotHolder,
			setup: func(f *fixture) { f.rights.holders[aPublic2] = dept2 }},
		{name: "asset frozen since", actor: dept1, want: types.ErrAssetBlocked,
			setup: func(f *fixture) { f.reg.assets[aPublic2].Frozen = true }},
		{name: "asset disputed since", actor: dept1, want: types.ErrAssetBlocked,
			setup: func(f *fixture) { f.reg.assets[aPublic].Status = regtypes.AssetStatus_ASSET_STATUS_DISPUTED }},
		{name: "asset graded core since", actor: dept1, want: types.ErrCoreData,
			setup: func(f *fixture) { f.reg.assets[aPublic].Grade = regtypes.Grade_GRADE_CORE }},
		{name: "asset reclassified personal since", actor: dept1, want: types.ErrNotPublicData,
			setup: func(f *fixture) {
				f.reg.assets[aPublic].Classification = regtypes.Classification_CLASSIFICATION_PERSONAL
			}},
		{name: "operator lost its role", actor: dept1, want: types.ErrNotOperatorRole,
			setup: func(f *fixture) { f.ids.parties[op1].Roles = nil }},
		{name: "operator suspended", actor: dept1, want: types.ErrNotOperatorRole,
			setup: func(f *fixture) { f.ids.parties[op1].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED }},
		{name: "x/rights refuses a mint", actor: dept1, want: errRights,
			setup: func(f *fixture) { f.rights.fail["mint:"+aPublic2] = errRights }},
		{name: "unknown id", actor: dept1, id: "au-9", want: types.ErrNotFound},
		{name: "malformed id", actor: dept1, id: "au-01", want: types.ErrInvalidID},
		{name: "rejected already", actor: dept1, want: types.ErrWrongStatus,
			setup: func(f *fixture) { f.must(dept1, &types.MsgRejectAuthorization{Id: "au-1", Reason: "no"}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.must(op1, apply(aPublic, aPublic2))
			if tc.setup != nil {
				tc.setup(f)
			}
			id := "au-1"
			if tc.id != "" {
				id = tc.id
			}
			f.rejects(tc.actor, &types.MsgApproveAuthorization{Id: id}, tc.want)
			if f.status("au-1") == types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE {
				t.Fatal("activated")
			}
		})
	}
}

// TestImportantNeedsCoApproval: important data waits, after the
// authoriser's approval, for the data admin; only then are rights minted.
func TestImportantNeedsCoApproval(t *testing.T) {
	f := newFixture(t, nil)
	msg := with(apply(aPublic, aImportant), func(m *types.MsgApplyAuthorization) { m.Scope.PrivacyComputingOnly = true })
	id := f.must(op1, msg)
	f.rejects(dept1, &types.MsgCoApproveAuthorization{Id: id}, types.ErrNotDataAdmin)
	f.rejects(admin, &types.MsgCoApproveAuthorization{Id: id}, types.ErrWrongStatus)
	f.must(dept1, &types.MsgApproveAuthorization{Id: id})
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_PENDING_CO_APPROVAL || len(f.rights.calls) != 0 {
		t.Fatalf("after approval: %v, %v", f.status(id), f.rights.ops())
	}
	if got := eventTypes(f.events); !slices.Equal(got, []string{types.EventApproved}) {
		t.Fatalf("events %v", got)
	}
	f.rejects(dept1, &types.MsgApproveAuthorization{Id: id}, types.ErrWrongStatus)
	f.rejects(dept1, &types.MsgCoApproveAuthorization{Id: id}, types.ErrNotDataAdmin)
	f.rejects(auditor, &types.MsgCoApproveAuthorization{Id: id}, types.ErrNotDataAdmin)
	f.rejects(op1, &types.MsgExitAuthorization{Id: id, AttestationHash: hashX}, types.ErrWrongStatus)

	f.next(time.Hour)
	f.must(admin, &types.MsgCoApproveAuthorization{Id: id})
	a := f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE || a.CoApprovedBy != admin || !a.ValidFrom.AsTime().Equal(f.now) {
		t.Fatalf("after co-approval: %v", a)
	}
	if got := f.rights.ops(); !slices.Equal(got, []string{"mint", "mint"}) || !f.rights.calls[1].scope.PrivacyComputingOnly {
		t.Fatalf("calls %v", f.rights.calls)
	}
	if got := eventTypes(f.events); !slices.Equal(got, []string{types.EventCoApproved, types.EventActivated}) {
		t.Fatalf("events %v", got)
	}
	f.rejects(admin, &types.MsgCoApproveAuthorization{Id: id}, types.ErrWrongStatus)
}

func TestCoApproveRechecks(t *testing.T) {
	f := newFixture(t, nil)
	id := f.must(op1, with(apply(aImportant), func(m *types.MsgApplyAuthorization) { m.Scope.PrivacyComputingOnly = true }))
	f.must(dept1, &types.MsgApproveAuthorization{Id: id})
	f.reg.assets[aImportant].Grade = regtypes.Grade_GRADE_CORE
	f.rejects(admin, &types.MsgCoApproveAuthorization{Id: id}, types.ErrCoreData)
}

func TestReject(t *testing.T) {
	f := newFixture(t, nil)
	id := f.must(op1, apply(aPublic))
	f.rejects(op1, &types.MsgRejectAuthorization{Id: id, Reason: "changed my mind"}, types.ErrNotAuthoriserOrAdmin)
	f.rejects(dept2, &types.MsgRejectAuthorization{Id: id, Reason: "no"}, types.ErrNotAuthoriserOrAdmin)
	f.rejects(dept1, &types.MsgRejectAuthorization{Id: id}, types.ErrInvalidReason)
	f.must(dept1, &types.MsgRejectAuthorization{Id: id, Reason: "the terms do not protect personal information"})
	a := f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_REJECTED || a.StatusReason != "the terms do not protect personal information" {
		t.Fatalf("rejected: %v", a)
	}
	if !testkit.HasEvent(f.events, types.EventRejected, types.AttrAuthorizationID, id, types.AttrActor, dept1) {
		t.Fatalf("events %v", f.events)
	}
	f.rejects(dept1, &types.MsgRejectAuthorization{Id: id, Reason: "again"}, types.ErrWrongStatus)

	// The data admin may reject one awaiting co-approval.
	id2 := f.must(op1, with(apply(aImportant), func(m *types.MsgApplyAuthorization) { m.Scope.PrivacyComputingOnly = true }))
	f.must(dept1, &types.MsgApproveAuthorization{Id: id2})
	f.must(admin, &types.MsgRejectAuthorization{Id: id2, Reason: "important data needs a security review"})
	if f.status(id2) != types.AuthorizationStatus_AUTHORIZATION_STATUS_REJECTED {
		t.Fatal(f.status(id2))
	}
	// Not once it is active: that is termination.
	id3 := f.active()
	f.rejects(dept1, &types.MsgRejectAuthorization{Id: id3, Reason: "no"}, types.ErrWrongStatus)
}

func TestEvaluate(t *testing.T) {
	f := newFixture(t, nil)
	applied := f.must(op2, apply(aPublic))
	id := f.active()
	eval := func(score uint32) *types.MsgEvaluateAuthorization {
		return &types.MsgEvaluateAuthorization{Id: id, Score: score, ReportHash: hashR}
	}
	f.rejects(op1, eval(90), types.ErrNotEvaluator)
	f.rejects(dept1, eval(90), types.ErrNotEvaluator)
	f.rejects(auditor, eval(101), types.ErrInvalidScore)
	f.rejects(auditor, &types.MsgEvaluateAuthorization{Id: id, Score: 90}, types.ErrInvalidHash)
	f.rejects(auditor, &types.MsgEvaluateAuthorization{Id: applied, Score: 90, ReportHash: hashR}, types.ErrWrongStatus)
	f.rights.calls = nil

	// At the threshold: recorded, still active.
	f.must(auditor, eval(60))
	if a := f.auth(id); a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE || a.LastScore != 60 || len(f.rights.calls) != 0 {
		t.Fatalf("score 60: %v, %v", a, f.rights.ops())
	}
	if !testkit.HasEvent(f.events, types.EventEvaluated, types.AttrAuthorizationID, id, types.AttrActor, auditor, types.AttrNumber, "1", types.AttrScore, "60") {
		t.Fatalf("events %v", f.events)
	}

	// Below: suspended at once, with the operator's rights.
	f.next(time.Hour)
	f.must(admin, eval(59))
	a := f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED || a.LastScore != 59 || !strings.Contains(a.StatusReason, "below the threshold 60") {
		t.Fatalf("score 59: %v", a)
	}
	if len(f.rights.calls) != 1 || f.rights.calls[0].op != "suspend" || !slices.Equal(f.rights.calls[0].ids, a.OperatorRightIds) {
		t.Fatalf("calls %+v", f.rights.calls)
	}
	if got := eventTypes(f.events); !slices.Equal(got, []string{types.EventEvaluated, types.EventSuspended}) {
		t.Fatalf("events %v", got)
	}
	if !testkit.HasEvent(f.events, types.EventSuspended, types.AttrAuthorizationID, id, types.AttrScore, "59", types.AttrThreshold, "60") {
		t.Fatalf("events %v", f.events)
	}

	// A suspended one may be evaluated again; it stays suspended.
	f.must(auditor, eval(30))
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED || len(f.rights.calls) != 1 {
		t.Fatalf("evaluated while suspended: %v, %v", f.status(id), f.rights.ops())
	}
	resp, err := f.k.QueryEvaluations(f.tree, &types.QueryEvaluationsRequest{Id: id})
	if err != nil {
		t.Fatal(err)
	}
	var got []uint32
	for i, e := range resp.Evaluations {
		if e.Number != uint32(i+1) || e.AuthorizationId != id || e.ReportHash != hashR {
			t.Fatalf("evaluation %d: %v", i, e)
		}
		got = append(got, e.Score)
	}
	if !slices.Equal(got, []uint32{60, 59, 30}) || resp.Evaluations[1].Evaluator != admin {
		t.Fatalf("evaluations: %v", resp.Evaluations)
	}
}

// TestEvaluationThresholdParam: the threshold is a param.
func TestEvaluationThresholdParam(t *testing.T) {
	p := types.DefaultParams()
	p.EvaluationThreshold = 80
	f := newFixture(t, p)
	id := f.active()
	f.must(auditor, &types.MsgEvaluateAuthorization{Id: id, Score: 79, ReportHash: hashR})
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED {
		t.Fatal(f.status(id))
	}
}

func TestSuspendResume(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	ids := f.auth(id).OperatorRightIds
	f.rights.calls = nil
	f.rejects(dept1, &types.MsgSuspendAuthorization{Id: id, Reason: "audit"}, types.ErrNotDataAdmin)
	f.rejects(admin, &types.MsgSuspendAuthorization{Id: id}, types.ErrInvalidReason)
	f.rejects(admin, &types.MsgResumeAuthorization{Id: id, Reason: "fine"}, types.ErrWrongStatus)
	f.must(admin, &types.MsgSuspendAuthorization{Id: id, Reason: "data leak reported"})
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED || !slices.Equal(f.rights.ops(), []string{"suspend"}) ||
		!slices.Equal(f.rights.calls[0].ids, ids) || !strings.Contains(f.rights.calls[0].reason, "data leak reported") {
		t.Fatalf("suspended: %v, %+v", f.status(id), f.rights.calls)
	}
	if !testkit.HasEvent(f.events, types.EventSuspended, types.AttrAuthorizationID, id, types.AttrActor, admin, types.AttrReason, "data leak reported") {
		t.Fatalf("events %v", f.events)
	}
	f.rejects(admin, &types.MsgSuspendAuthorization{Id: id, Reason: "again"}, types.ErrWrongStatus)
	f.rejects(op1, &types.MsgResumeAuthorization{Id: id, Reason: "fixed"}, types.ErrNotDataAdmin)
	f.rights.fail["resume"] = errRights
	f.rejects(admin, &types.MsgResumeAuthorization{Id: id, Reason: "fixed"}, errRights)
	delete(f.rights.fail, "resume")
	f.must(admin, &types.MsgResumeAuthorization{Id: id, Reason: "leak contained"})
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE || !slices.Equal(f.rights.ops(), []string{"suspend", "resume"}) {
		t.Fatalf("resumed: %v, %v", f.status(id), f.rights.ops())
	}
	if !testkit.HasEvent(f.events, types.EventResumed, types.AttrAuthorizationID, id, types.AttrReason, "leak contained") {
		t.Fatalf("events %v", f.events)
	}
}

// TestResumeAfterTerm: a suspended authorisation whose term has passed
// (EndBlock not yet run) cannot be resumed.
func TestResumeAfterTerm(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	f.must(admin, &types.MsgSuspendAuthorization{Id: id, Reason: "audit"})
	f.next(time.Duration(year) * time.Second)
	f.rejects(admin, &types.MsgResumeAuthorization{Id: id, Reason: "fine"}, types.ErrTermEnded)
}

func TestTerminate(t *testing.T) {
	f := newFixture(t, nil)
	applied := f.must(op2, apply(aPublic))
	id := f.active()
	ids := f.auth(id).OperatorRightIds
	f.rights.calls = nil
	f.rejects(op1, &types.MsgTerminateAuthorization{Id: id, Reason: "x"}, types.ErrNotAuthoriserOrAdmin)
	f.rejects(dept2, &types.MsgTerminateAuthorization{Id: id, Reason: "x"}, types.ErrNotAuthoriserOrAdmin)
	f.rejects(dept1, &types.MsgTerminateAuthorization{Id: applied, Reason: "x"}, types.ErrWrongStatus)
	f.must(dept1, &types.MsgTerminateAuthorization{Id: id, Reason: "breach of the terms"})
	a := f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_TERMINATED || a.StatusReason != "breach of the terms" {
		t.Fatalf("terminated: %v", a)
	}
	if !slices.Equal(f.rights.ops(), []string{"end"}) || !slices.Equal(f.rights.calls[0].ids, ids) {
		t.Fatalf("calls %+v", f.rights.calls)
	}
	if !testkit.HasEvent(f.events, types.EventTerminated, types.AttrAuthorizationID, id, types.AttrActor, dept1, types.AttrReason, "breach of the terms") {
		t.Fatalf("events %v", f.events)
	}
	err := f.rejects(dept1, &types.MsgTerminateAuthorization{Id: id, Reason: "again"}, types.ErrWrongStatus)
	if !strings.Contains(err.Error(), "is terminated") {
		t.Fatalf("message %v", err)
	}
	// It left the expiry queue: its term's end does nothing.
	f.next(time.Duration(year) * time.Second)
	if evs := f.endBlock(); len(evs) != 0 || len(f.rights.calls) != 1 {
		t.Fatalf("end block after termination: %v, %v", evs, f.rights.ops())
	}

	// The data admin may terminate a suspended one.
	id2 := f.active()
	f.must(admin, &types.MsgSuspendAuthorization{Id: id2, Reason: "audit"})
	f.must(admin, &types.MsgTerminateAuthorization{Id: id2, Reason: "audit failed"})
	if f.status(id2) != types.AuthorizationStatus_AUTHORIZATION_STATUS_TERMINATED {
		t.Fatal(f.status(id2))
	}
}

func TestExit(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	f.rights.calls = nil
	exit := &types.MsgExitAuthorization{Id: id, AttestationHash: hashX}
	f.rejects(dept1, exit, types.ErrNotOperator)
	f.rejects(op2, exit, types.ErrNotOperator)
	f.rejects(op1, &types.MsgExitAuthorization{Id: id, AttestationHash: "destroyed"}, types.ErrInvalidHash)
	f.must(op1, exit)
	a := f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_EXITED || a.AttestationHash != hashX {
		t.Fatalf("exited: %v", a)
	}
	if !slices.Equal(f.rights.ops(), []string{"end"}) || !slices.Equal(f.rights.calls[0].ids, a.OperatorRightIds) {
		t.Fatalf("calls %+v", f.rights.calls)
	}
	if !testkit.HasEvent(f.events, types.EventExited, types.AttrAuthorizationID, id, types.AttrActor, op1, types.AttrAttestationHash, hashX) {
		t.Fatalf("events %v", f.events)
	}
	f.rejects(op1, exit, types.ErrWrongStatus)
	f.rejects(admin, &types.MsgResumeAuthorization{Id: id, Reason: "x"}, types.ErrWrongStatus)
	f.rejects(auditor, &types.MsgEvaluateAuthorization{Id: id, Score: 10, ReportHash: hashR}, types.ErrWrongStatus)
}

// TestStatusIndexInStep: the status index holds exactly one entry per
// authorisation, its current status, whatever path it took.
func TestStatusIndexInStep(t *testing.T) {
	f := newFixture(t, nil)
	a := f.active()
	b := f.must(op2, apply(aPublic))
	c := f.active()
	f.must(dept1, &types.MsgRejectAuthorization{Id: b, Reason: "no"})
	f.must(auditor, &types.MsgEvaluateAuthorization{Id: c, Score: 1, ReportHash: hashR})
	f.must(op1, &types.MsgExitAuthorization{Id: a, AttestationHash: hashX})
	want := map[string]types.AuthorizationStatus{
		a: types.AuthorizationStatus_AUTHORIZATION_STATUS_EXITED,
		b: types.AuthorizationStatus_AUTHORIZATION_STATUS_REJECTED,
		c: types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED,
	}
	total := 0
	for s := range types.AuthorizationStatus_name {
		if s == 0 {
			continue
		}
		resp, err := f.k.QueryAuthorizations(f.tree, &types.QueryAuthorizationsRequest{Status: types.AuthorizationStatus(s)})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range resp.Authorizations {
			total++
			if x.Status != types.AuthorizationStatus(s) || want[x.Id] != x.Status {
				t.Fatalf("index %s holds %s (%s)", types.StatusName(types.AuthorizationStatus(s)), x.Id, types.StatusName(x.Status))
			}
		}
	}
	if total != 3 {
		t.Fatalf("%d status entries for 3 authorisations", total)
	}
}

func TestHandleIgnoresOtherMessages(t *testing.T) {
	f := newFixture(t, nil)
	if _, handled, _ := f.k.Handle(f.ctxEv(op1, nil), f.tree, &rightstypes.MsgRevokeRight{}); handled {
		t.Fatal("handled a rights message")
	}
	if f.k.Name() != types.ModuleName || keeper.StorePrefix[0] != 0x05 {
		t.Fatal("name or prefix")
	}
}
