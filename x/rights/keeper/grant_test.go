package keeper_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// msgCase is one message against a fresh fixture: setup (optional) builds
// on it, then msg runs signed by actor and must fail with want (nil:
// succeed, and check the result).
type msgCase struct {
	name   string
	params *types.Params
	setup  func(f *fixture)
	actor  string
	msg    func(f *fixture) proto.Message
	want   error
	check  func(t *testing.T, f *fixture, id string)
}

func runCases(t *testing.T, cases []msgCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.params)
			if tc.setup != nil {
				tc.setup(f)
			}
			m := tc.msg(f)
			if tc.want != nil {
				f.rejects(tc.actor, m, tc.want)
				return
			}
			id := f.must(tc.actor, m)
			if tc.check != nil {
				tc.check(t, f, id)
			}
		})
	}
}

// with changes a grant message.
func with(m *types.MsgGrantRight, change func(m *types.MsgGrantRight)) *types.MsgGrantRight {
	change(m)
	return m
}

func wantStatus(want types.RightStatus) func(t *testing.T, f *fixture, id string) {
	return func(t *testing.T, f *fixture, id string) {
		t.Helper()
		if got := f.status(id); got != want {
			t.Fatalf("%s is %s, want %s", id, types.StatusName(got), types.StatusName(want))
		}
	}
}

func (f *fixture) freeze(asset string) {
	f.reg.assets[asset].Frozen, f.reg.assets[asset].FrozenReason = true, "court order"
}
func (f *fixture) setStatus(asset string, s regtypes.AssetStatus) { f.reg.assets[asset].Status = s }

// sublicensable grants a sublicensable use right.
func (f *fixture) sub(parent, holder, to string, s *types.Scope) string {
	return f.must(holder, with(f.use(parent, to, s), func(m *types.MsgGrantRight) { m.Sublicensable = true; m.Transferable = true }))
}

