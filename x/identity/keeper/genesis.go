package keeper

import (
	"slices"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// ValidateGenesis checks the identity genesis without touching state: every
// party well-formed, addresses (parties' and agents', compared in canonical
// form, since InitGenesis stores agents canonically) and organisation codes
// unique, departments with a validator key and power, validator keys
// unique, at least one department.
func ValidateGenesis(gs *types.GenesisState) error {
	seen := map[string]bool{}
	codes := map[string]bool{}
	valKeys := map[string]string{}
	nodeIDs := map[string]string{}
	departments := 0
	var total int64
	for i, p := range gs.GetParties() {
		addr, err := types.ParseAddress("address", p.Address)
		if err != nil {
			return types.ErrInvalidGenesis.Wrapf("party %d: %v", i, err)
		}
		if addr != p.Address {
			return types.ErrInvalidGenesis.Wrapf("party %d: address %s is not in canonical EIP-55 form %s", i, p.Address, addr)
		}
		if seen[addr] {
			return types.ErrInvalidGenesis.Wrapf("address %s appears twice", addr)
		}
		seen[addr] = true
		for _, a := range p.Agents {
			agent, err := address.Normalize(a)
			if err != nil {
				return types.ErrInvalidGenesis.Wrapf("party %s: agent: %v", addr, err)
			}
			if seen[agent] {
				return types.ErrInvalidGenesis.Wrapf("party %s: agent %s is already a party or an agent", addr, agent)
			}
			seen[agent] = true
		}
		if err := validateGenesisParty(p); err != nil {
			return types.ErrInvalidGenesis.Wrapf("party %s: %v", addr, err)
		}
		if v := p.GetValidator(); v != nil {
			// CometBFT refuses a validator set with a key twice, and would
			// stop at startup instead of naming the culprit.
			if other, dup := valKeys[string(v.PubKey)]; dup {
				return types.ErrInvalidGenesis.Wrapf("party %s: validator key %X is already %s's", addr, v.PubKey, other)
			}
			valKeys[string(v.PubKey)] = addr
		}
		if len(p.NodeIds) > 0 {
			if !p.CanRunNodes() {
				return types.ErrInvalidGenesis.Wrapf("party %s: only departments and auditors run nodes", addr)
			}
			ids, err := types.ParseNodeIDs(p.NodeIds)
			if err != nil {
				return types.ErrInvalidGenesis.Wrapf("party %s: %v", addr, err)
			}
			for _, id := range ids {
				if other, dup := nodeIDs[id]; dup {
					return types.ErrInvalidGenesis.Wrapf("party %s: node %s is already %s's", addr, id, other)
				}
				nodeIDs[id] = addr
			}
		}
		if p.OrgCode != "" {
			if codes[p.OrgCode] {
				return types.ErrInvalidGenesis.Wrapf("organisation code %s appears twice", p.OrgCode)
			}
			codes[p.OrgCode] = true
		}
		if p.IsDepartment() {
			departments++
			if v := p.GetValidator(); v != nil && v.Power > 0 {
				if v.Power > cmttypes.MaxTotalVotingPower-total {
					total = cmttypes.MaxTotalVotingPower + 1 // stop before overflowing
				} else {
					total += v.Power
				}
			}
		}
	}
	if total > cmttypes.MaxTotalVotingPower {
		return types.ErrInvalidGenesis.Wrapf("total validator power %d exceeds CometBFT's limit %d", total, cmttypes.MaxTotalVotingPower)
	}
	if departments == 0 {
		return types.ErrInvalidGenesis.Wrap("genesis needs at least one department (the departments run the validators)")
	}
	return nil
}

func validateGenesisParty(p *types.Party) error {
	if err := types.ValidateName(p.Name); err != nil {
		return err
	}
	if !types.ValidKind(p.Kind) {
		return types.ErrInvalidKind.Wrapf("%d", p.Kind)
	}
	if err := types.ValidateOrgCodeFor(p.Kind, p.OrgCode); err != nil {
		return err
	}
	for _, r := range p.Roles {
		if !types.ValidRole(r) {
			return types.ErrInvalidRole.Wrapf("%d", r)
		}
	}
	if p.Status != types.PartyStatus_PARTY_STATUS_ACTIVE && p.Status != types.PartyStatus_PARTY_STATUS_UNSPECIFIED {
		return types.ErrInvalidGenesis.Wrap("genesis parties start active")
	}
	if len(p.Agents) > types.MaxAgents {
		return types.ErrTooManyAgents.Wrapf("%d", len(p.Agents))
	}
	v := p.GetValidator()
	switch {
	case p.IsDepartment() && v == nil:
		return types.ErrInvalidValidator.Wrap("a department needs a validator key and power")
	case !p.IsDepartment() && v != nil:
		return types.ErrInvalidValidator.Wrap("only departments run validators")
	case v != nil && len(v.PubKey) != ed25519.PubKeySize:
		return types.ErrInvalidValidator.Wrapf("pub_key is %d bytes, want %d (ed25519)", len(v.PubKey), ed25519.PubKeySize)
	case v != nil && v.Power <= 0:
		return types.ErrInvalidValidator.Wrapf("power %d must be positive", v.Power)
	}
	return nil
}

// InitGenesis writes the genesis parties. Call ValidateGenesis first.
func (k Keeper) InitGenesis(root store.KV, gs *types.GenesisState) {
	for _, p := range gs.GetParties() {
		p := clone(p)
		p.Status = types.PartyStatus_PARTY_STATUS_ACTIVE
		p.Roles = sortedUnique(p.Roles)
		p.Agents = sortedUnique(canonical(p.Agents))
		ids, err := types.ParseNodeIDs(p.NodeIds)
		if err != nil {
			panic(err) // validated by ValidateGenesis
		}
		p.NodeIds = ids
		k.setParty(root, nil, p)
		for _, a := range p.Agents {
			k.kv(root).Set(agentKey(address.Bytes(a)), address.Bytes(p.Address))
		}
	}
}

// ExportGenesis reads every party back, in address order.
func (k Keeper) ExportGenesis(root store.KV) *types.GenesisState {
	gs := &types.GenesisState{}
	for _, p := range k.all(root) {
		gs.Parties = append(gs.Parties, p)
	}
	return gs
}

// Validators returns the departments' validators in address order: the
// validator set the app hands CometBFT at InitChain.
func (k Keeper) Validators(root store.KV) []*types.Party {
	var out []*types.Party
	for _, p := range k.all(root) {
		if p.IsDepartment() && p.GetValidator() != nil {
			out = append(out, p)
		}
	}
	return out
}

func (k Keeper) all(root store.KV) []*types.Party {
	var out []*types.Party
	it := k.kv(root).Iterator(partyPrefix, store.PrefixEnd(partyPrefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		out = append(out, decodeParty(it.Value()))
	}
	return out
}

func canonical(addrs []string) []string {
	out := slices.Clone(addrs)
	for i, a := range out {
		if n, err := address.Normalize(a); err == nil {
			out[i] = n
		}
	}
	return out
}
