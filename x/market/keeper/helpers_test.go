package keeper_test

import (
	"bytes"
	"context"
	"encoding/binary"
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
	"github.com/datarights/datarights/x/market/keeper"
	"github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// ---------------------------------------------------------------------------
// Fakes of x/identity, x/registry and x/revenue; x/rights is the real
// keeper, so that what a sale delivers is what a grant or transfer would.

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

type fakeRegistry struct{ assets map[string]*regtypes.Asset }

var errNoAsset = errors.New("fake registry: no such asset")

func (f *fakeRegistry) Asset(_ store.KV, id string) (*regtypes.Asset, error) {
	a, ok := f.assets[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", errNoAsset, id)
	}
	return proto.Clone(a).(*regtypes.Asset), nil
}

// fakeRevenue splits a sale: levyBps to fund, the rest to the asset's
// registrant; or fails (err), or returns lines that do not add up (short).
type fakeRevenue struct {
	levyBps uint64
	err     error
	short   bool
	calls   []string // trade ids, in call order
}

var errSplit = errors.New("fake revenue: split refused")

func (f *fakeRevenue) Split(_ context.Context, _ store.KV, tradeID string, a *regtypes.Asset, _ string, amount uint64) ([]*revtypes.Line, error) {
	f.calls = append(f.calls, tradeID)
	if f.err != nil {
		return nil, f.err
	}
	levy := amount * f.levyBps / 10_000
	lines := []*revtypes.Line{{Beneficiary: fund, AmountFen: levy}, {Beneficiary: a.Registrant, AmountFen: amount - levy}}
	if f.short {
		lines[1].AmountFen--
	}
	return lines, nil
}

// ---------------------------------------------------------------------------
// Parties and assets.

func addrN(i byte) string {
	var b [20]byte
	b[0], b[19] = 0xe0, i
	return address.FromBytes(b[:])
}

var (
	exch   = addrN(1) // the exchange (数据交易中心)
	dept1  = addrN(2) // source of public and core data
	dept2  = addrN(3) // source of personal data
	ent1   = addrN(4) // seller: registrant of enterprise data and a product
	ent2   = addrN(5) // buyer
	ent3   = addrN(6) // another buyer
	fund   = addrN(7) // revenue beneficiary of the fake split
	nobody = addrN(9) // not a party
)

func parties() map[string]*idtypes.Party {
	mk := func(a string, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
		return &idtypes.Party{Address: a, Name: "party " + a[:6], Kind: kind, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	dep, ent := idtypes.PartyKind_PARTY_KIND_DEPARTMENT, idtypes.PartyKind_PARTY_KIND_ENTERPRISE
	return map[string]*idtypes.Party{
		exch: mk(exch, ent, idtypes.Role_ROLE_EXCHANGE), dept1: mk(dept1, dep), dept2: mk(dept2, dep),
		ent1: mk(ent1, ent), ent2: mk(ent2, ent), ent3: mk(ent3, ent), fund: mk(fund, ent),
	}
}

// Assets, minted in this order, so asset a-i has root right r-i.
const (
	aEnt      = "a-1" // enterprise, general, certified; ent1
	aPublic   = "a-2" // public, general; dept1
	aCore     = "a-3" // public, core, catalogued; dept1
	aPersonal = "a-4" // personal, not de-identified; dept2
	aDeid     = "a-5" // personal, de-identified; dept2
	aProduct  = "a-6" // data product, enterprise; ent1
)

func assets() []*regtypes.Asset {
	ds := func(id string, c regtypes.Classification, g regtypes.Grade, owner string) *regtypes.Asset {
		return &regtypes.Asset{Id: id, Kind: regtypes.AssetKind_ASSET_KIND_DATASET, Classification: c, Grade: g,
			SourceDepartment: owner, Registrant: owner, Status: regtypes.AssetStatus_ASSET_STATUS_CERTIFIED}
	}
	pub, ent, pers := regtypes.Classification_CLASSIFICATION_PUBLIC, regtypes.Classification_CLASSIFICATION_ENTERPRISE, regtypes.Classification_CLASSIFICATION_PERSONAL
	gen, core := regtypes.Grade_GRADE_GENERAL, regtypes.Grade_GRADE_CORE
	out := []*regtypes.Asset{ds(aEnt, ent, gen, ent1), ds(aPublic, pub, gen, dept1), ds(aCore, pub, core, dept1),
		ds(aPersonal, pers, gen, dept2), ds(aDeid, pers, gen, dept2), ds(aProduct, ent, gen, ent1)}
	out[2].Status = regtypes.AssetStatus_ASSET_STATUS_CATALOGUED
	out[4].Deidentified = true
	out[5].Kind = regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT
	return out
}

func root(asset string) string { return "r-" + asset[2:] }

// ---------------------------------------------------------------------------
// The fixture.

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Opening balances the fixture deposits.
const (
	fundsBuyer = 1_000_000
	fundsOther = 3_000
)

type fixture struct {
	t      testing.TB
	tree   *store.Tree
	ids    *fakeIdentity
	reg    *fakeRegistry
	rev    *fakeRevenue
	rights rightskeeper.Keeper
	k      keeper.Keeper
	height int64
	now    time.Time
	txn    int
	refs   int
	events []abci.Event // of the last message
}

func newFixture(t testing.TB, params *types.Params) *fixture {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	f := &fixture{t: t, tree: tree, ids: &fakeIdentity{parties()}, reg: &fakeRegistry{map[string]*regtypes.Asset{}},
		rev: &fakeRevenue{levyBps: 1000}, height: 1, now: t0}
	f.rights = rightskeeper.New(f.ids, f.reg)
	f.k = keeper.New(f.ids, f.reg, f.rights, f.rev)
	gs := &types.GenesisState{Params: params}
	if err := keeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	if err := f.k.InitGenesis(tree, gs); err != nil {
		t.Fatal(err)
	}
	for _, a := range assets() {
		f.reg.assets[a.Id] = a
		id, err := f.rights.MintRoot(f.ctx(a.Registrant), tree, a)
		if err != nil || id != root(a.Id) {
			t.Fatalf("mint root of %s: %s, %v", a.Id, id, err)
		}
	}
	f.next(time.Hour)
	f.deposit(ent2, fundsBuyer)
	f.deposit(ent3, fundsOther)
	return f
}

func (f *fixture) ctx(actor string) context.Context { return f.ctxEv(actor, &env.Events{}) }

func (f *fixture) ctxEv(actor string, ev *env.Events) context.Context {
	ctx := env.WithBlock(context.Background(), env.Block{Height: f.height, Time: f.now, ChainID: "test"})
	f.txn++
	hash := bytes.Repeat([]byte{byte(f.txn), byte(f.txn >> 8)}, 16)
	return env.WithTx(ctx, env.Tx{Signer: actor, Actor: actor, Hash: hash}, ev)
}

func (f *fixture) next(d time.Duration) { f.height++; f.now = f.now.Add(d) }

// exec runs one message on a branch of the tree, as the app's tx runner
// does, writing the branch only on success; a success must keep the money
// invariant.
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
		f.checkMoney()
	}
	return id, err
}

func (f *fixture) must(actor string, m proto.Message) string {
	f.t.Helper()
	id, err := f.exec(actor, m)
	if err != nil {
		f.t.Fatalf("%T by %s: %v", m, actor[:8], err)
	}
	return id
}

// rejects runs m on a branch and requires error want and no write at all:
// every check that can fail cheaply runs before the first write.
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

// failsLate runs m on a branch and requires error want; the branch is
// discarded, as the app discards a failed tx's, and the tree must be as
// before.
func (f *fixture) failsLate(actor string, m proto.Message, want error) {
	f.t.Helper()
	before := testkit.Dump(f.tree)
	b := store.NewBranch(f.tree)
	_, _, err := f.k.Handle(f.ctx(actor), b, m)
	if !errors.Is(err, want) {
		f.t.Fatalf("%T: got error %v, want %v", m, err, want)
	}
	if !testkit.SameDump(before, testkit.Dump(f.tree)) {
		f.t.Fatal("a discarded branch changed the tree")
	}
}

func (f *fixture) endBlock() []abci.Event {
	f.t.Helper()
	ev := &env.Events{}
	ctx := env.WithTx(env.WithBlock(context.Background(), env.Block{Height: f.height, Time: f.now}), env.Tx{}, ev)
	if err := f.k.EndBlock(ctx, f.tree); err != nil {
		f.t.Fatal(err)
	}
	f.checkMoney()
	return ev.List()
}

// checkMoney requires the invariant deposits - withdrawals == balances +
// escrow, and the running totals to equal the sums of the balance keys.
func (f *fixture) checkMoney() {
	f.t.Helper()
	s := f.k.Supply(f.tree)
	if !s.Holds {
		f.t.Fatalf("money invariant broken: %v", s)
	}
	sum := func(p byte) uint64 {
		prefix := store.Concat(keeper.StorePrefix, []byte{p}) // 0x0D available, 0x0E locked (keys.go)
		var total uint64
		it := f.tree.Iterator(prefix, store.PrefixEnd(prefix))
		defer it.Close()
		for ; it.Valid(); it.Next() {
			total += binary.BigEndian.Uint64(it.Value())
		}
		return total
	}
	if a, l := sum(0x0D), sum(0x0E); a != s.BalancesFen || l != s.EscrowFen {
		f.t.Fatalf("balances sum to %d available, %d locked; supply says %v", a, l, s)
	}
}

func (f *fixture) balance(a string) *types.Balance { return f.k.Balance(f.tree, a) }

func (f *fixture) available(a string) uint64 { return f.balance(a).AvailableFen }

func (f *fixture) deposit(to string, amt uint64) {
	f.t.Helper()
	f.refs++
	f.must(exch, &types.MsgDeposit{To: to, AmountFen: amt, BankRef: fmt.Sprintf("DEP-%d", f.refs)})
}

func (f *fixture) listing(id string) *types.Listing {
	f.t.Helper()
	l, err := f.k.Listing(f.tree, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

func (f *fixture) right(id string) *rightstypes.Right {
	f.t.Helper()
	r, err := f.rights.Right(f.tree, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// grant runs a rights grant (the seller's own tx) on the tree.
func (f *fixture) grant(holder string, m *rightstypes.MsgGrantRight) string {
	f.t.Helper()
	b := store.NewBranch(f.tree)
	id, _, err := f.rights.Handle(f.ctx(holder), b, m)
	if err != nil {
		f.t.Fatal(err)
	}
	b.Write()
	return id
}

// ---------------------------------------------------------------------------
// Message builders.

var qc = []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY, rightstypes.Operation_OPERATION_COMPUTE}

func scope(ops ...rightstypes.Operation) *rightstypes.Scope {
	return &rightstypes.Scope{Operations: ops, Purposes: []string{"research"}}
}

func ts(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

// licences lists n licences of right at price, a day's listing, 30-day
// licences.
func (f *fixture) licences(right string, price, n uint64) *types.MsgList {
	return &types.MsgList{RightId: right, Kind: types.ListingKind_LISTING_KIND_LICENSE, PriceFen: price, Quantity: n,
		Scope: scope(qc...), LicenseSeconds: 30 * 24 * 3600, Expires: ts(f.now.Add(24 * time.Hour))}
}

func (f *fixture) sale(right string, price uint64) *types.MsgList {
	return &types.MsgList{RightId: right, Kind: types.ListingKind_LISTING_KIND_TRANSFER, PriceFen: price, Quantity: 1,
		Expires: ts(f.now.Add(24 * time.Hour))}
}

func (f *fixture) bid(asset string, price uint64) *types.MsgBid {
	return &types.MsgBid{AssetId: asset, Scope: scope(qc...), LicenseSeconds: 7 * 24 * 3600, PriceFen: price,
		Expires: ts(f.now.Add(24 * time.Hour))}
}

// use grants holder's sublicensable use right from parent to `to`.
func (f *fixture) use(parent, to string, until time.Duration, transferable bool) *rightstypes.MsgGrantRight {
	return &rightstypes.MsgGrantRight{ParentId: parent, Grantee: to, Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope: scope(qc...), Sublicensable: true, Transferable: transferable, ValidUntil: ts(f.now.Add(until))}
}

// msgCase is one message against a fresh fixture: setup, the message, and
// either the error it must be refused with (nothing written) or a check.
type msgCase struct {
	name  string
	actor string
	setup func(f *fixture)
	msg   func(f *fixture) proto.Message
	want  error
	late  bool // refused after writing to its branch (delivery, split)
	check func(t *testing.T, f *fixture, id string)
}

func runCases(t *testing.T, cases []msgCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if c.setup != nil {
				c.setup(f)
			}
			m := c.msg(f)
			switch {
			case c.want != nil && c.late:
				f.failsLate(c.actor, m, c.want)
			case c.want != nil:
				f.rejects(c.actor, m, c.want)
			default:
				id := f.must(c.actor, m)
				if c.check != nil {
					c.check(t, f, id)
				}
			}
		})
	}
}
