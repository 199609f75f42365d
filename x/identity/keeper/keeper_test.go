package keeper_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/identity/keeper"
	"github.com/datarights/datarights/x/identity/types"
)

// The fixture. Genesis: three departments (admin holds the data admin
// role) and one enterprise. Then, at height 1: d1 registers e1 and i1, d2
// registers e2, d1 names agent ag, e1 names agent eag.
var (
	keys   = apptest.Keys(48, "identity keeper test")
	d1     = keys[0]
	d2     = keys[1]
	admin  = keys[2]
	genEnt = keys[3]
	e1     = keys[4]
	e2     = keys[5]
	i1     = keys[6]
	ag     = keys[7]
	eag    = keys[8]
	fresh  = keys[9:]
)

const (
	department  = types.PartyKind_PARTY_KIND_DEPARTMENT
	enterprise  = types.PartyKind_PARTY_KIND_ENTERPRISE
	institution = types.PartyKind_PARTY_KIND_INSTITUTION
	individual  = types.PartyKind_PARTY_KIND_INDIVIDUAL

	setupHeight = 1
	testHeight  = 5
)

func addr(k *ecdsa.PrivateKey) string { return apptest.Addr(k) }

// Org codes: seed 1-4 for genesis parties, 10+ for the others.
var (
	e1Code = apptest.OrgCode(10)
	e2Code = apptest.OrgCode(11)
)

type step struct {
	signer *ecdsa.PrivateKey
	msg    proto.Message
}

func setupSteps() []step {
	return []step{
		{d1, &types.MsgRegisterParty{Address: addr(e1), Name: "enterprise one", Kind: enterprise, OrgCode: e1Code}},
		{d1, &types.MsgRegisterParty{Address: addr(i1), Name: "individual one", Kind: individual}},
		{d2, &types.MsgRegisterParty{Address: addr(e2), Name: "enterprise two", Kind: enterprise, OrgCode: e2Code}},
		{d1, &types.MsgAddAgent{Agent: addr(ag)}},
		{e1, &types.MsgAddAgent{Agent: addr(eag)}},
	}
}

// base returns a tree at version 1 holding the fixture.
func base(t *testing.T) *store.Tree {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	gs := &types.GenesisState{Parties: []*types.Party{
		apptest.Department(d1, 1, 10),
		apptest.Department(d2, 2, 10),
		apptest.Department(admin, 3, 10, types.Role_ROLE_DATA_ADMIN),
		apptest.Party(genEnt, enterprise, 4, types.Role_ROLE_AUDITOR),
	}}
	if err := keeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	k := keeper.New()
	k.InitGenesis(tree, gs)
	for i, s := range setupSteps() {
		if _, _, err := run(tree, s.signer, setupHeight, s.msg); err != nil {
			t.Fatalf("setup step %d: %v", i, err)
		}
	}
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	return tree
}

// run executes one message signed by signer at height, as the app's tx
// runner would (without the branch: the handler writes to kv directly).
func run(kv store.KV, signer *ecdsa.PrivateKey, height int64, m proto.Message) (string, []abci.Event, error) {
	k := keeper.New()
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: apptest.BlockTime(height), ChainID: apptest.ChainID})
	t := env.Tx{Hash: make([]byte, 32), Signer: addr(signer), Actor: addr(signer)}
	if p, err := k.Resolve(kv, addr(signer)); err == nil {
		t.Actor = p.Address
	}
	ev := &env.Events{}
	ctx = env.WithTx(ctx, t, ev)
	var id string
	var err error
	switch m := m.(type) {
	case *types.MsgRegisterParty:
		id, err = k.RegisterParty(ctx, kv, m)
	case *types.MsgUpdateParty:
		id, err = k.UpdateParty(ctx, kv, m)
	case *types.MsgSuspendParty:
		id, err = k.SuspendParty(ctx, kv, m)
	case *types.MsgReactivateParty:
		id, err = k.ReactivateParty(ctx, kv, m)
	case *types.MsgAddAgent:
		id, err = k.AddAgent(ctx, kv, m)
	case *types.MsgRemoveAgent:
		id, err = k.RemoveAgent(ctx, kv, m)
	default:
		panic("unknown message type")
	}
	return id, ev.List(), err
}

