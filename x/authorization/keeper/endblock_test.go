package keeper_test

import (
	"slices"
	"testing"
	"time"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/x/authorization/types"
)

// TestExpiryExactlyAtValidUntil: a nanosecond before valid_until nothing
// happens; at valid_until the authorisation expires in EndBlock, its
// rights end, and the event names the end.
func TestExpiryExactlyAtValidUntil(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	a := f.auth(id)
	until := a.ValidUntil.AsTime()
	f.rights.calls = nil

	f.height++
	f.now = until.Add(-time.Nanosecond)
	if evs := f.endBlock(); len(evs) != 0 || len(f.rights.calls) != 0 || f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE {
		t.Fatalf("before the end: %v, %v, %v", evs, f.rights.ops(), f.status(id))
	}
	f.height++
	f.now = until
	evs := f.endBlock()
	a = f.auth(id)
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_EXPIRED || a.StatusHeight != f.height {
		t.Fatalf("at the end: %v", a)
	}
	if !slices.Equal(f.rights.ops(), []string{"end"}) || !slices.Equal(f.rights.calls[0].ids, a.OperatorRightIds) {
		t.Fatalf("calls %+v", f.rights.calls)
	}
	if !testkit.HasEvent(evs, types.EventExpired, types.AttrAuthorizationID, id, types.AttrOperator, op1, types.AttrAuthoriser, dept1, types.AttrValidUntil, until.Format(time.RFC3339Nano)) {
		t.Fatalf("events %v", evs)
	}
	for _, e := range evs {
		for _, at := range e.Attributes {
			if at.Key == types.AttrActor {
				t.Fatalf("expiry has no actor: %v", e)
			}
		}
	}
	// Once.
	f.next(time.Hour)
	if evs := f.endBlock(); len(evs) != 0 || len(f.rights.calls) != 1 {
		t.Fatalf("after: %v, %v", evs, f.rights.ops())
	}
	f.rejects(admin, &types.MsgTerminateAuthorization{Id: id, Reason: "x"}, types.ErrWrongStatus)
}

// TestExpirySuspended: a suspended authorisation expires too.
func TestExpirySuspended(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	f.must(admin, &types.MsgSuspendAuthorization{Id: id, Reason: "audit"})
	f.next(time.Duration(year) * time.Second)
	f.endBlock()
	if f.status(id) != types.AuthorizationStatus_AUTHORIZATION_STATUS_EXPIRED {
		t.Fatal(f.status(id))
	}
}

// TestExpiryBounded: at most max_expiries_per_block per block, earliest
// end first (then lowest id); the rest wait, in order.
func TestExpiryBounded(t *testing.T) {
	p := types.DefaultParams()
	p.MaxExpiriesPerBlock = 2
	f := newFixture(t, p)
	var ids []string
	for range 5 {
		ids = append(ids, f.must(op1, apply(aPublic)))
	}
	for _, id := range ids[1:] {
		f.must(dept1, &types.MsgApproveAuthorization{Id: id})
	}
	f.next(time.Second) // au-1 is approved a second later: it ends last
	f.must(dept1, &types.MsgApproveAuthorization{Id: ids[0]})
	f.next(time.Duration(year)*time.Second + time.Second)
	var order []string
	for block := 0; len(order) < 5; block++ {
		if block > 3 {
			t.Fatalf("expiry does not finish: %v", order)
		}
		evs := f.endBlock()
		if len(evs) == 0 || len(evs) > 2 {
			t.Fatalf("block %d expired %d, want 1 to 2", block, len(evs))
		}
		for _, e := range evs {
			for _, at := range e.Attributes {
				if at.Key == types.AttrAuthorizationID {
					order = append(order, at.Value)
				}
			}
		}
		f.next(time.Second)
	}
	if want := []string{"au-2", "au-3", "au-4", "au-5", "au-1"}; !slices.Equal(order, want) {
		t.Fatalf("expired in order %v, want %v", order, want)
	}
}
