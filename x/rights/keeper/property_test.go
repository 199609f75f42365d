package keeper_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/keeper"
	"github.com/datarights/datarights/x/rights/types"
)

// TestProperties drives random sequences of grants, sublicenses,
// transfers, revocations (single and bulk), suspensions, uses and block-time
// advances with EndBlock, with small bounds (max_depth 4, max_cascade 3,
// max_expiries_per_block 3) so that the bounded paths run, and checks the
// invariants after every step. Messages that are refused are part of the
// test: they must leave no trace (exec writes only on success).
func TestProperties(t *testing.T) {
	for seed := uint64(1); seed <= 25; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x61))
			f := newFixture(t, &types.Params{MaxDepth: 4, MaxCascade: 3, MaxExpiriesPerBlock: 3})
			for step := range 250 {
				desc := randomStep(r, f)
				checkInvariants(t, f, fmt.Sprintf("step %d (%s)", step, desc))
			}
			// Drain: enough blocks for every queue, then nothing may be
			// left that is not ended but has an ended ancestor or a past term.
			for range 200 {
				f.next(time.Second)
				f.endBlock()
			}
			f.next(400 * 24 * time.Hour)
			for range 200 {
				f.next(time.Second)
				f.endBlock()
			}
			checkInvariants(t, f, "after draining")
			checkDrained(t, f)
		})
	}
}

var (
	actors   = []string{dept1, dept2, ent1, ent2, ent3, ent4}
	pool     = []string{"ops", "planning", "research"}
	onAssets = []string{aPublic, aEnt, aDeid, aProduct}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// randomRight returns a random right on one of the assets in play.
func randomRight(r *rand.Rand, f *fixture) *types.Right {
	resp, err := f.k.QueryRights(f.tree, &types.QueryRightsRequest{AssetId: pick(r, onAssets)})
	if err != nil {
		f.t.Fatal(err)
	}
	return pick(r, resp.Rights) // every asset has at least its root
}

// narrower draws a scope from parent, mostly a subset, sometimes not.
func narrower(r *rand.Rand, parent *types.Scope) *types.Scope {
	s := &types.Scope{PrivacyComputingOnly: parent.PrivacyComputingOnly || r.IntN(4) == 0}
	for _, op := range parent.Operations {
		if r.IntN(2) == 0 && !(s.PrivacyComputingOnly && op == types.Operation_OPERATION_REDISTRIBUTE) {
			s.Operations = append(s.Operations, op)
		}
	}
	if len(s.Operations) == 0 || r.IntN(10) == 0 {
		s.Operations = append(s.Operations, pick(r, types.AllOperations()[:4]))
	}
	from := parent.Purposes
	if len(from) == 0 {
		from = pool
	}
	for _, p := range from {
		if r.IntN(2) == 0 {
			s.Purposes = append(s.Purposes, p)
		}
	}
	if r.IntN(10) == 0 {
		s.Purposes = append(s.Purposes, pick(r, pool))
	}
	return s
}

func randomStep(r *rand.Rand, f *fixture) string {
	switch r.IntN(12) {
	case 0, 1, 2, 3:
		p := randomRight(r, f)
		kind := types.RightKind_RIGHT_KIND_USE
		if r.IntN(5) == 0 {
			kind = types.RightKind_RIGHT_KIND_OPERATION
		}
		m := &types.MsgGrantRight{ParentId: p.Id, Grantee: pick(r, actors), Kind: kind, Scope: narrower(r, p.Scope),
			Exclusive: kind == types.RightKind_RIGHT_KIND_USE && r.IntN(8) == 0, Transferable: r.IntN(2) == 0,
			Sublicensable: r.IntN(3) > 0, ValidUntil: ts(f.now.Add(time.Duration(1+r.IntN(96)) * time.Hour))}
		if r.IntN(4) == 0 {
			m.ValidFrom = ts(f.now.Add(time.Duration(r.IntN(3)) * time.Hour))
		}
		_, err := f.exec(p.Holder, m)
		return fmt.Sprintf("grant from %s: %v", p.Id, err)
	case 4:
		p := randomRight(r, f)
		_, err := f.exec(p.Holder, &types.MsgTransferRight{RightId: p.Id, To: pick(r, actors)})
		return fmt.Sprintf("transfer %s: %v", p.Id, err)
	case 5:
		p := randomRight(r, f)
		_, err := f.exec(p.Grantor, &types.MsgRevokeRight{RightId: p.Id, Reason: "random"})
		return fmt.Sprintf("revoke %s: %v", p.Id, err)
	case 6:
		_, err := f.exec(pick(r, actors), &types.MsgRevokeAll{AssetId: pick(r, onAssets), Reason: "random"})
		return fmt.Sprintf("revoke-all: %v", err)
	case 7:
		p := randomRight(r, f)
		if r.IntN(2) == 0 {
			_, err := f.exec(admin, &types.MsgSuspendRight{RightId: p.Id, Reason: "random"})
			return fmt.Sprintf("suspend %s: %v", p.Id, err)
		}
		_, err := f.exec(admin, &types.MsgResumeRight{RightId: p.Id, Reason: "random"})
		return fmt.Sprintf("resume %s: %v", p.Id, err)
	case 8:
		p := randomRight(r, f)
		_, err := f.exec(p.Holder, usage(p.Id, pick(r, pool), pick(r, types.AllOperations())))
		return fmt.Sprintf("use %s: %v", p.Id, err)
	default:
		f.next(time.Duration(r.IntN(12*60)) * time.Minute)
		f.endBlock()
		return "next block at " + f.now.Format(time.RFC3339)
	}
}

// allRights reads every right in id order.
func allRights(f *fixture) []*types.Right {
	var out []*types.Right
	req := &types.QueryRightsRequest{}
	for {
		resp, err := f.k.QueryRights(f.tree, req)
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, resp.Rights...)
		if len(resp.Page.GetNextKey()) == 0 {
			return out
		}
		req.Page = &query.PageRequest{Key: resp.Page.GetNextKey()}
	}
}

