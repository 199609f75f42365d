package keeper_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/keeper"
	"github.com/datarights/datarights/x/rights/types"
)

func (f *fixture) request(asset string, s *types.Scope, purpose string) *types.MsgRequestRight {
	return &types.MsgRequestRight{AssetId: asset, Scope: s, Purpose: purpose, ValidUntil: ts(f.now.Add(10 * 24 * time.Hour))}
}

func TestRequests(t *testing.T) {
	requested := func(f *fixture) { f.must(ent2, f.request(aEnt, scope(false, qc), "research")) }
	runCases(t, []msgCase{
		{name: "any party asks the holder", actor: ent2,
			msg: func(f *fixture) proto.Message { return f.request(aEnt, scope(false, qc), "research") },
			check: func(t *testing.T, f *fixture, id string) {
				q, err := f.k.Request(f.tree, id)
				if err != nil || id != "q-1" || q.Holder != ent1 || q.Requester != ent2 || q.Status != types.RequestStatus_REQUEST_STATUS_PENDING {
					t.Fatalf("request %v, %v", q, err)
				}
				if len(q.Scope.Purposes) != 1 || q.Scope.Purposes[0] != "research" {
					t.Fatalf("scope purposes %v: want the request's purpose", q.Scope.Purposes)
				}
				if !testkit.HasEvent(f.events, types.EventRightRequested, types.AttrRequestID, id, types.AttrHolder, ent1) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "request for unknown asset", actor: ent2, want: errNoAsset,
			msg: func(f *fixture) proto.Message { return f.request("a-99", scope(false, qc), "research") }},
		{name: "request on a frozen asset", actor: ent2, want: types.ErrAssetBlocked, setup: func(f *fixture) { f.freeze(aEnt) },
			msg: func(f *fixture) proto.Message { return f.request(aEnt, scope(false, qc), "research") }},
		{name: "the holder asks itself", actor: ent1, want: types.ErrInvalidGrantee,
			msg: func(f *fixture) proto.Message { return f.request(aEnt, scope(false, qc), "research") }},
		{name: "request for core data", actor: ent2, want: types.ErrCoreDataRedLine,
			msg: func(f *fixture) proto.Message { return f.request(aCore, scope(true, qc), "research") }},
		{name: "request for important data in the clear", actor: ent2, want: types.ErrImportantDataRedLine,
			msg: func(f *fixture) proto.Message { return f.request(aImportant, scope(false, qc), "research") }},
		{name: "purpose outside the scope's purposes", actor: ent2, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.request(aEnt, scope(false, qc, "planning"), "research") }},
		{name: "no purpose", actor: ent2, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.request(aEnt, scope(false, qc), "") }},
		{name: "no end", actor: ent2, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				m := f.request(aEnt, scope(false, qc), "research")
				m.ValidUntil = nil
				return m
			}},
		{name: "end passed", actor: ent2, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				m := f.request(aEnt, scope(false, qc), "research")
				m.ValidUntil = ts(f.now.Add(-time.Hour))
				return m
			}},

		{name: "the holder approves: a use right is minted", actor: ent1, setup: requested,
			msg: func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1"} },
			check: func(t *testing.T, f *fixture, id string) {
				r := f.right(id)
				if r.Holder != ent2 || r.Kind != types.RightKind_RIGHT_KIND_USE || r.ParentId != root(aEnt) || r.Sublicensable || r.Transferable {
					t.Fatalf("minted %v", r)
				}
				if !r.ValidUntil.AsTime().Equal(f.now.Add(9*24*time.Hour-time.Hour)) && !r.ValidUntil.AsTime().After(f.now) {
					t.Fatalf("until %v", r.ValidUntil.AsTime())
				}
				q, _ := f.k.Request(f.tree, "q-1")
				if q.Status != types.RequestStatus_REQUEST_STATUS_APPROVED || q.RightId != id {
					t.Fatalf("request after approval %v", q)
				}
				if !testkit.HasEvent(f.events, types.EventRequestApproved, types.AttrRequestID, "q-1", types.AttrRightID, id) ||
					!testkit.HasEvent(f.events, types.EventRightGranted, types.AttrRequestID, "q-1") {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "approve from another right of the holder", actor: ent1, setup: func(f *fixture) {
			requested(f)
			f.sub(root(aEnt), ent1, ent3, scope(false, qc))
			f.must(ent3, &types.MsgTransferRight{RightId: "r-9", To: ent1})
		},
			msg: func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1", ParentId: "r-9"} },
			check: func(t *testing.T, f *fixture, id string) {
				if r := f.right(id); r.ParentId != "r-9" || r.Depth != 2 || r.Holder != ent2 {
					t.Fatalf("minted %v", r)
				}
			}},
		{name: "approve from a right the holder does not hold", actor: ent1, want: types.ErrNotHolder,
			setup: func(f *fixture) { requested(f); f.sub(root(aEnt), ent1, ent3, scope(false, qc)) },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1", ParentId: "r-9"} }},
		{name: "approve by someone else", actor: ent3, setup: requested, want: types.ErrNotRequestHolder,
			msg: func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1"} }},
		{name: "approve twice", actor: ent1, want: types.ErrRequestNotPending,
			setup: func(f *fixture) { requested(f); f.must(ent1, &types.MsgApproveRequest{RequestId: "q-1"}) },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1"} }},
		{name: "approve an unknown request", actor: ent1, want: types.ErrRequestNotFound,
			msg: func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-5"} }},
		{name: "approve from a right on another asset", actor: ent1, setup: requested, want: types.ErrInvalidFields,
			msg: func(*fixture) proto.Message {
				return &types.MsgApproveRequest{RequestId: "q-1", ParentId: root(aProduct)}
			}},
		{name: "approve beside an exclusive right", actor: ent1, want: types.ErrExclusiveConflict,
			setup: func(f *fixture) {
				requested(f)
				f.must(ent1, with(f.use(root(aEnt), ent3, scope(false, qc)), func(m *types.MsgGrantRight) { m.Exclusive = true }))
			},
			msg: func(*fixture) proto.Message { return &types.MsgApproveRequest{RequestId: "q-1"} }},
		{name: "the holder rejects", actor: ent1, setup: requested,
			msg: func(*fixture) proto.Message {
				return &types.MsgRejectRequest{RequestId: "q-1", Reason: "not for that purpose"}
			},
			check: func(t *testing.T, f *fixture, id string) {
				q, _ := f.k.Request(f.tree, id)
				if q.Status != types.RequestStatus_REQUEST_STATUS_REJECTED || q.Reason != "not for that purpose" {
					t.Fatalf("request %v", q)
				}
			}},
		{name: "reject without a reason", actor: ent1, setup: requested, want: types.ErrInvalidReason,
			msg: func(*fixture) proto.Message { return &types.MsgRejectRequest{RequestId: "q-1"} }},
		{name: "reject by someone else", actor: ent2, setup: requested, want: types.ErrNotRequestHolder,
			msg: func(*fixture) proto.Message { return &types.MsgRejectRequest{RequestId: "q-1", Reason: "no"} }},
		{name: "reject after rejecting", actor: ent1, want: types.ErrRequestNotPending,
			setup: func(f *fixture) { requested(f); f.must(ent1, &types.MsgRejectRequest{RequestId: "q-1", Reason: "no"}) },
			msg:   func(*fixture) proto.Message { return &types.MsgRejectRequest{RequestId: "q-1", Reason: "no"} }},
	})
}

func TestTransfer(t *testing.T) {
	transferableUse := func(f *fixture) { f.sub(root(aEnt), ent1, ent2, scope(false, qc)) }
	runCases(t, []msgCase{
		{name: "a transferable use right moves", actor: ent2, setup: transferableUse,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent3} },
			check: func(t *testing.T, f *fixture, id string) {
				r := f.right(id)
				if r.Holder != ent3 || r.Grantor != ent1 || r.Status != types.RightStatus_RIGHT_STATUS_ACTIVE {
					t.Fatalf("after transfer %v", r)
				}
				for holder, want := range map[string]int{ent2: 0, ent3: 1} {
					resp, err := f.k.QueryRights(f.tree, &types.QueryRightsRequest{Holder: holder})
					if err != nil || len(resp.Rights) != want {
						t.Fatalf("rights of %s: %v, %v", holder, resp, err)
					}
				}
				if !testkit.HasEvent(f.events, types.EventRightTransferred, types.AttrRightID, id, types.AttrFrom, ent2, types.AttrParty, ent3) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "a root moves; its grants keep their grantor", actor: ent1,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent3, scope(false, qc))) },
			msg:   func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: root(aEnt), To: ent2} },
			check: func(t *testing.T, f *fixture, _ string) {
				if h, _ := f.k.HolderOf(f.tree, f.reg.assets[aEnt]); h != ent2 {
					t.Fatalf("HolderOf = %s", h)
				}
				f.must(ent1, &types.MsgRevokeRight{RightId: "r-9", Reason: "the old holder still answers for its grant"})
			}},
		{name: "an approved grant on important data waits again for its new holder", actor: ent2,
			setup: func(f *fixture) {
				f.must(dept1, with(f.use(root(aImportant), ent2, scope(true, qc)), func(m *types.MsgGrantRight) { m.Transferable = true }))
				f.must(admin, &types.MsgApproveGrant{RightId: "r-9"})
			},
			msg:   func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent3} },
			check: wantStatus(types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL)},
		{name: "a public-data holding right never moves", actor: dept1, want: types.ErrPublicHoldingNotTransferable,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: root(aPublic), To: dept2} }},
		{name: "not transferable", actor: ent2, want: types.ErrNotTransferable,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, scope(false, qc))) },
			msg:   func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent3} }},
		{name: "not the holder", actor: ent3, setup: transferableUse, want: types.ErrNotHolder,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent4} }},
		{name: "not live", actor: ent2, want: types.ErrNotLive,
			setup: func(f *fixture) { transferableUse(f); f.freeze(aEnt) },
			msg:   func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent3} }},
		{name: "to a non-party", actor: ent2, setup: transferableUse, want: types.ErrInvalidGrantee,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: nobody} }},
		{name: "to oneself", actor: ent2, setup: transferableUse, want: types.ErrInvalidGrantee,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: ent2} }},
		{name: "personal data holding right to an outsider", actor: dept2, want: types.ErrPersonalDataRedLine,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: root(aPersonal), To: ent2} }},
		{name: "malformed recipient", actor: ent2, want: types.ErrInvalidFields,
			msg: func(*fixture) proto.Message { return &types.MsgTransferRight{RightId: "r-9", To: "bob"} }},
	})
}

