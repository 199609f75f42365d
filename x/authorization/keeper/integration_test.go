package keeper_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/module"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/authorization/keeper"
	"github.com/datarights/datarights/x/authorization/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// world is the four real keepers over one tree, wired as app/app.go wires
// them, with a block clock. Each message runs on its own branch, written
// only on success, as the app's tx runner does.
type world struct {
	t      *testing.T
	tree   *store.Tree
	rights rightskeeper.Keeper
	auth   keeper.Keeper
	mods   []module.Module
	height int64
	now    time.Time
	txn    int
	events []abci.Event
}

func newWorld(t *testing.T, parties ...*idtypes.Party) *world {
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	id := idkeeper.New()
	reg := regkeeper.New(id)
	rights := rightskeeper.New(id, reg)
	reg = reg.WithRights(rights)
	auth := keeper.New(id, reg, rights)

	gs := &idtypes.GenesisState{Parties: parties}
	if err := idkeeper.ValidateGenesis(gs); err != nil {
		t.Fatal(err)
	}
	id.InitGenesis(tree, gs)
	reg.InitGenesis(tree, &regtypes.GenesisState{})
	if err := rights.InitGenesis(tree, &rightstypes.GenesisState{}); err != nil {
		t.Fatal(err)
	}
	if err := auth.InitGenesis(tree, &types.GenesisState{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	// End-block order: the authorisation ends before x/rights expires what
	// it carries, so that rights under an expiring authorisation end as
	// exited with it.
	return &world{t: t, tree: tree, rights: rights, auth: auth, mods: []module.Module{id, reg, auth, rights},
		height: 1, now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
}

func (w *world) ctx(signer string, ev *env.Events) context.Context {
	w.txn++
	hash := []byte(fmt.Sprintf("tx-%029d", w.txn))
	ctx := env.WithBlock(context.Background(), env.Block{Height: w.height, Time: w.now, ChainID: "itest"})
	return env.WithTx(ctx, env.Tx{Hash: hash, Signer: signer, Actor: signer}, ev)
}

// exec routes m to the module that owns it.
func (w *world) exec(signer string, m proto.Message) (string, error) {
	w.t.Helper()
	ev := &env.Events{}
	b := store.NewBranch(w.tree)
	ctx := w.ctx(signer, ev)
	for _, mod := range w.mods {
		id, handled, err := mod.Handle(ctx, b, m)
		if !handled {
			continue
		}
		w.events = nil
		if err == nil {
			b.Write()
			w.events = ev.List()
		}
		return id, err
	}
	w.t.Fatalf("no module handles %T", m)
	return "", nil
}

func (w *world) must(signer string, m proto.Message) string {
	w.t.Helper()
	id, err := w.exec(signer, m)
	if err != nil {
		w.t.Fatalf("%T: %v", m, err)
	}
	return id
}

func (w *world) refused(signer string, m proto.Message, want error) {
	w.t.Helper()
	if _, err := w.exec(signer, m); !errors.Is(err, want) {
		w.t.Fatalf("%T: got %v, want %v", m, err, want)
	}
}

// endBlock runs every module's EndBlock, commits, and starts the next
// block d later.
func (w *world) endBlock(d time.Duration) []abci.Event {
	w.t.Helper()
	ev := &env.Events{}
	ctx := env.WithTx(env.WithBlock(context.Background(), env.Block{Height: w.height, Time: w.now}), env.Tx{}, ev)
	for _, mod := range w.mods {
		if eb, ok := mod.(module.EndBlocker); ok {
			if err := eb.EndBlock(ctx, w.tree); err != nil {
				w.t.Fatal(err)
			}
		}
	}
	if _, _, err := w.tree.Commit(); err != nil {
		w.t.Fatal(err)
	}
	w.height++
	w.now = w.now.Add(d)
	return ev.List()
}

func (w *world) right(id string) *rightstypes.Right {
	w.t.Helper()
	r, err := w.rights.Right(w.tree, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func genesisParty(seed byte, kind idtypes.PartyKind, roles ...idtypes.Role) *idtypes.Party {
	authority := "91"
	if kind == idtypes.PartyKind_PARTY_KIND_DEPARTMENT {
		authority = "11"
	}
	code, err := idtypes.BuildOrgCode(authority, "511900", fmt.Sprintf("%08d", 1000+int(seed)))
	if err != nil {
		panic(err)
	}
	p := &idtypes.Party{Address: addrN(0x40 + seed), Name: fmt.Sprintf("%s %d", idtypes.KindName(kind), seed), Kind: kind,
		OrgCode: code, Roles: roles, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	if kind == idtypes.PartyKind_PARTY_KIND_DEPARTMENT {
		p.Validator = &idtypes.Validator{PubKey: ed25519.GenPrivKeyFromSecret([]byte{seed}).PubKey().Bytes(), Power: 10}
	}
	return p
}

// TestIntegrationScenario is the scenario with the real identity,
// registry and rights keepers: an operator applies for two public
// datasets and is approved; it licenses a third party under the
// authorisation, which records usage; an evaluation below the threshold
// suspends everything (the third party's usage is refused); the data admin
// resumes it (usage is fine again); the operator exits with an
// attestation, and every right under the authorisation ends, in the same
// block.
func TestIntegrationScenario(t *testing.T) {
	var (
		dept     = genesisParty(1, idtypes.PartyKind_PARTY_KIND_DEPARTMENT)
		admin    = genesisParty(2, idtypes.PartyKind_PARTY_KIND_DEPARTMENT, idtypes.Role_ROLE_DATA_ADMIN)
		auditor  = genesisParty(3, idtypes.PartyKind_PARTY_KIND_INSTITUTION, idtypes.Role_ROLE_AUDITOR)
		operator = genesisParty(4, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, idtypes.Role_ROLE_OPERATOR)
		third    = genesisParty(5, idtypes.PartyKind_PARTY_KIND_ENTERPRISE)
	)
	w := newWorld(t, dept, admin, auditor, operator, third)

	// The department registers two public datasets; x/rights mints it
	// their holding rights.
	register := func(code string, content string) string {
		return w.must(dept.Address, &regtypes.MsgRegisterAsset{
			Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: code, Name: "dataset " + code,
			SourceDepartment: dept.Address, Classification: regtypes.Classification_CLASSIFICATION_PUBLIC,
			Grade: regtypes.Grade_GRADE_GENERAL, OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: content,
		})
	}
	a1 := register("BZ-TRANSPORT-001", hashT)
	a2 := register("BZ-TRANSPORT-002", hashR)
	w.endBlock(time.Minute)

	// Apply and approve.
	scope := &rightstypes.Scope{Purposes: []string{"transport planning"}, Operations: qcd}
	id := w.must(operator.Address, &types.MsgApplyAuthorization{
		Authoriser: dept.Address, AssetIds: []string{a1, a2}, Scope: scope, TermsHash: hashT,
		Standards: []string{"DB51/T-2873"}, TermSeconds: year,
		Revenue: &types.RevenueTerms{OperatorShareBps: 3000, PublicServiceShareBps: 1000},
	})
	w.refused(third.Address, &types.MsgApproveAuthorization{Id: id}, types.ErrNotAuthoriser)
	w.must(dept.Address, &types.MsgApproveAuthorization{Id: id})
	a, err := w.auth.Authorization(w.tree, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_ACTIVE || len(a.OperatorRightIds) != 2 {
		t.Fatalf("after approval: %v", a)
	}
	for i, rid := range a.OperatorRightIds {
		r := w.right(rid)
		if r.Holder != operator.Address || r.AssetId != a.AssetIds[i] || r.AuthorizationId != id || !r.Sublicensable ||
			!r.ValidUntil.AsTime().Equal(a.ValidUntil.AsTime()) || r.Status != rightstypes.RightStatus_RIGHT_STATUS_ACTIVE {
			t.Fatalf("operator right %s: %v", rid, r)
		}
	}
	if !testkit.HasEvent(w.events, rightstypes.EventRightGranted, rightstypes.AttrAuthorizationID, id, rightstypes.AttrParty, operator.Address) {
		t.Fatalf("approval events: %v", eventTypes(w.events))
	}
	opRight := a.OperatorRightIds[0]
	w.endBlock(time.Minute)

	// The operator licenses the third party, and derives a product.
	licence := w.must(operator.Address, &rightstypes.MsgGrantRight{
		ParentId: opRight, Grantee: third.Address, Kind: rightstypes.RightKind_RIGHT_KIND_USE,
		Scope:      &rightstypes.Scope{Purposes: []string{"transport planning"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}},
		ValidUntil: rightstypes.Timestamp(w.now.Add(90 * 24 * time.Hour)),
	})
	if r := w.right(licence); r.AuthorizationId != id || r.ParentId != opRight || r.Status != rightstypes.RightStatus_RIGHT_STATUS_ACTIVE {
		t.Fatalf("licence: %v", r)
	}
	w.must(operator.Address, &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, CatalogueCode: "OP-PRODUCT-001", Name: "congestion index",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hashX,
		Inputs: []*regtypes.Input{{AssetId: a1, WeightBps: 6000}, {AssetId: a2, WeightBps: 4000}},
	})
	use := func() *rightstypes.MsgRecordUsage {
		return &rightstypes.MsgRecordUsage{RightId: licence, Purpose: "transport planning", Operation: rightstypes.Operation_OPERATION_QUERY, ResultHash: hashR}
	}
	w.must(third.Address, use())
	w.endBlock(time.Minute)

	// An evaluation below the threshold suspends everything under it.
	w.refused(third.Address, &types.MsgEvaluateAuthorization{Id: id, Score: 40, ReportHash: hashR}, types.ErrNotEvaluator)
	w.must(auditor.Address, &types.MsgEvaluateAuthorization{Id: id, Score: 40, ReportHash: hashR})
	if !testkit.HasEvent(w.events, types.EventSuspended, types.AttrAuthorizationID, id, types.AttrScore, "40") ||
		!testkit.HasEvent(w.events, rightstypes.EventRightSuspended, rightstypes.AttrRightID, opRight, rightstypes.AttrAuthorizationID, id) {
		t.Fatalf("evaluation events: %v", eventTypes(w.events))
	}
	for _, rid := range a.OperatorRightIds {
		if s := w.right(rid).Status; s != rightstypes.RightStatus_RIGHT_STATUS_SUSPENDED {
			t.Fatalf("%s after the evaluation: %v", rid, s)
		}
	}
	w.refused(third.Address, use(), rightstypes.ErrNotLive)
	w.endBlock(time.Minute)

	// The data admin resumes it; the third party's use is fine again.
	w.refused(dept.Address, &types.MsgResumeAuthorization{Id: id, Reason: "remedied"}, types.ErrNotDataAdmin)
	w.must(admin.Address, &types.MsgResumeAuthorization{Id: id, Reason: "the operator remedied the findings"})
	w.must(third.Address, use())
	w.endBlock(time.Minute)

	// The operator exits: every right under the authorisation ends in the
	// same block, the third party's included.
	w.refused(dept.Address, &types.MsgExitAuthorization{Id: id, AttestationHash: hashX}, types.ErrNotOperator)
	w.must(operator.Address, &types.MsgExitAuthorization{Id: id, AttestationHash: hashX})
	if !testkit.HasEvent(w.events, types.EventExited, types.AttrAuthorizationID, id, types.AttrAttestationHash, hashX) ||
		!testkit.HasEvent(w.events, rightstypes.EventRightExited, rightstypes.AttrRightID, licence, rightstypes.AttrCascadeRoot, opRight, rightstypes.AttrAuthorizationID, id) {
		t.Fatalf("exit events: %v", eventTypes(w.events))
	}
	for _, rid := range append(a.OperatorRightIds, licence) {
		if s := w.right(rid).Status; s != rightstypes.RightStatus_RIGHT_STATUS_EXITED {
			t.Fatalf("%s after the exit: %v", rid, s)
		}
	}
	w.refused(third.Address, use(), rightstypes.ErrNotLive)
	w.refused(operator.Address, &rightstypes.MsgGrantRight{
		ParentId: opRight, Grantee: third.Address, Kind: rightstypes.RightKind_RIGHT_KIND_USE, Scope: scope,
		ValidUntil: rightstypes.Timestamp(w.now.Add(24 * time.Hour)),
	}, rightstypes.ErrNotLive)
	w.refused(operator.Address, &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT, CatalogueCode: "OP-PRODUCT-002", Name: "after the exit",
		Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE, Grade: regtypes.Grade_GRADE_GENERAL,
		ContentHash: "a3f5c1e2d4b6a8f0e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a49382716",
		Inputs:      []*regtypes.Input{{AssetId: a1, WeightBps: 10_000}},
	}, rightstypes.ErrDeriveNotAllowed)
	// The department's holding rights are untouched.
	for _, asset := range []string{a1, a2} {
		reg, _ := w.mods[1].(regkeeper.Keeper)
		got, err := reg.Asset(w.tree, asset)
		if err != nil {
			t.Fatal(err)
		}
		if s := w.right(got.HoldingRightId).Status; s != rightstypes.RightStatus_RIGHT_STATUS_ACTIVE {
			t.Fatalf("holding right of %s: %v", asset, s)
		}
	}
	if evs := w.endBlock(time.Minute); len(evs) != 0 {
		t.Fatalf("nothing left for the end of the block: %v", eventTypes(evs))
	}
	if got, _ := w.auth.Authorization(w.tree, id); got.Status != types.AuthorizationStatus_AUTHORIZATION_STATUS_EXITED || got.AttestationHash != hashX {
		t.Fatalf("authorisation after the exit: %v", got)
	}
}