func party(t *testing.T, kv store.KV, k *ecdsa.PrivateKey) *types.Party {
	t.Helper()
	p, err := keeper.New().Party(kv, addr(k))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkIndexes verifies the documented key layout (keys.go): every index
// entry matches a party, and every party has exactly its index entries.
func checkIndexes(t *testing.T, root store.KV) {
	t.Helper()
	kv := store.NewPrefix(root, keeper.StorePrefix)
	parties := map[string]*types.Party{}
	agents, codes, roles := 0, 0, 0
	for _, e := range testkit.Dump(store.NewPrefix(kv, []byte{0x01})) {
		var p types.Party
		if err := proto.Unmarshal(e.Value, &p); err != nil {
			t.Fatal(err)
		}
		if got := address.FromBytes(e.Key); got != p.Address {
			t.Fatalf("party %s stored under %s", p.Address, got)
		}
		if !slices.IsSorted(p.Agents) || !slices.IsSorted(p.Roles) {
			t.Fatalf("party %s: agents %v or roles %v not sorted", p.Address, p.Agents, p.Roles)
		}
		parties[p.Address] = &p
		agents += len(p.Agents)
		roles += len(p.Roles)
		if p.OrgCode != "" {
			codes++
		}
	}
	owner := func(what string, a []byte) *types.Party {
		p := parties[address.FromBytes(a)]
		if p == nil {
			t.Fatalf("%s index points at %X, not a party", what, a)
		}
		return p
	}
	n := testkit.Dump(store.NewPrefix(kv, []byte{0x02}))
	for _, e := range n {
		if p := owner("agent", e.Value); !slices.Contains(p.Agents, address.FromBytes(e.Key)) {
			t.Fatalf("agent %X indexed for %s, which does not list it", e.Key, p.Address)
		}
	}
	if len(n) != agents {
		t.Fatalf("%d agent index entries, %d agents", len(n), agents)
	}
	n = testkit.Dump(store.NewPrefix(kv, []byte{0x03}))
	for _, e := range n {
		if p := owner("org code", e.Value); p.OrgCode != string(e.Key) {
			t.Fatalf("org code %s indexed for %s, which has %s", e.Key, p.Address, p.OrgCode)
		}
	}
	if len(n) != codes {
		t.Fatalf("%d org code index entries, %d codes", len(n), codes)
	}
	n = testkit.Dump(store.NewPrefix(kv, []byte{0x04}))
	for _, e := range n {
		if p := owner("kind", e.Key[1:]); int32(p.Kind) != int32(e.Key[0]) {
			t.Fatalf("%s indexed as kind %d, is %v", p.Address, e.Key[0], p.Kind)
		}
	}
	if len(n) != len(parties) {
		t.Fatalf("%d kind index entries, %d parties", len(n), len(parties))
	}
	n = testkit.Dump(store.NewPrefix(kv, []byte{0x05}))
	for _, e := range n {
		if p := owner("role", e.Key[1:]); !p.HasRole(types.Role(e.Key[0])) {
			t.Fatalf("%s indexed with role %d, has %v", p.Address, e.Key[0], p.Roles)
		}
	}
	if len(n) != roles {
		t.Fatalf("%d role index entries, %d roles", len(n), roles)
	}
	nodes := 0
	for _, p := range parties {
		nodes += len(p.NodeIds)
		if !slices.IsSorted(p.NodeIds) {
			t.Fatalf("party %s: node ids %v not sorted", p.Address, p.NodeIds)
		}
	}
	n = testkit.Dump(store.NewPrefix(kv, []byte{0x08}))
	for _, e := range n {
		if p := owner("node id", e.Value); !slices.Contains(p.NodeIds, hex.EncodeToString(e.Key)) {
			t.Fatalf("node %X indexed for %s, which lists %v", e.Key, p.Address, p.NodeIds)
		}
	}
	if len(n) != nodes {
		t.Fatalf("%d node id index entries, %d node ids", len(n), nodes)
	}
}

type msgCase struct {
	name   string
	setup  []step // run first, each must succeed
	signer *ecdsa.PrivateKey
	msg    proto.Message
	want   *errs.Error // nil: success
	event  string      // on success: the one event the handler emits
	check  func(t *testing.T, kv store.KV, id string)
}

// runCases runs each case on a branch of the fixture. A rejected message
// must leave every key as it was; an accepted one must emit its event and
// pass its check. The indexes must be consistent either way.
func runCases(t *testing.T, cases []msgCase) {
	t.Helper()
	tree := base(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := store.NewBranch(tree)
			for i, s := range tc.setup {
				if _, _, err := run(kv, s.signer, testHeight-1, s.msg); err != nil {
					t.Fatalf("setup step %d: %v", i, err)
				}
			}
			before := testkit.Dump(kv)
			id, events, err := run(kv, tc.signer, testHeight, tc.msg)
			checkIndexes(t, kv)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if after := testkit.Dump(kv); !slices.EqualFunc(before, after, func(a, b testkit.Pair) bool {
					return bytes.Equal(a.Key, b.Key) && bytes.Equal(a.Value, b.Value)
				}) {
					t.Fatalf("rejected message changed the store: %d keys before, %d after", len(before), len(after))
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(events) != 1 || events[0].Type != tc.event {
				t.Fatalf("events %v, want one %s", events, tc.event)
			}
			if tc.check != nil {
				tc.check(t, kv, id)
			}
		})
	}
}

