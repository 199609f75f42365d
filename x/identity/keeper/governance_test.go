package keeper_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/keeper"
	"github.com/datarights/datarights/x/identity/types"
)

// The governance changes run on the fixture of keeper_test.go: departments
// d1, d2 and admin with validator keys ValidatorKey(1..3) and power 10
// each, and the enterprise genEnt, an auditor.

// govOp is one governance change, as x/governance would apply it.
type govOp func(ctx context.Context, kv store.KV) error

func govCtx(height int64) (context.Context, *env.Events) {
	ev := &env.Events{}
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: apptest.BlockTime(height), ChainID: apptest.ChainID})
	return env.WithTx(ctx, env.Tx{}, ev), ev
}

func addDept(p *types.Party) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().AddDepartment(ctx, kv, p) }
}

func removeDept(a, reason string) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().RemoveDepartment(ctx, kv, a, reason) }
}

func setPower(a string, power int64) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().SetPower(ctx, kv, a, power) }
}

func grantRole(a string, r types.Role) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().GrantRole(ctx, kv, a, r) }
}

func revokeRole(a string, r types.Role) govOp {
	return func(ctx context.Context, kv store.KV) error { return keeper.New().RevokeRole(ctx, kv, a, r) }
}

// newDept is a department that governance adds: address fresh[0],
// validator key and org code seeded 100.
func newDept(power int64, roles ...types.Role) *types.Party {
	return &types.Party{Address: addr(fresh[0]), Name: "department of statistics", OrgCode: apptest.OrgCode(100),
		Roles: roles, Validator: &types.Validator{PubKey: apptest.ValidatorKey(100), Power: power}}
}

func withParty(p *types.Party, edit func(*types.Party)) *types.Party {
	c := &types.Party{Address: p.Address, Name: p.Name, Kind: p.Kind, OrgCode: p.OrgCode, Roles: slices.Clone(p.Roles)}
	if v := p.Validator; v != nil {
		c.Validator = &types.Validator{PubKey: bytes.Clone(v.PubKey), Power: v.Power}
	}
	edit(c)
	return c
}

type govCase struct {
	name  string
	setup []govOp // run at testHeight-1; each must succeed
	op    govOp
	want  *errs.Error // nil: success
	event string      // on success: the one event
	check func(t *testing.T, kv store.KV)
}

// runGovCases runs each case on a branch of the fixture, as runCases does
// for messages: a refused change leaves every key as it was; an accepted
// one emits its event; the indexes hold either way.
func runGovCases(t *testing.T, cases []govCase) {
	t.Helper()
	tree := base(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := store.NewBranch(tree)
			for i, op := range tc.setup {
				ctx, _ := govCtx(testHeight - 1)
				if err := op(ctx, kv); err != nil {
					t.Fatalf("setup %d: %v", i, err)
				}
			}
			before := testkit.Dump(kv)
			ctx, ev := govCtx(testHeight)
			err := tc.op(ctx, kv)
			checkIndexes(t, kv)
			checkValidatorKeys(t, kv)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !slices.EqualFunc(before, testkit.Dump(kv), func(a, b testkit.Pair) bool {
					return bytes.Equal(a.Key, b.Key) && bytes.Equal(a.Value, b.Value)
				}) {
					t.Fatal("refused change changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if events := ev.List(); len(events) != 1 || events[0].Type != tc.event || !indexedParty(events[0]) {
				t.Fatalf("events %v, want one %s with the party indexed", events, tc.event)
			}
			if tc.check != nil {
				tc.check(t, kv)
			}
		})
	}
}

func indexedParty(e abci.Event) bool {
	for _, a := range e.Attributes {
		if a.Key == types.AttrParty && a.Index {
			return true
		}
	}
	return false
}

