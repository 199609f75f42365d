package types

import (
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// Verdict is what the red lines say about a grant that breaks none.
type Verdict int

const (
	// Allowed: the grant takes effect at once.
	Allowed Verdict = iota
	// NeedsApproval: the grant waits for the data admin (pending_approval).
	NeedsApproval
)

// Source is the party data must not leave without the red lines' leave:
// the party that catalogued it and holds it at registration. For public
// and core data that is the source department itself (x/registry lets
// only the source department register them); for an enterprise's own data
// it is the enterprise, even when it names a supervising department, since
// handing the data to that department is the data leaving the enterprise.
func Source(a *regtypes.Asset) string {
	if a.GetRegistrant() != "" {
		return a.GetRegistrant()
	}
	return a.GetSourceDepartment()
}

// CheckRedLines applies the classification and grading red lines (分类分级)
// to a right over asset a, held (or to be held) by grantee and granted by
// grantor (empty for a root right), with scope s. It is a pure function of
// its arguments, so grants, transfers, resumptions, reclassification
// rechecks, liveness and (later) listings and authorisations all apply the
// same rules:
//
//   - core data never leaves its source department: both grantor and
//     grantee must be the source;
//   - data that stays inside its source department is allowed;
//   - important data goes out only privacy-computing-only, and then only
//     with the data admin's approval;
//   - personal data goes out de-identified, or privacy-computing-only with
//     the data admin's approval.
//
// Each refusal is its own error, so a client can tell which line it hit.
func CheckRedLines(a *regtypes.Asset, grantor, grantee string, s *Scope) (Verdict, error) {
	src := Source(a)
	if a.GetGrade() == regtypes.Grade_GRADE_CORE {
		if grantee != src || (grantor != "" && grantor != src) {
			return 0, ErrCoreDataRedLine.Wrapf("asset %s is core data of %s", a.GetId(), src)
		}
		return Allowed, nil
	}
	if grantee == src {
		return Allowed, nil
	}
	pc := s.GetPrivacyComputingOnly()
	if a.GetGrade() == regtypes.Grade_GRADE_IMPORTANT {
		if !pc {
			return 0, ErrImportantDataRedLine.Wrapf("asset %s is important data; grant it privacy-computing-only", a.GetId())
		}
		return NeedsApproval, nil
	}
	if a.GetClassification() == regtypes.Classification_CLASSIFICATION_PERSONAL && !a.GetDeidentified() {
		if !pc {
			return 0, ErrPersonalDataRedLine.Wrapf("asset %s is personal data that is not de-identified; grant it privacy-computing-only", a.GetId())
		}
		return NeedsApproval, nil
	}
	return Allowed, nil
}

// OpenToAll reports whether anyone may use the asset without a right:
// unconditionally open public data (无条件开放) of general grade.
func OpenToAll(a *regtypes.Asset) bool {
	return a.GetClassification() == regtypes.Classification_CLASSIFICATION_PUBLIC &&
		a.GetOpenLevel() == regtypes.OpenLevel_OPEN_LEVEL_UNCONDITIONAL &&
		a.GetGrade() != regtypes.Grade_GRADE_IMPORTANT && a.GetGrade() != regtypes.Grade_GRADE_CORE
}

// Blocked says why an asset's rights cannot be exercised, granted or
// moved ("" if they can): a frozen, disputed or cancelled asset blocks
// every right on it. Assets in notice, certified or catalogued do not.
func Blocked(a *regtypes.Asset) string {
	switch {
	case a.GetFrozen():
		return "asset " + a.GetId() + " is frozen: " + a.GetFrozenReason()
	case a.GetStatus() == regtypes.AssetStatus_ASSET_STATUS_DISPUTED:
		return "asset " + a.GetId() + " is disputed (an objection awaits the data admin)"
	case a.GetStatus() == regtypes.AssetStatus_ASSET_STATUS_CANCELLED:
		return "asset " + a.GetId() + " is cancelled"
	}
	return ""
}

// Stamp is the part of an asset the red lines read, recorded when the data
// admin approves a right: the approval holds only while the asset keeps
// this classification, grade and de-identified flag.
func Stamp(a *regtypes.Asset) []byte {
	d := byte(0)
	if a.GetDeidentified() {
		d = 1
	}
	return []byte{byte(a.GetClassification()), byte(a.GetGrade()), d}
}
