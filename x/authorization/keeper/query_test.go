package keeper_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/x/authorization/keeper"
	"github.com/datarights/datarights/x/authorization/types"
)

func ids(as []*types.Authorization) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Id)
	}
	return out
}

func TestQueryList(t *testing.T) {
	f := newFixture(t, nil)
	// au-1: op1, a-1 a-2, active; au-2: op2, a-1, applied; au-3: op1,
	// a-2, applied; au-4: op2, a-10 (dept2), applied.
	f.active()
	f.must(op2, apply(aPublic))
	f.must(op1, apply(aPublic2))
	f.must(op2, with(apply(aOther), func(m *types.MsgApplyAuthorization) { m.Authoriser = dept2 }))
	active := types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE
	applied := types.AuthorizationStatus_AUTHORIZATION_STATUS_APPLIED
	for _, tc := range []struct {
		name string
		req  *types.QueryAuthorizationsRequest
		want []string
	}{
		{"all", &types.QueryAuthorizationsRequest{}, []string{"au-1", "au-2", "au-3", "au-4"}},
		{"by operator", &types.QueryAuthorizationsRequest{Operator: op1}, []string{"au-1", "au-3"}},
		{"by operator, lower-case address", &types.QueryAuthorizationsRequest{Operator: lower(op2)}, []string{"au-2", "au-4"}},
		{"by authoriser", &types.QueryAuthorizationsRequest{Authoriser: dept1}, []string{"au-1", "au-2", "au-3"}},
		{"by asset", &types.QueryAuthorizationsRequest{AssetId: aPublic}, []string{"au-1", "au-2"}},
		{"by asset and status", &types.QueryAuthorizationsRequest{AssetId: aPublic2, Status: applied}, []string{"au-3"}},
		{"by status", &types.QueryAuthorizationsRequest{Status: active}, []string{"au-1"}},
		{"by operator and status", &types.QueryAuthorizationsRequest{Operator: op1, Status: applied}, []string{"au-3"}},
		{"nothing", &types.QueryAuthorizationsRequest{AssetId: aCore}, nil},
	} {
		resp, err := f.k.QueryAuthorizations(f.tree, tc.req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := ids(resp.Authorizations); !slices.Equal(got, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, req := range []*types.QueryAuthorizationsRequest{
		{Operator: op1, AssetId: aPublic},
		{Operator: "op1"},
		{AssetId: "a 1"},
		{Status: 42},
	} {
		if _, err := f.k.QueryAuthorizations(f.tree, req); !errors.Is(err, types.ErrInvalidFields) {
			t.Fatalf("%v: %v", req, err)
		}
	}
	// Paging.
	resp, err := f.k.QueryAuthorizations(f.tree, &types.QueryAuthorizationsRequest{Page: &query.PageRequest{Limit: 3}})
	if err != nil || len(resp.Authorizations) != 3 || len(resp.Page.NextKey) == 0 {
		t.Fatalf("page 1: %v, %v", resp, err)
	}
	resp, err = f.k.QueryAuthorizations(f.tree, &types.QueryAuthorizationsRequest{Page: &query.PageRequest{Key: resp.Page.NextKey, Limit: 3}})
	if err != nil || !slices.Equal(ids(resp.Authorizations), []string{"au-4"}) || len(resp.Page.NextKey) != 0 {
		t.Fatalf("page 2: %v, %v", resp, err)
	}
}

func lower(a string) string { return "0x" + string(bytes.ToLower([]byte(a[2:]))) }

// TestQueryShow: the app's query path answers with the stored bytes and
// their full state key (prefix included), and with the key on absence, so
// that both can be proven.
func TestQueryShow(t *testing.T) {
	f := newFixture(t, nil)
	id := f.active()
	h := f.k.Queries()[keeper.PathShow]
	req, _ := proto.Marshal(&types.QueryAuthorizationRequest{Id: id})
	value, key, err := h(f.tree, req)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, append([]byte{0x05, 0x01}, 0, 0, 0, 0, 0, 0, 0, 1)) || !bytes.Equal(key, keeper.FullAuthorizationKey(1)) {
		t.Fatalf("key %X", key)
	}
	if !bytes.Equal(f.tree.Get(key), value) {
		t.Fatal("the value is not what the tree stores at the key")
	}
	a := &types.Authorization{}
	if err := proto.Unmarshal(value, a); err != nil || !proto.Equal(a, f.auth(id)) {
		t.Fatalf("decoded %v, %v", a, err)
	}
	req, _ = proto.Marshal(&types.QueryAuthorizationRequest{Id: "au-7"})
	if _, key, err := h(f.tree, req); !errors.Is(err, types.ErrNotFound) || !bytes.Equal(key, keeper.FullAuthorizationKey(7)) {
		t.Fatalf("absent: %X, %v", key, err)
	}
	req, _ = proto.Marshal(&types.QueryAuthorizationRequest{Id: "7"})
	if _, _, err := h(f.tree, req); !errors.Is(err, types.ErrInvalidID) {
		t.Fatalf("bad id: %v", err)
	}
	if _, _, err := h(f.tree, []byte{0xff}); !errors.Is(err, query.ErrBadRequest) {
		t.Fatalf("garbage: %v", err)
	}
	for _, path := range []string{keeper.PathShow, keeper.PathList, keeper.PathEvaluations, keeper.PathParams} {
		if f.k.Queries()[path] == nil {
			t.Fatalf("no handler for %s", path)
		}
	}
	if _, err := f.k.QueryEvaluations(f.tree, &types.QueryEvaluationsRequest{Id: "au-9"}); !errors.Is(err, types.ErrNotFound) {
		t.Fatalf("evaluations of nothing: %v", err)
	}
}

func TestParamsAndGenesis(t *testing.T) {
	f := newFixture(t, nil)
	if got := f.k.Params(f.tree); !proto.Equal(got, types.DefaultParams()) {
		t.Fatalf("default params %v", got)
	}
	raw, _, err := f.k.Queries()[keeper.PathParams](f.tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &types.Params{}
	if err := proto.Unmarshal(raw, p); err != nil || p.EvaluationThreshold != 60 || p.MaxAssets != 32 || p.MaxTermSeconds != 157680000 || p.MaxExpiriesPerBlock != 1000 {
		t.Fatalf("params query: %v, %v", p, err)
	}
	p.EvaluationThreshold = 75
	if err := f.k.SetParams(f.tree, p); err != nil {
		t.Fatal(err)
	}
	if got := f.k.ExportGenesis(f.tree); got.Params.EvaluationThreshold != 75 {
		t.Fatalf("export %v", got)
	}
	bad := proto.Clone(p).(*types.Params)
	bad.MaxExpiriesPerBlock = 0
	if err := f.k.SetParams(f.tree, bad); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("bad params: %v", err)
	}
	if f.k.Params(f.tree).EvaluationThreshold != 75 {
		t.Fatal("bad params were stored")
	}
	if err := keeper.ValidateGenesis(&types.GenesisState{Params: bad}); !errors.Is(err, types.ErrInvalidGenesis) {
		t.Fatalf("bad genesis: %v", err)
	}
	if err := keeper.ValidateGenesis(&types.GenesisState{}); err != nil {
		t.Fatalf("empty genesis: %v", err)
	}
	if err := keeper.ValidateGenesis(nil); err != nil {
		t.Fatalf("nil genesis: %v", err)
	}
}
