package keeper_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/rights/keeper"
	"github.com/datarights/datarights/x/rights/types"
)

// ---------------------------------------------------------------------------
// Fakes of the modules x/rights depends on.

// fakeIdentity is x/identity reduced to a map of parties; the actor is the
// party named by the tx in ctx.
type fakeIdentity struct{ parties map[string]*idtypes.Party }

var errNoParty = errors.New("fake identity: no such party")

func (f *fakeIdentity) Party(_ store.KV, a string) (*idtypes.Party, error) {
	p, ok := f.parties[a]
	if !ok {
		return nil, fmt.Errorf("%w: %s", errNoParty, a)
	}
	return p, nil
}

func (f *fakeIdentity) Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error) {
	p, err := f.Party(kv, env.TxOf(ctx).Actor)
	if err != nil {
		return nil, err
	}
	if !p.IsActive() {
		return nil, idtypes.ErrPartySuspended.Wrapf("%s", p.Address)
	}
	return p, nil
}

// fakeRegistry is x/registry reduced to a map of assets the tests build
// and change (freeze, reclassify) directly.
type fakeRegistry struct{ assets map[string]*regtypes.Asset }

var errNoAsset = errors.New("fake registry: no such asset")

func (f *fakeRegistry) Asset(_ store.KV, id string) (*regtypes.Asset, error) {
	a, ok := f.assets[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", errNoAsset, id)
	}
	return proto.Clone(a).(*regtypes.Asset), nil
}

// ---------------------------------------------------------------------------
// Parties and assets of the fixture.

func addrN(i byte) string {
	var b [20]byte
	b[0], b[19] = 0xd0, i
	return address.FromBytes(b[:])
}

var (
	dept1  = addrN(1) // source of the public and core datasets
	dept2  = addrN(2) // source of the personal datasets
	admin  = addrN(3) // a department with the data admin role
	ent1   = addrN(4) // registrant of enterprise data and a product
	ent2   = addrN(5)
	ent3   = addrN(6)
	ent4   = addrN(7)
	susp   = addrN(8) // a suspended enterprise
	nobody = addrN(9) // not a party
)

const (
	department = idtypes.PartyKind_PARTY_KIND_DEPARTMENT
	enterprise = idtypes.PartyKind_PARTY_KIND_ENTERPRISE
)