func TestGrant(t *testing.T) {
	gs := scope(false, qc, "research", "planning")
	runCases(t, []msgCase{
		{name: "holding grants a use right", actor: ent1, msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) },
			check: func(t *testing.T, f *fixture, id string) {
				r := f.right(id)
				if id != "r-9" || r.Holder != ent2 || r.Grantor != ent1 || r.ParentId != "r-2" || r.Depth != 1 || r.Status != types.RightStatus_RIGHT_STATUS_ACTIVE {
					t.Fatalf("granted %v", r)
				}
				if !r.ValidFrom.AsTime().Equal(f.now) || !proto.Equal(r.Scope, scope(false, qc, "planning", "research")) {
					t.Fatalf("from %v scope %v: want block time and the normalised scope", r.ValidFrom.AsTime(), r.Scope)
				}
				if err := f.live(id); err != nil {
					t.Fatal(err)
				}
				if !testkit.HasEvent(f.events, types.EventRightGranted, types.AttrRightID, id, types.AttrParty, ent2, types.AttrAssetID, aEnt) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "holding grants an operation right", actor: ent1,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.Kind = types.RightKind_RIGHT_KIND_OPERATION })
			},
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},
		{name: "a product's operation right sublicenses an operation right", actor: ent1,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aProduct), ent2, gs), func(m *types.MsgGrantRight) { m.Kind = types.RightKind_RIGHT_KIND_OPERATION })
			},
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},
		{name: "a sublicensable use right sublicenses a narrower one", actor: ent2,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg: func(f *fixture) proto.Message {
				return with(f.use("r-9", ent3, scope(true, qc[:1], "research")), func(m *types.MsgGrantRight) {
					m.ValidFrom, m.ValidUntil = ts(f.now.Add(time.Hour)), ts(f.now.Add(24*time.Hour))
				})
			},
			check: func(t *testing.T, f *fixture, id string) {
				if r := f.right(id); r.Depth != 2 || r.Grantor != ent2 {
					t.Fatalf("sublicense %v", r)
				}
				if err := f.live(id); err == nil {
					t.Fatal("live before its valid_from")
				}
			}},
		{name: "de-identified personal data goes out", actor: dept2, msg: func(f *fixture) proto.Message { return f.use(root(aDeid), ent2, gs) },
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},
		{name: "important data privacy-computing-only waits for the data admin", actor: dept1,
			msg: func(f *fixture) proto.Message { return f.use(root(aImportant), ent2, scope(true, qc)) },
			check: func(t *testing.T, f *fixture, id string) {
				wantStatus(types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL)(t, f, id)
				if !testkit.HasEvent(f.events, types.EventRightPendingApproval, types.AttrRightID, id) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "personal data privacy-computing-only waits for the data admin", actor: dept2,
			msg:   func(f *fixture) proto.Message { return f.use(root(aPersonal), ent2, scope(true, qc)) },
			check: wantStatus(types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL)},
		{name: "an exclusive use right on an asset with none", actor: ent1,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.Exclusive = true; m.Sublicensable = true })
			},
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},
		{name: "the exclusive holder sublicenses under its exclusivity", actor: ent2,
			setup: func(f *fixture) {
				f.must(ent1, with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.Exclusive = true; m.Sublicensable = true }))
			},
			msg: func(f *fixture) proto.Message {
				return with(f.use("r-9", ent3, gs), func(m *types.MsgGrantRight) { m.Exclusive = true })
			},
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},
		{name: "an exclusive right after the other use rights ended", actor: ent1,
			setup: func(f *fixture) {
				f.must(ent1, f.use(root(aEnt), ent2, gs))
				f.must(ent1, &types.MsgRevokeRight{RightId: "r-9", Reason: "contract ended"})
			},
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent3, gs), func(m *types.MsgGrantRight) { m.Exclusive = true })
			},
			check: wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)},

		// Stateless checks.
		{name: "malformed parent id", actor: ent1, want: types.ErrInvalidID,
			msg: func(f *fixture) proto.Message { return with(f.use("r-02", ent2, gs), func(*types.MsgGrantRight) {}) }},
		{name: "malformed grantee", actor: ent1, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), "0x1234", gs) }},
		{name: "holding is not granted", actor: ent1, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.Kind = types.RightKind_RIGHT_KIND_HOLDING })
			}},
		{name: "exclusive operation right", actor: ent1, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) {
					m.Kind, m.Exclusive = types.RightKind_RIGHT_KIND_OPERATION, true
				})
			}},
		{name: "no operation", actor: ent1, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, scope(false, nil)) }},
		{name: "unknown operation", actor: ent1, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, scope(false, []types.Operation{9})) }},
		{name: "privacy computing with redistribute", actor: ent1, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, scope(true, allO)) }},
		{name: "purpose with a comma", actor: ent1, want: types.ErrInvalidScope,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, scope(false, qc, "a,b")) }},
		{name: "no end", actor: ent1, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.ValidUntil = nil })
			}},
		{name: "start after end", actor: ent1, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.ValidFrom = ts(f.now.Add(365 * 24 * time.Hour)) })
			}},

		// Against state.
		{name: "parent not found", actor: ent1, want: types.ErrRightNotFound,
			msg: func(f *fixture) proto.Message { return f.use("r-99", ent2, gs) }},
		{name: "signer is not a party", actor: nobody, want: errNoParty,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) }},
		{name: "signer does not hold the parent", actor: ent2, want: types.ErrNotHolder,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent3, gs) }},
		{name: "parent suspended", actor: ent1, want: types.ErrNotLive,
			setup: func(f *fixture) { f.must(admin, &types.MsgSuspendRight{RightId: root(aEnt), Reason: "audit"}) },
			msg:   func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) }},
		{name: "asset frozen", actor: ent1, want: types.ErrNotLive, setup: func(f *fixture) { f.freeze(aEnt) },
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) }},
		{name: "asset disputed", actor: ent1, want: types.ErrNotLive,
			setup: func(f *fixture) { f.setStatus(aEnt, regtypes.AssetStatus_ASSET_STATUS_DISPUTED) },
			msg:   func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) }},
		{name: "asset cancelled", actor: ent1, want: types.ErrNotLive,
			setup: func(f *fixture) { f.setStatus(aEnt, regtypes.AssetStatus_ASSET_STATUS_CANCELLED) },
			msg:   func(f *fixture) proto.Message { return f.use(root(aEnt), ent2, gs) }},
		{name: "parent not sublicensable", actor: ent2, want: types.ErrNotSublicensable,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, gs)) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, gs) }},
		{name: "a use right cannot grant an operation right", actor: ent2, want: types.ErrKindNotAllowed,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg: func(f *fixture) proto.Message {
				return with(f.use("r-9", ent3, gs), func(m *types.MsgGrantRight) { m.Kind = types.RightKind_RIGHT_KIND_OPERATION })
			}},
		{name: "depth limit", actor: ent2, want: types.ErrDepthLimit, params: &types.Params{MaxDepth: 1, MaxCascade: 10, MaxExpiriesPerBlock: 10},
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, gs) }},
		{name: "grantee not a party", actor: ent1, want: types.ErrInvalidGrantee,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), nobody, gs) }},
		{name: "grantee suspended", actor: ent1, want: types.ErrInvalidGrantee,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), susp, gs) }},
		{name: "grant to oneself", actor: ent1, want: types.ErrInvalidGrantee,
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent1, gs) }},
		{name: "wider operations", actor: ent2, want: types.ErrScopeNotSubset,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, scope(false, allO[:3], "research")) }},
		{name: "another purpose", actor: ent2, want: types.ErrScopeNotSubset,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, scope(false, qc, "marketing")) }},
		{name: "any purpose under a purpose-bound parent", actor: ent2, want: types.ErrScopeNotSubset,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, scope(false, qc)) }},
		{name: "dropping privacy-computing-only", actor: ent2, want: types.ErrScopeNotSubset,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, scope(true, qc)) },
			msg:   func(f *fixture) proto.Message { return f.use("r-9", ent3, scope(false, qc)) }},
		{name: "ending after the parent", actor: ent2, want: types.ErrTermOutsideParent,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) },
			msg: func(f *fixture) proto.Message {
				return with(f.use("r-9", ent3, gs), func(m *types.MsgGrantRight) { m.ValidUntil = ts(f.now.Add(31 * 24 * time.Hour)) })
			}},
		{name: "backdated", actor: ent1, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.ValidFrom = ts(f.now.Add(-time.Second)) })
			}},
		{name: "already over", actor: ent1, want: types.ErrInvalidTerm,
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.ValidUntil = ts(f.now) })
			}},
		{name: "core data to an outsider", actor: dept1, want: types.ErrCoreDataRedLine,
			msg: func(f *fixture) proto.Message { return f.use(root(aCore), ent2, scope(true, qc)) }},
		{name: "core data to another department", actor: dept1, want: types.ErrCoreDataRedLine,
			msg: func(f *fixture) proto.Message { return f.use(root(aCore), dept2, scope(true, qc)) }},
		{name: "important data in the clear", actor: dept1, want: types.ErrImportantDataRedLine,
			msg: func(f *fixture) proto.Message { return f.use(root(aImportant), ent2, scope(false, qc)) }},
		{name: "personal data in the clear", actor: dept2, want: types.ErrPersonalDataRedLine,
			msg: func(f *fixture) proto.Message { return f.use(root(aPersonal), ent2, scope(false, qc)) }},
		{name: "a second use right beside an exclusive one", actor: ent1, want: types.ErrExclusiveConflict,
			setup: func(f *fixture) {
				f.must(ent1, with(f.use(root(aEnt), ent2, gs), func(m *types.MsgGrantRight) { m.Exclusive = true }))
			},
			msg: func(f *fixture) proto.Message { return f.use(root(aEnt), ent3, gs) }},
		{name: "an exclusive right beside another use right", actor: ent1, want: types.ErrExclusiveConflict,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, gs)) },
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent3, gs), func(m *types.MsgGrantRight) { m.Exclusive = true })
			}},
		{name: "a suspended use right still holds its place", actor: ent1, want: types.ErrExclusiveConflict,
			setup: func(f *fixture) {
				f.must(ent1, f.use(root(aEnt), ent2, gs))
				f.must(admin, &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"})
			},
			msg: func(f *fixture) proto.Message {
				return with(f.use(root(aEnt), ent3, gs), func(m *types.MsgGrantRight) { m.Exclusive = true })
			}},
	})
}