func TestRegisterParty(t *testing.T) {
	reg := func(k *ecdsa.PrivateKey, kind types.PartyKind, code string) *types.MsgRegisterParty {
		return &types.MsgRegisterParty{Address: addr(k), Name: "new party", Kind: kind, OrgCode: code}
	}
	newCode := apptest.OrgCode(20)
	registered := func(by *ecdsa.PrivateKey, kind types.PartyKind) func(*testing.T, store.KV, string) {
		return func(t *testing.T, kv store.KV, id string) {
			p := party(t, kv, fresh[0])
			if id != addr(fresh[0]) || p.Address != id || p.Kind != kind || p.RegisteredBy != addr(by) ||
				p.RegisteredHeight != testHeight || p.StatusHeight != testHeight || !p.IsActive() || p.Name != "new party" {
				t.Fatalf("id %s, party %v", id, p)
			}
		}
	}
	lowerAddr := strings.ToLower(addr(fresh[0]))
	cases := []msgCase{
		{name: "enterprise", signer: d1, msg: reg(fresh[0], enterprise, newCode), event: types.EventPartyRegistered,
			check: registered(d1, enterprise)},
		{name: "institution by the data admin", signer: admin, msg: reg(fresh[0], institution, newCode), event: types.EventPartyRegistered,
			check: registered(admin, institution)},
		{name: "individual", signer: d2, msg: reg(fresh[0], individual, ""), event: types.EventPartyRegistered,
			check: registered(d2, individual)},
		{name: "by an agent of a department", signer: ag, msg: reg(fresh[0], enterprise, newCode), event: types.EventPartyRegistered,
			check: registered(d1, enterprise)},
		{name: "lower-case address stored canonically", signer: d1,
			msg: &types.MsgRegisterParty{Address: lowerAddr, Name: "new party", Kind: individual}, event: types.EventPartyRegistered,
			check: registered(d1, individual)},
		{name: "address freed by a removed agent", setup: []step{{d1, &types.MsgRemoveAgent{Agent: addr(ag)}}},
			signer: d1, msg: &types.MsgRegisterParty{Address: addr(ag), Name: "former agent", Kind: individual}, event: types.EventPartyRegistered},

		{name: "registrant not a department", signer: e1, msg: reg(fresh[0], enterprise, newCode), want: types.ErrNotDepartment},
		{name: "registrant an agent of an enterprise", signer: eag, msg: reg(fresh[0], individual, ""), want: types.ErrNotDepartment},
		{name: "registrant unknown", signer: fresh[1], msg: reg(fresh[0], individual, ""), want: types.ErrUnknownSigner},
		{name: "registrant suspended", setup: []step{{admin, &types.MsgSuspendParty{Address: addr(genEnt), Reason: "r"}}},
			signer: genEnt, msg: reg(fresh[0], individual, ""), want: types.ErrPartySuspended},
		{name: "department kind", signer: d1, msg: reg(fresh[0], department, newCode), want: types.ErrInvalidKind},
		{name: "unspecified kind", signer: d1, msg: reg(fresh[0], types.PartyKind_PARTY_KIND_UNSPECIFIED, ""), want: types.ErrInvalidKind},
		{name: "undefined kind", signer: d1, msg: reg(fresh[0], 42, ""), want: types.ErrInvalidKind},
		{name: "duplicate address", signer: d1, msg: reg(e2, enterprise, newCode), want: types.ErrPartyExists},
		{name: "address of a department", signer: d1, msg: reg(d2, individual, ""), want: types.ErrPartyExists},
		{name: "address of an agent", signer: d2, msg: reg(eag, individual, ""), want: types.ErrPartyExists},
		{name: "duplicate org code", signer: d1, msg: reg(fresh[0], enterprise, e2Code), want: types.ErrOrgCodeTaken},
		{name: "org code of a department", signer: d1, msg: reg(fresh[0], institution, apptest.OrgCode(2)), want: types.ErrOrgCodeTaken},
		{name: "bad org code", signer: d1, msg: reg(fresh[0], enterprise, newCode[:17]+"Y"), want: types.ErrInvalidOrgCode},
		{name: "missing org code", signer: d1, msg: reg(fresh[0], enterprise, ""), want: types.ErrInvalidOrgCode},
		{name: "individual with org code", signer: d1, msg: reg(fresh[0], individual, newCode), want: types.ErrInvalidOrgCode},
		{name: "bad address", signer: d1, msg: &types.MsgRegisterParty{Address: "0x1234", Name: "x", Kind: individual}, want: types.ErrInvalidAddress},
		{name: "zero address", signer: d1, msg: &types.MsgRegisterParty{Address: "0x" + strings.Repeat("0", 40), Name: "x", Kind: individual}, want: types.ErrInvalidAddress},
		{name: "empty name", signer: d1, msg: &types.MsgRegisterParty{Address: addr(fresh[0]), Name: "  ", Kind: individual}, want: types.ErrInvalidName},
		{name: "name too long", signer: d1, msg: &types.MsgRegisterParty{Address: addr(fresh[0]), Name: strings.Repeat("名", 50), Kind: individual}, want: types.ErrInvalidName},
		{name: "name with a newline", signer: d1, msg: &types.MsgRegisterParty{Address: addr(fresh[0]), Name: "a\nb", Kind: individual}, want: types.ErrInvalidName},
	}
	if newCode[17] == 'Y' {
		t.Fatal("fixture: pick another seed for newCode")
	}
	runCases(t, cases)
}

