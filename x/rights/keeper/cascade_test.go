package keeper_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/keeper"
	"github.com/datarights/datarights/x/rights/types"
)

var small = &types.Params{MaxDepth: 8, MaxCascade: 3, MaxExpiriesPerBlock: 100}

// wide grants, under r-9 (ent1 → ent2), three sublicenses r-10..r-12 and
// under each of them two more: 9 descendants of r-9 in all.
func wide(f *fixture) []string {
	s := scope(false, qc)
	f.sub(root(aEnt), ent1, ent2, s)
	var all []string
	for range 3 {
		mid := f.sub("r-9", ent2, ent3, s)
		all = append(all, mid)
	}
	for _, mid := range all[:3] {
		for range 2 {
			all = append(all, f.must(ent3, f.use(mid, ent4, s)))
		}
	}
	return all
}

// TestCascadeBeyondMaxCascade: with max_cascade 3, revoking r-9 ends r-9
// and three descendants in its tx; the other six are dead at once (Live
// sees the revoked ancestor) and are revoked by EndBlock, at most three per
// block.
func TestCascadeBeyondMaxCascade(t *testing.T) {
	f := newFixture(t, small)
	desc := wide(f)
	f.must(ent1, &types.MsgRevokeRight{RightId: "r-9", Reason: "breach"})
	revoked := 0
	for _, id := range desc {
		if f.status(id) == types.RightStatus_RIGHT_STATUS_REVOKED {
			revoked++
		}
		if err := f.live(id); !errorsIs(err, types.ErrNotLive) {
			t.Fatalf("%s right after the revoke: %v", id, err)
		}
	}
	if revoked != 3 {
		t.Fatalf("the revoke tx ended %d descendants, want max_cascade = 3", revoked)
	}
	for block := 0; ; block++ {
		if block > 5 {
			t.Fatal("cleanup does not finish")
		}
		f.next(time.Second)
		evs := f.endBlock()
		n := 0
		for _, e := range evs {
			if e.Type == types.EventRightRevoked {
				n++
				if !testkit.HasEvent([]abci.Event{e}, types.EventRightRevoked, types.AttrCascadeRoot, "r-9") {
					t.Fatalf("block %d: %v does not name the cascade's root", block, e)
				}
			}
		}
		if n > 3 {
			t.Fatalf("block %d revoked %d, more than max_cascade", block, n)
		}
		if n == 0 {
			break
		}
		revoked += n
	}
	if revoked != len(desc) {
		t.Fatalf("%d of %d descendants revoked", revoked, len(desc))
	}
	for _, id := range desc {
		if r := f.right(id); r.Status != types.RightStatus_RIGHT_STATUS_REVOKED || r.StatusReason != "ancestor r-9 was revoked: breach" {
			t.Fatalf("%s: %s %q", id, types.StatusName(r.Status), r.StatusReason)
		}
	}
	// The exclusive count followed: an exclusive grant is possible again.
	f.must(ent1, with(f.use(root(aEnt), ent3, scope(false, qc)), func(m *types.MsgGrantRight) { m.Exclusive = true }))
}

func TestRevokeAll(t *testing.T) {
	for _, params := range []*types.Params{nil, {MaxDepth: 8, MaxCascade: 2, MaxExpiriesPerBlock: 100}} {
		f := newFixture(t, params)
		s := scope(false, qc)
		a := f.sub(root(aEnt), ent1, ent2, s)                 // r-9
		b := f.must(ent1, f.use(root(aEnt), ent3, s))         // r-10
		c := f.must(ent2, f.use(a, ent4, s))                  // r-11, granted by ent2
		other := f.must(ent1, f.use(root(aProduct), ent3, s)) // r-12, another asset
		d := f.must(ent1, f.use(root(aEnt), ent4, s))         // r-13
		f.must(ent1, &types.MsgRevokeAll{AssetId: aEnt, Reason: "contract terminated"})
		later := f.must(ent1, f.use(root(aEnt), ent2, s)) // granted after: not covered
		for _, id := range []string{a, b, c, d} {
			if err := f.live(id); !errorsIs(err, types.ErrNotLive) {
				t.Fatalf("params %v: %s after revoke-all: %v", params, id, err)
			}
		}
		for _, id := range []string{other, later} {
			if err := f.live(id); err != nil {
				t.Fatalf("params %v: %s: %v", params, id, err)
			}
		}
		for range 5 {
			f.next(time.Second)
			f.endBlock()
		}
		for _, id := range []string{a, b, c, d} {
			if f.status(id) != types.RightStatus_RIGHT_STATUS_REVOKED {
				t.Fatalf("params %v: %s is %s", params, id, types.StatusName(f.status(id)))
			}
		}
		if err := f.live(later); err != nil {
			t.Fatalf("params %v: after cleanup, %s: %v", params, later, err)
		}
		for _, p := range [][]byte{{0x04, 0x08}, {0x04, 0x0c}} { // cleanup queue, revoke-all marks
			if left := testkit.Dump(store.NewPrefix(f.tree, p)); len(left) != 0 {
				t.Fatalf("params %v: %d keys left under %X after cleanup", params, len(left), p)
			}
		}
	}
	f := newFixture(t, nil)
	f.rejects(ent1, &types.MsgRevokeAll{AssetId: "a-99", Reason: "x"}, errNoAsset)
	f.rejects(ent1, &types.MsgRevokeAll{AssetId: aEnt}, types.ErrInvalidReason)
	f.rejects(ent1, &types.MsgRevokeAll{AssetId: "a 1", Reason: "x"}, types.ErrInvalidID)
}

