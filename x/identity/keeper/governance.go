package keeper

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// The changes below are made only by x/governance, when the departments
// have voted for them; no message of this module reaches them. Each
// checks everything before it writes anything, so that governance can try
// an action on a scratch branch and trust the answer.
//
// The departments are the validators. Every change of a department's
// power is queued (0x07) and handed to CometBFT at the end of the block by
// TakeValidatorUpdates. The checks keep the set CometBFT would build valid,
// since CometBFT halts the chain on an update it refuses: powers positive,
// the total within MaxTotalVotingPower, a key never used twice, never an
// empty set, and never the removal of a validator CometBFT has not yet
// been told about.

// Departments are the voting departments: active departments whose
// validator has positive power, in address order. They are exactly the
// validator set CometBFT runs (after this block's updates).
func (k Keeper) Departments(root store.KV) []*types.Party {
	kv := k.kv(root)
	prefix := store.Concat(kindPrefix, []byte{byte(types.PartyKind_PARTY_KIND_DEPARTMENT)})
	var addrs []string
	it := kv.Iterator(prefix, store.PrefixEnd(prefix))
	for ; it.Valid(); it.Next() {
		addrs = append(addrs, address.FromBytes(it.Key()[len(prefix):]))
	}
	it.Close()
	var out []*types.Party
	for _, a := range addrs {
		p, err := k.Party(root, a)
		if err != nil {
			panic(&store.Fault{Err: fmt.Errorf("identity: kind index points at missing party %s", a)})
		}
		if isVoting(p) {
			out = append(out, p)
		}
	}
	return out
}

// isVoting reports whether a party is one of the Departments.
func isVoting(p *types.Party) bool {
	return p.IsDepartment() && p.IsActive() && p.GetValidator().GetPower() > 0
}

// AddDepartment registers a department decided by governance: p's address,
// name, organisation code, roles and validator (an ed25519 key and a
// positive power) are read; the rest is set here. The party is active from
// this block, and its validator joins CometBFT's set through the update
// queue.
func (k Keeper) AddDepartment(ctx context.Context, root store.KV, p *types.Party) error {
	addr, err := types.ParseAddress("address", p.GetAddress())
	if err != nil {
		return err
	}
	if err := types.ValidateName(p.GetName()); err != nil {
		return err
	}
	if kind := p.GetKind(); kind != types.PartyKind_PARTY_KIND_UNSPECIFIED && kind != types.PartyKind_PARTY_KIND_DEPARTMENT {
		return types.ErrInvalidKind.Wrapf("a department cannot be added as a %s", types.KindName(kind))
	}
	if err := types.ValidateOrgCodeFor(types.PartyKind_PARTY_KIND_DEPARTMENT, p.GetOrgCode()); err != nil {
		return err
	}
	for _, r := range p.GetRoles() {
		if !types.ValidRole(r) {
			return types.ErrInvalidRole.Wrapf("%d", r)
		}
	}
	v := p.GetValidator()
	if err := checkNewValidator(v); err != nil {
		return err
	}
	if k.isTaken(root, addr) {
		return types.ErrPartyExists.Wrapf("%s is already a party or an agent", addr)
	}
	if err := k.checkOrgCode(root, p.GetOrgCode(), addr); err != nil {
		return err
	}
	if owner := k.kv(root).Get(valKeyKey(v.PubKey)); owner != nil {
		return types.ErrValidatorKeyTaken.Wrapf("%s is the validator key of %s", b64(v.PubKey), address.FromBytes(owner))
	}
	if err := k.checkTotalPower(root, v.Power); err != nil {
		return err
	}
	nodes := &types.Party{NodeIds: p.GetNodeIds()}
	if err := k.checkNewNodeIDs(root, nodes); err != nil {
		return err
	}
	h := env.BlockOf(ctx).Height
	d := &types.Party{
		Address: addr, Name: p.Name, Kind: types.PartyKind_PARTY_KIND_DEPARTMENT, OrgCode: p.OrgCode,
		Roles:  sortedUnique(slices.Clone(p.Roles)),
		Status: types.PartyStatus_PARTY_STATUS_ACTIVE, StatusHeight: h, RegisteredHeight: h,
		Validator: &types.Validator{PubKey: bytes.Clone(v.PubKey), Power: v.Power},
		NodeIds:   nodes.NodeIds,
	}
	k.setParty(root, nil, d)
	k.queueUpdate(root, d.Validator)
	env.Emit(ctx, types.EventDepartmentAdded, env.Indexed(types.AttrParty, addr), env.Plain(types.AttrPubKey, b64(v.PubKey)),
		env.Plain(types.AttrPower, strconv.FormatInt(v.Power, 10)), env.Plain(types.AttrRoles, roleNames(d.Roles)))
	for _, id := range d.NodeIds {
		env.Emit(ctx, types.EventNodeIDAdded, env.Indexed(types.AttrParty, addr), env.Indexed(types.AttrNodeID, id))
	}
	return nil
}