func TestUpdateParty(t *testing.T) {
	upd := func(k *ecdsa.PrivateKey, name, code string) *types.MsgUpdateParty {
		return &types.MsgUpdateParty{Address: addr(k), Name: name, OrgCode: code}
	}
	newCode := apptest.OrgCode(21)
	updated := func(k *ecdsa.PrivateKey, name, code string) func(*testing.T, store.KV, string) {
		return func(t *testing.T, kv store.KV, id string) {
			p := party(t, kv, k)
			if id != addr(k) || p.Name != name || p.OrgCode != code {
				t.Fatalf("id %s, party %v; want name %q code %q", id, p, name, code)
			}
		}
	}
	cases := []msgCase{
		{name: "by itself, new org code", signer: e1, msg: upd(e1, "renamed", newCode), event: types.EventPartyUpdated,
			check: func(t *testing.T, kv store.KV, id string) {
				updated(e1, "renamed", newCode)(t, kv, id)
				// The old code is free again.
				if _, _, err := run(kv, d2, testHeight, &types.MsgRegisterParty{Address: addr(fresh[0]), Name: "n", Kind: enterprise, OrgCode: e1Code}); err != nil {
					t.Fatalf("old org code still taken: %v", err)
				}
			}},
		{name: "by itself, same org code", signer: e1, msg: upd(e1, "renamed", e1Code), event: types.EventPartyUpdated,
			check: updated(e1, "renamed", e1Code)},
		{name: "by its agent", signer: eag, msg: upd(e1, "renamed", e1Code), event: types.EventPartyUpdated,
			check: updated(e1, "renamed", e1Code)},
		{name: "by the registering department", signer: d1, msg: upd(e1, "renamed", e1Code), event: types.EventPartyUpdated,
			check: updated(e1, "renamed", e1Code)},
		{name: "by the registering department's agent", signer: ag, msg: upd(i1, "renamed", ""), event: types.EventPartyUpdated,
			check: updated(i1, "renamed", "")},
		{name: "a department itself", signer: d2, msg: upd(d2, "bureau", apptest.OrgCode(2)), event: types.EventPartyUpdated,
			check: updated(d2, "bureau", apptest.OrgCode(2))},
		{name: "suspended party by its department", setup: []step{{d1, &types.MsgSuspendParty{Address: addr(e1), Reason: "r"}}},
			signer: d1, msg: upd(e1, "renamed", e1Code), event: types.EventPartyUpdated,
			check: func(t *testing.T, kv store.KV, id string) {
				if p := party(t, kv, e1); p.IsActive() || p.Name != "renamed" {
					t.Fatalf("party %v", p)
				}
			}},

		{name: "unauthorised updater: another department", signer: d2, msg: upd(e1, "renamed", e1Code), want: types.ErrUnauthorized},
		{name: "unauthorised updater: the data admin", signer: admin, msg: upd(e1, "renamed", e1Code), want: types.ErrUnauthorized},
		{name: "unauthorised updater: another enterprise", signer: e2, msg: upd(e1, "renamed", e1Code), want: types.ErrUnauthorized},
		{name: "genesis party by a department", signer: d1, msg: upd(genEnt, "renamed", apptest.OrgCode(4)), want: types.ErrUnauthorized},
		{name: "suspended party itself", setup: []step{{d1, &types.MsgSuspendParty{Address: addr(e1), Reason: "r"}}},
			signer: e1, msg: upd(e1, "renamed", e1Code), want: types.ErrPartySuspended},
		{name: "not found", signer: d1, msg: upd(fresh[0], "renamed", ""), want: types.ErrPartyNotFound},
		{name: "org code of another party", signer: e1, msg: upd(e1, "renamed", e2Code), want: types.ErrOrgCodeTaken},
		{name: "bad org code", signer: e1, msg: upd(e1, "renamed", e1Code[:16]+"00"), want: types.ErrInvalidOrgCode},
		{name: "enterprise drops its org code", signer: e1, msg: upd(e1, "renamed", ""), want: types.ErrInvalidOrgCode},
		{name: "individual with org code", signer: i1, msg: upd(i1, "renamed", newCode), want: types.ErrInvalidOrgCode},
		{name: "empty name", signer: e1, msg: upd(e1, "", e1Code), want: types.ErrInvalidName},
		{name: "bad address", signer: e1, msg: &types.MsgUpdateParty{Address: "e1", Name: "x"}, want: types.ErrInvalidAddress},
	}
	if e1Code[16:] == "00" {
		t.Fatal("fixture: pick another seed for e1Code")
	}
	runCases(t, cases)
}

