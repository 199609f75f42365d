package types

import (
	"fmt"
	"slices"
)

// NormalizeScope checks a scope and returns its canonical form: purposes
// and operations sorted and unique, so that equal scopes are equal bytes and
// subset checks are simple. It needs at least one operation; a
// privacy-computing-only scope cannot allow redistribute (privacy-preserving
// computation keeps the data invisible; passing it on would not).
func NormalizeScope(s *Scope) (*Scope, error) {
	ps, ops := s.GetPurposes(), s.GetOperations()
	if len(ps) > MaxPurposes {
		return nil, ErrInvalidScope.Wrapf("%d purposes, limit %d", len(ps), MaxPurposes)
	}
	if len(ops) > maxOperations {
		return nil, ErrInvalidScope.Wrapf("%d operations, limit %d", len(ops), maxOperations)
	}
	for i, p := range ps {
		if err := ValidatePurpose(fmt.Sprintf("purposes[%d]", i), p); err != nil {
			return nil, err
		}
	}
	for _, op := range ops {
		if _, ok := Operation_name[int32(op)]; !ok || op == Operation_OPERATION_UNSPECIFIED {
			return nil, ErrInvalidScope.Wrapf("operation %d: want query, compute, train, derive or redistribute", op)
		}
	}
	out := &Scope{
		Purposes:             slices.Compact(slices.Sorted(slices.Values(ps))),
		Operations:           slices.Compact(slices.Sorted(slices.Values(ops))),
		PrivacyComputingOnly: s.GetPrivacyComputingOnly(),
	}
	if len(out.Operations) == 0 {
		return nil, ErrInvalidScope.Wrap("name at least one operation: query, compute, train, derive or redistribute")
	}
	if out.PrivacyComputingOnly && slices.Contains(out.Operations, Operation_OPERATION_REDISTRIBUTE) {
		return nil, ErrInvalidScope.Wrap("a privacy-computing-only scope cannot allow redistribute")
	}
	return out, nil
}

// FullScope is a root right's scope: every operation, any purpose.
func FullScope() *Scope { return &Scope{Operations: AllOperations()} }

// ScopeSubset returns nil if child allows nothing that parent does not:
// its operations are among the parent's, its purposes among the parent's
// (when the parent names any), and it keeps privacy-computing-only when the
// parent has it. Both scopes are normalised.
func ScopeSubset(child, parent *Scope) error {
	if parent.GetPrivacyComputingOnly() && !child.GetPrivacyComputingOnly() {
		return ErrScopeNotSubset.Wrap("the parent allows privacy-preserving computation only")
	}
	for _, op := range child.GetOperations() {
		if !slices.Contains(parent.GetOperations(), op) {
			return ErrScopeNotSubset.Wrapf("operation %s is not among the parent's (%s)", OperationName(op), OperationNames(parent.GetOperations()))
		}
	}
	if len(parent.GetPurposes()) == 0 {
		return nil
	}
	if len(child.GetPurposes()) == 0 {
		return ErrScopeNotSubset.Wrapf("the parent is limited to purposes %v; name a subset of them", parent.GetPurposes())
	}
	for _, p := range child.GetPurposes() {
		if !slices.Contains(parent.GetPurposes(), p) {
			return ErrScopeNotSubset.Wrapf("purpose %q is not among the parent's %v", p, parent.GetPurposes())
		}
	}
	return nil
}

// CheckUse returns nil if one use (a purpose and an operation) is inside
// the scope.
func CheckUse(s *Scope, purpose string, op Operation) error {
	if !slices.Contains(s.GetOperations(), op) {
		return ErrUsageOutOfScope.Wrapf("operation %s is not allowed (the right allows %s)", OperationName(op), OperationNames(s.GetOperations()))
	}
	if len(s.GetPurposes()) > 0 && !slices.Contains(s.GetPurposes(), purpose) {
		return ErrUsageOutOfScope.Wrapf("purpose %q is not allowed (the right allows %v)", purpose, s.GetPurposes())
	}
	return nil
}