func TestApproveGrant(t *testing.T) {
	pending := func(f *fixture) { f.must(dept1, f.use(root(aImportant), ent2, scope(true, qc))) }
	runCases(t, []msgCase{
		{name: "the data admin approves", actor: admin, setup: pending,
			msg: func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} },
			check: func(t *testing.T, f *fixture, id string) {
				wantStatus(types.RightStatus_RIGHT_STATUS_ACTIVE)(t, f, id)
				if err := f.live(id); err != nil {
					t.Fatal(err)
				}
				if !testkit.HasEvent(f.events, types.EventGrantApproved, types.AttrRightID, id, types.AttrActor, admin) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "not a data admin", actor: dept1, setup: pending, want: types.ErrNotDataAdmin,
			msg: func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
		{name: "not pending", actor: admin, want: types.ErrNotPendingApproval,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, scope(false, qc))) },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
		{name: "no such right", actor: admin, want: types.ErrRightNotFound,
			msg: func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-77"} }},
		{name: "malformed id", actor: admin, want: types.ErrInvalidID,
			msg: func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "x"} }},
		{name: "parent suspended meanwhile", actor: admin, want: types.ErrNotLive,
			setup: func(f *fixture) {
				pending(f)
				f.must(admin, &types.MsgSuspendRight{RightId: root(aImportant), Reason: "audit"})
			},
			msg: func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
		{name: "term over meanwhile", actor: admin, want: types.ErrNotLive,
			setup: func(f *fixture) { pending(f); f.next(31 * 24 * time.Hour) },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
		{name: "asset frozen meanwhile", actor: admin, want: types.ErrAssetBlocked,
			setup: func(f *fixture) { pending(f); f.freeze(aImportant) },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
		{name: "reclassified to core meanwhile", actor: admin, want: types.ErrCoreDataRedLine,
			setup: func(f *fixture) { pending(f); f.reg.assets[aImportant].Grade = regtypes.Grade_GRADE_CORE },
			msg:   func(*fixture) proto.Message { return &types.MsgApproveGrant{RightId: "r-9"} }},
	})
}

