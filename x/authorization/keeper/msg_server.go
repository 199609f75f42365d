package keeper

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

const (
	statusApplied   = types.AuthorizationStatus_AUTHORIZATION_STATUS_APPLIED
	statusPending   = types.AuthorizationStatus_AUTHORIZATION_STATUS_PENDING_CO_APPROVAL
	statusActive    = types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE
	statusSuspended = types.AuthorizationStatus_AUTHORIZATION_STATUS_SUSPENDED
)

// ApplyAuthorization: an operator (a party with the operator role) applies
// to the department that holds the public-data assets. Every asset must be
// coverable (see coverable) and the terms within the params; the
// application waits for the authoriser.
func (k Keeper) ApplyAuthorization(ctx context.Context, root store.KV, m *types.MsgApplyAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.actorWith(ctx, root, types.ErrNotOperatorRole, idtypes.Role_ROLE_OPERATOR)
	if err != nil {
		return "", err
	}
	p := k.Params(root)
	if n := len(m.AssetIds); n > int(p.MaxAssets) {
		return "", types.ErrTooManyAssets.Wrapf("%d assets; max_assets is %d", n, p.MaxAssets)
	}
	if m.TermSeconds > p.MaxTermSeconds {
		return "", types.ErrTermTooLong.Wrapf("term %s; max_term_seconds is %d (%s)", secondsDuration(m.TermSeconds), p.MaxTermSeconds, secondsDuration(p.MaxTermSeconds))
	}
	authoriser, _ := types.ParseAddress("authoriser", m.Authoriser)
	if err := k.checkAuthoriser(root, authoriser, actor.Address); err != nil {
		return "", err
	}
	scope, _ := types.NormalizeScope(m.Scope)
	h := env.BlockOf(ctx).Height
	a := &types.Authorization{
		Authoriser: authoriser, Operator: actor.Address, AssetIds: m.AssetIds, Scope: scope, TermsHash: m.TermsHash,
		Standards: m.Standards, TermSeconds: m.TermSeconds, Revenue: m.Revenue,
		Status: statusApplied, StatusHeight: h, AppliedHeight: h,
	}
	if _, _, err := k.coverable(root, a); err != nil {
		return "", err
	}
	k.create(root, a)
	emit(ctx, types.EventApplied, a, actor.Address, env.Plain(types.AttrTermsHash, a.TermsHash))
	return a.Id, nil
}