// checkValidatorKeys verifies the validator key index (0x06): exactly one
// entry per party with a validator, pointing at it.
func checkValidatorKeys(t *testing.T, root store.KV) {
	t.Helper()
	kv := store.NewPrefix(root, keeper.StorePrefix)
	want := 0
	for _, e := range testkit.Dump(store.NewPrefix(kv, []byte{0x01})) {
		p, err := keeper.New().Party(root, address.FromBytes(e.Key))
		if err != nil {
			t.Fatal(err)
		}
		if v := p.GetValidator(); v != nil {
			want++
			if got := kv.Get(append([]byte{0x06}, v.PubKey...)); !bytes.Equal(got, e.Key) {
				t.Fatalf("validator key of %s indexed for %X", p.Address, got)
			}
		}
	}
	if n := len(testkit.Dump(store.NewPrefix(kv, []byte{0x06}))); n != want {
		t.Fatalf("%d validator key index entries, %d validators", n, want)
	}
}

// updates takes the queued validator updates as (key seed, power) pairs.
func updates(t *testing.T, kv store.KV) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, u := range keeper.New().TakeValidatorUpdates(kv) {
		out[string(u.PubKey.GetEd25519())] = u.Power
	}
	return out
}

func TestAddDepartment(t *testing.T) {
	added := func(t *testing.T, kv store.KV) {
		p := party(t, kv, fresh[0])
		if !p.IsDepartment() || !p.IsActive() || p.RegisteredHeight != testHeight || p.StatusHeight != testHeight ||
			!slices.Equal(p.Roles, []types.Role{types.Role_ROLE_DATA_ADMIN, types.Role_ROLE_AUDITOR}) ||
			!bytes.Equal(p.Validator.PubKey, apptest.ValidatorKey(100)) || p.Validator.Power != 5 || p.RegisteredBy != "" {
			t.Fatalf("department %v", p)
		}
		if ds := keeper.New().Departments(kv); len(ds) != 4 || !slices.ContainsFunc(ds, func(d *types.Party) bool { return d.Address == p.Address }) {
			t.Fatalf("departments %v", ds)
		}
		if u := updates(t, kv); len(u) != 1 || u[string(apptest.ValidatorKey(100))] != 5 {
			t.Fatalf("updates %v", u)
		}
	}
	roles := []types.Role{types.Role_ROLE_AUDITOR, types.Role_ROLE_DATA_ADMIN, types.Role_ROLE_AUDITOR}
	key := func(b []byte) func(*types.Party) { return func(p *types.Party) { p.Validator.PubKey = b } }
	runGovCases(t, []govCase{
		{name: "added, roles sorted, update queued", op: addDept(newDept(5, roles...)), event: types.EventDepartmentAdded, check: added},
		{name: "kind department given", op: addDept(withParty(newDept(5, roles...), func(p *types.Party) { p.Kind = department })),
			event: types.EventDepartmentAdded, check: added},
		{name: "total power exactly at the limit", op: addDept(newDept(cmttypes.MaxTotalVotingPower - 30)), event: types.EventDepartmentAdded},

		{name: "address of a party", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Address = addr(e1) })), want: types.ErrPartyExists},
		{name: "address of an agent", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Address = addr(ag) })), want: types.ErrPartyExists},
		{name: "key of a department", op: addDept(withParty(newDept(5), key(apptest.ValidatorKey(2)))), want: types.ErrValidatorKeyTaken},
		{name: "key of a removed department", setup: []govOp{removeDept(addr(d2), "merged")},
			op: addDept(withParty(newDept(5), key(apptest.ValidatorKey(2)))), want: types.ErrValidatorKeyTaken},
		{name: "org code taken", op: addDept(withParty(newDept(5), func(p *types.Party) { p.OrgCode = apptest.OrgCode(1) })), want: types.ErrOrgCodeTaken},
		{name: "bad org code", op: addDept(withParty(newDept(5), func(p *types.Party) { p.OrgCode = p.OrgCode[:17] + "Y" })), want: types.ErrInvalidOrgCode},
		{name: "no org code", op: addDept(withParty(newDept(5), func(p *types.Party) { p.OrgCode = "" })), want: types.ErrInvalidOrgCode},
		{name: "no name", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Name = " " })), want: types.ErrInvalidName},
		{name: "bad address", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Address = "0x12" })), want: types.ErrInvalidAddress},
		{name: "enterprise kind", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Kind = enterprise })), want: types.ErrInvalidKind},
		{name: "undefined role", op: addDept(newDept(5, 9)), want: types.ErrInvalidRole},
		{name: "no validator", op: addDept(withParty(newDept(5), func(p *types.Party) { p.Validator = nil })), want: types.ErrInvalidValidator},
		{name: "31-byte key", op: addDept(withParty(newDept(5), key(apptest.ValidatorKey(100)[:31]))), want: types.ErrInvalidValidator},
		{name: "power 0", op: addDept(newDept(0)), want: types.ErrInvalidValidator},
		{name: "negative power", op: addDept(newDept(-1)), want: types.ErrInvalidValidator},
		{name: "power over the limit", op: addDept(newDept(cmttypes.MaxTotalVotingPower + 1)), want: types.ErrInvalidValidator},
		{name: "total power over the limit", op: addDept(newDept(cmttypes.MaxTotalVotingPower - 29)), want: types.ErrTotalPower},
	})
}