func TestQueries(t *testing.T) {
	f := newFixture(t, nil)
	tree3(f)                                                      // r-9 ent2, r-10 ent3, r-11 ent4 on aEnt
	f.must(dept1, f.use(root(aImportant), ent2, scope(true, qc))) // r-12 pending
	f.must(ent3, f.request(aPublic, scope(false, qc), "research"))
	f.must(ent2, f.request(aEnt, scope(false, qc), "research"))
	f.must(ent1, &types.MsgRejectRequest{RequestId: "q-2", Reason: "no"})

	value, key, err := f.k.QueryRight(f.tree, &types.QueryRightRequest{Id: "r-10"})
	if err != nil || string(key) != string(append([]byte{0x04, 0x01}, 0, 0, 0, 0, 0, 0, 0, 10)) || f.tree.Get(key) == nil || string(f.tree.Get(key)) != string(value) {
		t.Fatalf("QueryRight: key %X, %v", key, err)
	}
	if _, key, err := f.k.QueryRight(f.tree, &types.QueryRightRequest{Id: "r-404"}); !errorsIs(err, types.ErrRightNotFound) || key == nil {
		t.Fatalf("absent right: key %X, %v (want a key to prove absence)", key, err)
	}

	ids := func(rs []*types.Right) (out []string) {
		for _, r := range rs {
			out = append(out, r.Id)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		req  *types.QueryRightsRequest
		want []string
	}{
		{"by holder", &types.QueryRightsRequest{Holder: ent2}, []string{"r-9", "r-12"}},
		{"by holder and status", &types.QueryRightsRequest{Holder: ent2, Status: types.RightStatus_RIGHT_STATUS_PENDING_APPROVAL}, []string{"r-12"}},
		{"by asset", &types.QueryRightsRequest{AssetId: aEnt}, []string{"r-2", "r-9", "r-10", "r-11"}},
		{"by asset and kind", &types.QueryRightsRequest{AssetId: aEnt, Kind: types.RightKind_RIGHT_KIND_HOLDING}, []string{"r-2"}},
		{"all, paged", &types.QueryRightsRequest{Page: &query.PageRequest{Limit: 2}}, []string{"r-1", "r-2"}},
	} {
		resp, err := f.k.QueryRights(f.tree, tc.req)
		if err != nil || !equal(ids(resp.Rights), tc.want) {
			t.Fatalf("%s: %v, %v; want %v", tc.name, ids(resp.GetRights()), err, tc.want)
		}
	}
	resp, _ := f.k.QueryRights(f.tree, &types.QueryRightsRequest{Page: &query.PageRequest{Limit: 2}})
	resp, _ = f.k.QueryRights(f.tree, &types.QueryRightsRequest{Page: &query.PageRequest{Limit: 2, Key: resp.Page.NextKey}})
	if !equal(ids(resp.Rights), []string{"r-3", "r-4"}) {
		t.Fatalf("second page %v", ids(resp.Rights))
	}
	if _, err := f.k.QueryRights(f.tree, &types.QueryRightsRequest{Holder: ent1, AssetId: aEnt}); !errorsIs(err, types.ErrInvalidFields) {
		t.Fatalf("both filters: %v", err)
	}

	if resp, err := f.k.QueryChildren(f.tree, &types.QueryChildrenRequest{Id: "r-2"}); err != nil || !equal(ids(resp.Rights), []string{"r-9"}) {
		t.Fatalf("children: %v %v", resp, err)
	}
	if resp, err := f.k.QueryChain(f.tree, &types.QueryChainRequest{Id: "r-11"}); err != nil || !equal(ids(resp.Rights), []string{"r-11", "r-10", "r-9", "r-2"}) {
		t.Fatalf("chain: %v %v", resp, err)
	}

	reqIDs := func(req *types.QueryRequestsRequest) (out []string) {
		resp, err := f.k.QueryRequests(f.tree, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range resp.Requests {
			out = append(out, q.Id)
		}
		return out
	}
	if got := reqIDs(&types.QueryRequestsRequest{Holder: ent1}); !equal(got, []string{"q-2"}) {
		t.Fatalf("requests to ent1: %v", got)
	}
	if got := reqIDs(&types.QueryRequestsRequest{Requester: ent3}); !equal(got, []string{"q-1"}) {
		t.Fatalf("requests by ent3: %v", got)
	}
	if got := reqIDs(&types.QueryRequestsRequest{Status: types.RequestStatus_REQUEST_STATUS_PENDING}); !equal(got, []string{"q-1"}) {
		t.Fatalf("pending requests: %v", got)
	}
	if got := f.k.Params(f.tree); got.MaxCascade != 1000 {
		t.Fatalf("params %v", got)
	}
	if len(f.k.Queries()) != 7 || f.k.Name() != types.ModuleName {
		t.Fatal("module wiring")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestQueryHandlers runs every query path through its handler, as the app
// does: protobuf in, protobuf out, and the state key for /rights/right.
func TestQueryHandlers(t *testing.T) {
	f := newFixture(t, nil)
	tree3(f)
	f.must(ent4, usage("r-11", "x", types.Operation_OPERATION_QUERY))
	f.must(ent2, f.request(aEnt, scope(false, qc), "research"))
	qs := f.k.Queries()
	for path, tc := range map[string]struct {
		req, resp proto.Message
		n         func(proto.Message) int
	}{
		keeper.PathList:     {&types.QueryRightsRequest{AssetId: aEnt}, &types.QueryRightsResponse{}, func(m proto.Message) int { return len(m.(*types.QueryRightsResponse).Rights) }},
		keeper.PathChildren: {&types.QueryChildrenRequest{Id: "r-9"}, &types.QueryRightsResponse{}, func(m proto.Message) int { return len(m.(*types.QueryRightsResponse).Rights) }},
		keeper.PathChain:    {&types.QueryChainRequest{Id: "r-11"}, &types.QueryChainResponse{}, func(m proto.Message) int { return len(m.(*types.QueryChainResponse).Rights) }},
		keeper.PathRequests: {&types.QueryRequestsRequest{Requester: ent2}, &types.QueryRequestsResponse{}, func(m proto.Message) int { return len(m.(*types.QueryRequestsResponse).Requests) }},
		keeper.PathUsage:    {&types.QueryUsageRequest{RightId: "r-11"}, &types.QueryUsageResponse{}, func(m proto.Message) int { return len(m.(*types.QueryUsageResponse).Usage) }},
		keeper.PathParams:   {&types.QueryParamsRequest{}, &types.Params{}, func(m proto.Message) int { return int(m.(*types.Params).MaxDepth) }},
	} {
		data, _ := proto.Marshal(tc.req)
		value, key, err := qs[path](f.tree, data)
		if err != nil || key != nil {
			t.Fatalf("%s: key %X, %v", path, key, err)
		}
		if err := proto.Unmarshal(value, tc.resp); err != nil || tc.n(tc.resp) == 0 {
			t.Fatalf("%s: %v, %v", path, tc.resp, err)
		}
	}
	data, _ := proto.Marshal(&types.QueryRightRequest{Id: "r-11"})
	value, key, err := qs[keeper.PathRight](f.tree, data)
	if err != nil || string(key) != string(keeper.FullRightKey(11)) || string(f.tree.Get(key)) != string(value) {
		t.Fatalf("/rights/right: key %X, %v", key, err)
	}
	if _, _, err := qs[keeper.PathRight](f.tree, []byte{0xff}); !errorsIs(err, query.ErrBadRequest) {
		t.Fatalf("undecodable request: %v", err)
	}
}