func TestSuspendAndReactivate(t *testing.T) {
	suspend := func(k *ecdsa.PrivateKey) *types.MsgSuspendParty {
		return &types.MsgSuspendParty{Address: addr(k), Reason: "licence revoked"}
	}
	reactivate := func(k *ecdsa.PrivateKey) *types.MsgReactivateParty {
		return &types.MsgReactivateParty{Address: addr(k), Reason: "licence restored"}
	}
	status := func(k *ecdsa.PrivateKey, want types.PartyStatus, reason string) func(*testing.T, store.KV, string) {
		return func(t *testing.T, kv store.KV, id string) {
			p := party(t, kv, k)
			if id != addr(k) || p.Status != want || p.StatusReason != reason || p.StatusHeight != testHeight {
				t.Fatalf("id %s, party %v", id, p)
			}
		}
	}
	suspended := []step{{d1, suspend(e1)}}
	cases := []msgCase{
		{name: "suspend by the registering department", signer: d1, msg: suspend(e1), event: types.EventPartySuspended,
			check: status(e1, types.PartyStatus_PARTY_STATUS_SUSPENDED, "licence revoked")},
		{name: "suspend by its agent", signer: ag, msg: suspend(i1), event: types.EventPartySuspended,
			check: status(i1, types.PartyStatus_PARTY_STATUS_SUSPENDED, "licence revoked")},
		{name: "suspend by the data admin", signer: admin, msg: suspend(e2), event: types.EventPartySuspended,
			check: status(e2, types.PartyStatus_PARTY_STATUS_SUSPENDED, "licence revoked")},
		{name: "suspend a genesis party by the data admin", signer: admin, msg: suspend(genEnt), event: types.EventPartySuspended,
			check: status(genEnt, types.PartyStatus_PARTY_STATUS_SUSPENDED, "licence revoked")},
		{name: "reactivate by the registering department", setup: suspended, signer: d1, msg: reactivate(e1), event: types.EventPartyReactivated,
			check: status(e1, types.PartyStatus_PARTY_STATUS_ACTIVE, "licence restored")},
		{name: "reactivate by the data admin", setup: suspended, signer: admin, msg: reactivate(e1), event: types.EventPartyReactivated,
			check: status(e1, types.PartyStatus_PARTY_STATUS_ACTIVE, "licence restored")},

		{name: "suspend by another department", signer: d2, msg: suspend(e1), want: types.ErrUnauthorized},
		{name: "suspend by the party itself", signer: e1, msg: suspend(e1), want: types.ErrUnauthorized},
		{name: "suspend by an auditor", signer: genEnt, msg: suspend(e1), want: types.ErrUnauthorized},
		{name: "suspend a department", signer: admin, msg: suspend(d1), want: types.ErrDepartmentGoverned},
		{name: "suspend a department by itself", signer: d1, msg: suspend(d1), want: types.ErrDepartmentGoverned},
		{name: "suspend twice", setup: suspended, signer: d1, msg: suspend(e1), want: types.ErrPartySuspended},
		{name: "suspend without reason", signer: d1, msg: &types.MsgSuspendParty{Address: addr(e1)}, want: types.ErrInvalidReason},
		{name: "suspend with an overlong reason", signer: d1, msg: &types.MsgSuspendParty{Address: addr(e1), Reason: strings.Repeat("r", types.MaxReasonBytes+1)}, want: types.ErrInvalidReason},
		{name: "suspend an unknown party", signer: d1, msg: suspend(fresh[0]), want: types.ErrPartyNotFound},
		{name: "suspend an agent's address", signer: d1, msg: suspend(ag), want: types.ErrPartyNotFound},
		{name: "reactivate an active party", signer: d1, msg: reactivate(e1), want: types.ErrPartyActive},
		{name: "reactivate by another department", setup: suspended, signer: d2, msg: reactivate(e1), want: types.ErrUnauthorized},
		{name: "reactivate by itself", setup: suspended, signer: e1, msg: reactivate(e1), want: types.ErrPartySuspended},
		{name: "reactivate a department", signer: admin, msg: reactivate(d2), want: types.ErrDepartmentGoverned},
		{name: "reactivate without reason", setup: suspended, signer: d1, msg: &types.MsgReactivateParty{Address: addr(e1)}, want: types.ErrInvalidReason},
	}
	runCases(t, cases)
}

