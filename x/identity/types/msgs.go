package types

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/datarights/datarights/address"
)

// Field limits of the identity module.
const (
	MaxNameBytes   = 128
	MaxReasonBytes = 256
	MaxAgents      = 16
)

// ParseAddress normalises an address field, naming the field in the error.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidAddress.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// ValidateName checks a party name: non-empty printable UTF-8, bounded.
func ValidateName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return ErrInvalidName.Wrap("name is empty")
	case len(name) > MaxNameBytes:
		return ErrInvalidName.Wrapf("name is %d bytes, limit %d", len(name), MaxNameBytes)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, isControl):
		return ErrInvalidName.Wrap("name has control characters")
	}
	return nil
}

// ValidateReason checks a free-text reason: required, bounded.
func ValidateReason(reason string) error {
	switch {
	case strings.TrimSpace(reason) == "":
		return ErrInvalidReason.Wrap("a reason is required")
	case len(reason) > MaxReasonBytes:
		return ErrInvalidReason.Wrapf("reason is %d bytes, limit %d", len(reason), MaxReasonBytes)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// IsOrganisation reports whether a kind carries an organisation code.
func IsOrganisation(k PartyKind) bool {
	return k == PartyKind_PARTY_KIND_DEPARTMENT || k == PartyKind_PARTY_KIND_ENTERPRISE || k == PartyKind_PARTY_KIND_INSTITUTION
}

// ValidateOrgCodeFor checks the organisation code against the kind:
// organisations must have a valid one; individuals must have none (personal
// identifiers never go on chain).
func ValidateOrgCodeFor(kind PartyKind, code string) error {
	if !IsOrganisation(kind) {
		if code != "" {
			return ErrInvalidOrgCode.Wrap("individuals carry no organisation code (personal identifiers stay off chain)")
		}
		return nil
	}
	return ValidateOrgCode(code)
}

// ValidKind reports whether k is a defined, non-zero kind.
func ValidKind(k PartyKind) bool {
	_, ok := PartyKind_name[int32(k)]
	return ok && k != PartyKind_PARTY_KIND_UNSPECIFIED
}

// ValidRole reports whether r is a defined, non-zero role.
func ValidRole(r Role) bool {
	_, ok := Role_name[int32(r)]
	return ok && r != Role_ROLE_UNSPECIFIED
}

// HasRole reports whether the party holds the role.
func (p *Party) HasRole(r Role) bool { return slices.Contains(p.GetRoles(), r) }

// IsActive reports whether the party may act.
func (p *Party) IsActive() bool { return p.GetStatus() == PartyStatus_PARTY_STATUS_ACTIVE }

// IsDepartment reports whether the party is a department.
func (p *Party) IsDepartment() bool { return p.GetKind() == PartyKind_PARTY_KIND_DEPARTMENT }

// KindName is the short lower-case name of a kind ("enterprise").
func KindName(k PartyKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "PARTY_KIND_"))
}

// RoleName is the short lower-case name of a role ("data_admin").
func RoleName(r Role) string { return strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_")) }

// StatusName is the short lower-case name of a status ("active").
func StatusName(s PartyStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "PARTY_STATUS_"))
}

// ParseKind is the inverse of KindName.
func ParseKind(s string) (PartyKind, error) {
	v, ok := PartyKind_value["PARTY_KIND_"+strings.ToUpper(s)]
	if !ok || v == 0 {
		return 0, ErrInvalidKind.Wrapf("%q: want department, enterprise, institution or individual", s)
	}
	return PartyKind(v), nil
}

// ParseRole is the inverse of RoleName.
func ParseRole(s string) (Role, error) {
	v, ok := Role_value["ROLE_"+strings.ToUpper(s)]
	if !ok || v == 0 {
		return 0, ErrInvalidRole.Wrapf("%q: want data_admin, auditor, operator, exchange or assessor", s)
	}
	return Role(v), nil
}
