package types

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/validate"
)

// Field limits of the rights module.
const (
	MaxPurposes     = 16
	MaxPurposeBytes = 64
	MaxReasonBytes  = 256
	MaxAssetIDBytes = 64
	maxOperations   = 16 // before deduplication; there are five
)

// MaxTime bounds valid_from and valid_until: far beyond any term, and inside
// the int64 unix-nanosecond range the expiry queue's keys use.
var MaxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// Id prefixes: rights are "r-<n>", requests "q-<n>", n from 1.
const (
	RightIDPrefix   = "r-"
	RequestIDPrefix = "q-"
)

// RightID formats the id of right number n.
func RightID(n uint64) string { return RightIDPrefix + strconv.FormatUint(n, 10) }

// RequestID formats the id of request number n.
func RequestID(n uint64) string { return RequestIDPrefix + strconv.FormatUint(n, 10) }

// ParseRightID returns the number of a right id ("r-42" → 42).
func ParseRightID(field, s string) (uint64, error) { return parseID(field, s, RightIDPrefix) }

// ParseRequestID returns the number of a request id ("q-7" → 7).
func ParseRequestID(field, s string) (uint64, error) { return parseID(field, s, RequestIDPrefix) }

// parseID accepts exactly one spelling per id: the prefix and a decimal
// number from 1 without leading zeros, so "r-07" can never alias "r-7".
func parseID(field, s, prefix string) (uint64, error) {
	num, ok := strings.CutPrefix(s, prefix)
	if !ok || num == "" || num[0] == '0' || len(num) > 20 {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, prefix)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, prefix)
	}
	return n, nil
}

// ValidateAssetID checks the form of an asset id (the registry assigns
// them; this only bounds what reaches a key).
func ValidateAssetID(field, s string) error {
	if err := validate.Code(field, s, MaxAssetIDBytes); err != nil {
		return ErrInvalidID.Wrap(err.Error())
	}
	return nil
}

// ParseAddress normalises an address field to its canonical EIP-55 form.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidFields.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// ValidatePurpose checks one purpose label: 1 to 64 bytes of printable
// UTF-8 without commas (the CLI's list separator) or edge spaces.
func ValidatePurpose(field, s string) error {
	if err := validate.Text(field, s, MaxPurposeBytes, true); err != nil {
		return ErrInvalidScope.Wrap(err.Error())
	}
	if strings.ContainsAny(s, ",\n\t") || strings.TrimSpace(s) != s {
		return ErrInvalidScope.Wrapf("%s: %q: no commas, tabs, newlines or edge spaces", field, s)
	}
	return nil
}

// ValidateReason checks a required free-text reason.
func ValidateReason(s string) error {
	if err := validate.Text("reason", s, MaxReasonBytes, true); err != nil {
		return ErrInvalidReason.Wrap(err.Error())
	}
	return nil
}

// ---------------------------------------------------------------------------
// Enum names: the short lower-case spelling used by the CLI, events and docs.

func enumName(s, prefix string) string { return strings.ToLower(strings.TrimPrefix(s, prefix)) }

func parseEnum(values map[string]int32, prefix, s string) (int32, bool) {
	v, ok := values[prefix+strings.ToUpper(strings.TrimSpace(s))]
	return v, ok && v != 0
}

// KindName is "holding", "use" or "operation".
func KindName(k RightKind) string { return enumName(k.String(), "RIGHT_KIND_") }

// KindTerm is the kind's Chinese legal term.
func KindTerm(k RightKind) string {
	switch k {
	case RightKind_RIGHT_KIND_HOLDING:
		return "数据资源持有权"
	case RightKind_RIGHT_KIND_USE:
		return "数据加工使用权"
	case RightKind_RIGHT_KIND_OPERATION:
		return "数据产品经营权"
	}
	return ""
}

// ParseKind is the inverse of KindName.
func ParseKind(s string) (RightKind, error) {
	v, ok := parseEnum(RightKind_value, "RIGHT_KIND_", s)
	if !ok {
		return 0, ErrInvalidFields.Wrapf("kind %q: want holding, use or operation", s)
	}
	return RightKind(v), nil
}

// StatusName is "active", "pending_approval", "suspended", ...
func StatusName(s RightStatus) string { return enumName(s.String(), "RIGHT_STATUS_") }

// ParseStatus is the inverse of StatusName.
func ParseStatus(s string) (RightStatus, error) {
	v, ok := parseEnum(RightStatus_value, "RIGHT_STATUS_", s)
	if !ok {
		return 0, ErrInvalidFields.Wrapf("status %q: want active, pending_approval, suspended, revoked, expired or exited", s)
	}
	return RightStatus(v), nil
}

