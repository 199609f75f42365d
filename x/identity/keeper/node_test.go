package keeper_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/keeper"
	"github.com/datarights/datarights/x/identity/types"
)

func nodeID(n int) string { return fmt.Sprintf("%040x", n) }

func addNode(a, id string) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().AddNodeID(ctx, kv, a, id) }
}

func removeNode(a, id string) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().RemoveNodeID(ctx, kv, a, id) }
}

func allowed(id string, want *types.Party) func(t *testing.T, kv store.KV) {
	return func(t *testing.T, kv store.KV) {
		t.Helper()
		p, err := keeper.New().NodeAllowed(kv, id)
		switch {
		case want == nil && !errors.Is(err, types.ErrNodeNotAllowed):
			t.Fatalf("node %s: %v, %v; want refused", id, p, err)
		case want != nil && (err != nil || p.Address != want.Address):
			t.Fatalf("node %s: %v, %v; want admitted as %s's", id, p, err, want.Address)
		}
	}
}

func TestNodeIDs(t *testing.T) {
	upper := "ABCDEF" + nodeID(1)[6:]
	runGovCases(t, []govCase{
		{name: "department's node added", op: addNode(addr(d1), nodeID(1)), event: types.EventNodeIDAdded, check: func(t *testing.T, kv store.KV) {
			allowed(nodeID(1), &types.Party{Address: addr(d1)})(t, kv)
			allowed(nodeID(2), nil)(t, kv)
		}},
		{name: "upper case stored lower case", op: addNode(addr(d1), upper), event: types.EventNodeIDAdded, check: func(t *testing.T, kv store.KV) {
			if p := party(t, kv, d1); !slices.Equal(p.NodeIds, []string{"abcdef" + nodeID(1)[6:]}) {
				t.Fatalf("node ids %v", p.NodeIds)
			}
		}},
		{name: "auditor's full node", op: addNode(addr(genEnt), nodeID(3)), event: types.EventNodeIDAdded, check: allowed(nodeID(3), &types.Party{Address: addr(genEnt)})},
		{name: "removed", setup: []govOp{addNode(addr(d1), nodeID(1)), addNode(addr(d1), nodeID(2))}, op: removeNode(addr(d1), nodeID(1)),
			event: types.EventNodeIDRemoved, check: func(t *testing.T, kv store.KV) {
				allowed(nodeID(1), nil)(t, kv)
				allowed(nodeID(2), &types.Party{Address: addr(d1)})(t, kv)
			}},
		{name: "removed department's nodes refused", setup: []govOp{addNode(addr(d2), nodeID(4))}, op: removeDept(addr(d2), "merged"),
			event: types.EventDepartmentRemoved, check: allowed(nodeID(4), nil)},
		{name: "auditor role revoked: refused", setup: []govOp{addNode(addr(genEnt), nodeID(5))}, op: revokeRole(addr(genEnt), types.Role_ROLE_AUDITOR),
			event: types.EventRoleRevoked, check: allowed(nodeID(5), nil)},

		{name: "taken by another party", setup: []govOp{addNode(addr(d1), nodeID(1))}, op: addNode(addr(d2), nodeID(1)), want: types.ErrNodeIDTaken},
		{name: "twice", setup: []govOp{addNode(addr(d1), nodeID(1))}, op: addNode(addr(d1), nodeID(1)), want: types.ErrNodeIDTaken},
		{name: "enterprise without auditor role", op: addNode(addr(e1), nodeID(1)), want: types.ErrCannotRunNodes},
		{name: "suspended department", setup: []govOp{removeDept(addr(d2), "merged")}, op: addNode(addr(d2), nodeID(1)), want: types.ErrPartySuspended},
		{name: "not hex", op: addNode(addr(d1), "zz"+nodeID(1)[2:]), want: types.ErrInvalidNodeID},
		{name: "too short", op: addNode(addr(d1), nodeID(1)[1:]), want: types.ErrInvalidNodeID},
		{name: "peer address", op: addNode(addr(d1), nodeID(1)+"@127.0.0.1:26656"), want: types.ErrInvalidNodeID},
		{name: "unknown party", op: addNode(addr(fresh[0]), nodeID(1)), want: types.ErrPartyNotFound},
		{name: "remove an id the party lacks", setup: []govOp{addNode(addr(d1), nodeID(1))}, op: removeNode(addr(d2), nodeID(1)), want: types.ErrNodeIDNotFound},
		{name: "department added with a taken node id", setup: []govOp{addNode(addr(d1), nodeID(1))},
			op: addDept(withParty(newDept(5), func(p *types.Party) { p.NodeIds = []string{nodeID(1)} })), want: types.ErrNodeIDTaken},
	})
}

func TestNodeIDLimit(t *testing.T) {
	var setup []govOp
	for i := range types.MaxNodeIDs {
		setup = append(setup, addNode(addr(d1), nodeID(100+i)))
	}
	runGovCases(t, []govCase{{name: "over the limit", setup: setup, op: addNode(addr(d1), nodeID(1)), want: types.ErrTooManyNodeIDs}})
}

func TestGenesisNodeIDs(t *testing.T) {
	dept := &types.Party{Address: addr(d1), Name: "d", Kind: department, NodeIds: []string{nodeID(2), nodeID(1)}}
	ent := &types.Party{Address: addr(e1), Name: "e", Kind: enterprise, NodeIds: []string{nodeID(3)}}
	if got := keeper.GenesisNodeIDs(&types.GenesisState{Parties: []*types.Party{dept, ent}}); !slices.Equal(got, []string{nodeID(1), nodeID(2)}) {
		t.Fatalf("genesis node ids %v, want the department's, sorted, not the enterprise's", got)
	}
}
