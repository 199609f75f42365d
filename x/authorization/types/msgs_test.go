package types_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/x/authorization/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func apply() *types.MsgApplyAuthorization {
	return &types.MsgApplyAuthorization{
		Authoriser: "0x00000000000000000000000000000000000000a1", AssetIds: []string{"a-1", "a-2"},
		Scope:     &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}},
		TermsHash: hash, Standards: []string{"GB/T-35273"}, TermSeconds: 86400,
		Revenue: &types.RevenueTerms{OperatorShareBps: 6000, PublicServiceShareBps: 4000},
	}
}

func TestApplyValidateBasic(t *testing.T) {
	if err := apply().ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*types.MsgApplyAuthorization)
		want error
	}{
		{"bad authoriser", func(m *types.MsgApplyAuthorization) { m.Authoriser = "x" }, types.ErrInvalidFields},
		{"no assets", func(m *types.MsgApplyAuthorization) { m.AssetIds = nil }, types.ErrInvalidFields},
		{"bad asset id", func(m *types.MsgApplyAuthorization) { m.AssetIds = []string{"a 1"} }, types.ErrInvalidFields},
		{"asset twice", func(m *types.MsgApplyAuthorization) { m.AssetIds = []string{"a-1", "a-1"} }, types.ErrDuplicateAsset},
		{"too many assets", func(m *types.MsgApplyAuthorization) {
			m.AssetIds = make([]string, types.MaxAssetsLimit+1)
		}, types.ErrTooManyAssets},
		{"no scope", func(m *types.MsgApplyAuthorization) { m.Scope = nil }, types.ErrInvalidScope},
		{"privacy computing with redistribute", func(m *types.MsgApplyAuthorization) {
			m.Scope = &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_REDISTRIBUTE}, PrivacyComputingOnly: true}
		}, types.ErrInvalidScope},
		{"no terms hash", func(m *types.MsgApplyAuthorization) { m.TermsHash = "" }, types.ErrInvalidHash},
		{"standard twice", func(m *types.MsgApplyAuthorization) { m.Standards = []string{"S1", "S1"} }, types.ErrInvalidFields},
		{"negative term", func(m *types.MsgApplyAuthorization) { m.TermSeconds = -1 }, types.ErrInvalidTerm},
		{"term over 30 years", func(m *types.MsgApplyAuthorization) { m.TermSeconds = types.MaxTermLimit + 1 }, types.ErrTermTooLong},
		{"shares over 10,000", func(m *types.MsgApplyAuthorization) { m.Revenue.OperatorShareBps = 6001 }, types.ErrInvalidRevenue},
		{"share overflow", func(m *types.MsgApplyAuthorization) {
			m.Revenue = &types.RevenueTerms{OperatorShareBps: 1 << 31, PublicServiceShareBps: 1 << 31}
		}, types.ErrInvalidRevenue},
	} {
		m := apply()
		tc.edit(m)
		if err := m.ValidateBasic(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// A rights scope error is re-worded once, not twice.
	m := apply()
	m.Scope.Operations = nil
	if err := m.ValidateBasic(); strings.Count(err.Error(), "invalid scope") != 1 {
		t.Errorf("scope error: %v", err)
	}
}

func TestOtherValidateBasic(t *testing.T) {
	for _, tc := range []struct {
		msg  interface{ ValidateBasic() error }
		want error
	}{
		{&types.MsgApproveAuthorization{Id: "au-1"}, nil},
		{&types.MsgApproveAuthorization{Id: "au-0"}, types.ErrInvalidID},
		{&types.MsgCoApproveAuthorization{Id: "r-1"}, types.ErrInvalidID},
		{&types.MsgRejectAuthorization{Id: "au-1", Reason: "no"}, nil},
		{&types.MsgRejectAuthorization{Id: "au-1", Reason: " "}, types.ErrInvalidReason},
		{&types.MsgEvaluateAuthorization{Id: "au-1", Score: 100, ReportHash: hash}, nil},
		{&types.MsgEvaluateAuthorization{Id: "au-1", Score: 0, ReportHash: hash}, nil},
		{&types.MsgEvaluateAuthorization{Id: "au-1", Score: 101, ReportHash: hash}, types.ErrInvalidScore},
		{&types.MsgEvaluateAuthorization{Id: "au-1", Score: 50}, types.ErrInvalidHash},
		{&types.MsgSuspendAuthorization{Id: "au-1"}, types.ErrInvalidReason},
		{&types.MsgResumeAuthorization{Id: "au-1", Reason: strings.Repeat("x", types.MaxReasonBytes+1)}, types.ErrInvalidReason},
		{&types.MsgTerminateAuthorization{Id: "au-01", Reason: "x"}, types.ErrInvalidID},
		{&types.MsgExitAuthorization{Id: "au-1", AttestationHash: hash}, nil},
		{&types.MsgExitAuthorization{Id: "au-1", AttestationHash: strings.ToUpper(hash)}, types.ErrInvalidHash},
	} {
		if err := tc.msg.ValidateBasic(); (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%T %v: got %v, want %v", tc.msg, tc.msg, err, tc.want)
		}
	}
}

func TestIDs(t *testing.T) {
	for _, s := range []string{"au-0", "au-01", "au-", "a-1", "au-1x", "AU-1", "au-99999999999999999999999"} {
		if _, err := types.ParseID("id", s); !errors.Is(err, types.ErrInvalidID) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if n, err := types.ParseID("id", types.AuthorizationID(42)); n != 42 || err != nil {
		t.Errorf("round trip: %d, %v", n, err)
	}
}

func TestStatusNames(t *testing.T) {
	for v := range types.AuthorizationStatus_name {
		s := types.AuthorizationStatus(v)
		if v == 0 {
			if _, err := types.ParseStatus(types.StatusName(s)); err == nil {
				t.Error("unspecified parses")
			}
			continue
		}
		got, err := types.ParseStatus(types.StatusName(s))
		if err != nil || got != s {
			t.Errorf("%v: %v, %v", s, got, err)
		}
	}
	if types.StatusName(types.AuthorizationStatus_AUTHORIZATION_STATUS_PENDING_CO_APPROVAL) != "pending_co_approval" {
		t.Error("name")
	}
	if _, err := types.ParseStatus("revoked"); !errors.Is(err, types.ErrInvalidFields) {
		t.Error(err)
	}
}

// TestErrorCodes: the module's codes run from 2 without gaps.
func TestErrorCodes(t *testing.T) {
	want := uint32(2)
	for _, e := range errs.All() {
		if e.Codespace() != types.ModuleName {
			continue
		}
		if e.Code() != want {
			t.Fatalf("code %d after %d", e.Code(), want-1)
		}
		want++
	}
	if want < 20 {
		t.Fatalf("only %d codes", want-2)
	}
}