func TestRemoveDepartment(t *testing.T) {
	runGovCases(t, []govCase{
		{name: "removed: power 0, suspended, key kept", op: removeDept(addr(d2), "merged into d1"), event: types.EventDepartmentRemoved,
			check: func(t *testing.T, kv store.KV) {
				p := party(t, kv, d2)
				if p.IsActive() || p.StatusReason != "merged into d1" || p.StatusHeight != testHeight || p.Validator.Power != 0 ||
					!bytes.Equal(p.Validator.PubKey, apptest.ValidatorKey(2)) {
					t.Fatalf("party %v", p)
				}
				if ds := keeper.New().Departments(kv); len(ds) != 2 {
					t.Fatalf("departments %v", ds)
				}
				if u := updates(t, kv); len(u) != 1 || u[string(apptest.ValidatorKey(2))] != 0 {
					t.Fatalf("updates %v", u)
				}
			}},
		{name: "down to one", setup: []govOp{removeDept(addr(d2), "r")}, op: removeDept(addr(admin), "r"), event: types.EventDepartmentRemoved},

		{name: "the last validator", setup: []govOp{removeDept(addr(d2), "r"), removeDept(addr(admin), "r")},
			op: removeDept(addr(d1), "r"), want: types.ErrLastValidator},
		{name: "already removed", setup: []govOp{removeDept(addr(d2), "r")}, op: removeDept(addr(d2), "r"), want: types.ErrPartySuspended},
		{name: "an enterprise", op: removeDept(addr(e1), "r"), want: types.ErrNotDepartment},
		{name: "unknown", op: removeDept(addr(fresh[0]), "r"), want: types.ErrPartyNotFound},
		{name: "no reason", op: removeDept(addr(d2), ""), want: types.ErrInvalidReason},
		{name: "bad address", op: removeDept("d2", "r"), want: types.ErrInvalidAddress},
	})
}