func TestSuspendResume(t *testing.T) {
	granted := func(f *fixture) {
		f.sub(root(aEnt), ent1, ent2, scope(false, qc))
		f.must(ent2, f.use("r-9", ent3, scope(false, qc)))
	}
	suspended := func(f *fixture) { granted(f); f.must(admin, &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"}) }
	runCases(t, []msgCase{
		{name: "suspend stops the right and its descendants", actor: admin, setup: granted,
			msg: func(*fixture) proto.Message { return &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"} },
			check: func(t *testing.T, f *fixture, id string) {
				wantStatus(types.RightStatus_RIGHT_STATUS_SUSPENDED)(t, f, id)
				for _, r := range []string{"r-9", "r-10"} {
					if err := f.live(r); err == nil {
						t.Fatalf("%s is live under a suspension", r)
					}
				}
				if f.status("r-10") != types.RightStatus_RIGHT_STATUS_ACTIVE {
					t.Fatal("a suspension wrote a descendant")
				}
			}},
		{name: "resume restores both", actor: admin, setup: suspended,
			msg: func(*fixture) proto.Message { return &types.MsgResumeRight{RightId: "r-9", Reason: "audit passed"} },
			check: func(t *testing.T, f *fixture, id string) {
				for _, r := range []string{"r-9", "r-10"} {
					if err := f.live(r); err != nil {
						t.Fatal(err)
					}
				}
				if !testkit.HasEvent(f.events, types.EventRightResumed, types.AttrRightID, id) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "suspend by a non-admin", actor: ent1, setup: granted, want: types.ErrNotDataAdmin,
			msg: func(*fixture) proto.Message { return &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"} }},
		{name: "suspend without a reason", actor: admin, setup: granted, want: types.ErrInvalidReason,
			msg: func(*fixture) proto.Message { return &types.MsgSuspendRight{RightId: "r-9", Reason: " "} }},
		{name: "suspend twice", actor: admin, setup: suspended, want: types.ErrNotActive,
			msg: func(*fixture) proto.Message { return &types.MsgSuspendRight{RightId: "r-9", Reason: "again"} }},
		{name: "suspend a revoked right", actor: admin, want: types.ErrNotActive,
			setup: func(f *fixture) { granted(f); f.must(ent1, &types.MsgRevokeRight{RightId: "r-9", Reason: "done"}) },
			msg:   func(*fixture) proto.Message { return &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"} }},
		{name: "resume an active right", actor: admin, setup: granted, want: types.ErrNotSuspended,
			msg: func(*fixture) proto.Message { return &types.MsgResumeRight{RightId: "r-9", Reason: "x"} }},
		{name: "resume by a non-admin", actor: ent1, setup: suspended, want: types.ErrNotDataAdmin,
			msg: func(*fixture) proto.Message { return &types.MsgResumeRight{RightId: "r-9", Reason: "x"} }},
		{name: "resume what now breaks a red line", actor: admin, want: types.ErrPersonalDataRedLine,
			setup: func(f *fixture) {
				suspended(f)
				f.reg.assets[aEnt].Classification = regtypes.Classification_CLASSIFICATION_PERSONAL
			},
			msg: func(*fixture) proto.Message { return &types.MsgResumeRight{RightId: "r-9", Reason: "x"} }},
		{name: "resume where the red lines need approval approves", actor: admin,
			setup: func(f *fixture) {
				f.must(ent1, f.use(root(aEnt), ent2, scope(true, qc)))
				f.must(admin, &types.MsgSuspendRight{RightId: "r-9", Reason: "audit"})
				f.reg.assets[aEnt].Grade = regtypes.Grade_GRADE_IMPORTANT
			},
			msg: func(*fixture) proto.Message { return &types.MsgResumeRight{RightId: "r-9", Reason: "reviewed"} },
			check: func(t *testing.T, f *fixture, id string) {
				if err := f.live(id); err != nil {
					t.Fatal(err)
				}
			}},
	})
}

// TestSuspendedActorIsRefused: the fake identity refuses suspended actors
// the way x/identity does, and the handler passes that on.
func TestSuspendedActorIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	f.ids.parties[ent1].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED
	f.rejects(ent1, f.use(root(aEnt), ent2, scope(false, qc)), idtypes.ErrPartySuspended)
}