// OperationName is "query", "compute", "train", "derive" or "redistribute".
func OperationName(o Operation) string { return enumName(o.String(), "OPERATION_") }

// ParseOperation is the inverse of OperationName.
func ParseOperation(s string) (Operation, error) {
	v, ok := parseEnum(Operation_value, "OPERATION_", s)
	if !ok {
		return 0, ErrInvalidScope.Wrapf("operation %q: want query, compute, train, derive or redistribute", s)
	}
	return Operation(v), nil
}

// ParseOperations parses a comma-separated list ("query,compute").
func ParseOperations(csv string) ([]Operation, error) {
	var out []Operation
	for _, s := range SplitList(csv) {
		op, err := ParseOperation(s)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, nil
}

// OperationNames joins operation names with commas ("-" for none).
func OperationNames(ops []Operation) string {
	if len(ops) == 0 {
		return "-"
	}
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = OperationName(o)
	}
	return strings.Join(names, ",")
}

// SplitList splits a comma-separated flag value, dropping empty items.
func SplitList(csv string) []string {
	var out []string
	for _, s := range strings.Split(csv, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AllOperations is the full operation set a root right carries.
func AllOperations() []Operation {
	return []Operation{Operation_OPERATION_QUERY, Operation_OPERATION_COMPUTE, Operation_OPERATION_TRAIN,
		Operation_OPERATION_DERIVE, Operation_OPERATION_REDISTRIBUTE}
}

// RequestStatusName is "pending", "approved" or "rejected".
func RequestStatusName(s RequestStatus) string { return enumName(s.String(), "REQUEST_STATUS_") }

// ParseRequestStatus is the inverse of RequestStatusName.
func ParseRequestStatus(s string) (RequestStatus, error) {
	v, ok := parseEnum(RequestStatus_value, "REQUEST_STATUS_", s)
	if !ok {
		return 0, ErrInvalidFields.Wrapf("request status %q: want pending, approved or rejected", s)
	}
	return RequestStatus(v), nil
}

// ---------------------------------------------------------------------------
// Terms

// Time checks an optional timestamp field and returns it (zero when unset).
func Time(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, nil
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, ErrInvalidTerm.Wrapf("%s: %v", field, err)
	}
	t := ts.AsTime()
	if t.Unix() <= 0 || t.After(MaxTime) {
		return time.Time{}, ErrInvalidTerm.Wrapf("%s: %s is outside 1970 to %s", field, t.Format(time.RFC3339), MaxTime.Format("2006"))
	}
	return t, nil
}

// validateTerm checks an optional start and a required end.
func validateTerm(from, until *timestamppb.Timestamp) error {
	f, err := Time("valid_from", from)
	if err != nil {
		return err
	}
	u, err := Time("valid_until", until)
	if err != nil {
		return err
	}
	if u.IsZero() {
		return ErrInvalidTerm.Wrap("valid_until is required: every granted right has an end (only root rights are open-ended)")
	}
	if !f.IsZero() && !f.Before(u) {
		return ErrInvalidTerm.Wrapf("valid_from %s is not before valid_until %s", f.Format(time.RFC3339), u.Format(time.RFC3339))
	}
	return nil
}

// Timestamp converts a time for a message or a stored right (nil for zero).
func Timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// ---------------------------------------------------------------------------
// Stateless checks of each message, shared by the CLI (before signing) and
// the handlers (before anything is read).

// ValidateBasic implements the stateless checks of a grant.
func (m *MsgGrantRight) ValidateBasic() error {
	if _, err := ParseRightID("parent_id", m.ParentId); err != nil {
		return err
	}
	if _, err := ParseAddress("grantee", m.Grantee); err != nil {
		return err
	}
	if m.Kind != RightKind_RIGHT_KIND_USE && m.Kind != RightKind_RIGHT_KIND_OPERATION {
		return ErrInvalidFields.Wrap("kind: grant use or operation; holding rights are minted with their asset and move only by transfer")
	}
	if m.Exclusive && m.Kind != RightKind_RIGHT_KIND_USE {
		return ErrInvalidFields.Wrap("exclusive applies to use rights only")
	}
	if _, err := NormalizeScope(m.Scope); err != nil {
		return err
	}
	return validateTerm(m.ValidFrom, m.ValidUntil)
}

// ValidateBasic implements the stateless checks of a grant approval.
func (m *MsgApproveGrant) ValidateBasic() error {
	_, err := ParseRightID("right_id", m.RightId)
	return err
}

// ValidateBasic implements the stateless checks of a request.
func (m *MsgRequestRight) ValidateBasic() error {
	if err := ValidateAssetID("asset_id", m.AssetId); err != nil {
		return err
	}
	if _, err := RequestScope(m); err != nil {
		return err
	}
	return validateTerm(nil, m.ValidUntil)
}

// RequestScope is the normalised scope a request asks for: its purpose must
// be one of the scope's purposes, which default to exactly that purpose (a
// data-sharing request always states what the data is for).
func RequestScope(m *MsgRequestRight) (*Scope, error) {
	if err := ValidatePurpose("purpose", m.Purpose); err != nil {
		return nil, err
	}
	s, err := NormalizeScope(m.Scope)
	if err != nil {
		return nil, err
	}
	if len(s.Purposes) == 0 {
		s.Purposes = []string{m.Purpose}
	} else if _, found := slices.BinarySearch(s.Purposes, m.Purpose); !found {
		return nil, ErrInvalidScope.Wrapf("purpose %q is not among the scope's purposes %v", m.Purpose, s.Purposes)
	}
	return s, nil
}

// ValidateBasic implements the stateless checks of a request approval.
func (m *MsgApproveRequest) ValidateBasic() error {
	if _, err := ParseRequestID("request_id", m.RequestId); err != nil {
		return err
	}
	if m.ParentId != "" {
		if _, err := ParseRightID("parent_id", m.ParentId); err != nil {
			return err
		}
	}
	return nil
}

// ValidateBasic implements the stateless checks of a request rejection.
func (m *MsgRejectRequest) ValidateBasic() error {
	if _, err := ParseRequestID("request_id", m.RequestId); err != nil {
		return err
	}
	return ValidateReason(m.Reason)
}

// ValidateBasic implements the stateless checks of a transfer.
func (m *MsgTransferRight) ValidateBasic() error {
	if _, err := ParseRightID("right_id", m.RightId); err != nil {
		return err
	}
	_, err := ParseAddress("to", m.To)
	return err
}

// ValidateBasic implements the stateless checks of a revocation.
func (m *MsgRevokeRight) ValidateBasic() error { return rightAndReason(m.RightId, m.Reason) }

// ValidateBasic implements the stateless checks of a bulk revocation.
func (m *MsgRevokeAll) ValidateBasic() error {
	if err := ValidateAssetID("asset_id", m.AssetId); err != nil {
		return err
	}
	return ValidateReason(m.Reason)
}

// ValidateBasic implements the stateless checks of a suspension.
func (m *MsgSuspendRight) ValidateBasic() error { return rightAndReason(m.RightId, m.Reason) }

// ValidateBasic implements the stateless checks of a resumption.
func (m *MsgResumeRight) ValidateBasic() error { return rightAndReason(m.RightId, m.Reason) }

func rightAndReason(id, reason string) error {
	if _, err := ParseRightID("right_id", id); err != nil {
		return err
	}
	return ValidateReason(reason)
}

// ValidateBasic implements the stateless checks of a usage record: a right,
// or (for unconditionally open public data) an asset without one.
func (m *MsgRecordUsage) ValidateBasic() error {
	switch {
	case m.RightId == "" && m.AssetId == "":
		return ErrInvalidFields.Wrap("name the right used (right_id), or the asset for unconditionally open public data (asset_id)")
	case m.RightId != "":
		if _, err := ParseRightID("right_id", m.RightId); err != nil {
			return err
		}
	}
	if m.AssetId != "" {
		if err := ValidateAssetID("asset_id", m.AssetId); err != nil {
			return err
		}
	}
	if err := ValidatePurpose("purpose", m.Purpose); err != nil {
		return err
	}
	if _, ok := Operation_name[int32(m.Operation)]; !ok || m.Operation == Operation_OPERATION_UNSPECIFIED {
		return ErrInvalidScope.Wrapf("operation %d: want query, compute, train, derive or redistribute", m.Operation)
	}
	if err := validate.Hash("result_hash", m.ResultHash); err != nil {
		return ErrInvalidFields.Wrap(err.Error())
	}
	return nil
}

// Describe is a one-line summary of a scope for messages and the CLI.
func Describe(s *Scope) string {
	p := "any purpose"
	if len(s.GetPurposes()) > 0 {
		p = "purposes " + strings.Join(s.GetPurposes(), ",")
	}
	pc := ""
	if s.GetPrivacyComputingOnly() {
		pc = ", privacy computing only"
	}
	return fmt.Sprintf("%s; operations %s%s", p, OperationNames(s.GetOperations()), pc)
}