func TestSetPower(t *testing.T) {
	runGovCases(t, []govCase{
		{name: "changed, update queued", op: setPower(addr(d1), 20), event: types.EventPowerChanged,
			check: func(t *testing.T, kv store.KV) {
				if p := party(t, kv, d1); p.Validator.Power != 20 {
					t.Fatalf("party %v", p)
				}
				if u := updates(t, kv); len(u) != 1 || u[string(apptest.ValidatorKey(1))] != 20 {
					t.Fatalf("updates %v", u)
				}
			}},
		{name: "lowered", op: setPower(addr(d1), 1), event: types.EventPowerChanged},
		{name: "total exactly at the limit", op: setPower(addr(d1), cmttypes.MaxTotalVotingPower-20), event: types.EventPowerChanged},
		{name: "by a lower-case address", op: setPower(addr(d1)[:2]+string(bytes.ToLower([]byte(addr(d1)[2:]))), 20), event: types.EventPowerChanged},

		{name: "total over the limit", op: setPower(addr(d1), cmttypes.MaxTotalVotingPower-19), want: types.ErrTotalPower},
		{name: "unchanged", op: setPower(addr(d1), 10), want: types.ErrInvalidValidator},
		{name: "zero", op: setPower(addr(d1), 0), want: types.ErrInvalidValidator},
		{name: "negative", op: setPower(addr(d1), -5), want: types.ErrInvalidValidator},
		{name: "removed department", setup: []govOp{removeDept(addr(d2), "r")}, op: setPower(addr(d2), 5), want: types.ErrPartySuspended},
		{name: "an enterprise", op: setPower(addr(genEnt), 5), want: types.ErrNotDepartment},
		{name: "unknown", op: setPower(addr(fresh[0]), 5), want: types.ErrPartyNotFound},
	})
}

func TestGrantAndRevokeRole(t *testing.T) {
	roles := func(k []byte, want ...types.Role) func(*testing.T, store.KV) {
		return func(t *testing.T, kv store.KV) {
			p, err := keeper.New().Party(kv, address.FromBytes(k))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Roles, want) {
				t.Fatalf("roles %v, want %v", p.Roles, want)
			}
		}
	}
	ent := address.Bytes(addr(genEnt))
	const (
		dataAdmin = types.Role_ROLE_DATA_ADMIN
		auditor   = types.Role_ROLE_AUDITOR
		exchange  = types.Role_ROLE_EXCHANGE
		assessor  = types.Role_ROLE_ASSESSOR
	)
	runGovCases(t, []govCase{
		{name: "grant, kept sorted", op: grantRole(addr(genEnt), exchange), event: types.EventRoleGranted, check: roles(ent, auditor, exchange)},
		{name: "grant before the others", setup: []govOp{grantRole(addr(genEnt), assessor)}, op: grantRole(addr(genEnt), dataAdmin),
			event: types.EventRoleGranted, check: roles(ent, dataAdmin, auditor, assessor)},
		{name: "grant to a department", op: grantRole(addr(d1), auditor), event: types.EventRoleGranted, check: roles(address.Bytes(addr(d1)), auditor)},
		{name: "revoke", op: revokeRole(addr(genEnt), auditor), event: types.EventRoleRevoked, check: roles(ent)},
		{name: "revoke the data admin", op: revokeRole(addr(admin), dataAdmin), event: types.EventRoleRevoked, check: roles(address.Bytes(addr(admin)))},

		{name: "grant a held role", op: grantRole(addr(genEnt), auditor), want: types.ErrRoleHeld},
		{name: "revoke a role not held", op: revokeRole(addr(genEnt), exchange), want: types.ErrMissingRole},
		{name: "grant the unspecified role", op: grantRole(addr(genEnt), 0), want: types.ErrInvalidRole},
		{name: "revoke an undefined role", op: revokeRole(addr(genEnt), 42), want: types.ErrInvalidRole},
		{name: "grant to nobody", op: grantRole(addr(fresh[0]), auditor), want: types.ErrPartyNotFound},
		{name: "bad address", op: revokeRole("x", auditor), want: types.ErrInvalidAddress},
	})
}

func TestDepartmentsAreTheActiveValidators(t *testing.T) {
	kv := store.NewBranch(base(t))
	k := keeper.New()
	ctx, _ := govCtx(testHeight)
	if err := k.AddDepartment(ctx, kv, newDept(5)); err != nil {
		t.Fatal(err)
	}
	if err := k.RemoveDepartment(ctx, kv, addr(d2), "merged"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range k.Departments(kv) {
		got = append(got, d.Address)
	}
	want := []string{addr(d1), addr(admin), addr(fresh[0])}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("departments %v, want %v (address order, no enterprise, no removed department)", got, want)
	}
}

