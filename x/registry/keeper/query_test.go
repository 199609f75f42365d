package keeper_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

func ids(assets []*types.Asset) []string {
	var out []string
	for _, a := range assets {
		out = append(out, a.Id)
	}
	return out
}

func TestQueryAssetsFilters(t *testing.T) {
	tree := base(t)
	k := newHarness().k
	for _, c := range []struct {
		name string
		req  *types.QueryAssetsRequest
		want []string
	}{
		{"all", &types.QueryAssetsRequest{}, []string{"a-1", "a-2", "a-3", "a-4", "a-5"}},
		{"kind", &types.QueryAssetsRequest{Kind: product}, []string{"a-5"}},
		{"classification", &types.QueryAssetsRequest{Classification: public}, []string{"a-1", "a-3"}},
		{"grade", &types.QueryAssetsRequest{Grade: core}, []string{"a-3"}},
		{"source department", &types.QueryAssetsRequest{SourceDepartment: d1.Address}, []string{"a-1", "a-3"}},
		{"source department in lower case", &types.QueryAssetsRequest{SourceDepartment: lowerAddr(d2.Address)}, []string{"a-2"}},
		{"status certified", &types.QueryAssetsRequest{Status: types.AssetStatus_ASSET_STATUS_CERTIFIED}, []string{"a-1", "a-2"}},
		{"status in notice", &types.QueryAssetsRequest{Status: types.AssetStatus_ASSET_STATUS_IN_NOTICE}, []string{"a-4", "a-5"}},
		{"status catalogued", &types.QueryAssetsRequest{Status: types.AssetStatus_ASSET_STATUS_CATALOGUED}, []string{"a-3"}},
		{"nothing matches", &types.QueryAssetsRequest{Kind: types.AssetKind_ASSET_KIND_HARDWARE}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := k.QueryAssets(tree, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(resp.Assets); !slices.Equal(got, c.want) || len(resp.Page.GetNextKey()) != 0 {
				t.Fatalf("got %v (next %X), want %v", got, resp.Page.GetNextKey(), c.want)
			}
		})
	}
	for _, bad := range []*types.QueryAssetsRequest{
		{Kind: product, Grade: core},
		{Status: types.AssetStatus_ASSET_STATUS_CERTIFIED, SourceDepartment: d1.Address},
		{Kind: 42},
		{Status: 9},
		{SourceDepartment: "0x12"},
	} {
		if _, err := k.QueryAssets(tree, bad); !errors.Is(err, types.ErrInvalidField) {
			t.Errorf("%v: error %v", bad, err)
		}
	}
}

func lowerAddr(a string) string { return string(bytes.ToLower([]byte(a))) }

// TestQueryAssetsPages walks every list in pages of two and of one: the
// pages join up to the whole list, with no repeats.
func TestQueryAssetsPages(t *testing.T) {
	tree := base(t)
	k := newHarness().k
	for _, req := range []*types.QueryAssetsRequest{
		{}, {Status: types.AssetStatus_ASSET_STATUS_IN_NOTICE}, {Classification: public},
	} {
		whole, err := k.QueryAssets(tree, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []uint32{1, 2} {
			var got []string
			var key []byte
			for pages := 0; ; pages++ {
				r := proto.Clone(req).(*types.QueryAssetsRequest)
				r.Page = &query.PageRequest{Key: key, Limit: limit}
				resp, err := k.QueryAssets(tree, r)
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.Assets) > int(limit) || pages > 10 {
					t.Fatalf("page of %d with limit %d", len(resp.Assets), limit)
				}
				got = append(got, ids(resp.Assets)...)
				if key = resp.Page.GetNextKey(); len(key) == 0 {
					break
				}
			}
			if want := ids(whole.Assets); !slices.Equal(got, want) {
				t.Fatalf("%v, limit %d: pages give %v, want %v", req, limit, got, want)
			}
		}
	}
}

