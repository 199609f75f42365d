package keeper

import (
	"context"
	"slices"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// RegisterParty: a department registers an enterprise, institution or
// individual. Departments themselves come from genesis or governance.
func (k Keeper) RegisterParty(ctx context.Context, root store.KV, m *types.MsgRegisterParty) (string, error) {
	addr, err := types.ParseAddress("address", m.Address)
	if err != nil {
		return "", err
	}
	if err := types.ValidateName(m.Name); err != nil {
		return "", err
	}
	if !types.ValidKind(m.Kind) || m.Kind == types.PartyKind_PARTY_KIND_DEPARTMENT {
		return "", types.ErrInvalidKind.Wrap("a department registers enterprises, institutions and individuals; departments join through governance")
	}
	if err := types.ValidateOrgCodeFor(m.Kind, m.OrgCode); err != nil {
		return "", err
	}
	actor, err := k.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	if !actor.IsDepartment() {
		return "", types.ErrNotDepartment.Wrapf("%s (%s) is not a department but of kind %s", actor.Name, actor.Address, types.KindName(actor.Kind))
	}
	if k.isTaken(root, addr) {
		return "", types.ErrPartyExists.Wrapf("%s is already a party or an agent", addr)
	}
	if err := k.checkOrgCode(root, m.OrgCode, addr); err != nil {
		return "", err
	}
	h := env.BlockOf(ctx).Height
	p := &types.Party{
		Address: addr, Name: m.Name, Kind: m.Kind, OrgCode: m.OrgCode,
		Status: types.PartyStatus_PARTY_STATUS_ACTIVE, StatusHeight: h,
		RegisteredBy: actor.Address, RegisteredHeight: h,
	}
	k.setParty(root, nil, p)
	env.Emit(ctx, types.EventPartyRegistered, env.Indexed(types.AttrParty, addr),
		env.Indexed(types.AttrActor, actor.Address), env.Plain(types.AttrKind, types.KindName(m.Kind)))
	return addr, nil
}

// UpdateParty changes name and organisation code. The party itself or the
// department that registered it may do so.
func (k Keeper) UpdateParty(ctx context.Context, root store.KV, m *types.MsgUpdateParty) (string, error) {
	addr, err := types.ParseAddress("address", m.Address)
	if err != nil {
		return "", err
	}
	if err := types.ValidateName(m.Name); err != nil {
		return "", err
	}
	p, actor, err := k.targetAndActor(ctx, root, addr)
	if err != nil {
		return "", err
	}
	if actor.Address != p.Address && actor.Address != p.RegisteredBy {
		return "", types.ErrUnauthorized.Wrapf("only %s itself or its registering department may update it", addr)
	}
	if err := types.ValidateOrgCodeFor(p.Kind, m.OrgCode); err != nil {
		return "", err
	}
	if err := k.checkOrgCode(root, m.OrgCode, addr); err != nil {
		return "", err
	}
	old := clone(p)
	p.Name, p.OrgCode = m.Name, m.OrgCode
	k.setParty(root, old, p)
	env.Emit(ctx, types.EventPartyUpdated, env.Indexed(types.AttrParty, addr), env.Indexed(types.AttrActor, actor.Address))
	return addr, nil
}

// SuspendParty stops a party from acting. The registering department or a
// data admin may do so; departments are suspended only by governance.
func (k Keeper) SuspendParty(ctx context.Context, root store.KV, m *types.MsgSuspendParty) (string, error) {
	return k.setStatus(ctx, root, m.Address, m.Reason, types.PartyStatus_PARTY_STATUS_SUSPENDED)
}

// ReactivateParty lifts a suspension, by the same authorities.
func (k Keeper) ReactivateParty(ctx context.Context, root store.KV, m *types.MsgReactivateParty) (string, error) {
	return k.setStatus(ctx, root, m.Address, m.Reason, types.PartyStatus_PARTY_STATUS_ACTIVE)
}

func (k Keeper) setStatus(ctx context.Context, root store.KV, rawAddr, reason string, to types.PartyStatus) (string, error) {
	addr, err := types.ParseAddress("address", rawAddr)
	if err != nil {
		return "", err
	}
	if err := types.ValidateReason(reason); err != nil {
		return "", err
	}
	p, actor, err := k.targetAndActor(ctx, root, addr)
	if err != nil {
		return "", err
	}
	if p.IsDepartment() {
		return "", types.ErrDepartmentGoverned.Wrapf("%s (%s)", p.Name, addr)
	}
	if actor.Address != p.RegisteredBy && !actor.HasRole(types.Role_ROLE_DATA_ADMIN) {
		if p.RegisteredBy == "" {
			return "", types.ErrUnauthorized.Wrapf("%s came from genesis: only a data admin may change its status", addr)
		}
		return "", types.ErrUnauthorized.Wrapf("only the registering department %s or a data admin may change the status of %s", p.RegisteredBy, addr)
	}
	if p.Status == to {
		if to == types.PartyStatus_PARTY_STATUS_ACTIVE {
			return "", types.ErrPartyActive.Wrapf("%s", addr)
		}
		return "", types.ErrPartySuspended.Wrapf("%s is already suspended since height %d", addr, p.StatusHeight)
	}
	old := clone(p)
	p.Status, p.StatusReason, p.StatusHeight = to, reason, env.BlockOf(ctx).Height
	k.setParty(root, old, p)
	ev := types.EventPartySuspended
	if to == types.PartyStatus_PARTY_STATUS_ACTIVE {
		ev = types.EventPartyReactivated
	}
	env.Emit(ctx, ev, env.Indexed(types.AttrParty, addr), env.Indexed(types.AttrActor, actor.Address), env.Plain(types.AttrReason, reason))
	return addr, nil
}

// AddAgent lets another key sign for the sending party.
func (k Keeper) AddAgent(ctx context.Context, root store.KV, m *types.MsgAddAgent) (string, error) {
	agent, err := types.ParseAddress("agent", m.Agent)
	if err != nil {
		return "", err
	}
	p, err := k.ownKeyActor(ctx, root)
	if err != nil {
		return "", err
	}
	if k.isTaken(root, agent) {
		return "", types.ErrAgentExists.Wrapf("%s", agent)
	}
	if len(p.Agents) >= types.MaxAgents {
		return "", types.ErrTooManyAgents.Wrapf("%s has %d agents, limit %d", p.Address, len(p.Agents), types.MaxAgents)
	}
	old := clone(p)
	p.Agents = sortedUnique(append(p.Agents, agent))
	k.setParty(root, old, p)
	k.kv(root).Set(agentKey(address.Bytes(agent)), address.Bytes(p.Address))
	env.Emit(ctx, types.EventAgentAdded, env.Indexed(types.AttrParty, p.Address), env.Indexed(types.AttrAgent, agent))
	return agent, nil
}

// RemoveAgent withdraws an agent key of the sending party.
func (k Keeper) RemoveAgent(ctx context.Context, root store.KV, m *types.MsgRemoveAgent) (string, error) {
	agent, err := types.ParseAddress("agent", m.Agent)
	if err != nil {
		return "", err
	}
	p, err := k.ownKeyActor(ctx, root)
	if err != nil {
		return "", err
	}
	i := slices.Index(p.Agents, agent)
	if i < 0 {
		return "", types.ErrAgentNotFound.Wrapf("%s is not an agent of %s", agent, p.Address)
	}
	old := clone(p)
	p.Agents = slices.Delete(p.Agents, i, i+1)
	k.setParty(root, old, p)
	k.kv(root).Delete(agentKey(address.Bytes(agent)))
	env.Emit(ctx, types.EventAgentRemoved, env.Indexed(types.AttrParty, p.Address), env.Indexed(types.AttrAgent, agent))
	return agent, nil
}

// ownKeyActor returns the acting party, requiring that the party's own key
// (not an agent) signed: agents cannot appoint agents.
func (k Keeper) ownKeyActor(ctx context.Context, root store.KV) (*types.Party, error) {
	p, err := k.Actor(ctx, root)
	if err != nil {
		return nil, err
	}
	if env.TxOf(ctx).Signer != p.Address {
		return nil, types.ErrAgentCannotManage.Wrapf("sign with the key of %s itself", p.Address)
	}
	return p, nil
}

func (k Keeper) targetAndActor(ctx context.Context, root store.KV, addr string) (*types.Party, *types.Party, error) {
	actor, err := k.Actor(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	p, err := k.Party(root, addr)
	if err != nil {
		return nil, nil, err
	}
	return p, actor, nil
}
