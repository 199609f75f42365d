package keeper_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

// Parties of the fixture: three departments (admin is the data admin), an
// assessor, two enterprises, an individual and a suspended enterprise.
var (
	d1       = party(1, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	d2       = party(2, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	admin    = party(3, idtypes.PartyKind_PARTY_KIND_DEPARTMENT, idtypes.Role_ROLE_DATA_ADMIN)
	assessor = party(4, idtypes.PartyKind_PARTY_KIND_INSTITUTION, idtypes.Role_ROLE_ASSESSOR)
	e1       = party(5, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	e2       = party(6, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	ind      = party(7, idtypes.PartyKind_PARTY_KIND_INDIVIDUAL)
	susp     = party(8, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	stranger = address.FromBytes(bytes.Repeat([]byte{0x99}, 20))
)

func party(seed byte, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
	return &idtypes.Party{Address: address.FromBytes(bytes.Repeat([]byte{seed}, 20)), Name: fmt.Sprintf("party %d", seed),
		Kind: kind, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
}

// fakeIdentity is x/identity as the registry sees it: parties by address.
type fakeIdentity struct{ parties map[string]*idtypes.Party }

func newIdentity() *fakeIdentity {
	f := &fakeIdentity{parties: map[string]*idtypes.Party{}}
	for _, p := range []*idtypes.Party{d1, d2, admin, assessor, e1, e2, ind, susp} {
		f.parties[p.Address] = proto.Clone(p).(*idtypes.Party)
	}
	f.parties[susp.Address].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED
	return f
}

func (f *fakeIdentity) Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error) {
	p, err := f.Party(kv, env.TxOf(ctx).Actor)
	if err != nil {
		return nil, idtypes.ErrUnknownSigner.Wrapf("%s", env.TxOf(ctx).Actor)
	}
	if !p.IsActive() {
		return nil, idtypes.ErrPartySuspended.Wrapf("%s", p.Address)
	}
	return p, nil
}

func (f *fakeIdentity) Party(_ store.KV, addr string) (*idtypes.Party, error) {
	p, ok := f.parties[addr]
	if !ok {
		return nil, idtypes.ErrPartyNotFound.Wrapf("%s", addr)
	}
	return proto.Clone(p).(*idtypes.Party), nil
}

// errNoDerive stands for x/rights refusing a derivation.
var errNoDerive = errs.Register("fake_rights", 2, "no right to derive")

// fakeRights records what the registry asks x/rights. The holder of an
// asset is its registrant unless holders says otherwise; CheckDerive
// refuses the inputs in refuse.
type fakeRights struct {
	minted, ended, rechecked []string
	holders                  map[string]string
	refuse                   map[string]bool
	authorizations           map[string]string // input asset → authorisation of the deriving right
}

func newRights() *fakeRights {
	return &fakeRights{holders: map[string]string{}, refuse: map[string]bool{}, authorizations: map[string]string{}}
}

func (f *fakeRights) MintRoot(_ context.Context, _ store.KV, a *types.Asset) (string, error) {
	f.minted = append(f.minted, a.Id)
	return "r-" + a.Id, nil
}

func (f *fakeRights) HolderOf(_ store.KV, a *types.Asset) (string, error) {
	if h, ok := f.holders[a.Id]; ok {
		return h, nil
	}
	return a.Registrant, nil
}

func (f *fakeRights) CheckDerive(_ context.Context, _ store.KV, party string, input *types.Asset) (string, string, error) {
	if f.refuse[input.Id] {
		return "", "", errNoDerive.Wrapf("%s holds no live right allowing derive on %s", party, input.Id)
	}
	return "use-" + input.Id, f.authorizations[input.Id], nil
}

func (f *fakeRights) EndAll(_ context.Context, _ store.KV, a *types.Asset, _ string) error {
	f.ended = append(f.ended, a.Id)
	return nil
}

func (f *fakeRights) Recheck(_ context.Context, _ store.KV, a *types.Asset) error {
	f.rechecked = append(f.rechecked, a.Id)
	return nil
}

// Times: the fixture registers at t0, certifies at t0 plus the notice
// period, registers again an hour later (t3), and the cases run at t4.
var (
	t0     = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	notice = time.Duration(types.DefaultNoticePeriodSeconds) * time.Second
	t2     = t0.Add(notice)
	t3     = t2.Add(time.Hour)
	t4     = t3.Add(time.Hour)
)

const testHeight = 4

// hash returns a distinct valid content hash per seed.
func hash(seed int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "content %d", seed))
	return hex.EncodeToString(h[:])
}

// dataset is a registration of a general dataset with the given grading.
func dataset(code string, seed int, c types.Classification, g types.Grade, o types.OpenLevel, source *idtypes.Party) *types.MsgRegisterAsset {
	m := &types.MsgRegisterAsset{Kind: types.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: "dataset " + code,
		Classification: c, Grade: g, OpenLevel: o, ContentHash: hash(seed)}
	if source != nil {
		m.SourceDepartment = source.Address
	}
	return m
}

const (
	public     = types.Classification_CLASSIFICATION_PUBLIC
	enterprise = types.Classification_CLASSIFICATION_ENTERPRISE
	personal   = types.Classification_CLASSIFICATION_PERSONAL
	general    = types.Grade_GRADE_GENERAL
	important  = types.Grade_GRADE_IMPORTANT
	core       = types.Grade_GRADE_CORE
	noOpen     = types.OpenLevel_OPEN_LEVEL_UNSPECIFIED
	notOpen    = types.OpenLevel_OPEN_LEVEL_NOT_OPEN
	condOpen   = types.OpenLevel_OPEN_LEVEL_CONDITIONAL
	product    = types.AssetKind_ASSET_KIND_DATA_PRODUCT
)

func productMsg(code string, seed int, inputs ...*types.Input) *types.MsgRegisterAsset {
	return &types.MsgRegisterAsset{Kind: product, CatalogueCode: code, Name: "product " + code,
		Classification: enterprise, Grade: general, ContentHash: hash(seed), Inputs: inputs}
}

func in(id string, w uint32) *types.Input { return &types.Input{AssetId: id, WeightBps: w} }

type step struct {
	signer *idtypes.Party
	msg    proto.Message
}

// The fixture, built by base:
//
//	a-1 d1, public general dataset, source d1      certified (BZDR-2026-000001)
//	a-2 e1, enterprise general dataset, source d2  certified (BZDR-2026-000002)
//	a-3 d1, public core dataset, source d1         catalogued
//	a-4 e2, personal important dataset             in notice until t3 + notice
//	a-5 e1, data product from a-1:6000, a-2:4000   in notice until t3 + notice
func fixtureT0() []step {
	return []step{
		{d1, dataset("BZ-D1-001", 1, public, general, condOpen, d1)},
		{e1, dataset("BZ-E1-001", 2, enterprise, general, noOpen, d2)},
		{d1, dataset("BZ-D1-CORE", 3, public, core, notOpen, d1)},
	}
}

func fixtureT3() []step {
	p4 := dataset("BZ-E2-001", 4, personal, important, noOpen, nil)
	p4.Deidentified = true
	return []step{
		{e2, p4},
		{e1, productMsg("BZ-E1-P01", 5, in("a-1", 6000), in("a-2", 4000))},
	}
}

// harness is one test's keeper with its fakes.
type harness struct {
	k        keeper.Keeper
	identity *fakeIdentity
	rights   *fakeRights
}

func newHarness() *harness {
	h := &harness{identity: newIdentity(), rights: newRights()}
	h.k = keeper.New(h.identity).WithRights(h.rights)
	return h
}

// openTree returns an empty state tree with the registry genesis.
func openTree(t testing.TB, p *types.Params) *store.Tree {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	newHarness().k.InitGenesis(tree, &types.GenesisState{Params: p})
	return tree
}

// base returns a committed tree holding the fixture.
func base(t testing.TB) *store.Tree {
	t.Helper()
	tree := openTree(t, nil)
	h := newHarness()
	h.mustRun(t, tree, 1, t0, fixtureT0()...)
	if err := h.k.EndBlock(blockCtx(2, t2), tree); err != nil {
		t.Fatal(err)
	}
	h.mustRun(t, tree, 3, t3, fixtureT3()...)
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	return tree
}

func blockCtx(height int64, at time.Time) context.Context {
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: at, ChainID: "datarights-test"})
	return env.WithTx(ctx, env.Tx{}, &env.Events{})
}

// run executes one message signed by signer at (height, time), as the
// app's tx runner would, without the branch.
func (h *harness) run(kv store.KV, signer string, height int64, at time.Time, m proto.Message) (string, []abci.Event, error) {
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: at, ChainID: "datarights-test"})
	ev := &env.Events{}
	ctx = env.WithTx(ctx, env.Tx{Hash: make([]byte, 32), Signer: signer, Actor: signer}, ev)
	id, handled, err := h.k.Handle(ctx, kv, m)
	if !handled {
		panic(fmt.Sprintf("registry does not handle %T", m))
	}
	return id, ev.List(), err
}

