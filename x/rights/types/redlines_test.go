package types_test

import (
	"errors"
	"testing"

	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/types"
)

func TestCheckRedLines(t *testing.T) {
	const src, out = "0xSRC", "0xOUT"
	asset := func(c regtypes.Classification, g regtypes.Grade, deid bool) *regtypes.Asset {
		return &regtypes.Asset{Id: "a-1", Classification: c, Grade: g, Deidentified: deid, SourceDepartment: src, Registrant: src}
	}
	pub, pers := regtypes.Classification_CLASSIFICATION_PUBLIC, regtypes.Classification_CLASSIFICATION_PERSONAL
	gen, imp, core := regtypes.Grade_GRADE_GENERAL, regtypes.Grade_GRADE_IMPORTANT, regtypes.Grade_GRADE_CORE
	clear, pc := &types.Scope{}, &types.Scope{PrivacyComputingOnly: true}
	supervised := asset(pers, gen, false)
	supervised.Registrant = out // an enterprise naming src as its supervising department
	for _, tc := range []struct {
		name             string
		a                *regtypes.Asset
		grantor, grantee string
		s                *types.Scope
		want             types.Verdict
		err              error
	}{
		{"general public data goes out", asset(pub, gen, false), src, out, clear, types.Allowed, nil},
		{"core data to an outsider", asset(pub, core, false), src, out, pc, 0, types.ErrCoreDataRedLine},
		{"core data back to its source", asset(pub, core, false), src, src, clear, types.Allowed, nil},
		{"core data granted onward by an outsider", asset(pub, core, false), out, src, clear, 0, types.ErrCoreDataRedLine},
		{"important data in the clear", asset(pub, imp, false), src, out, clear, 0, types.ErrImportantDataRedLine},
		{"important data privacy-computed", asset(pub, imp, false), src, out, pc, types.NeedsApproval, nil},
		{"important data inside its source", asset(pub, imp, false), out, src, clear, types.Allowed, nil},
		{"personal data in the clear", asset(pers, gen, false), src, out, clear, 0, types.ErrPersonalDataRedLine},
		{"personal data privacy-computed", asset(pers, gen, false), src, out, pc, types.NeedsApproval, nil},
		{"de-identified personal data", asset(pers, gen, true), src, out, clear, types.Allowed, nil},
		{"de-identified important personal data", asset(pers, imp, true), src, out, clear, 0, types.ErrImportantDataRedLine},
		{"an enterprise's personal data to its supervising department", supervised, out, src, clear, 0, types.ErrPersonalDataRedLine},
	} {
		v, err := types.CheckRedLines(tc.a, tc.grantor, tc.grantee, tc.s)
		if (tc.err == nil) != (err == nil) || (tc.err != nil && !errors.Is(err, tc.err)) || (err == nil && v != tc.want) {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.name, v, err, tc.want, tc.err)
		}
	}
	open := &regtypes.Asset{Classification: pub, Grade: gen, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_UNCONDITIONAL}
	if !types.OpenToAll(open) {
		t.Error("unconditionally open general public data is not open to all")
	}
	open.Grade = imp
	if types.OpenToAll(open) {
		t.Error("important data is open to all")
	}
}

func TestScopes(t *testing.T) {
	q, c, d := types.Operation_OPERATION_QUERY, types.Operation_OPERATION_COMPUTE, types.Operation_OPERATION_DERIVE
	s, err := types.NormalizeScope(&types.Scope{Purposes: []string{"b", "a", "b"}, Operations: []types.Operation{c, q, c}})
	if err != nil || len(s.Purposes) != 2 || s.Purposes[0] != "a" || len(s.Operations) != 2 || s.Operations[0] != q {
		t.Fatalf("normalised %v, %v", s, err)
	}
	parent := &types.Scope{Purposes: []string{"a", "b"}, Operations: []types.Operation{q, c}}
	for _, tc := range []struct {
		child *types.Scope
		ok    bool
	}{
		{&types.Scope{Purposes: []string{"a"}, Operations: []types.Operation{q}}, true},
		{&types.Scope{Purposes: []string{"a"}, Operations: []types.Operation{q}, PrivacyComputingOnly: true}, true},
		{&types.Scope{Operations: []types.Operation{q}}, false},
		{&types.Scope{Purposes: []string{"c"}, Operations: []types.Operation{q}}, false},
		{&types.Scope{Purposes: []string{"a"}, Operations: []types.Operation{d}}, false},
	} {
		if err := types.ScopeSubset(tc.child, parent); (err == nil) != tc.ok {
			t.Errorf("ScopeSubset(%v) = %v, want ok=%v", tc.child, err, tc.ok)
		}
	}
	if err := types.CheckUse(parent, "a", d); !errors.Is(err, types.ErrUsageOutOfScope) {
		t.Errorf("CheckUse derive: %v", err)
	}
}

func TestIDs(t *testing.T) {
	for s, ok := range map[string]bool{"r-1": true, "r-18446744073709551615": true, "r-0": false, "r-01": false, "r-": false,
		"q-1": false, "r-1x": false, "r-18446744073709551616": false, "r--1": false} {
		n, err := types.ParseRightID("id", s)
		if (err == nil) != ok || (ok && types.RightID(n) != s) {
			t.Errorf("ParseRightID(%q) = %d, %v", s, n, err)
		}
	}
	for _, k := range []types.RightKind{types.RightKind_RIGHT_KIND_HOLDING, types.RightKind_RIGHT_KIND_USE, types.RightKind_RIGHT_KIND_OPERATION} {
		if got, err := types.ParseKind(types.KindName(k)); err != nil || got != k {
			t.Errorf("kind %v round trip: %v, %v", k, got, err)
		}
	}
	if _, err := types.ParseKind("unspecified"); err == nil {
		t.Error("unspecified kind parsed")
	}
	if ops, err := types.ParseOperations("query, derive,,"); err != nil || len(ops) != 2 {
		t.Errorf("ParseOperations: %v, %v", ops, err)
	}
	if err := types.DefaultParams().Validate(); err != nil {
		t.Error(err)
	}
}