func TestQueryAsset(t *testing.T) {
	tree := base(t)
	k := newHarness().k
	value, key, err := k.QueryAsset(tree, &types.QueryAssetRequest{Id: "a-5"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, keeper.FullAssetKey(5)) || !bytes.Equal(tree.Get(key), value) {
		t.Fatalf("key %X does not hold the value", key)
	}
	a := &types.Asset{}
	if err := proto.Unmarshal(value, a); err != nil || a.Id != "a-5" || types.FormatInputs(a.Inputs) != "a-1:6000,a-2:4000" {
		t.Fatalf("asset %v %v", a, err)
	}
	if _, key, err := k.QueryAsset(tree, &types.QueryAssetRequest{Id: "a-6"}); !errors.Is(err, types.ErrAssetNotFound) || !bytes.Equal(key, keeper.FullAssetKey(6)) {
		t.Fatalf("missing asset: key %X, error %v (want its key, for an absence proof)", key, err)
	}
	if _, _, err := k.QueryAsset(tree, &types.QueryAssetRequest{Id: "x"}); !errors.Is(err, types.ErrInvalidField) {
		t.Fatalf("error %v", err)
	}
}

func TestQueryVersionsAndValuations(t *testing.T) {
	tree := base(t)
	h := newHarness()
	kv := store.NewBranch(tree)
	for i := range 3 {
		h.mustRun(t, kv, testHeight, t4,
			step{d1, &types.MsgAddVersion{AssetId: "a-1", ContentHash: hash(200 + i)}},
			step{assessor, &types.MsgRecordValuation{AssetId: "a-1", ValueFen: uint64(100 * (i + 1)), Method: types.ValuationMethod_VALUATION_METHOD_COST, ReportHash: hash(300 + i)}})
	}
	vs, err := h.k.QueryVersions(kv, &types.QueryVersionsRequest{AssetId: "a-1", Page: &query.PageRequest{Limit: 3}})
	if err != nil || len(vs.Versions) != 3 || vs.Versions[0].ContentHash != hash(1) || vs.Versions[2].ContentHash != hash(201) {
		t.Fatalf("versions %v %v", vs, err)
	}
	vs, err = h.k.QueryVersions(kv, &types.QueryVersionsRequest{AssetId: "a-1", Page: &query.PageRequest{Key: vs.Page.NextKey}})
	if err != nil || len(vs.Versions) != 1 || vs.Versions[0].Number != 4 || vs.Versions[0].Note != "" {
		t.Fatalf("second page %v %v", vs, err)
	}
	vals, err := h.k.QueryValuations(kv, &types.QueryValuationsRequest{AssetId: "a-1"})
	if err != nil || len(vals.Valuations) != 3 || vals.Valuations[2].ValueFen != 300 || vals.Valuations[2].Number != 3 {
		t.Fatalf("valuations %v %v", vals, err)
	}
	if _, err := h.k.QueryVersions(kv, &types.QueryVersionsRequest{AssetId: "a-9"}); !errors.Is(err, types.ErrAssetNotFound) {
		t.Fatalf("error %v", err)
	}
	if _, err := h.k.QueryValuations(kv, &types.QueryValuationsRequest{AssetId: "a-9"}); !errors.Is(err, types.ErrAssetNotFound) {
		t.Fatalf("error %v", err)
	}
}

func TestQueryCertificate(t *testing.T) {
	tree := base(t)
	h := newHarness()
	h.rights.holders["a-2"] = e2.Address
	c, err := h.k.QueryCertificate(tree, &types.QueryCertificateRequest{AssetId: "a-2"})
	if err != nil {
		t.Fatal(err)
	}
	if c.CertificateNo != "BZDR-2026-000002" || c.Holder != e2.Address || c.CatalogueCode != "BZ-E1-001" || c.ContentHash != hash(2) ||
		c.CertifiedHeight != 2 || c.Classification != enterprise || c.Grade != general || c.Name != "dataset BZ-E1-001" {
		t.Fatalf("certificate %v", c)
	}
	for id, want := range map[string]error{"a-3": types.ErrNotCertified, "a-4": types.ErrNotCertified, "a-9": types.ErrAssetNotFound} {
		if _, err := h.k.QueryCertificate(tree, &types.QueryCertificateRequest{AssetId: id}); !errors.Is(err, want) {
			t.Errorf("%s: error %v, want %v", id, err, want)
		}
	}
}

// TestQueryPaths runs each query path through the module's handler map, as
// the app does: request bytes in, response bytes out.
func TestQueryPaths(t *testing.T) {
	tree := base(t)
	qs := newHarness().k.Queries()
	call := func(path string, req, resp proto.Message) []byte {
		t.Helper()
		data, _ := proto.Marshal(req)
		value, key, err := qs[path](tree, data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := proto.Unmarshal(value, resp); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return key
	}
	a := &types.Asset{}
	if key := call(keeper.PathAsset, &types.QueryAssetRequest{Id: "a-1"}, a); a.Id != "a-1" || !bytes.Equal(key, keeper.FullAssetKey(1)) {
		t.Fatalf("asset %v key %X", a, key)
	}
	list := &types.QueryAssetsResponse{}
	if call(keeper.PathAssets, &types.QueryAssetsRequest{Grade: core}, list); !slices.Equal(ids(list.Assets), []string{"a-3"}) {
		t.Fatalf("assets %v", list)
	}
	vs := &types.QueryVersionsResponse{}
	if call(keeper.PathVersions, &types.QueryVersionsRequest{AssetId: "a-1"}, vs); len(vs.Versions) != 1 {
		t.Fatalf("versions %v", vs)
	}
	vals := &types.QueryValuationsResponse{}
	if call(keeper.PathValuations, &types.QueryValuationsRequest{AssetId: "a-1"}, vals); len(vals.Valuations) != 0 {
		t.Fatalf("valuations %v", vals)
	}
	c := &types.Certificate{}
	if call(keeper.PathCertificate, &types.QueryCertificateRequest{AssetId: "a-1"}, c); c.CertificateNo != "BZDR-2026-000001" {
		t.Fatalf("certificate %v", c)
	}
	p := &types.Params{}
	if call(keeper.PathParams, &types.QueryParamsRequest{}, p); !proto.Equal(p, types.DefaultParams()) {
		t.Fatalf("params %v", p)
	}
	if len(qs) != 6 {
		t.Fatalf("%d query paths", len(qs))
	}
}

func TestProductsLineage(t *testing.T) {
	tree := base(t)
	h := newHarness()
	kv := store.NewBranch(tree)
	h.mustRun(t, kv, testHeight, t4,
		step{e2, productMsg("BZ-P2", 100, in("a-5", 10000))},
		step{e2, productMsg("BZ-P3", 101, in("a-1", 3000), in("a-4", 7000))})
	for id, want := range map[string][]string{"a-1": {"a-5", "a-7"}, "a-2": {"a-5"}, "a-5": {"a-6"}, "a-3": nil} {
		got, _, err := h.k.Products(kv, id, nil)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("products of %s: %v %v, want %v", id, got, err, want)
		}
	}
	page, next, err := h.k.Products(kv, "a-1", &query.PageRequest{Limit: 1})
	if err != nil || !slices.Equal(page, []string{"a-5"}) || len(next.GetNextKey()) == 0 {
		t.Fatalf("first page %v %v %v", page, next, err)
	}
}
