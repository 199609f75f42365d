package keeper_test

import (
	"context"
	"testing"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

const au = "au-1"

var derive = []types.Operation{types.Operation_OPERATION_QUERY, types.Operation_OPERATION_COMPUTE, types.Operation_OPERATION_DERIVE}

// mintUnder mints an operator right to ent2 on asset with the scope, for
// 60 days, on the tree, and returns its id.
func (f *fixture) mintUnder(asset string, s *types.Scope) string {
	f.t.Helper()
	ev := &env.Events{}
	a, err := f.reg.Asset(f.tree, asset)
	if err != nil {
		f.t.Fatal(err)
	}
	id, err := f.k.MintUnder(f.ctxEv(dept1, ev), f.tree, a, ent2, s, f.now.Add(60*24*time.Hour), au)
	if err != nil {
		f.t.Fatalf("MintUnder on %s: %v", asset, err)
	}
	f.events = ev.List()
	return id
}

// under runs one of the Under calls on the tree and keeps its events.
func (f *fixture) under(call func(ctx context.Context, kv store.KV) error) error {
	ev := &env.Events{}
	err := call(f.ctxEv(admin, ev), f.tree)
	f.events = ev.List()
	return err
}

func TestMintUnder(t *testing.T) {
	f := newFixture(t, nil)
	id := f.mintUnder(aPublic, scope(false, derive, "transport"))
	r := f.right(id)
	switch {
	case id != "r-9", r.Kind != types.RightKind_RIGHT_KIND_USE, r.Holder != ent2, r.Grantor != dept1, r.ParentId != root(aPublic):
		t.Fatalf("operator right: %v", r)
	case r.AuthorizationId != au, !r.Sublicensable, r.Transferable, r.Exclusive, r.Depth != 1:
		t.Fatalf("operator right flags: %v", r)
	case !r.ValidFrom.AsTime().Equal(f.now), !r.ValidUntil.AsTime().Equal(f.now.Add(60 * 24 * time.Hour)):
		t.Fatalf("operator right term: %v", r)
	case r.Status != types.RightStatus_RIGHT_STATUS_ACTIVE:
		t.Fatalf("operator right status: %v", r.Status)
	}
	if err := f.live(id); err != nil {
		t.Fatal(err)
	}
	if !testkit.HasEvent(f.events, types.EventRightGranted, types.AttrRightID, id, types.AttrAuthorizationID, au, types.AttrParty, ent2) {
		t.Fatalf("events: %v", f.events)
	}
	// The operator licenses from it with the ordinary grant; the child
	// carries the authorisation's id.
	c := f.must(ent2, f.use(id, ent3, scope(false, qc, "transport")))
	if got := f.right(c).AuthorizationId; got != au {
		t.Fatalf("child's authorization_id %q, want %q", got, au)
	}
	if !testkit.HasEvent(f.events, types.EventRightGranted, types.AttrRightID, c, types.AttrAuthorizationID, au) {
		t.Fatalf("grant events: %v", f.events)
	}
	// It lets the operator derive products from the asset.
	a, _ := f.reg.Asset(f.tree, aPublic)
	if rid, auid, err := f.k.CheckDerive(f.ctx(ent2), f.tree, ent2, a); err != nil || rid != id || auid != au {
		t.Fatalf("derive under the authorisation: right %q authorisation %q, %v; want %s under %s", rid, auid, err, id, au)
	}
	// Narrowing still holds below it.
	f.rejects(ent2, f.use(id, ent3, scope(false, []types.Operation{types.Operation_OPERATION_TRAIN}, "transport")), types.ErrScopeNotSubset)
}

// TestMintUnderImportant: the authorisation's approval (co-approved by the
// data admin) is the approval important data needs, so the operator right
// is active and live at once; an ordinary grant of the same waits.
func TestMintUnderImportant(t *testing.T) {
	f := newFixture(t, nil)
	id := f.mintUnder(aImportant, scope(true, qc))
	if f.status(id) != types.RightStatus_RIGHT_STATUS_ACTIVE {
		t.Fatalf("status %v", f.status(id))
	}
	if err := f.live(id); err != nil {
		t.Fatal(err)
	}
	g := f.must(dept1, f.use(root(aImportant), ent3, scope(true, qc)))
	if f.status(g) != types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL {
		t.Fatalf("ordinary grant: %v", f.status(g))
	}
	// A grant the operator makes on important data waits for the data
	// admin like any other.
	c := f.must(ent2, f.use(id, ent4, scope(true, qc)))
	if f.status(c) != types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL {
		t.Fatalf("operator's grant: %v", f.status(c))
	}
}

func TestMintUnderRefusals(t *testing.T) {
	until := 60 * 24 * time.Hour
	for _, tc := range []struct {
		name     string
		asset    string
		operator string
		scope    *types.Scope
		until    time.Duration
		authz    string
		setup    func(f *fixture)
		want     error
	}{
		{name: "core data", asset: aCore, want: types.ErrCoreDataRedLine},
		{name: "important data without privacy computing", asset: aImportant, want: types.ErrImportantDataRedLine},
		{name: "no operation", asset: aPublic, scope: scope(false, nil), want: types.ErrInvalidScope},
		{name: "ends before it starts", asset: aPublic, until: -time.Hour, want: types.ErrInvalidTerm},
		{name: "to the holder itself", asset: aPublic, operator: dept1, want: types.ErrInvalidGrantee},
		{name: "to a suspended party", asset: aPublic, operator: susp, want: types.ErrInvalidGrantee},
		{name: "not a party", asset: aPublic, operator: nobody, want: types.ErrInvalidGrantee},
		{name: "bad address", asset: aPublic, operator: "nobody", want: types.ErrInvalidFields},
		{name: "no authorisation id", asset: aPublic, authz: "-", want: types.ErrInvalidFields},
		{name: "no root right", asset: "a-99", want: types.ErrRightNotFound},
		{name: "frozen asset", asset: aPublic, setup: func(f *fixture) { f.freeze(aPublic) }, want: types.ErrNotLive},
		{name: "exclusive use right on the asset", asset: aPublic, want: types.ErrExclusiveConflict, setup: func(f *fixture) {
			f.must(dept1, with(f.use(root(aPublic), ent3, scope(false, qc)), func(m *types.MsgGrantRight) { m.Exclusive = true }))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if tc.setup != nil {
				tc.setup(f)
			}
			a, ok := f.reg.assets[tc.asset]
			if !ok {
				a = &regtypes.Asset{Id: tc.asset, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC}
			}
			op, s, u, authz := ent2, scope(false, qc), until, au
			if tc.operator != "" {
				op = tc.operator
			}
			if tc.scope != nil {
				s = tc.scope
			}
			if tc.until != 0 {
				u = tc.until
			}
			if tc.authz == "-" {
				authz = ""
			}
			b := store.NewBranch(f.tree)
			_, err := f.k.MintUnder(f.ctx(dept1), b, a, op, s, f.now.Add(u), authz)
			if !errorsIs(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if b.Len() != 0 {
				t.Fatalf("refused (%v) but wrote %d keys", err, b.Len())
			}
		})
	}
}

func TestSuspendResumeUnder(t *testing.T) {
	f := newFixture(t, nil)
	op := f.mintUnder(aPublic, scope(false, derive, "transport"))
	c := f.sub(op, ent2, ent3, scope(false, qc, "transport"))
	use := func() *types.MsgRecordUsage { return usage(c, "transport", types.Operation_OPERATION_QUERY) }
	f.must(ent3, use())

	if err := f.under(func(ctx context.Context, kv store.KV) error {
		return f.k.SuspendUnder(ctx, kv, []string{op}, "au-1 suspended")
	}); err != nil {
		t.Fatal(err)
	}
	if f.status(op) != types.RightStatus_RIGHT_STATUS_SUSPENDED || f.status(c) != types.RightStatus_RIGHT_STATUS_ACTIVE {
		t.Fatalf("after suspension: %v, %v", f.status(op), f.status(c))
	}
	if !testkit.HasEvent(f.events, types.EventRightSuspended, types.AttrRightID, op, types.AttrAuthorizationID, au, types.AttrReason, "au-1 suspended") {
		t.Fatalf("events: %v", f.events)
	}
	f.rejects(ent3, use(), types.ErrNotLive)
	f.rejects(ent2, f.use(op, ent4, scope(false, qc, "transport")), types.ErrNotLive)

	// Suspending again changes nothing.
	if err := f.under(func(ctx context.Context, kv store.KV) error { return f.k.SuspendUnder(ctx, kv, []string{op}, "again") }); err != nil || len(f.events) != 0 {
		t.Fatalf("second suspension: %v, %v", err, f.events)
	}
	if err := f.under(func(ctx context.Context, kv store.KV) error {
		return f.k.ResumeUnder(ctx, kv, []string{op}, "au-1 resumed")
	}); err != nil {
		t.Fatal(err)
	}
	if f.status(op) != types.RightStatus_RIGHT_STATUS_ACTIVE || !testkit.HasEvent(f.events, types.EventRightResumed, types.AttrRightID, op, types.AttrAuthorizationID, au) {
		t.Fatalf("after resumption: %v, %v", f.status(op), f.events)
	}
	f.next(time.Second)
	f.must(ent3, use())

	// Only operator rights are reached this way.
	for _, call := range []func(ctx context.Context, kv store.KV) error{
		func(ctx context.Context, kv store.KV) error { return f.k.SuspendUnder(ctx, kv, []string{c}, "x") },
		func(ctx context.Context, kv store.KV) error {
			return f.k.ResumeUnder(ctx, kv, []string{root(aPublic)}, "x")
		},
		func(ctx context.Context, kv store.KV) error { return f.k.EndUnder(ctx, kv, []string{c}, "x") },
	} {
		if err := f.under(call); !errorsIs(err, types.ErrInvalidFields) {
			t.Fatalf("not an operator right: %v", err)
		}
	}
	if err := f.under(func(ctx context.Context, kv store.KV) error { return f.k.SuspendUnder(ctx, kv, []string{"r-99"}, "x") }); !errorsIs(err, types.ErrRightNotFound) {
		t.Fatalf("unknown right: %v", err)
	}
}

// TestResumeUnderRechecksRedLines: an asset reclassified to core while the
// authorisation was suspended cannot be resumed under it, and nothing
// changes.
func TestResumeUnderRechecksRedLines(t *testing.T) {
	f := newFixture(t, nil)
	op1 := f.mintUnder(aOpen, scope(false, qc))
	op2 := f.mintUnder(aPublic, scope(false, qc))
	ids := []string{op1, op2}
	if err := f.under(func(ctx context.Context, kv store.KV) error { return f.k.SuspendUnder(ctx, kv, ids, "s") }); err != nil {
		t.Fatal(err)
	}
	f.reg.assets[aPublic].Grade = regtypes.Grade_GRADE_CORE
	b := store.NewBranch(f.tree)
	if err := f.k.ResumeUnder(f.ctx(admin), b, ids, "r"); !errorsIs(err, types.ErrCoreDataRedLine) {
		t.Fatalf("got %v", err)
	}
	if b.Len() != 0 {
		t.Fatalf("refused but wrote %d keys", b.Len())
	}
}

// TestEndUnderCascades: with max_cascade 3, ending an operator right ends
// it and three descendants with exited in the same call; the other six are
// dead at once and are ended by EndBlock, at most three per block, each
// with right_exited naming the cascade's root and the authorisation.
func TestEndUnderCascades(t *testing.T) {
	f := newFixture(t, small)
	op := f.mintUnder(aPublic, scope(false, qc))
	s := scope(false, qc)
	var desc []string
	for range 3 {
		desc = append(desc, f.sub(op, ent2, ent3, s))
	}
	for _, mid := range desc[:3] {
		for range 2 {
			desc = append(desc, f.must(ent3, f.use(mid, ent4, s)))
		}
	}
	if err := f.under(func(ctx context.Context, kv store.KV) error {
		return f.k.EndUnder(ctx, kv, []string{op}, "au-1 exited")
	}); err != nil {
		t.Fatal(err)
	}
	if f.status(op) != types.RightStatus_RIGHT_STATUS_EXITED {
		t.Fatalf("operator right: %v", f.status(op))
	}
	if !testkit.HasEvent(f.events, types.EventRightExited, types.AttrRightID, op, types.AttrAuthorizationID, au, types.AttrReason, "au-1 exited") {
		t.Fatalf("events: %v", f.events)
	}
	exited := 0
	for _, id := range desc {
		if f.status(id) == types.RightStatus_RIGHT_STATUS_EXITED {
			exited++
		}
		if err := f.live(id); !errorsIs(err, types.ErrNotLive) {
			t.Fatalf("%s after EndUnder: %v", id, err)
		}
	}
	if exited != 3 {
		t.Fatalf("EndUnder ended %d descendants, want max_cascade = 3", exited)
	}
	for block := 0; exited < len(desc); block++ {
		if block > 5 {
			t.Fatal("cleanup does not finish")
		}
		f.next(time.Second)
		n := 0
		for _, e := range f.endBlock() {
			if e.Type == types.EventRightExited {
				n++
			}
		}
		if n == 0 || n > 3 {
			t.Fatalf("block %d ended %d rights, want 1 to 3", block, n)
		}
		exited += n
	}
	for _, id := range desc {
		if f.status(id) != types.RightStatus_RIGHT_STATUS_EXITED {
			t.Fatalf("%s: %v", id, f.status(id))
		}
	}
	// The asset's use rights are all ended: an exclusive grant is free.
	f.must(dept1, with(f.use(root(aPublic), ent3, s), func(m *types.MsgGrantRight) { m.Exclusive = true }))
	// Ending again is a no-op.
	if err := f.under(func(ctx context.Context, kv store.KV) error { return f.k.EndUnder(ctx, kv, []string{op}, "again") }); err != nil || len(f.events) != 0 {
		t.Fatalf("second end: %v, %v", err, f.events)
	}
}

// TestEndUnderAfterExpiry: an operator right that expired with its term
// is left expired.
func TestEndUnderAfterExpiry(t *testing.T) {
	f := newFixture(t, nil)
	op := f.mintUnder(aPublic, scope(false, qc))
	f.next(60 * 24 * time.Hour)
	f.endBlock()
	if f.status(op) != types.RightStatus_RIGHT_STATUS_EXPIRED {
		t.Fatalf("status %v", f.status(op))
	}
	if err := f.under(func(ctx context.Context, kv store.KV) error { return f.k.EndUnder(ctx, kv, []string{op}, "expired") }); err != nil || len(f.events) != 0 {
		t.Fatalf("EndUnder: %v, %v", err, f.events)
	}
	if f.status(op) != types.RightStatus_RIGHT_STATUS_EXPIRED {
		t.Fatalf("status %v", f.status(op))
	}
}

// TestOperatorRightEndsOnlyWithAuthorization: the authoriser granted the
// operator right, but cannot revoke it, alone or with revoke-all, even
// when the revoke-all is too large for its tx and leaves a mark on the
// asset.
func TestOperatorRightEndsOnlyWithAuthorization(t *testing.T) {
	f := newFixture(t, small)
	op := f.mintUnder(aPublic, scope(false, qc))
	f.rejects(dept1, &types.MsgRevokeRight{RightId: op, Reason: "no"}, types.ErrUnderAuthorization)
	var others []string
	for _, to := range []string{ent1, ent3, ent4} {
		g := f.must(dept1, f.use(root(aPublic), to, scope(false, qc)))
		others = append(others, g)
	}
	f.must(dept1, &types.MsgRevokeAll{AssetId: aPublic, Reason: "reorganisation"})
	if f.status(op) != types.RightStatus_RIGHT_STATUS_ACTIVE {
		t.Fatalf("operator right: %v", f.status(op))
	}
	if err := f.live(op); err != nil {
		t.Fatalf("operator right while the revoke-all is queued: %v", err)
	}
	queued := 0
	for _, id := range others {
		if err := f.live(id); !errorsIs(err, types.ErrNotLive) {
			t.Fatalf("%s after revoke-all: %v", id, err)
		}
		if f.status(id) == types.RightStatus_RIGHT_STATUS_ACTIVE {
			queued++
		}
	}
	if queued == 0 {
		t.Fatal("the revoke-all finished in its tx; the test needs it queued (max_cascade 3)")
	}
	for range 5 {
		f.next(time.Second)
		f.endBlock()
	}
	if f.status(op) != types.RightStatus_RIGHT_STATUS_ACTIVE || f.live(op) != nil {
		t.Fatalf("operator right after the cleanup: %v", f.status(op))
	}
}