// A department added in this block is not yet known to CometBFT, which
// halts on the removal of a validator it does not know: the removal waits.
func TestRemoveInTheBlockOfJoining(t *testing.T) {
	kv := store.NewBranch(base(t))
	k := keeper.New()
	ctx, _ := govCtx(testHeight)
	if err := k.AddDepartment(ctx, kv, newDept(5)); err != nil {
		t.Fatal(err)
	}
	if err := k.RemoveDepartment(ctx, kv, addr(fresh[0]), "mistake"); !errors.Is(err, types.ErrJoinedThisBlock) {
		t.Fatalf("error %v, want %v", err, types.ErrJoinedThisBlock)
	}
	if u := updates(t, kv); len(u) != 1 || u[string(apptest.ValidatorKey(100))] != 5 {
		t.Fatalf("updates %v", u)
	}
	next, _ := govCtx(testHeight + 1)
	if err := k.RemoveDepartment(next, kv, addr(fresh[0]), "mistake"); err != nil {
		t.Fatal(err)
	}
	if u := updates(t, kv); len(u) != 1 || u[string(apptest.ValidatorKey(100))] != 0 {
		t.Fatalf("updates %v", u)
	}
}

// Several changes in a block reach CometBFT as one update per key, with the
// latest power, in key order; taking them empties the queue; genesis
// queues nothing (InitChain hands CometBFT the genesis set).
func TestTakeValidatorUpdates(t *testing.T) {
	kv := store.NewBranch(base(t))
	k := keeper.New()
	if u := k.TakeValidatorUpdates(kv); len(u) != 0 {
		t.Fatalf("genesis queued %v", u)
	}
	ctx, _ := govCtx(testHeight)
	second := withParty(newDept(7), func(p *types.Party) {
		p.Address, p.OrgCode, p.Validator.PubKey = addr(fresh[1]), apptest.OrgCode(101), apptest.ValidatorKey(101)
	})
	for i, op := range []govOp{
		addDept(newDept(5)), addDept(second), setPower(addr(d1), 15), setPower(addr(d1), 25),
		removeDept(addr(d2), "merged"), grantRole(addr(d1), types.Role_ROLE_AUDITOR),
	} {
		if err := op(ctx, kv); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
	}
	got := k.TakeValidatorUpdates(kv)
	want := map[string]int64{
		string(apptest.ValidatorKey(100)): 5, string(apptest.ValidatorKey(101)): 7,
		string(apptest.ValidatorKey(1)): 25, string(apptest.ValidatorKey(2)): 0,
	}
	if len(got) != len(want) {
		t.Fatalf("%d updates, want %d: %v", len(got), len(want), got)
	}
	for i, u := range got {
		pk := u.PubKey.GetEd25519()
		if w, ok := want[string(pk)]; !ok || u.Power != w {
			t.Fatalf("update %X power %d, want %d", pk, u.Power, w)
		}
		if i > 0 && bytes.Compare(got[i-1].PubKey.GetEd25519(), pk) >= 0 {
			t.Fatal("updates not in key order")
		}
		if w := abci.Ed25519ValidatorUpdate(pk, u.Power); u.PubKey.String() != w.PubKey.String() || len(pk) != 32 {
			t.Fatalf("update %v is not an ed25519 update", u)
		}
	}
	if again := k.TakeValidatorUpdates(kv); len(again) != 0 {
		t.Fatalf("queue not emptied: %v", again)
	}
	if n := len(testkit.Dump(store.NewPrefix(store.NewPrefix(kv, keeper.StorePrefix), []byte{0x07}))); n != 0 {
		t.Fatalf("%d queue entries left", n)
	}
}
