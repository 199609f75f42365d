package keeper

import (
	"context"
	"slices"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/types"
)

// Network-level permissioning. Every node of the network is registered on
// chain by its CometBFT node id, as one of the node ids of the party that
// runs it: a department (its validator and full nodes) or an auditor (a
// full node of its own). Nodes run with filter_peers, so CometBFT asks the
// app about every peer before it connects (app/filter.go), and the app
// answers with NodeAllowed. Node ids enter through genesis and governance
// (AddNodeID, RemoveNodeID); a department removed by governance is
// suspended, and its nodes are refused with it.

// NodeAllowed says whether the node with this id may connect: its id is
// registered to a party that is active and may run nodes. The error says
// why not.
func (k Keeper) NodeAllowed(root store.KV, rawID string) (*types.Party, error) {
	id, err := types.ParseNodeID(rawID)
	if err != nil {
		return nil, err
	}
	owner := k.kv(root).Get(nodeIDKey(id))
	if owner == nil {
		return nil, types.ErrNodeNotAllowed.Wrapf("node %s is not registered to any department or auditor", id)
	}
	p, err := k.Party(root, address.FromBytes(owner))
	if err != nil {
		return nil, err
	}
	switch {
	case !p.IsActive():
		return nil, types.ErrNodeNotAllowed.Wrapf("node %s belongs to %s (%s), suspended since height %d", id, p.Name, p.Address, p.StatusHeight)
	case !p.CanRunNodes():
		return nil, types.ErrNodeNotAllowed.Wrapf("node %s belongs to %s (%s), which is no longer a department or an auditor", id, p.Name, p.Address)
	}
	return p, nil
}

// AddNodeID registers a node id for a department or an auditor, on the
// departments' decision.
func (k Keeper) AddNodeID(ctx context.Context, root store.KV, rawAddr, rawID string) error {
	p, id, err := k.nodeTarget(root, rawAddr, rawID)
	if err != nil {
		return err
	}
	if owner := k.kv(root).Get(nodeIDKey(id)); owner != nil {
		return types.ErrNodeIDTaken.Wrapf("node %s is registered to %s", id, address.FromBytes(owner))
	}
	if !p.IsActive() {
		return types.ErrPartySuspended.Wrapf("%s (%s) is suspended since height %d: %s", p.Name, p.Address, p.StatusHeight, p.StatusReason)
	}
	if len(p.NodeIds) >= types.MaxNodeIDs {
		return types.ErrTooManyNodeIDs.Wrapf("%s (%s) already has %d node ids", p.Name, p.Address, len(p.NodeIds))
	}
	old := clone(p)
	p.NodeIds = append(p.NodeIds, id)
	slices.Sort(p.NodeIds)
	k.setParty(root, old, p)
	env.Emit(ctx, types.EventNodeIDAdded, env.Indexed(types.AttrParty, p.Address), env.Indexed(types.AttrNodeID, id))
	return nil
}

// RemoveNodeID withdraws a node id from the party it is registered to;
// every node drops its connection to that node within a block (see
// server/peers.go).
func (k Keeper) RemoveNodeID(ctx context.Context, root store.KV, rawAddr, rawID string) error {
	p, id, err := k.nodeTarget(root, rawAddr, rawID)
	if err != nil {
		return err
	}
	i := slices.Index(p.NodeIds, id)
	if i < 0 {
		return types.ErrNodeIDNotFound.Wrapf("%s (%s) has no node %s", p.Name, p.Address, id)
	}
	old := clone(p)
	p.NodeIds = slices.Delete(p.NodeIds, i, i+1)
	k.setParty(root, old, p)
	env.Emit(ctx, types.EventNodeIDRemoved, env.Indexed(types.AttrParty, p.Address), env.Indexed(types.AttrNodeID, id))
	return nil
}

// nodeTarget parses a node id action's arguments and finds the party,
// which must be one that runs nodes.
func (k Keeper) nodeTarget(root store.KV, rawAddr, rawID string) (*types.Party, string, error) {
	addr, err := types.ParseAddress("address", rawAddr)
	if err != nil {
		return nil, "", err
	}
	id, err := types.ParseNodeID(rawID)
	if err != nil {
		return nil, "", err
	}
	p, err := k.Party(root, addr)
	if err != nil {
		return nil, "", err
	}
	if !p.CanRunNodes() {
		return nil, "", types.ErrCannotRunNodes.Wrapf("%s (%s) is a %s without the auditor role", p.Name, p.Address, types.KindName(p.Kind))
	}
	return p, id, nil
}

// checkNewNodeIDs checks the node ids of a party about to be written:
// well-formed, canonical (lower case, sorted, no repeats), and registered
// to nobody else.
func (k Keeper) checkNewNodeIDs(root store.KV, p *types.Party) error {
	ids, err := types.ParseNodeIDs(p.NodeIds)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if owner := k.kv(root).Get(nodeIDKey(id)); owner != nil {
			return types.ErrNodeIDTaken.Wrapf("node %s is registered to %s", id, address.FromBytes(owner))
		}
	}
	p.NodeIds = ids
	return nil
}

// GenesisNodeIDs are the node ids registered in a genesis identity state
// to parties that may run nodes: the peers a node without any state yet
// (one starting from genesis, or one restoring a state sync snapshot)
// accepts.
func GenesisNodeIDs(gs *types.GenesisState) []string {
	var out []string
	for _, p := range gs.GetParties() {
		if !p.CanRunNodes() {
			continue
		}
		for _, s := range p.NodeIds {
			if id, err := types.ParseNodeID(s); err == nil {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
