package keeper_test

import (
	"errors"
	"testing"
	"time"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

// The market's License and Transfer are the seller's grant and transfer:
// the same rules, the same refusals, nothing written when refused.

func TestMarketLicense(t *testing.T) {
	gs := scope(false, qc, "research")
	cases := []struct {
		name   string
		setup  func(f *fixture)
		parent string
		buyer  string
		scope  *types.Scope
		until  time.Duration
		want   error
		status types.RightStatus
	}{
		{name: "a licence from a holding right", parent: root(aEnt), buyer: ent2, scope: gs, until: 24 * time.Hour,
			status: types.RightStatus_RIGHT_STATUS_ACTIVE},
		{name: "important data privacy-computing-only waits for the data admin", parent: root(aImportant), buyer: ent2,
			scope: scope(true, qc), until: time.Hour, status: types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL},
		{name: "core data never leaves", parent: root(aCore), buyer: ent2, scope: gs, until: time.Hour, want: types.ErrCoreDataRedLine},
		{name: "personal data not de-identified", parent: root(aPersonal), buyer: ent2, scope: gs, until: time.Hour, want: types.ErrPersonalDataRedLine},
		{name: "to the holder itself", parent: root(aEnt), buyer: ent1, scope: gs, until: time.Hour, want: types.ErrInvalidGrantee},
		{name: "scope wider than the parent's", parent: "r-9", buyer: ent3, scope: scope(false, allO), until: time.Hour,
			setup: func(f *fixture) { f.sub(root(aEnt), ent1, ent2, gs) }, want: types.ErrScopeNotSubset},
		{name: "frozen asset", parent: root(aEnt), buyer: ent2, scope: gs, until: time.Hour,
			setup: func(f *fixture) { f.reg.assets[aEnt].Frozen = true }, want: types.ErrNotLive},
		{name: "no end", parent: root(aEnt), buyer: ent2, scope: gs, want: types.ErrInvalidTerm},
		{name: "invalid scope", parent: root(aEnt), buyer: ent2, scope: scope(false, nil), until: time.Hour, want: types.ErrInvalidScope},
		{name: "unknown parent", parent: "r-99", buyer: ent2, scope: gs, until: time.Hour, want: types.ErrRightNotFound},
		{name: "suspended buyer", parent: root(aEnt), buyer: susp, scope: gs, until: time.Hour, want: types.ErrInvalidGrantee},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if c.setup != nil {
				c.setup(f)
			}
			var until time.Time
			if c.until != 0 {
				until = f.now.Add(c.until)
			}
			b := store.NewBranch(f.tree)
			before := testkit.Dump(b)
			id, err := f.k.License(f.ctx(ent4), b, c.parent, c.buyer, c.scope, until)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Fatalf("got %v, want %v", err, c.want)
				}
				if b.Len() != 0 || !testkit.SameDump(before, testkit.Dump(b)) {
					t.Fatalf("refused licence wrote %d keys", b.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b.Write()
			r := f.right(id)
			parent := f.right(c.parent)
			if r.Holder != c.buyer || r.Grantor != parent.Holder || r.ParentId != c.parent || r.Kind != types.RightKind_RIGHT_KIND_USE ||
				r.Transferable || r.Sublicensable || r.Exclusive || r.Status != c.status ||
				!r.ValidFrom.AsTime().Equal(f.now) || !r.ValidUntil.AsTime().Equal(until) {
				t.Fatalf("licence %v", r)
			}
		})
	}
}

func TestMarketTransfer(t *testing.T) {
	cases := []struct {
		name  string
		setup func(f *fixture)
		right string
		to    string
		want  error
	}{
		{name: "a transferable root right moves", right: root(aEnt), to: ent2},
		{name: "a public-data holding right never moves", right: root(aPublic), to: ent2, want: types.ErrPublicHoldingNotTransferable},
		{name: "a non-transferable licence", right: "r-9", to: ent3,
			setup: func(f *fixture) { f.must(ent1, f.use(root(aEnt), ent2, scope(false, qc))) }, want: types.ErrNotTransferable},
		{name: "to its holder", right: root(aEnt), to: ent1, want: types.ErrInvalidGrantee},
		{name: "disputed asset", right: root(aEnt), to: ent2,
			setup: func(f *fixture) { f.reg.assets[aEnt].Status = regtypes.AssetStatus_ASSET_STATUS_DISPUTED }, want: types.ErrNotLive},
		{name: "unknown right", right: "r-99", to: ent2, want: types.ErrRightNotFound},
		{name: "bad address", right: root(aEnt), to: "nope", want: types.ErrInvalidFields},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if c.setup != nil {
				c.setup(f)
			}
			b := store.NewBranch(f.tree)
			before := testkit.Dump(b)
			err := f.k.Transfer(f.ctx(ent4), b, c.right, c.to)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Fatalf("got %v, want %v", err, c.want)
				}
				if b.Len() != 0 || !testkit.SameDump(before, testkit.Dump(b)) {
					t.Fatalf("refused transfer wrote %d keys", b.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b.Write()
			if r := f.right(c.right); r.Holder != c.to {
				t.Fatalf("holder %s, want %s", r.Holder, c.to)
			}
		})
	}
}