func parties() map[string]*idtypes.Party {
	mk := func(a string, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
		return &idtypes.Party{Address: a, Name: "party " + a[:6], Kind: kind, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	ps := map[string]*idtypes.Party{
		dept1: mk(dept1, department), dept2: mk(dept2, department), admin: mk(admin, department, idtypes.Role_ROLE_DATA_ADMIN),
		ent1: mk(ent1, enterprise), ent2: mk(ent2, enterprise), ent3: mk(ent3, enterprise), ent4: mk(ent4, enterprise),
		susp: mk(susp, enterprise),
	}
	ps[susp].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED
	return ps
}

// Assets, minted in this order at height 1, so asset a-i has root right r-i.
const (
	aPublic    = "a-1" // public, conditionally open, general; dept1
	aEnt       = "a-2" // enterprise, general; ent1
	aCore      = "a-3" // public, core; dept1 (catalogued)
	aImportant = "a-4" // public, important; dept1
	aPersonal  = "a-5" // personal, general, not de-identified; dept2
	aDeid      = "a-6" // personal, general, de-identified; dept2
	aOpen      = "a-7" // public, unconditionally open, general; dept1
	aProduct   = "a-8" // data product, enterprise, general; ent1
)

func assets() []*regtypes.Asset {
	ds := func(id string, c regtypes.Classification, g regtypes.Grade, owner string) *regtypes.Asset {
		return &regtypes.Asset{Id: id, Kind: regtypes.AssetKind_ASSET_KIND_DATASET, Classification: c, Grade: g,
			SourceDepartment: owner, Registrant: owner, Status: regtypes.AssetStatus_ASSET_STATUS_CERTIFIED,
			OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_NOT_OPEN}
	}
	pub, ent, pers := regtypes.Classification_CLASSIFICATION_PUBLIC, regtypes.Classification_CLASSIFICATION_ENTERPRISE, regtypes.Classification_CLASSIFICATION_PERSONAL
	gen, imp, core := regtypes.Grade_GRADE_GENERAL, regtypes.Grade_GRADE_IMPORTANT, regtypes.Grade_GRADE_CORE
	out := []*regtypes.Asset{
		ds(aPublic, pub, gen, dept1), ds(aEnt, ent, gen, ent1), ds(aCore, pub, core, dept1), ds(aImportant, pub, imp, dept1),
		ds(aPersonal, pers, gen, dept2), ds(aDeid, pers, gen, dept2), ds(aOpen, pub, gen, dept1), ds(aProduct, ent, gen, ent1),
	}
	out[0].OpenLevel = regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL
	out[2].Status = regtypes.AssetStatus_ASSET_STATUS_CATALOGUED
	out[5].Deidentified = true
	out[6].OpenLevel = regtypes.OpenLevel_OPEN_LEVEL_UNCONDITIONAL
	out[7].Kind = regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT
	return out
}

// root returns the id of an asset's root right ("a-4" → "r-4").
func root(asset string) string { return "r-" + asset[2:] }

// ---------------------------------------------------------------------------
// The fixture: a tree with every asset's root right minted at height 1.

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type fixture struct {
	t      testing.TB
	tree   *store.Tree
	ids    *fakeIdentity
	reg    *fakeRegistry
	k      keeper.Keeper
	height int64
	now    time.Time
	txn    int
	events []abci.Event // of the last message or EndBlock
}

func newFixture(t testing.TB, params *types.Params) *fixture {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	f := &fixture{t: t, tree: tree, ids: &fakeIdentity{parties()}, reg: &fakeRegistry{map[string]*regtypes.Asset{}}, height: 1, now: t0}
	f.k = keeper.New(f.ids, f.reg)
	gs := &types.GenesisState{Params: params}
	if err := keeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	if err := f.k.InitGenesis(tree, gs); err != nil {
		t.Fatal(err)
	}
	for _, a := range assets() {
		f.reg.assets[a.Id] = a
		id, err := f.k.MintRoot(f.ctx(a.Registrant), tree, a)
		if err != nil || id != root(a.Id) {
			t.Fatalf("mint root of %s: %s, %v", a.Id, id, err)
		}
	}
	f.next(time.Hour)
	return f
}

// ctx is the context of a message signed by actor in the current block.
func (f *fixture) ctx(actor string) context.Context { return f.ctxEv(actor, &env.Events{}) }

func (f *fixture) ctxEv(actor string, ev *env.Events) context.Context {
	ctx := env.WithBlock(context.Background(), env.Block{Height: f.height, Time: f.now, ChainID: "test"})
	f.txn++
	hash := bytes.Repeat([]byte{byte(f.txn), byte(f.txn >> 8)}, 16)
	return env.WithTx(ctx, env.Tx{Signer: actor, Actor: actor, Hash: hash}, ev)
}

// next starts the next block, d later.
func (f *fixture) next(d time.Duration) { f.height++; f.now = f.now.Add(d) }

// exec runs one message on a branch of the tree, as the app's tx runner
// does, writing the branch only on success.
func (f *fixture) exec(actor string, m proto.Message) (string, error) {
	f.t.Helper()
	ev := &env.Events{}
	b := store.NewBranch(f.tree)
	id, handled, err := f.k.Handle(f.ctxEv(actor, ev), b, m)
	if !handled {
		f.t.Fatalf("%T not handled", m)
	}
	f.events = nil
	if err == nil {
		b.Write()
		f.events = ev.List()
	}
	return id, err
}

// must runs a message that has to succeed.
func (f *fixture) must(actor string, m proto.Message) string {
	f.t.Helper()
	id, err := f.exec(actor, m)
	if err != nil {
		f.t.Fatalf("%T by %s: %v", m, actor[:8], err)
	}
	return id
}

// endBlock runs EndBlock on the tree at the current block and returns its
// events.
func (f *fixture) endBlock() []abci.Event {
	f.t.Helper()
	ev := &env.Events{}
	ctx := env.WithTx(env.WithBlock(context.Background(), env.Block{Height: f.height, Time: f.now}), env.Tx{}, ev)
	if err := f.k.EndBlock(ctx, f.tree); err != nil {
		f.t.Fatal(err)
	}
	return ev.List()
}

func (f *fixture) right(id string) *types.Right {
	f.t.Helper()
	r, err := f.k.Right(f.tree, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func (f *fixture) live(id string) error { return f.k.Live(f.ctx(ent1), f.tree, f.right(id)) }

func (f *fixture) status(id string) types.RightStatus { return f.right(id).Status }

// ---------------------------------------------------------------------------
// Message builders.

var (
	qc   = []types.Operation{types.Operation_OPERATION_QUERY, types.Operation_OPERATION_COMPUTE}
	allO = types.AllOperations()
)

func scope(pc bool, ops []types.Operation, purposes ...string) *types.Scope {
	return &types.Scope{Purposes: purposes, Operations: ops, PrivacyComputingOnly: pc}
}

func ts(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

// use is a plain grant of a use right for 30 days from the fixture's time.
func (f *fixture) use(parent, to string, s *types.Scope) *types.MsgGrantRight {
	return &types.MsgGrantRight{ParentId: parent, Grantee: to, Kind: types.RightKind_RIGHT_KIND_USE, Scope: s,
		ValidUntil: ts(f.now.Add(30 * 24 * time.Hour))}
}

const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func usage(right, purpose string, op types.Operation) *types.MsgRecordUsage {
	return &types.MsgRecordUsage{RightId: right, Purpose: purpose, Operation: op, ResultHash: hash}
}

// rejects runs m on a branch and requires error want and no write at all.
func (f *fixture) rejects(actor string, m proto.Message, want error) {
	f.t.Helper()
	b := store.NewBranch(f.tree)
	before := testkit.Dump(b)
	_, _, err := f.k.Handle(f.ctx(actor), b, m)
	if !errors.Is(err, want) {
		f.t.Fatalf("%T: got error %v, want %v", m, err, want)
	}
	if b.Len() != 0 || !testkit.SameDump(before, testkit.Dump(b)) {
		f.t.Fatalf("%T was rejected (%v) but wrote %d keys", m, err, b.Len())
	}
}

func errorsIs(err, want error) bool {
	if want == nil {
		return err == nil
	}
	return errors.Is(err, want)
}