func TestAgents(t *testing.T) {
	add := func(k *ecdsa.PrivateKey) *types.MsgAddAgent { return &types.MsgAddAgent{Agent: addr(k)} }
	remove := func(k *ecdsa.PrivateKey) *types.MsgRemoveAgent { return &types.MsgRemoveAgent{Agent: addr(k)} }
	agentsOf := func(p *ecdsa.PrivateKey, want ...*ecdsa.PrivateKey) func(*testing.T, store.KV, string) {
		return func(t *testing.T, kv store.KV, _ string) {
			var w []string
			for _, k := range want {
				w = append(w, addr(k))
			}
			slices.Sort(w)
			if got := party(t, kv, p).Agents; !slices.Equal(got, w) {
				t.Fatalf("agents %v, want %v", got, w)
			}
		}
	}
	// Fill d1 up to the limit: it has ag, add MaxAgents-1 more.
	var full []step
	for i := 0; i < types.MaxAgents-1; i++ {
		full = append(full, step{d1, add(fresh[10+i])})
	}
	cases := []msgCase{
		{name: "add", signer: d1, msg: add(fresh[0]), event: types.EventAgentAdded,
			check: func(t *testing.T, kv store.KV, id string) {
				agentsOf(d1, ag, fresh[0])(t, kv, id)
				if p, err := keeper.New().Resolve(kv, addr(fresh[0])); err != nil || p.Address != addr(d1) {
					t.Fatalf("new agent resolves to %v, %v", p, err)
				}
			}},
		{name: "add by an enterprise", signer: e2, msg: add(fresh[0]), event: types.EventAgentAdded, check: agentsOf(e2, fresh[0])},
		{name: "add the last one allowed", setup: full[1:], signer: d1, msg: add(fresh[0]), event: types.EventAgentAdded},
		{name: "remove", signer: d1, msg: remove(ag), event: types.EventAgentRemoved,
			check: func(t *testing.T, kv store.KV, id string) {
				agentsOf(d1)(t, kv, id)
				if _, err := keeper.New().Resolve(kv, addr(ag)); !errors.Is(err, types.ErrUnknownSigner) {
					t.Fatalf("removed agent resolves: %v", err)
				}
			}},
		{name: "remove and add back", setup: []step{{d1, remove(ag)}}, signer: d1, msg: add(ag), event: types.EventAgentAdded, check: agentsOf(d1, ag)},
		{name: "an agent moves to another party", setup: []step{{d1, remove(ag)}}, signer: d2, msg: add(ag), event: types.EventAgentAdded, check: agentsOf(d2, ag)},

		{name: "agent already a party", signer: d1, msg: add(e2), want: types.ErrAgentExists},
		{name: "agent is the party itself", signer: d1, msg: add(d1), want: types.ErrAgentExists},
		{name: "agent of another party", signer: d2, msg: add(ag), want: types.ErrAgentExists},
		{name: "agent already ours", signer: d1, msg: add(ag), want: types.ErrAgentExists},
		{name: "too many agents", setup: full, signer: d1, msg: add(fresh[0]), want: types.ErrTooManyAgents},
		{name: "agent key adds an agent", signer: ag, msg: add(fresh[0]), want: types.ErrAgentCannotManage},
		{name: "agent key removes itself", signer: ag, msg: remove(ag), want: types.ErrAgentCannotManage},
		{name: "agent key of an enterprise removes another", signer: eag, msg: remove(ag), want: types.ErrAgentCannotManage},
		{name: "remove an unknown agent", signer: d1, msg: remove(fresh[0]), want: types.ErrAgentNotFound},
		{name: "remove another party's agent", signer: d2, msg: remove(ag), want: types.ErrAgentNotFound},
		{name: "remove a party", signer: d1, msg: remove(e1), want: types.ErrAgentNotFound},
		{name: "add by an unknown key", signer: fresh[1], msg: add(fresh[0]), want: types.ErrUnknownSigner},
		{name: "add by a suspended party", setup: []step{{d1, &types.MsgSuspendParty{Address: addr(e1), Reason: "r"}}},
			signer: e1, msg: add(fresh[0]), want: types.ErrPartySuspended},
		{name: "bad agent address", signer: d1, msg: &types.MsgAddAgent{Agent: "0xZZ"}, want: types.ErrInvalidAddress},
		{name: "bad agent address to remove", signer: d1, msg: &types.MsgRemoveAgent{Agent: ""}, want: types.ErrInvalidAddress},
	}
	runCases(t, cases)
}