// tree3 grants r-9 (ent1 → ent2), r-10 (ent2 → ent3), r-11 (ent3 → ent4):
// a chain three levels below the root of aEnt.
func tree3(f *fixture) {
	f.sub(root(aEnt), ent1, ent2, scope(false, qc))
	f.sub("r-9", ent2, ent3, scope(false, qc))
	f.must(ent3, f.use("r-10", ent4, scope(false, qc)))
}

func TestRevoke(t *testing.T) {
	runCases(t, []msgCase{
		{name: "revoke cascades three levels deep in one tx", actor: ent1, setup: tree3,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-9", Reason: "breach"} },
			check: func(t *testing.T, f *fixture, _ string) {
				for _, id := range []string{"r-9", "r-10", "r-11"} {
					if f.status(id) != types.RightStatus_RIGHT_STATUS_REVOKED {
						t.Fatalf("%s is %s", id, types.StatusName(f.status(id)))
					}
					if !testkit.HasEvent(f.events, types.EventRightRevoked, types.AttrRightID, id) {
						t.Fatalf("no right_revoked for %s in %v", id, f.events)
					}
				}
				if f.right("r-11").StatusReason != "ancestor r-9 was revoked: breach" {
					t.Fatalf("reason %q", f.right("r-11").StatusReason)
				}
				if f.status(root(aEnt)) != types.RightStatus_RIGHT_STATUS_ACTIVE {
					t.Fatal("the root was touched")
				}
			}},
		{name: "a sublicensor revokes its own grant only", actor: ent2, setup: tree3,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-10", Reason: "breach"} },
			check: func(t *testing.T, f *fixture, _ string) {
				if f.status("r-9") != types.RightStatus_RIGHT_STATUS_ACTIVE || f.status("r-11") != types.RightStatus_RIGHT_STATUS_REVOKED {
					t.Fatal("wrong rights revoked")
				}
			}},
		{name: "pending grants may be revoked", actor: dept1,
			setup: func(f *fixture) { f.must(dept1, f.use(root(aImportant), ent2, scope(true, qc))) },
			msg:   func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-9", Reason: "withdrawn"} },
			check: wantStatus(types.RightStatus_RIGHT_STATUS_REVOKED)},
		{name: "not the grantor", actor: ent2, setup: tree3, want: types.ErrNotGrantor,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-9", Reason: "mine"} }},
		{name: "a root right", actor: ent1, want: types.ErrRootNotRevocable,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: root(aEnt), Reason: "x"} }},
		{name: "twice", actor: ent1, want: types.ErrRightEnded,
			setup: func(f *fixture) { tree3(f); f.must(ent1, &types.MsgRevokeRight{RightId: "r-9", Reason: "x"}) },
			msg:   func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-9", Reason: "x"} }},
		{name: "no reason", actor: ent1, setup: tree3, want: types.ErrInvalidReason,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-9"} }},
		{name: "unknown right", actor: ent1, want: types.ErrRightNotFound,
			msg: func(*fixture) proto.Message { return &types.MsgRevokeRight{RightId: "r-50", Reason: "x"} }},
	})
}

func TestRecordUsage(t *testing.T) {
	granted := func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, scope(false, qc, "research"))) }
	runCases(t, []msgCase{
		{name: "a use inside the scope", actor: ent2, setup: granted,
			msg: func(*fixture) proto.Message { return usage("r-9", "research", types.Operation_OPERATION_QUERY) },
			check: func(t *testing.T, f *fixture, id string) {
				resp, err := f.k.QueryUsage(f.tree, &types.QueryUsageRequest{RightId: id})
				if err != nil || len(resp.Usage) != 1 {
					t.Fatalf("usage %v, %v", resp, err)
				}
				if u := resp.Usage[0]; u.User != ent2 || u.AssetId != aEnt || u.ResultHash != hash || u.Height != f.height {
					t.Fatalf("recorded %v", u)
				}
				if !testkit.HasEvent(f.events, types.EventUsageRecorded, types.AttrRightID, id, types.AttrParty, ent2) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "open public data needs no right", actor: ent3,
			msg: func(*fixture) proto.Message {
				return &types.MsgRecordUsage{AssetId: aOpen, Purpose: "tourism app", Operation: types.Operation_OPERATION_QUERY, ResultHash: hash}
			},
			check: func(t *testing.T, f *fixture, id string) {
				resp, err := f.k.QueryUsage(f.tree, &types.QueryUsageRequest{RightId: aOpen})
				if err != nil || len(resp.Usage) != 1 || resp.Usage[0].User != ent3 || id != aOpen {
					t.Fatalf("open usage %v, %v", resp, err)
				}
			}},
		{name: "operation outside the scope", actor: ent2, setup: granted, want: types.ErrUsageOutOfScope,
			msg: func(*fixture) proto.Message { return usage("r-9", "research", types.Operation_OPERATION_TRAIN) }},
		{name: "purpose outside the scope", actor: ent2, setup: granted, want: types.ErrUsageOutOfScope,
			msg: func(*fixture) proto.Message { return usage("r-9", "marketing", types.Operation_OPERATION_QUERY) }},
		{name: "not the holder", actor: ent3, setup: granted, want: types.ErrNotHolder,
			msg: func(*fixture) proto.Message { return usage("r-9", "research", types.Operation_OPERATION_QUERY) }},
		{name: "suspended", actor: ent2, want: types.ErrNotLive,
			setup: func(f *fixture) { granted(f); f.must(admin, &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"}) },
			msg:   func(*fixture) proto.Message { return usage("r-9", "research", types.Operation_OPERATION_QUERY) }},
		{name: "term over, before the expiry queue ran", actor: ent2,
			setup: func(f *fixture) { granted(f); f.next(30 * 24 * time.Hour) }, want: types.ErrNotLive,
			msg: func(*fixture) proto.Message { return usage("r-9", "research", types.Operation_OPERATION_QUERY) }},
		{name: "wrong asset", actor: ent2, setup: granted, want: types.ErrInvalidFields,
			msg: func(*fixture) proto.Message {
				m := usage("r-9", "research", types.Operation_OPERATION_QUERY)
				m.AssetId = aPublic
				return m
			}},
		{name: "no right on data that is not open", actor: ent3, want: types.ErrRightRequired,
			msg: func(*fixture) proto.Message {
				return &types.MsgRecordUsage{AssetId: aPublic, Purpose: "x", Operation: types.Operation_OPERATION_QUERY, ResultHash: hash}
			}},
		{name: "open data frozen", actor: ent3, want: types.ErrAssetBlocked, setup: func(f *fixture) { f.freeze(aOpen) },
			msg: func(*fixture) proto.Message {
				return &types.MsgRecordUsage{AssetId: aOpen, Purpose: "x", Operation: types.Operation_OPERATION_QUERY, ResultHash: hash}
			}},
		{name: "neither right nor asset", actor: ent2, want: types.ErrInvalidFields,
			msg: func(*fixture) proto.Message { return usage("", "x", types.Operation_OPERATION_QUERY) }},
		{name: "bad result hash", actor: ent2, setup: granted, want: types.ErrInvalidFields,
			msg: func(*fixture) proto.Message {
				m := usage("r-9", "research", types.Operation_OPERATION_QUERY)
				m.ResultHash = "ABC"
				return m
			}},
		{name: "no operation", actor: ent2, setup: granted, want: types.ErrInvalidScope,
			msg: func(*fixture) proto.Message { return usage("r-9", "research", 0) }},
	})
}

// TestUsageKeysAreUnique: two uses in one tx (two messages) and in two txs
// of one block are separate records.
func TestUsageKeysAreUnique(t *testing.T) {
	f := newFixture(t, nil)
	f.must(ent1, f.use(root(aEnt), ent2, scope(false, qc)))
	for range 3 {
		f.must(ent2, usage("r-9", "x", types.Operation_OPERATION_QUERY))
	}
	resp, err := f.k.QueryUsage(f.tree, &types.QueryUsageRequest{RightId: "r-9"})
	if err != nil || len(resp.Usage) != 3 {
		t.Fatalf("usage %v, %v", resp, err)
	}
}

func TestExpiry(t *testing.T) {
	f := newFixture(t, nil)
	end := f.now.Add(time.Hour)
	f.must(ent1, with(f.use(root(aEnt), ent2, scope(false, qc)), func(m *types.MsgGrantRight) { m.ValidUntil = ts(end) }))

	f.now = end.Add(-time.Nanosecond)
	if err := f.live("r-9"); err != nil {
		t.Fatalf("a nanosecond before its end: %v", err)
	}
	if evs := f.endBlock(); len(evs) != 0 || f.status("r-9") != types.RightStatus_RIGHT_STATUS_ACTIVE {
		t.Fatalf("EndBlock before the end expired it: %v", evs)
	}

	f.next(time.Nanosecond) // block time == valid_until
	if err := f.live("r-9"); err == nil {
		t.Fatal("live at its end, before EndBlock")
	}
	f.now = end.Add(time.Nanosecond)
	if err := f.live("r-9"); err == nil {
		t.Fatal("live a nanosecond after its end, before EndBlock")
	}
	f.rejects(ent2, usage("r-9", "x", types.Operation_OPERATION_QUERY), types.ErrNotLive)
	f.now = end
	evs := f.endBlock()
	if f.status("r-9") != types.RightStatus_RIGHT_STATUS_EXPIRED || !testkit.HasEvent(evs, types.EventRightExpired, types.AttrRightID, "r-9") {
		t.Fatalf("after EndBlock at its end: %s, events %v", types.StatusName(f.status("r-9")), evs)
	}
	// Its place for exclusivity is free again.
	f.must(ent1, with(f.use(root(aEnt), ent3, scope(false, qc)), func(m *types.MsgGrantRight) { m.Exclusive = true }))
}

// TestExpiryIsBounded: at most max_expiries_per_block per block, oldest
// end first; the rest stay unusable and expire in later blocks.
func TestExpiryIsBounded(t *testing.T) {
	f := newFixture(t, &types.Params{MaxDepth: 8, MaxCascade: 10, MaxExpiriesPerBlock: 2})
	for i := range 3 {
		f.must(ent1, with(f.use(root(aEnt), ent2, scope(false, qc)), func(m *types.MsgGrantRight) {
			m.ValidUntil = ts(f.now.Add(time.Duration(3-i) * time.Minute))
		}))
	}
	f.next(time.Hour)
	if evs := f.endBlock(); len(evs) != 2 || !testkit.HasEvent(evs, types.EventRightExpired, types.AttrRightID, "r-11") || !testkit.HasEvent(evs, types.EventRightExpired, types.AttrRightID, "r-10") {
		t.Fatalf("first block expired %v", evs)
	}
	if f.status("r-9") != types.RightStatus_RIGHT_STATUS_ACTIVE || f.live("r-9") == nil {
		t.Fatal("the right left over must stay active in state and dead in fact")
	}
	f.next(time.Second)
	if evs := f.endBlock(); len(evs) != 1 || f.status("r-9") != types.RightStatus_RIGHT_STATUS_EXPIRED {
		t.Fatalf("second block expired %v", evs)
	}
}

func TestRecheck(t *testing.T) {
	for _, maxCascade := range []uint32{1000, 1} {
		f := newFixture(t, &types.Params{MaxDepth: 8, MaxCascade: maxCascade, MaxExpiriesPerBlock: 10})
		clear := f.sub(root(aPublic), dept1, ent2, scope(false, qc))          // r-9
		private := f.must(dept1, f.use(root(aPublic), ent3, scope(true, qc))) // r-10
		under := f.must(ent2, f.use(clear, ent4, scope(true, qc)))            // r-11
		f.reg.assets[aPublic].Grade = regtypes.Grade_GRADE_IMPORTANT
		for _, id := range []string{clear, private, under} {
			if f.live(id) == nil {
				t.Fatalf("max_cascade %d: %s live after reclassification, before Recheck", maxCascade, id)
			}
		}
		b := store.NewBranch(f.tree)
		if err := f.k.Recheck(f.ctx(admin), b, f.reg.assets[aPublic]); err != nil {
			t.Fatal(err)
		}
		b.Write()
		for i := 0; i < 5; i++ {
			f.next(time.Second)
			f.endBlock()
		}
		want := map[string]types.RightStatus{
			clear: types.RightStatus_RIGHT_STATUS_SUSPENDED, private: types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL,
			under: types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL,
		}
		for id, st := range want {
			if f.status(id) != st {
				t.Fatalf("max_cascade %d: %s is %s, want %s", maxCascade, id, types.StatusName(f.status(id)), types.StatusName(st))
			}
		}
		f.must(admin, &types.MsgApproveGrant{RightId: private})
		if err := f.live(private); err != nil {
			t.Fatal(err)
		}
		// A second reclassification voids the approval at once.
		f.reg.assets[aPublic].Classification = regtypes.Classification_CLASSIFICATION_PERSONAL
		if f.live(private) == nil {
			t.Fatal("an approval under the old classification still counts")
		}
	}
}

func TestHooks(t *testing.T) {
	f := newFixture(t, nil)
	if r := f.right(root(aProduct)); r.Kind != types.RightKind_RIGHT_KIND_OPERATION || !r.Transferable || r.ValidUntil != nil {
		t.Fatalf("product root %v", r)
	}
	if r := f.right(root(aPublic)); r.Kind != types.RightKind_RIGHT_KIND_HOLDING || r.Transferable || !r.Sublicensable {
		t.Fatalf("public root %v", r)
	}
	if r := f.right(root(aEnt)); !r.Transferable || len(r.Scope.Operations) != 5 || r.Holder != ent1 {
		t.Fatalf("enterprise root %v", r)
	}
	if _, err := f.k.MintRoot(f.ctx(ent1), store.NewBranch(f.tree), f.reg.assets[aEnt]); !errorsIs(err, types.ErrRootExists) {
		t.Fatalf("second root: %v", err)
	}

	derive := []types.Operation{types.Operation_OPERATION_DERIVE}
	f.must(ent1, f.use(root(aEnt), ent2, scope(false, derive)))
	f.must(ent1, f.use(root(aEnt), ent3, scope(false, qc)))
	ctx := f.ctx(ent1)
	for _, tc := range []struct {
		party string
		asset string
		want  error
	}{
		{ent1, aEnt, nil}, {ent2, aEnt, nil}, {ent3, aEnt, types.ErrDeriveNotAllowed}, {ent4, aEnt, types.ErrDeriveNotAllowed},
		{ent4, aOpen, types.ErrDeriveNotAllowed}, {ent4, aPublic, types.ErrDeriveNotAllowed},
	} {
		rid, _, err := f.k.CheckDerive(ctx, f.tree, tc.party, f.reg.assets[tc.asset])
		if !errorsIs(err, tc.want) || (err == nil) != (rid != "") {
			t.Fatalf("CheckDerive(%s, %s) = %q, %v, want %v", tc.party[:8], tc.asset, rid, err, tc.want)
		}
	}
	f.must(admin, &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"})
	if _, _, err := f.k.CheckDerive(ctx, f.tree, ent2, f.reg.assets[aEnt]); !errorsIs(err, types.ErrDeriveNotAllowed) {
		t.Fatalf("derive under a suspended right: %v", err)
	}

	f.must(ent3, &types.MsgRecordUsage{RightId: "r-10", Purpose: "x", Operation: types.Operation_OPERATION_QUERY, ResultHash: hash})
	b := store.NewBranch(f.tree)
	if err := f.k.EndAll(f.ctx(admin), b, f.reg.assets[aEnt], "objection upheld"); err != nil {
		t.Fatal(err)
	}
	b.Write()
	for _, id := range []string{root(aEnt), "r-9", "r-10"} {
		if f.status(id) != types.RightStatus_RIGHT_STATUS_REVOKED {
			t.Fatalf("after EndAll %s is %s", id, types.StatusName(f.status(id)))
		}
	}
	if h, err := f.k.HolderOf(f.tree, f.reg.assets[aEnt]); err != nil || h != ent1 {
		t.Fatalf("HolderOf after EndAll: %s, %v", h, err)
	}
	if _, err := f.k.HolderOf(f.tree, &regtypes.Asset{Id: "a-99"}); !errorsIs(err, types.ErrRightNotFound) {
		t.Fatalf("HolderOf unknown: %v", err)
	}
}

func TestGenesis(t *testing.T) {
	if err := keeper.ValidateGenesis(&types.GenesisState{Params: &types.Params{MaxDepth: 0, MaxCascade: 1, MaxExpiriesPerBlock: 1}}); !errorsIs(err, types.ErrInvalidGenesis) {
		t.Fatalf("bad params: %v", err)
	}
	if err := keeper.ValidateGenesis(&types.GenesisState{}); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, nil)
	if got := f.k.ExportGenesis(f.tree); !proto.Equal(got.Params, types.DefaultParams()) {
		t.Fatalf("exported %v", got)
	}
}
