package types

import (
	"strconv"
	"strings"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/validate"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Field limits of the authorised-operation module.
const (
	MaxStandards     = 16
	MaxStandardBytes = 128
	MaxReasonBytes   = 256
	MaxAssetIDBytes  = 64
	// TotalBps is the whole of a share in basis points.
	TotalBps = 10_000
)

// IDPrefix: authorisations are "au-<n>", n from 1.
const IDPrefix = "au-"

// AuthorizationID formats the id of authorisation number n.
func AuthorizationID(n uint64) string { return IDPrefix + strconv.FormatUint(n, 10) }

// ParseID returns the number of an authorisation id ("au-7" → 7). One
// spelling per id: a decimal number from 1 without leading zeros.
func ParseID(field, s string) (uint64, error) {
	num, ok := strings.CutPrefix(s, IDPrefix)
	if !ok || num == "" || num[0] == '0' || len(num) > 20 {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, IDPrefix)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, IDPrefix)
	}
	return n, nil
}

// ParseAddress normalises an address field to its canonical EIP-55 form.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidFields.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// ---------------------------------------------------------------------------
// Status names: the short lower-case spelling used by the CLI, events and
// docs.

const statusPrefix = "AUTHORIZATION_STATUS_"

// StatusName is "applied", "pending_co_approval", "active", "suspended",
// "rejected", "terminated", "expired" or "exited".
func StatusName(s AuthorizationStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), statusPrefix))
}

// ParseStatus is the inverse of StatusName.
func ParseStatus(s string) (AuthorizationStatus, error) {
	v, ok := AuthorizationStatus_value[statusPrefix+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, ErrInvalidFields.Wrapf("status %q: want applied, pending_co_approval, active, suspended, rejected, terminated, expired or exited", s)
	}
	return AuthorizationStatus(v), nil
}

// ValidStatus reports whether s is a defined status (0 included: no filter).
func ValidStatus(s AuthorizationStatus) bool {
	_, ok := AuthorizationStatus_name[int32(s)]
	return ok
}

// Running reports whether an authorisation is in force: active or
// suspended. Only a running authorisation has operator rights that have
// not ended, and sits in the expiry queue.
func Running(s AuthorizationStatus) bool {
	return s == AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE || s == AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED
}

// ---------------------------------------------------------------------------
// Field checks.

// detail is a rights error's text without its description, so that
// wrapping it in this module's error does not say "invalid scope" twice.
func detail(err error, e interface{ Error() string }) string {
	return strings.TrimPrefix(err.Error(), e.Error()+": ")
}

// NormalizeScope checks a scope and returns its canonical form (see
// x/rights' NormalizeScope), refusing with this module's ErrInvalidScope.
func NormalizeScope(s *rightstypes.Scope) (*rightstypes.Scope, error) {
	out, err := rightstypes.NormalizeScope(s)
	if err != nil {
		return nil, ErrInvalidScope.Wrap(detail(err, rightstypes.ErrInvalidScope))
	}
	return out, nil
}

// ValidateAssets checks the covered assets' ids: at least one, at most
// MaxAssetsLimit (the param max_assets is checked against state), each
// well-formed, none twice.
func ValidateAssets(ids []string) error {
	switch {
	case len(ids) == 0:
		return ErrInvalidFields.Wrap("asset_ids: name at least one asset")
	case len(ids) > MaxAssetsLimit:
		return ErrTooManyAssets.Wrapf("%d assets, limit %d", len(ids), MaxAssetsLimit)
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if err := validate.Code("asset_ids["+strconv.Itoa(i)+"]", id, MaxAssetIDBytes); err != nil {
			return ErrInvalidFields.Wrap(err.Error())
		}
		if seen[id] {
			return ErrDuplicateAsset.Wrapf("%s", id)
		}
		seen[id] = true
	}
	return nil
}