// Resolve decides who acts for a key: the ante step's question.
func TestResolve(t *testing.T) {
	tree := base(t)
	suspendE1 := &types.MsgSuspendParty{Address: addr(e1), Reason: "r"}
	cases := []struct {
		name   string
		setup  []step
		signer *ecdsa.PrivateKey
		want   *ecdsa.PrivateKey // the party acting, or nil with err
		err    *errs.Error
	}{
		{name: "party", signer: e1, want: e1},
		{name: "department's agent", signer: ag, want: d1},
		{name: "enterprise's agent", signer: eag, want: e1},
		{name: "unknown key", signer: fresh[0], err: types.ErrUnknownSigner},
		{name: "suspended party", setup: []step{{d1, suspendE1}}, signer: e1, err: types.ErrPartySuspended},
		{name: "agent of a suspended party", setup: []step{{d1, suspendE1}}, signer: eag, err: types.ErrPartySuspended},
		{name: "agent of a reactivated party", setup: []step{{d1, suspendE1}, {admin, &types.MsgReactivateParty{Address: addr(e1), Reason: "ok"}}},
			signer: eag, want: e1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := store.NewBranch(tree)
			for _, s := range tc.setup {
				if _, _, err := run(kv, s.signer, testHeight, s.msg); err != nil {
					t.Fatal(err)
				}
			}
			p, err := keeper.New().Resolve(kv, addr(tc.signer))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				// Nor can the key act.
				if _, _, err := run(kv, tc.signer, testHeight, &types.MsgUpdateParty{Address: addr(e1), Name: "x", OrgCode: e1Code}); !errors.Is(err, tc.err) {
					t.Fatalf("message signed by it: %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || p.Address != addr(tc.want) {
				t.Fatalf("resolves to %v, %v; want %s", p, err, addr(tc.want))
			}
		})
	}
}