func (h *harness) mustRun(t testing.TB, kv store.KV, height int64, at time.Time, steps ...step) {
	t.Helper()
	for i, s := range steps {
		if _, _, err := h.run(kv, s.signer.Address, height, at, s.msg); err != nil {
			t.Fatalf("step %d (%T): %v", i, s.msg, err)
		}
	}
}

func asset(t *testing.T, kv store.KV, id string) *types.Asset {
	t.Helper()
	a, err := newHarness().k.Asset(kv, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type msgCase struct {
	name   string
	setup  []step            // run first, at t4 - 1s; each must succeed
	rights func(*fakeRights) // configures x/rights before the setup
	signer *idtypes.Party    // nil: a stranger
	at     time.Time         // zero: t4
	msg    proto.Message     //
	want   error             // nil: success
	events []string          // on success: the events, in order
	check  func(t *testing.T, kv store.KV, h *harness, id string)
}

// runCases runs each case on a branch of the fixture. A rejected message
// must leave every key as it was; an accepted one must emit its events and
// pass its check. The documented key layout must hold either way.
func runCases(t *testing.T, cases []msgCase) {
	t.Helper()
	tree := base(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			if tc.rights != nil {
				tc.rights(h.rights)
			}
			kv := store.NewBranch(tree)
			h.mustRun(t, kv, testHeight-1, t4.Add(-time.Second), tc.setup...)
			signer, at := stranger, tc.at
			if tc.signer != nil {
				signer = tc.signer.Address
			}
			if at.IsZero() {
				at = t4
			}
			before := testkit.Dump(kv)
			id, events, err := h.run(kv, signer, testHeight, at, tc.msg)
			checkLayout(t, kv)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !testkit.SameDump(before, testkit.Dump(kv)) {
					t.Fatal("rejected message changed the store")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			var got []string
			for _, e := range events {
				got = append(got, e.Type)
			}
			if !slices.Equal(got, tc.events) {
				t.Fatalf("events %v, want %v", got, tc.events)
			}
			if tc.check != nil {
				tc.check(t, kv, h, id)
			}
		})
	}
}

// attr returns an event attribute's value and whether it is indexed.
func attr(e abci.Event, key string) (string, bool) {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value, a.Index
		}
	}
	return "", false
}

func u64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
