package types_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/datarights/datarights/x/registry/types"
)

func TestParseAssetID(t *testing.T) {
	for s, want := range map[string]uint64{"a-1": 1, "a-42": 42, "a-18446744073709551615": 1<<64 - 1} {
		if n, err := types.ParseAssetID("id", s); err != nil || n != want || types.FormatAssetID(n) != s {
			t.Errorf("%q: %d %v", s, n, err)
		}
	}
	for _, s := range []string{"", "a-", "a-0", "a-01", "A-1", "a1", "a--1", "a-+1", "a-1_0", "a-18446744073709551616", "r-1", " a-1"} {
		if _, err := types.ParseAssetID("id", s); !errors.Is(err, types.ErrInvalidField) {
			t.Errorf("%q: error %v", s, err)
		}
	}
}

func TestInputsRoundTrip(t *testing.T) {
	for _, s := range []string{"a-1:6000,a-2:4000", "a-1,a-7", "a-3:10000"} {
		in, err := types.ParseInputs(s)
		if err != nil || types.FormatInputs(in) != s {
			t.Errorf("%q: %v %v", s, types.FormatInputs(in), err)
		}
	}
	if in, err := types.ParseInputs(" a-1:5000, a-2:5000 "); err != nil || types.FormatInputs(in) != "a-1:5000,a-2:5000" {
		t.Errorf("spaces: %v %v", in, err)
	}
	if in, err := types.ParseInputs(""); err != nil || in != nil {
		t.Errorf("empty: %v %v", in, err)
	}
	for _, s := range []string{"a-1:x", "a-1:-1", "a-1:10001", "a-1:4294967296"} {
		if _, err := types.ParseInputs(s); !errors.Is(err, types.ErrInvalidInputs) {
			t.Errorf("%q: error %v", s, err)
		}
	}
}

func TestValidateInputs(t *testing.T) {
	in := func(pairs ...any) []*types.Input {
		var out []*types.Input
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, &types.Input{AssetId: pairs[i].(string), WeightBps: uint32(pairs[i+1].(int))})
		}
		return out
	}
	const (
		product  = types.AssetKind_ASSET_KIND_DATA_PRODUCT
		scenario = types.AssetKind_ASSET_KIND_SCENARIO
		dataset  = types.AssetKind_ASSET_KIND_DATASET
	)
	ok := []struct {
		kind   types.AssetKind
		inputs []*types.Input
	}{
		{product, in("a-1", 10000)},
		{product, in("a-1", 1, "a-2", 9999)},
		{scenario, nil},
		{scenario, in("a-1", 0, "a-2", 0)},
		{scenario, in("a-1", 5000, "a-2", 5000)},
		{types.AssetKind_ASSET_KIND_MODEL, in("a-1", 0)},
		{types.AssetKind_ASSET_KIND_PROJECT, in("a-1", 0)},
		{dataset, nil},
	}
	for _, c := range ok {
		if err := types.ValidateInputs(c.kind, c.inputs); err != nil {
			t.Errorf("%v %v: %v", c.kind, types.FormatInputs(c.inputs), err)
		}
	}
	bad := []struct {
		kind   types.AssetKind
		inputs []*types.Input
	}{
		{product, nil},
		{product, in("a-1", 0)},
		{product, in("a-1", 9999)},
		{product, in("a-1", 5000, "a-2", 5001)},
		{product, in("a-1", 5000, "a-1", 5000)},
		{product, in("x", 10000)},
		{scenario, in("a-1", 5000, "a-2", 0)},
		{scenario, in("a-1", 0, "a-1", 0)},
		{dataset, in("a-1", 10000)},
		{types.AssetKind_ASSET_KIND_SOFTWARE, in("a-1", 0)},
		{types.AssetKind_ASSET_KIND_HARDWARE, in("a-1", 0)},
		{product, in("a-1", 1<<31, "a-2", 1<<31, "a-3", 10000)}, // no uint32 wrap-around
	}
	for _, c := range bad {
		if err := types.ValidateInputs(c.kind, c.inputs); !errors.Is(err, types.ErrInvalidInputs) {
			t.Errorf("%v %v: error %v", c.kind, types.FormatInputs(c.inputs), err)
		}
	}
}

func TestEnumNames(t *testing.T) {
	for _, c := range []struct {
		name  string
		parse func(string) (int32, error)
		all   []string
	}{
		{"kind", func(s string) (int32, error) { v, err := types.ParseKind(s); return int32(v), err },
			[]string{"dataset", "data_product", "scenario", "model", "software", "hardware", "project"}},
		{"classification", func(s string) (int32, error) { v, err := types.ParseClassification(s); return int32(v), err },
			[]string{"public", "enterprise", "personal"}},
		{"grade", func(s string) (int32, error) { v, err := types.ParseGrade(s); return int32(v), err },
			[]string{"general", "important", "core"}},
		{"open level", func(s string) (int32, error) { v, err := types.ParseOpenLevel(s); return int32(v), err },
			[]string{"not_open", "conditional", "unconditional"}},
		{"status", func(s string) (int32, error) { v, err := types.ParseStatus(s); return int32(v), err },
			[]string{"in_notice", "disputed", "certified", "cancelled", "catalogued"}},
		{"method", func(s string) (int32, error) { v, err := types.ParseMethod(s); return int32(v), err },
			[]string{"cost", "income", "market"}},
	} {
		var got []string
		for i, s := range c.all {
			v, err := c.parse(s)
			if err != nil || v != int32(i+1) {
				t.Errorf("%s %q: %d %v", c.name, s, v, err)
			}
			got = append(got, s)
		}
		for _, s := range []string{"", "unspecified", "nope"} {
			if _, err := c.parse(s); !errors.Is(err, types.ErrInvalidField) {
				t.Errorf("%s %q: error %v", c.name, s, err)
			}
		}
		if !slices.Equal(got, c.all) {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	if types.KindName(types.AssetKind_ASSET_KIND_DATA_PRODUCT) != "data_product" || types.StatusName(types.AssetStatus_ASSET_STATUS_IN_NOTICE) != "in_notice" ||
		types.ClassificationName(types.Classification_CLASSIFICATION_PUBLIC) != "public" || types.GradeName(types.Grade_GRADE_CORE) != "core" ||
		types.OpenLevelName(types.OpenLevel_OPEN_LEVEL_NOT_OPEN) != "not_open" || types.MethodName(types.ValuationMethod_VALUATION_METHOD_MARKET) != "market" {
		t.Error("names")
	}
	if v, err := types.ParseKind("Data_Product"); err != nil || v != types.AssetKind_ASSET_KIND_DATA_PRODUCT {
		t.Errorf("case-insensitive parse: %v %v", v, err)
	}
}
