package keeper

import (
	"context"
	"errors"
	"fmt"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// apply carries out a proposal's action through the module that owns what
// it changes. Each of those methods checks everything before it writes,
// and returns its own module's error when the action does not apply to
// the current state (a party that exists, a key in use, the last
// validator, a role already held, an unknown asset...).
func (k Keeper) apply(ctx context.Context, root store.KV, p *types.Proposal) error {
	switch x := p.GetAction().GetAction().(type) {
	case *types.Action_AddDepartment:
		d := x.AddDepartment
		return k.identity.AddDepartment(ctx, root, &idtypes.Party{
			Address: d.Address, Name: d.Name, Kind: idtypes.PartyKind_PARTY_KIND_DEPARTMENT, OrgCode: d.OrgCode, Roles: d.Roles,
			Validator: &idtypes.Validator{PubKey: d.PubKey, Power: d.Power},
		})
	case *types.Action_RemoveDepartment:
		return k.identity.RemoveDepartment(ctx, root, x.RemoveDepartment.Address, removalReason(p))
	case *types.Action_SetPower:
		return k.identity.SetPower(ctx, root, x.SetPower.Address, x.SetPower.Power)
	case *types.Action_GrantRole:
		return k.identity.GrantRole(ctx, root, x.GrantRole.Address, x.GrantRole.Role)
	case *types.Action_RevokeRole:
		return k.identity.RevokeRole(ctx, root, x.RevokeRole.Address, x.RevokeRole.Role)
	case *types.Action_SetParams:
		return k.setParams(root, x.SetParams)
	case *types.Action_FreezeAsset:
		return k.registry.SetFrozen(ctx, root, x.FreezeAsset.AssetId, true, x.FreezeAsset.Reason)
	case *types.Action_UnfreezeAsset:
		return k.registry.SetFrozen(ctx, root, x.UnfreezeAsset.AssetId, false, x.UnfreezeAsset.Reason)
	}
	return types.ErrInvalidAction.Wrapf("%s has no action", p.Id)
}

// setParams hands new params to their module, which validates them again.
func (k Keeper) setParams(root store.KV, s *types.SetParams) error {
	switch x := s.GetParams().(type) {
	case *types.SetParams_Registry:
		return k.registry.SetParams(root, x.Registry)
	case *types.SetParams_Rights:
		return k.rights.SetParams(root, x.Rights)
	case *types.SetParams_Governance:
		return k.SetParams(root, x.Governance)
	case *types.SetParams_Authorization:
		if err := x.Authorization.Validate(); err != nil {
			// Its Validate returns plain errors: give them a code.
			return types.ErrInvalidParams.Wrapf("authorization: %v", err)
		}
		return k.auth.SetParams(root, x.Authorization)
	case *types.SetParams_Market:
		return k.market.SetParams(root, x.Market)
	case *types.SetParams_Revenue:
		return k.revenue.SetParams(root, x.Revenue)
	}
	return types.ErrInvalidParams.Wrap("set_params: give the params of one module")
}

// removalReason is what x/identity records as the removed department's
// status reason: the proposal that removed it. Titles are at most
// MaxTitleBytes, so it fits identity's reason limit.
func removalReason(p *types.Proposal) string {
	return fmt.Sprintf("removed by proposal %s: %s", p.Id, p.Title)
}

// check answers whether a proposal's action applies to the current state
// by applying it to a scratch branch that is then dropped, with its
// events. The checks at submission are thus the very code that executes
// (and that runs again, on the state of that later block, at execution).
// It relies on what every keeper promises: all of a module's state is in
// the store it is given.
func (k Keeper) check(ctx context.Context, root store.KV, p *types.Proposal) error {
	return k.apply(env.WithTx(ctx, env.TxOf(ctx), &env.Events{}), store.NewBranch(root), p)
}

// execute applies a passed proposal's action on a branch of root and keeps
// it only if the action succeeded, with the events it emitted; otherwise
// nothing of it remains and the error says why.
func (k Keeper) execute(ctx context.Context, root store.KV, p *types.Proposal) error {
	branch := store.NewBranch(root)
	ev := &env.Events{}
	if err := k.apply(env.WithTx(ctx, env.TxOf(ctx), ev), branch, p); err != nil {
		return err
	}
	branch.Write()
	for _, e := range ev.List() {
		attrs := make([]env.Attr, 0, len(e.Attributes))
		for _, a := range e.Attributes {
			if a.Key != msgIndexAttr { // env.Emit adds it again
				attrs = append(attrs, env.Attr{Key: a.Key, Value: a.Value, Index: a.Index})
			}
		}
		env.Emit(ctx, e.Type, attrs...)
	}
	return nil
}

// msgIndexAttr is the attribute env.Emit appends to every event.
const msgIndexAttr = "msg_index"

// resultText is how a failed action is recorded in the proposal: the
// module, code and sentence of a registered error. Anything else is an
// internal error, whose text is not recorded: it may differ between nodes
// and the proposal is consensus state.
func resultText(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return fmt.Sprintf("%s code %d: %s", e.Codespace(), e.Code(), err.Error())
	}
	return "internal error"
}
