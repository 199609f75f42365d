package keeper_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	"github.com/datarights/datarights/x/revenue/keeper"
	"github.com/datarights/datarights/x/revenue/types"
)

// Parties of the fixture: a department, two enterprises, an operator, an
// individual and a suspended enterprise.
var (
	d1       = party(1, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	e1       = party(2, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	e2       = party(3, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	op       = party(4, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, idtypes.Role_ROLE_OPERATOR)
	ind      = party(5, idtypes.PartyKind_PARTY_KIND_INDIVIDUAL)
	susp     = party(6, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	stranger = address.FromBytes(bytes.Repeat([]byte{0x99}, 20))
)

func party(seed byte, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
	return &idtypes.Party{Address: address.FromBytes(bytes.Repeat([]byte{seed}, 20)), Name: fmt.Sprintf("party %d", seed),
		Kind: kind, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
}

// fakeIdentity is x/identity as revenue sees it: parties by address.
type fakeIdentity struct{ parties map[string]*idtypes.Party }

func newIdentity() *fakeIdentity {
	f := &fakeIdentity{parties: map[string]*idtypes.Party{}}
	for _, p := range []*idtypes.Party{d1, e1, e2, op, ind, susp} {
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

// fakeRegistry holds assets by id.
type fakeRegistry struct{ assets map[string]*regtypes.Asset }

func (f *fakeRegistry) Asset(_ store.KV, id string) (*regtypes.Asset, error) {
	a, ok := f.assets[id]
	if !ok {
		return nil, regtypes.ErrAssetNotFound.Wrapf("no asset has id %s", id)
	}
	return a, nil
}

func (f *fakeRegistry) put(a *regtypes.Asset) *regtypes.Asset { f.assets[a.Id] = a; return a }

// fakeRights: the holder of an asset is its registrant unless holders
// says otherwise.
type fakeRights struct{ holders map[string]string }

func (f *fakeRights) HolderOf(_ store.KV, a *regtypes.Asset) (string, error) {
	if h, ok := f.holders[a.Id]; ok {
		return h, nil
	}
	return a.Registrant, nil
}

// fakeAuth holds authorisations by id.
type fakeAuth struct {
	list map[string]*authtypes.Authorization
}

func (f *fakeAuth) Authorization(_ store.KV, id string) (*authtypes.Authorization, error) {
	a, ok := f.list[id]
	if !ok {
		return nil, authtypes.ErrNotFound.Wrapf("no authorisation has id %s", id)
	}
	return a, nil
}

// harness is one test's keeper with its fakes.
type harness struct {
	k        keeper.Keeper
	identity *fakeIdentity
	registry *fakeRegistry
	rights   *fakeRights
	auth     *fakeAuth
}

func newHarness() *harness {
	h := &harness{identity: newIdentity(), registry: &fakeRegistry{assets: map[string]*regtypes.Asset{}},
		rights: &fakeRights{holders: map[string]string{}}, auth: &fakeAuth{list: map[string]*authtypes.Authorization{}}}
	h.k = keeper.New(h.identity, h.registry, h.rights, h.auth)
	return h
}

const (
	public     = regtypes.Classification_CLASSIFICATION_PUBLIC
	enterprise = regtypes.Classification_CLASSIFICATION_ENTERPRISE
)

// dataset is an asset without inputs registered by holder.
func dataset(id string, c regtypes.Classification, holder *idtypes.Party) *regtypes.Asset {
	return &regtypes.Asset{Id: id, Kind: regtypes.AssetKind_ASSET_KIND_DATASET, Classification: c, Registrant: holder.Address}
}

// productOf is a product of the inputs registered by holder.
func productOf(id string, c regtypes.Classification, holder *idtypes.Party, inputs ...*regtypes.Input) *regtypes.Asset {
	return &regtypes.Asset{Id: id, Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, Classification: c,
		Registrant: holder.Address, Inputs: inputs}
}

func in(id string, w uint32) *regtypes.Input { return &regtypes.Input{AssetId: id, WeightBps: w} }

// inUnder is an input the product was derived from under authorisation au.
func inUnder(id string, w uint32, au string) *regtypes.Input {
	return &regtypes.Input{AssetId: id, WeightBps: w, RightId: "r-" + id, AuthorizationId: au}
}

func share(p *idtypes.Party, bps uint32) *types.Share {
	return &types.Share{Beneficiary: p.Address, Bps: bps}
}

var t0 = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// openTree returns an empty state tree with the revenue genesis.
func openTree(t testing.TB, p *types.Params) *store.Tree {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	if err := newHarness().k.InitGenesis(tree, &types.GenesisState{Params: p}); err != nil {
		t.Fatal(err)
	}
	return tree
}

// txCtx is the context of a tx signed by signer at height 5, t0.
func txCtx(signer string) (context.Context, *env.Events) {
	ctx := env.WithBlock(context.Background(), env.Block{Height: 5, Time: t0, ChainID: "datarights-test"})
	ev := &env.Events{}
	return env.WithTx(ctx, env.Tx{Hash: make([]byte, 32), Signer: signer, Actor: signer}, ev), ev
}

// run executes one message signed by signer.
func (h *harness) run(kv store.KV, signer string, m proto.Message) (string, []abci.Event, error) {
	ctx, ev := txCtx(signer)
	id, handled, err := h.k.Handle(ctx, kv, m)
	if !handled {
		panic(fmt.Sprintf("revenue does not handle %T", m))
	}
	return id, ev.List(), err
}

func eventTypes(evs []abci.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func attr(e abci.Event, key string) (string, bool) {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value, a.Index
		}
	}
	return "", false
}

// sum adds the lines' amounts, failing on overflow.
func sum(t *testing.T, lines []*types.Line) uint64 {
	t.Helper()
	var s uint64
	for _, l := range lines {
		if s+l.AmountFen < s {
			t.Fatalf("lines overflow uint64")
		}
		s += l.AmountFen
	}
	return s
}
