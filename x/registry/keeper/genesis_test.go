package keeper_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

func TestGenesis(t *testing.T) {
	if err := keeper.ValidateGenesis(&types.GenesisState{}); err != nil {
		t.Fatalf("no params: %v", err)
	}
	if err := keeper.ValidateGenesis(nil); err != nil {
		t.Fatalf("nil genesis: %v", err)
	}
	for _, p := range []*types.Params{
		{NoticePeriodSeconds: 0, MaxCertificationsPerBlock: 1},
		{NoticePeriodSeconds: -5, MaxCertificationsPerBlock: 1},
		{NoticePeriodSeconds: types.MaxNoticePeriodSeconds + 1, MaxCertificationsPerBlock: 1},
		{NoticePeriodSeconds: 60, MaxCertificationsPerBlock: 0},
		{NoticePeriodSeconds: 60, MaxCertificationsPerBlock: types.MaxCertificationsLimit + 1},
	} {
		if err := keeper.ValidateGenesis(&types.GenesisState{Params: p}); !errors.Is(err, types.ErrInvalidGenesis) {
			t.Errorf("%v: error %v", p, err)
		}
	}
	kv := openTree(t, nil)
	k := newHarness().k
	if got := k.ExportGenesis(kv); !proto.Equal(got.Params, types.DefaultParams()) {
		t.Fatalf("default params %v", got)
	}
	if got := types.DefaultParams(); got.NoticePeriodSeconds != 604800 || got.MaxCertificationsPerBlock != 1000 {
		t.Fatalf("defaults %v", got)
	}
	custom := &types.GenesisState{Params: &types.Params{NoticePeriodSeconds: 3600, MaxCertificationsPerBlock: 5}}
	kv = openTree(t, custom.Params)
	if got := k.ExportGenesis(kv); !proto.Equal(got, custom) {
		t.Fatalf("exported %v, want %v", got, custom)
	}
	if err := k.SetParams(kv, &types.Params{}); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("error %v", err)
	}
}

func TestHandleOnlyRegistryMessages(t *testing.T) {
	k := newHarness().k
	if _, handled, _ := k.Handle(context.Background(), store.NewBranch(openTree(t, nil)), &idtypes.MsgAddAgent{}); handled {
		t.Fatal("registry handled an identity message")
	}
	if k.Name() != "registry" {
		t.Fatal(k.Name())
	}
}

// TestUnwiredRights: a keeper the app forgot to wire to x/rights fails the
// tx as an internal error (unregistered), without a panic and without
// touching the store it was given.
func TestUnwiredRights(t *testing.T) {
	tree := openTree(t, nil)
	k := keeper.New(newIdentity())
	kv := store.NewBranch(tree)
	ctx := env.WithTx(env.WithBlock(context.Background(), env.Block{Height: 1, Time: t0}), env.Tx{Signer: e1.Address, Actor: e1.Address}, &env.Events{})
	_, err := k.RegisterAsset(ctx, kv, dataset("BZ-1", 1, enterprise, general, noOpen, nil))
	if err == nil {
		t.Fatal("registered without rights")
	}
	if _, code, _ := errs.ABCIInfo(err); code != errs.CodeInternal {
		t.Fatalf("code %d, want internal", code)
	}
	// Asset works without rights: x/rights calls it.
	if _, err := k.Asset(tree, "a-1"); !errors.Is(err, types.ErrAssetNotFound) {
		t.Fatalf("error %v", err)
	}
}

// TestErrorCodes: codes are stable and each names the registry.
func TestErrorCodes(t *testing.T) {
	want := map[uint32]*errs.Error{
		2: types.ErrInvalidField, 3: types.ErrDuplicateCatalogueCode, 4: types.ErrDuplicateContentHash, 5: types.ErrAssetNotFound,
		6: types.ErrNotInNotice, 7: types.ErrNotDisputed, 8: types.ErrNotDataAdmin, 9: types.ErrNotAssessor, 10: types.ErrNotHolder,
		11: types.ErrFrozen, 12: types.ErrNotFrozen, 13: types.ErrCancelled, 14: types.ErrCoreData, 15: types.ErrPublicDataSource,
		16: types.ErrInvalidInputs, 17: types.ErrSourceNotDepartment, 18: types.ErrOwnRegistration, 19: types.ErrNoChange,
		20: types.ErrNotCertified, 21: types.ErrInvalidParams, 22: types.ErrInvalidGenesis,
	}
	n := 0
	for _, e := range errs.All() {
		if e.Codespace() != types.ModuleName {
			continue
		}
		n++
		if want[e.Code()] != e {
			t.Errorf("code %d is %q", e.Code(), e.Error())
		}
	}
	if n != len(want) {
		t.Fatalf("%d registry errors, want %d", n, len(want))
	}
}
