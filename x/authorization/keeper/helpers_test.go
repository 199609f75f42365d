package keeper_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/keeper"
	"github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// ---------------------------------------------------------------------------
// Fakes of the modules x/authorization depends on.

// fakeIdentity is x/identity reduced to a map of parties; the actor is the
// party named by the tx in ctx.
type fakeIdentity struct{ parties map[string]*idtypes.Party }

var errNoParty = errors.New("fake identity: no such party")

func (f *fakeIdentity) Party(_ store.KV, a string) (*idtypes.Party, error) {
	p, ok := f.parties[a]
	if !ok {
		return nil, fmt.Errorf("%w: %s", errNoParty, a)
	}
	return proto.Clone(p).(*idtypes.Party), nil
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

// call is one call the fake rights keeper received.
type call struct {
	op       string // mint, suspend, resume, end
	asset    string // mint
	operator string // mint
	scope    *rightstypes.Scope
	until    time.Time
	authz    string
	ids      []string // suspend, resume, end
	reason   string
}

// fakeRights records what x/authorization asks of x/rights. The holder of
// an asset is its registrant unless holders says otherwise; minted rights
// are numbered r-101, r-102, ...; fail makes a call refuse.
type fakeRights struct {
	reg     *fakeRegistry
	holders map[string]string
	calls   []call
	minted  int
	fail    map[string]error // by op, or "mint:<asset>"
}

var errRights = errors.New("fake rights: refused")

func (f *fakeRights) HolderOf(_ store.KV, a *regtypes.Asset) (string, error) {
	if h, ok := f.holders[a.Id]; ok {
		return h, nil
	}
	return a.Registrant, nil
}

func (f *fakeRights) MintUnder(_ context.Context, _ store.KV, a *regtypes.Asset, operator string, s *rightstypes.Scope, until time.Time, authz string) (string, error) {
	if err := f.fail["mint:"+a.Id]; err != nil {
		return "", err
	}
	f.minted++
	f.calls = append(f.calls, call{op: "mint", asset: a.Id, operator: operator, scope: s, until: until, authz: authz})
	return "r-" + strconv.Itoa(100+f.minted), nil
}

func (f *fakeRights) under(op string, ids []string, reason string) error {
	if err := f.fail[op]; err != nil {
		return err
	}
	f.calls = append(f.calls, call{op: op, ids: slices.Clone(ids), reason: reason})
	return nil
}

func (f *fakeRights) SuspendUnder(_ context.Context, _ store.KV, ids []string, reason string) error {
	return f.under("suspend", ids, reason)
}

func (f *fakeRights) ResumeUnder(_ context.Context, _ store.KV, ids []string, reason string) error {
	return f.under("resume", ids, reason)
}

func (f *fakeRights) EndUnder(_ context.Context, _ store.KV, ids []string, reason string) error {
	return f.under("end", ids, reason)
}

// ops lists the calls' operations, in order.
func (f *fakeRights) ops() []string {
	var out []string
	for _, c := range f.calls {
		out = append(out, c.op)
	}
	return out
}

// ---------------------------------------------------------------------------
// Parties and assets of the fixture.

func addrN(i byte) string {
	var b [20]byte
	b[0], b[19] = 0xa0, i
	return address.FromBytes(b[:])
}

var (
	dept1   = addrN(1) // holds the public datasets: the authoriser
	dept2   = addrN(2) // another department; holds a-10
	admin   = addrN(3) // a department with the data admin role
	auditor = addrN(4) // an institution with the auditor role
	op1     = addrN(5) // an enterprise with the operator role
	op2     = addrN(6) // another operator
	ent     = addrN(7) // an enterprise without roles
	susp    = addrN(8) // a suspended operator
	nobody  = addrN(9) // not a party
)

func parties() map[string]*idtypes.Party {
	mk := func(a string, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
		return &idtypes.Party{Address: a, Name: "party " + a[:6], Kind: kind, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	d, e := idtypes.PartyKind_PARTY_KIND_DEPARTMENT, idtypes.PartyKind_PARTY_KIND_ENTERPRISE
	ps := map[string]*idtypes.Party{
		dept1: mk(dept1, d), dept2: mk(dept2, d), admin: mk(admin, d, idtypes.Role_ROLE_DATA_ADMIN),
		auditor: mk(auditor, idtypes.PartyKind_PARTY_KIND_INSTITUTION, idtypes.Role_ROLE_AUDITOR),
		op1:     mk(op1, e, idtypes.Role_ROLE_OPERATOR), op2: mk(op2, e, idtypes.Role_ROLE_OPERATOR),
		ent: mk(ent, e), susp: mk(susp, e, idtypes.Role_ROLE_OPERATOR),
	}
	ps[susp].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED
	return ps
}

// Assets of every classification, grade and status the rules tell apart.
const (
	aPublic    = "a-1"  // public, general, conditionally open; dept1
	aPublic2   = "a-2"  // public, general, not open; dept1
	aCore      = "a-3"  // public, core; dept1 (catalogued)
	aImportant = "a-4"  // public, important; dept1
	aEnt       = "a-5"  // enterprise, general; ent
	aPersonal  = "a-6"  // personal, general; dept2
	aFrozen    = "a-7"  // public, general, frozen; dept1
	aDisputed  = "a-8"  // public, general, disputed; dept1
	aCancelled = "a-9"  // public, general, cancelled; dept1
	aOther     = "a-10" // public, general; held by dept2
)

func assets() map[string]*regtypes.Asset {
	pub := regtypes.Classification_CLASSIFICATION_PUBLIC
	ds := func(id string, c regtypes.Classification, g regtypes.Grade, holder string) *regtypes.Asset {
		return &regtypes.Asset{Id: id, Kind: regtypes.AssetKind_ASSET_KIND_DATASET, Classification: c, Grade: g,
			SourceDepartment: holder, Registrant: holder, Status: regtypes.AssetStatus_ASSET_STATUS_CERTIFIED,
			OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_NOT_OPEN}
	}
	gen := regtypes.Grade_GRADE_GENERAL
	out := map[string]*regtypes.Asset{
		aPublic: ds(aPublic, pub, gen, dept1), aPublic2: ds(aPublic2, pub, gen, dept1),
		aCore: ds(aCore, pub, regtypes.Grade_GRADE_CORE, dept1), aImportant: ds(aImportant, pub, regtypes.Grade_GRADE_IMPORTANT, dept1),
		aEnt: ds(aEnt, regtypes.Classification_CLASSIFICATION_ENTERPRISE, gen, ent), aPersonal: ds(aPersonal, regtypes.Classification_CLASSIFICATION_PERSONAL, gen, dept2),
		aFrozen: ds(aFrozen, pub, gen, dept1), aDisputed: ds(aDisputed, pub, gen, dept1), aCancelled: ds(aCancelled, pub, gen, dept1),
		aOther: ds(aOther, pub, gen, dept2),
	}
	out[aPublic].OpenLevel = regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL
	out[aCore].Status = regtypes.AssetStatus_ASSET_STATUS_CATALOGUED
	out[aEnt].OpenLevel, out[aPersonal].OpenLevel = 0, 0
	out[aFrozen].Frozen, out[aFrozen].FrozenReason = true, "under investigation"
	out[aDisputed].Status = regtypes.AssetStatus_ASSET_STATUS_DISPUTED
	out[aCancelled].Status = regtypes.AssetStatus_ASSET_STATUS_CANCELLED
	return out
}

// ---------------------------------------------------------------------------
// The fixture.

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

type fixture struct {
	t      testing.TB
	tree   *store.Tree
	ids    *fakeIdentity
	reg    *fakeRegistry
	rights *fakeRights
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
	reg := &fakeRegistry{assets()}
	f := &fixture{t: t, tree: tree, ids: &fakeIdentity{parties()}, reg: reg,
		rights: &fakeRights{reg: reg, holders: map[string]string{}, fail: map[string]error{}}, height: 10, now: t0}
	f.k = keeper.New(f.ids, f.reg, f.rights)
	gs := &types.GenesisState{Params: params}
	if err := keeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	if err := f.k.InitGenesis(tree, gs); err != nil {
		t.Fatal(err)
	}
	return f
}

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

// rejects runs m on a branch and requires error want, no write at all (a
// key dump of the branch before and after is the same) and no call to
// x/rights that changes anything.
func (f *fixture) rejects(actor string, m proto.Message, want error) error {
	f.t.Helper()
	b := store.NewBranch(f.tree)
	before := testkit.Dump(b)
	calls := len(f.rights.calls)
	_, _, err := f.k.Handle(f.ctxEv(actor, &env.Events{}), b, m)
	if !errors.Is(err, want) {
		f.t.Fatalf("%T by %s: got error %v, want %v", m, actor[:8], err, want)
	}
	if b.Len() != 0 || !testkit.SameDump(before, testkit.Dump(b)) {
		f.t.Fatalf("%T was rejected (%v) but wrote %d keys", m, err, b.Len())
	}
	for _, c := range f.rights.calls[calls:] {
		if c.op != "mint" {
			f.t.Fatalf("%T was rejected (%v) but called %s on x/rights", m, err, c.op)
		}
	}
	f.rights.calls = f.rights.calls[:calls]
	return err
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
	f.events = ev.List()
	return f.events
}

func (f *fixture) auth(id string) *types.Authorization {
	f.t.Helper()
	a, err := f.k.Authorization(f.tree, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) status(id string) types.AuthorizationStatus { return f.auth(id).Status }

// ---------------------------------------------------------------------------
// Message builders.

const (
	hashT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	hashR = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
	hashX = "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13"
	year  = int64(365 * 24 * 60 * 60)
)

var qcd = []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_COMPUTE, rightstypes.Operation_OPERATION_DERIVE}

// apply is op1's application to dept1 for the assets, a year, query,
// compute and derive for transport planning, 30% to the operator and 10%
// to public services.
func apply(assetIDs ...string) *types.MsgApplyAuthorization {
	return &types.MsgApplyAuthorization{
		Authoriser: dept1, AssetIds: assetIDs,
		Scope:     &rightstypes.Scope{Purposes: []string{"transport planning"}, Operations: qcd},
		TermsHash: hashT, Standards: []string{"GB/T-35273", "DB51/T-2873"}, TermSeconds: year,
		Revenue: &types.RevenueTerms{OperatorShareBps: 3000, PublicServiceShareBps: 1000},
	}
}

func with[M proto.Message](m M, edit func(M)) M { edit(m); return m }

// active applies for and approves a-1 and a-2 and returns the id.
func (f *fixture) active() string {
	f.t.Helper()
	id := f.must(op1, apply(aPublic, aPublic2))
	f.must(dept1, &types.MsgApproveAuthorization{Id: id})
	return id
}

// eventTypes lists the changes the events record: one change emits one
// event per covered asset, so a run of the same type counts once.
func eventTypes(evs []abci.Event) []string {
	var out []string
	for _, e := range evs {
		if len(out) == 0 || out[len(out)-1] != e.Type {
			out = append(out, e.Type)
		}
	}
	return out
}