// checkNewValidator checks a validator's form: a 32-byte ed25519 key and a
// power CometBFT accepts.
func checkNewValidator(v *types.Validator) error {
	switch {
	case v == nil:
		return types.ErrInvalidValidator.Wrap("a department needs a validator key and power")
	case len(v.PubKey) != ed25519.PubKeySize:
		return types.ErrInvalidValidator.Wrapf("pub_key is %d bytes, want %d (ed25519)", len(v.PubKey), ed25519.PubKeySize)
	}
	return checkPower(v.Power)
}

func checkPower(power int64) error {
	if power <= 0 || power > cmttypes.MaxTotalVotingPower {
		return types.ErrInvalidValidator.Wrapf("power %d: want 1 to %d", power, cmttypes.MaxTotalVotingPower)
	}
	return nil
}

// RemoveDepartment ends a department's membership: its validator's power
// becomes 0 (CometBFT removes it) and the party is suspended with the
// reason. The party keeps its validator key, which is never used again,
// and its history.
func (k Keeper) RemoveDepartment(ctx context.Context, root store.KV, rawAddr, reason string) error {
	p, err := k.votingDepartment(root, rawAddr)
	if err != nil {
		return err
	}
	if err := types.ValidateReason(reason); err != nil {
		return err
	}
	if len(k.Departments(root)) <= 1 {
		return types.ErrLastValidator.Wrapf("%s (%s) is the only department left; CometBFT cannot run without a validator", p.Name, p.Address)
	}
	h := env.BlockOf(ctx).Height
	if p.RegisteredHeight == h {
		// Its joining is queued, not yet sent: CometBFT would refuse (and
		// halt on) the removal of a validator it does not know.
		return types.ErrJoinedThisBlock.Wrapf("%s (%s) joined at height %d; remove it in a later block", p.Name, p.Address, h)
	}
	old := clone(p)
	p.Validator.Power = 0
	p.Status, p.StatusReason, p.StatusHeight = types.PartyStatus_PARTY_STATUS_SUSPENDED, reason, h
	k.setParty(root, old, p)
	k.queueUpdate(root, p.Validator)
	env.Emit(ctx, types.EventDepartmentRemoved, env.Indexed(types.AttrParty, p.Address), env.Plain(types.AttrReason, reason))
	return nil
}

// SetPower changes the voting power of a department's validator. Power 0
// would remove it: that is RemoveDepartment, which also suspends the party.
func (k Keeper) SetPower(ctx context.Context, root store.KV, rawAddr string, power int64) error {
	p, err := k.votingDepartment(root, rawAddr)
	if err != nil {
		return err
	}
	if err := checkPower(power); err != nil {
		return err
	}
	prev := p.Validator.Power
	if power == prev {
		return types.ErrInvalidValidator.Wrapf("%s (%s) already has power %d", p.Name, p.Address, power)
	}
	if err := k.checkTotalPower(root, power-prev); err != nil {
		return err
	}
	old := clone(p)
	p.Validator.Power = power
	k.setParty(root, old, p)
	k.queueUpdate(root, p.Validator)
	env.Emit(ctx, types.EventPowerChanged, env.Indexed(types.AttrParty, p.Address),
		env.Plain(types.AttrPower, strconv.FormatInt(power, 10)), env.Plain(types.AttrPreviousPower, strconv.FormatInt(prev, 10)))
	return nil
}

// GrantRole gives a party (of any kind) a role it does not hold.
func (k Keeper) GrantRole(ctx context.Context, root store.KV, rawAddr string, role types.Role) error {
	p, err := k.roleTarget(root, rawAddr, role)
	if err != nil {
		return err
	}
	if p.HasRole(role) {
		return types.ErrRoleHeld.Wrapf("%s (%s) is already a %s", p.Name, p.Address, types.RoleName(role))
	}
	old := clone(p)
	p.Roles = sortedUnique(append(p.Roles, role))
	k.setParty(root, old, p)
	env.Emit(ctx, types.EventRoleGranted, env.Indexed(types.AttrParty, p.Address), env.Plain(types.AttrRole, types.RoleName(role)))
	return nil
}

