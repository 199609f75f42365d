package keeper_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
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
	"github.com/datarights/datarights/store"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	"github.com/datarights/datarights/x/governance/keeper"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
	mktypes "github.com/datarights/datarights/x/market/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// The fakes keep their state in the store, under prefixes of their own, as
// every real keeper does: governance tries each action on a scratch branch
// that it drops, and a fake that kept state in memory would be changed by
// the try.
var (
	fakePartyPrefix   = []byte{0xF1} // | address (20 B) -> Party
	fakeAssetPrefix   = []byte{0xF2} // | asset id       -> "frozen" or "thawed"
	fakeRegParams     = []byte{0xF3}
	fakeRightParams   = []byte{0xF4}
	fakeAuthParams    = []byte{0xF5}
	fakeMarketParams  = []byte{0xF6}
	fakeRevenueParams = []byte{0xF7}
)

// Parties of the fixture: four departments d1-d4 (power 10; d1 has the
// agent dAgent), a removed department, an enterprise (an auditor, with
// the agent entAgent) and a new address.
var (
	d1       = party(1, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	d2       = party(2, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	d3       = party(3, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	d4       = party(4, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	removed  = party(5, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
	ent      = party(6, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, idtypes.Role_ROLE_AUDITOR)
	dAgent   = addrOf(0x21)
	entAgent = addrOf(0x26)
	stranger = addrOf(0x99)
	newcomer = addrOf(0x07)
)

func addrOf(seed byte) string { return address.FromBytes(bytes.Repeat([]byte{seed}, 20)) }

func party(seed byte, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
	p := &idtypes.Party{Address: addrOf(seed), Name: fmt.Sprintf("party %d", seed), Kind: kind, Roles: roles,
		Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	if kind == idtypes.PartyKind_PARTY_KIND_DEPARTMENT {
		p.Validator = &idtypes.Validator{PubKey: valKey(int(seed)), Power: 10}
	}
	return p
}

// valKey is a deterministic ed25519 public key per seed.
func valKey(seed int) []byte {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(seed)}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
}

// orgCode is a valid unified social credit code per seed (an enterprise of
// region 511900 with body seed).
func orgCode(seed int) string {
	body := fmt.Sprintf("%08d", seed)
	c, err := idtypes.OrgCheckChar(body)
	if err != nil {
		panic(err)
	}
	first := "91511900" + body + string(c)
	last, err := idtypes.USCCCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(last)
}

// fakeIdentity is x/identity as governance sees it. Agents are fixed;
// parties live in the store. writeThenFail makes SetPower write and then
// fail, as a module failing half-way would.
type fakeIdentity struct {
	agents        map[string]string
	writeThenFail bool
}

var errHalfWay = errors.New("fake identity: failed half-way")

func (f *fakeIdentity) put(kv store.KV, p *idtypes.Party) {
	bz, err := proto.Marshal(p)
	if err != nil {
		panic(err)
	}
	kv.Set(store.Concat(fakePartyPrefix, address.Bytes(p.Address)), bz)
}

func (f *fakeIdentity) Actor(ctx context.Context, kv store.KV) (*idtypes.Party, error) {
	signer := env.TxOf(ctx).Signer
	if owner, ok := f.agents[signer]; ok {
		signer = owner
	}
	p, err := f.Party(kv, signer)
	if err != nil {
		return nil, idtypes.ErrUnknownSigner.Wrapf("%s", signer)
	}
	if !p.IsActive() {
		return nil, idtypes.ErrPartySuspended.Wrapf("%s", p.Address)
	}
	return p, nil
}

func (f *fakeIdentity) Party(kv store.KV, addr string) (*idtypes.Party, error) {
	a, err := address.Normalize(addr)
	if err != nil {
		return nil, idtypes.ErrInvalidAddress.Wrapf("%s", addr)
	}
	bz := kv.Get(store.Concat(fakePartyPrefix, address.Bytes(a)))
	if bz == nil {
		return nil, idtypes.ErrPartyNotFound.Wrapf("%s", addr)
	}
	p := &idtypes.Party{}
	if err := proto.Unmarshal(bz, p); err != nil {
		panic(err)
	}
	return p, nil
}

func (f *fakeIdentity) all(kv store.KV) []*idtypes.Party {
	var out []*idtypes.Party
	it := kv.Iterator(fakePartyPrefix, store.PrefixEnd(fakePartyPrefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		p := &idtypes.Party{}
		if err := proto.Unmarshal(it.Value(), p); err != nil {
			panic(err)
		}
		out = append(out, p)
	}
	return out
}

func (f *fakeIdentity) Departments(kv store.KV) []*idtypes.Party {
	var out []*idtypes.Party
	for _, p := range f.all(kv) {
		if p.IsDepartment() && p.IsActive() && p.GetValidator().GetPower() > 0 {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeIdentity) AddDepartment(ctx context.Context, kv store.KV, p *idtypes.Party) error {
	if _, err := f.Party(kv, p.Address); err == nil {
		return idtypes.ErrPartyExists.Wrapf("%s", p.Address)
	}
	for _, q := range f.all(kv) {
		if bytes.Equal(q.GetValidator().GetPubKey(), p.Validator.PubKey) {
			return idtypes.ErrValidatorKeyTaken.Wrapf("%X", p.Validator.PubKey)
		}
	}
	p = proto.Clone(p).(*idtypes.Party)
	p.Status = idtypes.PartyStatus_PARTY_STATUS_ACTIVE
	f.put(kv, p)
	env.Emit(ctx, idtypes.EventDepartmentAdded, env.Indexed(idtypes.AttrParty, p.Address))
	return nil
}

func (f *fakeIdentity) department(kv store.KV, addr string) (*idtypes.Party, error) {
	p, err := f.Party(kv, addr)
	switch {
	case err != nil:
		return nil, err
	case !p.IsDepartment():
		return nil, idtypes.ErrNotDepartment.Wrapf("%s", addr)
	case !p.IsActive():
		return nil, idtypes.ErrPartySuspended.Wrapf("%s", addr)
	}
	return p, nil
}

func (f *fakeIdentity) RemoveDepartment(ctx context.Context, kv store.KV, addr, reason string) error {
	p, err := f.department(kv, addr)
	if err != nil {
		return err
	}
	if len(f.Departments(kv)) <= 1 {
		return idtypes.ErrLastValidator.Wrapf("%s", addr)
	}
	p.Validator.Power, p.Status, p.StatusReason = 0, idtypes.PartyStatus_PARTY_STATUS_SUSPENDED, reason
	f.put(kv, p)
	env.Emit(ctx, idtypes.EventDepartmentRemoved, env.Indexed(idtypes.AttrParty, p.Address))
	return nil
}

func (f *fakeIdentity) SetPower(ctx context.Context, kv store.KV, addr string, power int64) error {
	p, err := f.department(kv, addr)
	if err != nil {
		return err
	}
	if p.Validator.Power == power {
		return idtypes.ErrInvalidValidator.Wrapf("already %d", power)
	}
	p.Validator.Power = power
	f.put(kv, p)
	env.Emit(ctx, idtypes.EventPowerChanged, env.Indexed(idtypes.AttrParty, p.Address))
	if f.writeThenFail {
		return errHalfWay
	}
	return nil
}

func (f *fakeIdentity) GrantRole(ctx context.Context, kv store.KV, addr string, role idtypes.Role) error {
	p, err := f.Party(kv, addr)
	if err != nil {
		return err
	}
	if p.HasRole(role) {
		return idtypes.ErrRoleHeld.Wrapf("%s is already a %s", addr, idtypes.RoleName(role))
	}
	p.Roles = append(p.Roles, role)
	slices.Sort(p.Roles)
	f.put(kv, p)
	env.Emit(ctx, idtypes.EventRoleGranted, env.Indexed(idtypes.AttrParty, p.Address))
	return nil
}

func (f *fakeIdentity) RevokeRole(ctx context.Context, kv store.KV, addr string, role idtypes.Role) error {
	p, err := f.Party(kv, addr)
	if err != nil {
		return err
	}
	i := slices.Index(p.Roles, role)
	if i < 0 {
		return idtypes.ErrMissingRole.Wrapf("%s", addr)
	}
	p.Roles = slices.Delete(p.Roles, i, i+1)
	f.put(kv, p)
	env.Emit(ctx, idtypes.EventRoleRevoked, env.Indexed(idtypes.AttrParty, p.Address))
	return nil
}

// fakeRegistry knows assets a-1 (not frozen) and a-2 (frozen), and keeps
// its params in the store.
type fakeRegistry struct{}

func (fakeRegistry) SetFrozen(ctx context.Context, kv store.KV, id string, frozen bool, _ string) error {
	key := store.Concat(fakeAssetPrefix, []byte(id))
	state := kv.Get(key)
	switch {
	case state == nil:
		return regtypes.ErrAssetNotFound.Wrapf("no asset has id %s", id)
	case frozen && string(state) == "frozen":
		return regtypes.ErrFrozen.Wrapf("%s is already frozen", id)
	case !frozen && string(state) != "frozen":
		return regtypes.ErrNotFrozen.Wrapf("%s", id)
	}
	ev := regtypes.EventAssetUnfrozen
	kv.Set(key, []byte("thawed"))
	if frozen {
		ev = regtypes.EventAssetFrozen
		kv.Set(key, []byte("frozen"))
	}
	env.Emit(ctx, ev, env.Indexed(regtypes.AttrAssetID, id))
	return nil
}

func frozen(kv store.KV, id string) bool {
	return string(kv.Get(store.Concat(fakeAssetPrefix, []byte(id)))) == "frozen"
}

func (fakeRegistry) Params(kv store.KV) *regtypes.Params { return regParamsFake.Params(kv) }

func (fakeRegistry) SetParams(kv store.KV, p *regtypes.Params) error {
	return regParamsFake.SetParams(kv, p)
}

// fakeParams keeps one module's params in the store under key.
type fakeParams[P interface {
	proto.Message
	Validate() error
}] struct {
	key      []byte
	defaults func() P
}

func (f fakeParams[P]) Params(kv store.KV) P {
	p := f.defaults()
	if getParams(kv, f.key, p) {
		return p
	}
	return f.defaults()
}

func (f fakeParams[P]) SetParams(kv store.KV, p P) error { return setParams(kv, f.key, p, p.Validate) }

var (
	regParamsFake = fakeParams[*regtypes.Params]{fakeRegParams, regtypes.DefaultParams}
	fakeRights    = fakeParams[*rightstypes.Params]{fakeRightParams, rightstypes.DefaultParams}
	fakeAuth      = fakeParams[*authtypes.Params]{fakeAuthParams, authtypes.DefaultParams}
	fakeMarket    = fakeParams[*mktypes.Params]{fakeMarketParams, mktypes.DefaultParams}
	fakeRevenue   = fakeParams[*revtypes.Params]{fakeRevenueParams, revtypes.DefaultParams}
)

func getParams(kv store.KV, key []byte, p proto.Message) bool {
	bz := kv.Get(key)
	if bz == nil {
		return false
	}
	proto.Reset(p)
	if err := proto.Unmarshal(bz, p); err != nil {
		panic(err)
	}
	return true
}

func setParams(kv store.KV, key []byte, p proto.Message, validate func() error) error {
	if err := validate(); err != nil {
		return err
	}
	bz, err := proto.Marshal(p)
	if err != nil {
		panic(err)
	}
	kv.Set(key, bz)
	return nil
}

// harness is one test's keeper with its fakes.
type harness struct {
	k        keeper.Keeper
	identity *fakeIdentity
}

func newHarness() *harness {
	h := &harness{identity: &fakeIdentity{agents: map[string]string{dAgent: d1.Address, entAgent: ent.Address}}}
	h.k = keeper.New(h.identity, fakeRegistry{}, fakeRights, fakeAuth).WithMarket(fakeMarket, fakeRevenue)
	return h
}

// Times: proposals are submitted at t0 (height 10) unless a case says
// otherwise; the default voting period ends a day later.
var (
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	period  = time.Duration(types.DefaultVotingPeriodSeconds) * time.Second
	deadAt  = t0.Add(period)
	testH   = int64(10)
	chainID = "datarights-test"
)

// openTree returns a committed tree with the fixture and governance params
// p (nil: the defaults).
func openTree(t testing.TB, p *types.Params) *store.Tree {
	t.Helper()
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	h := newHarness()
	for _, p := range []*idtypes.Party{d1, d2, d3, d4, removed, ent} {
		h.identity.put(tree, p)
	}
	r := proto.Clone(removed).(*idtypes.Party)
	r.Status, r.Validator.Power, r.StatusReason = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED, 0, "merged"
	h.identity.put(tree, r)
	tree.Set(store.Concat(fakeAssetPrefix, []byte("a-1")), []byte("thawed"))
	tree.Set(store.Concat(fakeAssetPrefix, []byte("a-2")), []byte("frozen"))
	if err := keeper.ValidateGenesis(&types.GenesisState{Params: p}); err != nil {
		t.Fatal(err)
	}
	h.k.InitGenesis(tree, &types.GenesisState{Params: p})
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	return tree
}

func blockCtx(height int64, at time.Time) (context.Context, *env.Events) {
	ev := &env.Events{}
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: at, ChainID: chainID})
	return env.WithTx(ctx, env.Tx{}, ev), ev
}

// run executes one message signed by signer at (height, time), as the
// app's tx runner would, without the branch.
func (h *harness) run(kv store.KV, signer string, height int64, at time.Time, m proto.Message) (string, []abci.Event, error) {
	ctx := env.WithBlock(context.Background(), env.Block{Height: height, Time: at, ChainID: chainID})
	ev := &env.Events{}
	ctx = env.WithTx(ctx, env.Tx{Hash: make([]byte, 32), Signer: signer, Actor: signer}, ev)
	id, handled, err := h.k.Handle(ctx, kv, m)
	if !handled {
		panic(fmt.Sprintf("governance does not handle %T", m))
	}
	return id, ev.List(), err
}

func (h *harness) mustRun(t testing.TB, kv store.KV, signer string, height int64, at time.Time, m proto.Message) string {
	t.Helper()
	id, _, err := h.run(kv, signer, height, at, m)
	if err != nil {
		t.Fatalf("%T by %s: %v", m, signer, err)
	}
	return id
}

// endBlock runs the end-of-block step and returns its events.
func (h *harness) endBlock(t testing.TB, kv store.KV, height int64, at time.Time) []abci.Event {
	t.Helper()
	ctx, ev := blockCtx(height, at)
	if err := h.k.EndBlock(ctx, kv); err != nil {
		t.Fatalf("EndBlock: %v", err)
	}
	checkLayout(t, kv)
	return ev.List()
}

// Messages.

func submit(a *types.Action) *types.MsgSubmitProposal {
	return &types.MsgSubmitProposal{Title: "a proposal", Description: "why", Action: a}
}

func vote(id string, o types.VoteOption) *types.MsgVote {
	return &types.MsgVote{ProposalId: id, Option: o}
}

const (
	yes     = types.VoteOption_VOTE_OPTION_YES
	no      = types.VoteOption_VOTE_OPTION_NO
	abstain = types.VoteOption_VOTE_OPTION_ABSTAIN
)

func addDepartment(addr string, keySeed, codeSeed int, power int64, roles ...idtypes.Role) *types.Action {
	return &types.Action{Action: &types.Action_AddDepartment{AddDepartment: &types.AddDepartment{
		Address: addr, Name: "department of statistics", OrgCode: orgCode(codeSeed), PubKey: valKey(keySeed), Power: power, Roles: roles}}}
}

func removeDepartment(addr string) *types.Action {
	return &types.Action{Action: &types.Action_RemoveDepartment{RemoveDepartment: &types.RemoveDepartment{Address: addr}}}
}

func setPower(addr string, power int64) *types.Action {
	return &types.Action{Action: &types.Action_SetPower{SetPower: &types.SetPower{Address: addr, Power: power}}}
}

func grantRole(addr string, r idtypes.Role) *types.Action {
	return &types.Action{Action: &types.Action_GrantRole{GrantRole: &types.GrantRole{Address: addr, Role: r}}}
}

func revokeRole(addr string, r idtypes.Role) *types.Action {
	return &types.Action{Action: &types.Action_RevokeRole{RevokeRole: &types.RevokeRole{Address: addr, Role: r}}}
}

func setParamsAction(s *types.SetParams) *types.Action {
	return &types.Action{Action: &types.Action_SetParams{SetParams: s}}
}

func freeze(id string) *types.Action {
	return &types.Action{Action: &types.Action_FreezeAsset{FreezeAsset: &types.FreezeAsset{AssetId: id, Reason: "leak under investigation"}}}
}

func unfreeze(id string) *types.Action {
	return &types.Action{Action: &types.Action_UnfreezeAsset{UnfreezeAsset: &types.UnfreezeAsset{AssetId: id, Reason: "cleared"}}}
}

// pass submits a proposal by d1 at (height, at) and has d1, d2 and d3 vote
// yes in the same block: it passes with the third vote.
func (h *harness) pass(t testing.TB, kv store.KV, height int64, at time.Time, a *types.Action) string {
	t.Helper()
	id := h.mustRun(t, kv, d1.Address, height, at, submit(a))
	for _, d := range []*idtypes.Party{d1, d2, d3} {
		h.mustRun(t, kv, d.Address, height, at, vote(id, yes))
	}
	return id
}

func proposal(t testing.TB, kv store.KV, id string) *types.Proposal {
	t.Helper()
	p, err := newHarness().k.Proposal(kv, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func status(t testing.TB, kv store.KV, id string, want types.ProposalStatus) *types.Proposal {
	t.Helper()
	p := proposal(t, kv, id)
	if p.Status != want {
		t.Fatalf("%s is %s (%s), want %s", id, types.StatusName(p.Status), p.Result, types.StatusName(want))
	}
	return p
}

func partyOf(t testing.TB, kv store.KV, addr string) *idtypes.Party {
	t.Helper()
	p, err := newHarness().identity.Party(kv, addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func eventTypes(events []abci.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
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