func TestRequireRole(t *testing.T) {
	tree := base(t)
	k := keeper.New()
	ctxFor := func(s *ecdsa.PrivateKey) context.Context {
		return env.WithTx(context.Background(), env.Tx{Signer: addr(s)}, &env.Events{})
	}
	if p, err := k.RequireRole(ctxFor(admin), tree, types.Role_ROLE_DATA_ADMIN); err != nil || p.Address != addr(admin) {
		t.Fatalf("data admin: %v, %v", p, err)
	}
	if _, err := k.RequireRole(ctxFor(d1), tree, types.Role_ROLE_DATA_ADMIN); !errors.Is(err, types.ErrMissingRole) {
		t.Fatalf("department without the role: %v", err)
	}
	if _, err := k.RequireRole(ctxFor(fresh[0]), tree, types.Role_ROLE_AUDITOR); !errors.Is(err, types.ErrUnknownSigner) {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestGenesisRoundTrip(t *testing.T) {
	tree := base(t)
	k := keeper.New()
	gs := k.ExportGenesis(tree)
	if len(gs.Parties) != 7 {
		t.Fatalf("exported %d parties, want 7", len(gs.Parties))
	}
	// Exported state must be importable (agents and all) and give the same
	// store.
	if err := keeper.ValidateGenesis(gs); err != nil {
		t.Fatalf("exported genesis is invalid: %v", err)
	}
	other, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	k.InitGenesis(other, gs)
	// (Compare contents, not root hashes: IAVL hashes include the version
	// each node was written at.)
	if !slices.EqualFunc(testkit.Dump(tree), testkit.Dump(other), func(a, b testkit.Pair) bool {
		return bytes.Equal(a.Key, b.Key) && bytes.Equal(a.Value, b.Value)
	}) {
		t.Fatal("export then import changed the identity state")
	}
	vals := k.Validators(tree)
	if len(vals) != 3 || !slices.IsSortedFunc(vals, func(a, b *types.Party) int {
		return bytes.Compare(address.Bytes(a.Address), address.Bytes(b.Address))
	}) {
		t.Fatalf("validators %v: want the 3 departments in address order", vals)
	}
}