// ApproveAuthorization: the authoriser approves. It must still hold every
// covered asset, each still coverable. With important data among them the
// authorisation waits for the data admin's co-approval; otherwise it is
// active at once.
func (k Keeper) ApproveAuthorization(ctx context.Context, root store.KV, m *types.MsgApproveAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, a, err := k.load(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if actor.Address != a.Authoriser {
		return "", types.ErrNotAuthoriser.Wrapf("%s is addressed to %s, not %s", a.Id, a.Authoriser, actor.Address)
	}
	if a.Status != statusApplied {
		return "", wrongStatus(a, "approval", statusApplied)
	}
	assets, important, err := k.coverable(root, a)
	if err != nil {
		return "", err
	}
	if err := k.checkOperator(root, a); err != nil {
		return "", err
	}
	// Events are kept only if the message succeeds, so approved may go
	// out before the activation that can still refuse.
	emit(ctx, types.EventApproved, a, actor.Address)
	if important {
		k.setStatus(ctx, root, a, statusPending, "approved by the authoriser; important data awaits the data admin's co-approval")
		return a.Id, nil
	}
	if err := k.activate(ctx, root, a, assets, actor.Address, "approved by the authoriser"); err != nil {
		return "", err
	}
	return a.Id, nil
}

// CoApproveAuthorization: the data admin co-approves an authorisation of
// important data that the authoriser approved; it becomes active.
func (k Keeper) CoApproveAuthorization(ctx context.Context, root store.KV, m *types.MsgCoApproveAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, err := k.actorWith(ctx, root, types.ErrNotDataAdmin, idtypes.Role_ROLE_DATA_ADMIN)
	if err != nil {
		return "", err
	}
	a, err := k.Authorization(root, m.Id)
	if err != nil {
		return "", err
	}
	if a.Status != statusPending {
		return "", wrongStatus(a, "co-approval", statusPending)
	}
	assets, _, err := k.coverable(root, a)
	if err != nil {
		return "", err
	}
	if err := k.checkOperator(root, a); err != nil {
		return "", err
	}
	a.CoApprovedBy = admin.Address
	emit(ctx, types.EventCoApproved, a, admin.Address)
	if err := k.activate(ctx, root, a, assets, admin.Address, "co-approved by the data admin"); err != nil {
		return "", err
	}
	return a.Id, nil
}

// RejectAuthorization: the authoriser or the data admin declines an
// application (applied, or approved and awaiting co-approval).
func (k Keeper) RejectAuthorization(ctx context.Context, root store.KV, m *types.MsgRejectAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, a, err := k.load(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if err := authoriserOrAdmin(actor, a); err != nil {
		return "", err
	}
	if a.Status != statusApplied && a.Status != statusPending {
		return "", wrongStatus(a, "rejection", statusApplied, statusPending)
	}
	k.setStatus(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_REJECTED, m.Reason)
	emit(ctx, types.EventRejected, a, actor.Address, env.Plain(types.AttrReason, m.Reason))
	return a.Id, nil
}

// EvaluateAuthorization: an auditor or the data admin records an
// evaluation (评估) of a running authorisation. A score below
// evaluation_threshold suspends an active one at once: the operator and
// everyone it licensed stop until the data admin resumes it.
func (k Keeper) EvaluateAuthorization(ctx context.Context, root store.KV, m *types.MsgEvaluateAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, err := k.actorWith(ctx, root, types.ErrNotEvaluator, idtypes.Role_ROLE_AUDITOR, idtypes.Role_ROLE_DATA_ADMIN)
	if err != nil {
		return "", err
	}
	a, err := k.Authorization(root, m.Id)
	if err != nil {
		return "", err
	}
	if !types.Running(a.Status) {
		return "", wrongStatus(a, "evaluation", statusActive, statusSuspended)
	}
	n := mustN(a.Id)
	number := k.lastEvaluation(root, n)
	if number == math.MaxUint32 {
		return "", types.ErrInvalidFields.Wrapf("%s has %d evaluations, the most one authorisation can record", a.Id, number)
	}
	number++
	b := env.BlockOf(ctx)
	e := &types.Evaluation{AuthorizationId: a.Id, Number: number, Evaluator: actor.Address, Score: m.Score,
		ReportHash: m.ReportHash, Height: b.Height, Time: rightstypes.Timestamp(b.Time)}
	threshold := k.Params(root).EvaluationThreshold
	scored := []env.Attr{env.Plain(types.AttrNumber, strconv.FormatUint(uint64(number), 10)),
		env.Plain(types.AttrScore, strconv.FormatUint(uint64(m.Score), 10)), env.Plain(types.AttrThreshold, strconv.FormatUint(uint64(threshold), 10))}
	k.kv(root).Set(evaluationKey(n, number), store.Encode(e))
	a.LastScore = m.Score
	k.save(root, a)
	emit(ctx, types.EventEvaluated, a, actor.Address, append(scored, env.Plain(types.AttrReportHash, m.ReportHash))...)
	// A suspended authorisation may be evaluated again (say, before the
	// data admin resumes it); only an active one is suspended by a score.
	if a.Status == statusActive && m.Score < threshold {
		reason := fmt.Sprintf("evaluation %d by %s scored %d, below the threshold %d", number, actor.Address, m.Score, threshold)
		if err := k.suspend(ctx, root, a, actor.Address, reason, scored...); err != nil {
			return "", err
		}
	}
	return a.Id, nil
}

// lastEvaluation is the number of the authorisation's last evaluation (0
// if none): one read from the end of its range.
func (k Keeper) lastEvaluation(root store.KV, n uint64) uint32 {
	prefix := evaluationsOf(n)
	it := k.kv(root).ReverseIterator(prefix, store.PrefixEnd(prefix))
	defer it.Close()
	if !it.Valid() {
		return 0
	}
	key := it.Key()
	if len(key) != len(prefix)+4 {
		panic(&store.Fault{Err: fmt.Errorf("authorization: malformed evaluation key %X", key)})
	}
	return uint32(key[len(key)-4])<<24 | uint32(key[len(key)-3])<<16 | uint32(key[len(key)-2])<<8 | uint32(key[len(key)-1])
}

// SuspendAuthorization: the data admin suspends an active authorisation.
func (k Keeper) SuspendAuthorization(ctx context.Context, root store.KV, m *types.MsgSuspendAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, a, err := k.adminAndLoad(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if a.Status != statusActive {
		return "", wrongStatus(a, "suspension", statusActive)
	}
	if err := k.suspend(ctx, root, a, admin.Address, m.Reason); err != nil {
		return "", err
	}
	return a.Id, nil
}

// ResumeAuthorization: the data admin resumes a suspended authorisation
// whose term has not ended. x/rights checks the red lines again; where
// they need the data admin, this is that approval.
func (k Keeper) ResumeAuthorization(ctx context.Context, root store.KV, m *types.MsgResumeAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	admin, a, err := k.adminAndLoad(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if a.Status != statusSuspended {
		return "", wrongStatus(a, "resumption", statusSuspended)
	}
	if until := a.ValidUntil.AsTime(); !now(ctx).Before(until) {
		return "", types.ErrTermEnded.Wrapf("%s ended at %s; it expires at the end of a block", a.Id, formatTime(until))
	}
	if err := k.rights.ResumeUnder(ctx, root, a.OperatorRightIds, fmt.Sprintf("authorisation %s resumed: %s", a.Id, m.Reason)); err != nil {
		return "", err
	}
	k.setStatus(ctx, root, a, statusActive, m.Reason)
	emit(ctx, types.EventResumed, a, admin.Address, env.Plain(types.AttrReason, m.Reason))
	return a.Id, nil
}

// TerminateAuthorization: the authoriser or the data admin ends a running
// authorisation early, with a reason. Every right granted under it ends.
func (k Keeper) TerminateAuthorization(ctx context.Context, root store.KV, m *types.MsgTerminateAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, a, err := k.load(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if err := authoriserOrAdmin(actor, a); err != nil {
		return "", err
	}
	if !types.Running(a.Status) {
		return "", wrongStatus(a, "termination", statusActive, statusSuspended)
	}
	if err := k.finish(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_TERMINATED, types.EventTerminated, actor.Address, m.Reason); err != nil {
		return "", err
	}
	return a.Id, nil
}

// ExitAuthorization: the operator leaves a running authorisation, attesting
// with a hash (of its statement) that the data was returned or destroyed.
// Every right granted under it ends.
func (k Keeper) ExitAuthorization(ctx context.Context, root store.KV, m *types.MsgExitAuthorization) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	actor, a, err := k.load(ctx, root, m.Id)
	if err != nil {
		return "", err
	}
	if actor.Address != a.Operator {
		return "", types.ErrNotOperator.Wrapf("%s is operated by %s, not %s", a.Id, a.Operator, actor.Address)
	}
	if !types.Running(a.Status) {
		return "", wrongStatus(a, "exit", statusActive, statusSuspended)
	}
	a.AttestationHash = m.AttestationHash
	err = k.finish(ctx, root, a, types.AuthorizationStatus_AUTHORIZATION_STATUS_EXITED, types.EventExited, actor.Address,
		"the operator exited, attesting that the data was returned or destroyed", env.Plain(types.AttrAttestationHash, m.AttestationHash))
	if err != nil {
		return "", err
	}
	return a.Id, nil
}

// load returns the acting party and the authorisation.
func (k Keeper) load(ctx context.Context, root store.KV, id string) (*idtypes.Party, *types.Authorization, error) {
	actor, err := k.identity.Actor(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	a, err := k.Authorization(root, id)
	if err != nil {
		return nil, nil, err
	}
	return actor, a, nil
}

// adminAndLoad returns the acting data admin and the authorisation.
func (k Keeper) adminAndLoad(ctx context.Context, root store.KV, id string) (*idtypes.Party, *types.Authorization, error) {
	admin, err := k.actorWith(ctx, root, types.ErrNotDataAdmin, idtypes.Role_ROLE_DATA_ADMIN)
	if err != nil {
		return nil, nil, err
	}
	a, err := k.Authorization(root, id)
	if err != nil {
		return nil, nil, err
	}
	return admin, a, nil
}

// authoriserOrAdmin: "both sides can end it early" — the department side
// is the authoriser, with the data admin as regulator.
func authoriserOrAdmin(actor *idtypes.Party, a *types.Authorization) error {
	if actor.Address == a.Authoriser || actor.HasRole(idtypes.Role_ROLE_DATA_ADMIN) {
		return nil
	}
	return types.ErrNotAuthoriserOrAdmin.Wrapf("%s (%s) is neither %s's authoriser %s nor a data admin", actor.Name, actor.Address, a.Id, a.Authoriser)
}

// secondsDuration converts a term bounded by MaxTermLimit (so no overflow).
func secondsDuration(s int64) time.Duration { return time.Duration(s) * time.Second }
