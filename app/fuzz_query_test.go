package app_test

import (
	"context"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/sim"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/query"
	idtypes "github.com/datarights/datarights/x/identity/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// FuzzQuery: arbitrary request bytes at every query path (the fuzzer picks
// the path by index), at any height, with or without a proof, against a
// chain with 30 simulated blocks of state, give an answer or a registered
// error, never a panic (which Query would turn into an internal error) or
// an ABCI error. Query changes nothing, so one chain serves every input.
func FuzzQuery(f *testing.F) {
	g := sim.New(f, 1)
	g.Blocks(30)
	a := g.Driver().App
	paths := append(a.QueryPaths(), app.PathNonce, "/no/such/path")
	page, _ := proto.Marshal(&query.PageRequest{Limit: query.MaxLimit + 1, Key: []byte{0xff}})
	party, _ := proto.Marshal(&idtypes.QueryPartyRequest{Address: apptest.Addr(sim.Admin)})
	right, _ := proto.Marshal(&rightstypes.QueryRightRequest{Id: "r-1"})
	for i := range paths {
		f.Add(uint8(i), []byte(nil), int64(0), false)
		f.Add(uint8(i), party, int64(5), true)
		f.Add(uint8(i), right, int64(0), false)
	}
	f.Add(uint8(0), page, int64(-1), false)
	f.Add(uint8(1), []byte{0xff, 0xff, 0xff}, int64(1<<40), true)
	f.Add(uint8(2), []byte(apptest.Addr(sim.Ent)), int64(0), false)
	f.Fuzz(func(t *testing.T, pathIndex uint8, data []byte, height int64, prove bool) {
		path := paths[int(pathIndex)%len(paths)]
		r, err := a.Query(context.Background(), &abci.RequestQuery{Path: path, Data: data, Height: height, Prove: prove})
		if err != nil {
			t.Fatalf("%s: Query returned an ABCI error: %v", path, err)
		}
		if r.Code != abci.CodeTypeOK && (r.Codespace == "" || r.Code == errs.CodeInternal) {
			t.Fatalf("%s %x at %d: unregistered error %s/%d %q", path, data, height, r.Codespace, r.Code, r.Log)
		}
	})
}

// FuzzGenesis: any app_state bytes given to InitChain are loaded or
// refused with an error; never a panic. Seeds are the simulation's and the
// app tests' genesis states and near misses.
func FuzzGenesis(f *testing.F) {
	for _, gs := range []func() []byte{
		func() []byte { b, _ := app.MarshalGenesis(sim.Genesis()); return b },
		func() []byte { b, _ := app.MarshalGenesis(testGenesis()); return b },
	} {
		b := gs()
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"identity":{"parties":[{"address":"0x0"}]}}`))
	f.Fuzz(func(t *testing.T, state []byte) {
		d := apptest.New(t)
		_, err := d.App.InitChain(context.Background(), &abci.RequestInitChain{
			ChainId: apptest.ChainID, AppStateBytes: state, InitialHeight: 1, Time: apptest.StartTime})
		if err == nil && len(d.Tree.WorkingHash()) == 0 {
			t.Fatal("genesis loaded without an app hash")
		}
	})
}