// RevokeRole withdraws a role the party holds.
func (k Keeper) RevokeRole(ctx context.Context, root store.KV, rawAddr string, role types.Role) error {
	p, err := k.roleTarget(root, rawAddr, role)
	if err != nil {
		return err
	}
	i := slices.Index(p.Roles, role)
	if i < 0 {
		return types.ErrMissingRole.Wrapf("%s (%s) is not a %s", p.Name, p.Address, types.RoleName(role))
	}
	old := clone(p)
	p.Roles = slices.Delete(p.Roles, i, i+1)
	k.setParty(root, old, p)
	env.Emit(ctx, types.EventRoleRevoked, env.Indexed(types.AttrParty, p.Address), env.Plain(types.AttrRole, types.RoleName(role)))
	return nil
}

func (k Keeper) roleTarget(root store.KV, rawAddr string, role types.Role) (*types.Party, error) {
	addr, err := types.ParseAddress("address", rawAddr)
	if err != nil {
		return nil, err
	}
	if !types.ValidRole(role) {
		return nil, types.ErrInvalidRole.Wrapf("%d: want data_admin, auditor, operator, exchange or assessor", role)
	}
	return k.Party(root, addr)
}

// votingDepartment returns the party at rawAddr if it is one of the
// Departments, and otherwise says why not.
func (k Keeper) votingDepartment(root store.KV, rawAddr string) (*types.Party, error) {
	addr, err := types.ParseAddress("address", rawAddr)
	if err != nil {
		return nil, err
	}
	p, err := k.Party(root, addr)
	if err != nil {
		return nil, err
	}
	switch {
	case !p.IsDepartment():
		return nil, types.ErrNotDepartment.Wrapf("%s (%s) is not a department but of kind %s", p.Name, addr, types.KindName(p.Kind))
	case !p.IsActive():
		return nil, types.ErrPartySuspended.Wrapf("%s (%s) is suspended since height %d: %s", p.Name, addr, p.StatusHeight, p.StatusReason)
	case p.GetValidator().GetPower() <= 0:
		return nil, types.ErrNotValidator.Wrapf("%s (%s)", p.Name, addr)
	}
	return p, nil
}

// checkTotalPower admits a change of the total voting power by delta if the
// total stays within CometBFT's MaxTotalVotingPower. Every power is at
// most that limit, and so is the current total (ValidateGenesis and these
// checks keep it so), so the sums below cannot overflow.
func (k Keeper) checkTotalPower(root store.KV, delta int64) error {
	var total int64
	for _, d := range k.Departments(root) {
		total += d.Validator.Power
	}
	if delta > 0 && total > cmttypes.MaxTotalVotingPower-delta {
		return types.ErrTotalPower.Wrapf("total power would be %d + %d, limit %d", total, delta, cmttypes.MaxTotalVotingPower)
	}
	return nil
}

// queueUpdate records a validator's new power for the end of the block.
func (k Keeper) queueUpdate(root store.KV, v *types.Validator) {
	k.kv(root).Set(valUpdateKey(v.PubKey), binary.BigEndian.AppendUint64(nil, uint64(v.Power)))
}

// TakeValidatorUpdates returns the validator updates queued in this block,
// in key order, and empties the queue. The app calls it at the end of
// every block, after every module's EndBlock, and returns the updates in
// FinalizeBlock's response; CometBFT applies them two blocks later.
func (k Keeper) TakeValidatorUpdates(root store.KV) []abci.ValidatorUpdate {
	kv := k.kv(root)
	type entry struct{ key, value []byte }
	var queued []entry
	it := kv.Iterator(valUpdatePrefix, store.PrefixEnd(valUpdatePrefix))
	for ; it.Valid(); it.Next() {
		queued = append(queued, entry{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	it.Close()
	var out []abci.ValidatorUpdate
	for _, e := range queued {
		pub := e.key[len(valUpdatePrefix):]
		if len(pub) != ed25519.PubKeySize || len(e.value) != 8 {
			panic(&store.Fault{Err: fmt.Errorf("identity: malformed validator update %X = %X", e.key, e.value)})
		}
		kv.Delete(e.key)
		out = append(out, abci.Ed25519ValidatorUpdate(bytes.Clone(pub), int64(binary.BigEndian.Uint64(e.value))))
	}
	return out
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func roleNames(rs []types.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = types.RoleName(r)
	}
	return strings.Join(names, ",")
}