func checkInvariants(t *testing.T, f *fixture, when string) {
	t.Helper()
	rights := allRights(f)
	byID := map[string]*types.Right{}
	roots := map[string]int{}
	uses := map[string]uint64{}
	for _, r := range rights {
		byID[r.Id] = r
		if r.ParentId == "" {
			roots[r.AssetId]++
		}
	}
	for _, a := range assets() {
		if roots[a.Id] != 1 {
			t.Fatalf("%s: asset %s has %d root rights", when, a.Id, roots[a.Id])
		}
		if root, err := f.k.HolderOf(f.tree, a); err != nil || root == "" {
			t.Fatalf("%s: asset %s: root index: %v", when, a.Id, err)
		}
	}
	live := map[string]bool{}
	for _, r := range rights {
		live[r.Id] = f.live(r.Id) == nil
	}
	for _, r := range rights {
		if r.Kind == types.RightKind_RIGHT_KIND_USE && !ended(r) {
			uses[r.AssetId]++
		}
		if !live[r.Id] || r.ParentId == "" {
			continue
		}
		p := byID[r.ParentId]
		if !live[p.Id] {
			t.Fatalf("%s: %s is live under %s, which is not", when, r.Id, p.Id)
		}
		if err := types.ScopeSubset(r.Scope, p.Scope); err != nil {
			t.Fatalf("%s: live %s is wider than its parent %s: %v", when, r.Id, p.Id, err)
		}
		if r.ValidUntil == nil || r.ValidFrom.AsTime().Before(p.ValidFrom.AsTime()) ||
			(p.ValidUntil != nil && r.ValidUntil.AsTime().After(p.ValidUntil.AsTime())) {
			t.Fatalf("%s: live %s's term is outside its parent %s's", when, r.Id, p.Id)
		}
		if !f.now.Before(r.ValidUntil.AsTime()) {
			t.Fatalf("%s: %s is live past its term", when, r.Id)
		}
		if r.Exclusive {
			for _, o := range rights {
				if o.Id != r.Id && o.AssetId == r.AssetId && o.Kind == types.RightKind_RIGHT_KIND_USE && live[o.Id] &&
					!related(byID, r, o) {
					t.Fatalf("%s: %s is exclusive, yet %s is live beside it", when, r.Id, o.Id)
				}
			}
		}
	}
	for _, a := range onAssets {
		if got := useCount(f, a); got != uses[a] {
			t.Fatalf("%s: asset %s counts %d use rights, %d have not ended", when, a, got, uses[a])
		}
	}
}

// related: one is an ancestor of the other.
func related(byID map[string]*types.Right, a, b *types.Right) bool {
	isAnc := func(anc, r *types.Right) bool {
		for cur := r; cur.ParentId != ""; cur = byID[cur.ParentId] {
			if cur.ParentId == anc.Id {
				return true
			}
		}
		return false
	}
	return isAnc(a, b) || isAnc(b, a)
}

func ended(r *types.Right) bool {
	return slices.Contains([]types.RightStatus{types.RightStatus_RIGHT_STATUS_REVOKED, types.RightStatus_RIGHT_STATUS_EXPIRED, types.RightStatus_RIGHT_STATUS_EXITED}, r.Status)
}

// useCount reads the asset's use-right count key (keys.go: 0x09 | A).
func useCount(f *fixture, asset string) uint64 {
	bz := store.NewPrefix(f.tree, keeper.StorePrefix).Get(append([]byte{0x09, byte(len(asset))}, asset...))
	var n uint64
	for _, b := range bz {
		n = n<<8 | uint64(b)
	}
	return n
}

// checkDrained: once the queues are empty, stored statuses agree with
// liveness: no right is left unended under an ended ancestor or past its
// term.
func checkDrained(t *testing.T, f *fixture) {
	t.Helper()
	if left := testkit.Dump(store.NewPrefix(f.tree, []byte{0x04, 0x08})); len(left) != 0 {
		t.Fatalf("%d cleanup jobs left", len(left))
	}
	byID := map[string]*types.Right{}
	for _, r := range allRights(f) {
		byID[r.Id] = r
	}
	for _, r := range byID {
		if r.ParentId == "" || ended(r) {
			continue
		}
		if !f.now.Before(r.ValidUntil.AsTime()) {
			t.Fatalf("%s is %s past its term", r.Id, types.StatusName(r.Status))
		}
		for cur := r; cur.ParentId != ""; cur = byID[cur.ParentId] {
			if p := byID[cur.ParentId]; p.Status == types.RightStatus_RIGHT_STATUS_REVOKED {
				t.Fatalf("%s is %s under revoked %s", r.Id, types.StatusName(r.Status), p.Id)
			}
		}
	}
}