// ValidateRevenue checks the revenue terms: each share at most 10,000 bps
// and both together at most 10,000 (what they leave goes to the holder;
// see x/revenue).
func ValidateRevenue(r *RevenueTerms) error {
	if r == nil {
		return ErrInvalidRevenue.Wrap("revenue terms are required (operator_share_bps, public_service_share_bps)")
	}
	op, pub := r.GetOperatorShareBps(), r.GetPublicServiceShareBps()
	switch {
	case op > TotalBps:
		return ErrInvalidRevenue.Wrapf("operator_share_bps %d is more than %d", op, TotalBps)
	case pub > TotalBps:
		return ErrInvalidRevenue.Wrapf("public_service_share_bps %d is more than %d", pub, TotalBps)
	case uint64(op)+uint64(pub) > TotalBps:
		return ErrInvalidRevenue.Wrapf("operator_share_bps %d and public_service_share_bps %d add up to %d, more than %d", op, pub, op+pub, TotalBps)
	}
	return nil
}

func validateStandards(ss []string) error {
	if len(ss) > MaxStandards {
		return ErrInvalidFields.Wrapf("standards: %d, limit %d", len(ss), MaxStandards)
	}
	seen := make(map[string]bool, len(ss))
	for i, s := range ss {
		if err := validate.Code("standards["+strconv.Itoa(i)+"]", s, MaxStandardBytes); err != nil {
			return ErrInvalidFields.Wrap(err.Error())
		}
		if seen[s] {
			return ErrInvalidFields.Wrapf("standards: %s is listed twice", s)
		}
		seen[s] = true
	}
	return nil
}

func validateHash(field, s string) error {
	if err := validate.Hash(field, s); err != nil {
		return ErrInvalidHash.Wrap(err.Error())
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

func idAndReason(id, reason string) error {
	if _, err := ParseID("id", id); err != nil {
		return err
	}
	return ValidateReason(reason)
}

// ---------------------------------------------------------------------------
// Stateless checks of each message, shared by the CLI (before signing) and
// the handlers (before anything is read).

// ValidateBasic implements the stateless checks of an application.
func (m *MsgApplyAuthorization) ValidateBasic() error {
	if _, err := ParseAddress("authoriser", m.Authoriser); err != nil {
		return err
	}
	if err := ValidateAssets(m.AssetIds); err != nil {
		return err
	}
	if _, err := NormalizeScope(m.Scope); err != nil {
		return err
	}
	if err := validateHash("terms_hash", m.TermsHash); err != nil {
		return err
	}
	if err := validateStandards(m.Standards); err != nil {
		return err
	}
	switch {
	case m.TermSeconds <= 0:
		return ErrInvalidTerm.Wrapf("term_seconds %d: the term must be positive", m.TermSeconds)
	case m.TermSeconds > MaxTermLimit:
		return ErrTermTooLong.Wrapf("term_seconds %d, more than %d (30 years)", m.TermSeconds, int64(MaxTermLimit))
	}
	return ValidateRevenue(m.Revenue)
}

// ValidateBasic implements the stateless checks of an approval.
func (m *MsgApproveAuthorization) ValidateBasic() error {
	_, err := ParseID("id", m.Id)
	return err
}

// ValidateBasic implements the stateless checks of a co-approval.
func (m *MsgCoApproveAuthorization) ValidateBasic() error {
	_, err := ParseID("id", m.Id)
	return err
}

// ValidateBasic implements the stateless checks of a rejection.
func (m *MsgRejectAuthorization) ValidateBasic() error { return idAndReason(m.Id, m.Reason) }

// ValidateBasic implements the stateless checks of an evaluation.
func (m *MsgEvaluateAuthorization) ValidateBasic() error {
	if _, err := ParseID("id", m.Id); err != nil {
		return err
	}
	if m.Score > MaxScore {
		return ErrInvalidScore.Wrapf("score %d: want 0 to %d", m.Score, MaxScore)
	}
	return validateHash("report_hash", m.ReportHash)
}

// ValidateBasic implements the stateless checks of a suspension.
func (m *MsgSuspendAuthorization) ValidateBasic() error { return idAndReason(m.Id, m.Reason) }

// ValidateBasic implements the stateless checks of a resumption.
func (m *MsgResumeAuthorization) ValidateBasic() error { return idAndReason(m.Id, m.Reason) }

// ValidateBasic implements the stateless checks of a termination.
func (m *MsgTerminateAuthorization) ValidateBasic() error { return idAndReason(m.Id, m.Reason) }

// ValidateBasic implements the stateless checks of an exit.
func (m *MsgExitAuthorization) ValidateBasic() error {
	if _, err := ParseID("id", m.Id); err != nil {
		return err
	}
	return validateHash("attestation_hash", m.AttestationHash)
}
