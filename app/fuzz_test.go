package app_test

import (
	"context"
	"slices"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/libs/log"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
)

// fuzzSeeds are txs for the seed corpus: valid ones and near misses.
func fuzzSeeds(t testing.TB) [][]byte {
	d := newChain(t)
	valid := d.Sign(dept, 0, msgRegister(apptest.Addr(fresh[0]), "seed", enterprise, apptest.OrgCode(100)))
	multi := d.Sign(admin, 0,
		msgRegister(apptest.Addr(fresh[1]), "seed", individual, ""),
		msgSuspend(apptest.Addr(fresh[1]), "seed"),
		msgReactivate(apptest.Addr(fresh[1]), "seed"),
		msgUpdate(apptest.Addr(fresh[1]), "renamed", ""),
		msgAddAgent(apptest.Addr(fresh[2])),
		msgRemoveAgent(apptest.Addr(fresh[2])),
	)
	return [][]byte{
		valid,
		multi,
		withSig(t, valid, highSTwin),
		append(slices.Clone(valid), unknownField...),
		d.Sign(fresh[9], 0, msgAddAgent(apptest.Addr(fresh[3]))),
		d.SignBody(dept, &tx.TxBody{ChainId: "other", Signer: apptest.Addr(dept), Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[3]))}}),
		valid[:len(valid)/2],
		{},
		{0x0a, 0x00, 0x12, 0x41},
	}
}

// FuzzCheckTx: any bytes offered to the mempool get a result, never a
// panic or an error; a tx admitted once is not admitted again.
//
// One initialised app serves every input (CheckTx changes nothing but the
// pending nonces), and is replaced after an input it admits, so that each
// input meets the same state and a failure reproduces from its input alone.
func FuzzCheckTx(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	var a *app.App
	fresh := func() {
		var err error
		if a, err = bareApp(); err != nil {
			panic(err) // not the input's fault: the fixture is broken
		}
	}
	fresh()
	check := func(t *testing.T, raw []byte) *abci.ResponseCheckTx {
		r, err := a.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: raw, Type: abci.CheckTxType_New})
		if err != nil {
			t.Fatalf("CheckTx returned an error: %v", err)
		}
		return r
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := check(t, raw)
		if r.Code != abci.CodeTypeOK {
			if r.Codespace == "" || r.Log == "" {
				t.Fatalf("rejection without codespace or log: %v", r)
			}
			return
		}
		defer fresh()
		if _, err := tx.Decode(apptest.ChainID, raw); err != nil {
			t.Fatalf("admitted a tx that does not decode: %v", err)
		}
		if again := check(t, raw); again.Code == abci.CodeTypeOK {
			t.Fatal("admitted the same tx twice")
		}
	})
}

// bareApp returns an app initialised with testGenesis, over memdb, tied to
// no test (fuzz targets may not use the *testing.F inside the target).
func bareApp() (*app.App, error) {
	tree, err := store.OpenDB(dbm.NewMemDB(), store.DefaultOptions())
	if err != nil {
		return nil, err
	}
	a, err := app.New(tree, log.NewNopLogger())
	if err != nil {
		return nil, err
	}
	state, err := app.MarshalGenesis(testGenesis())
	if err != nil {
		return nil, err
	}
	_, err = a.InitChain(context.Background(), &abci.RequestInitChain{ChainId: apptest.ChainID, AppStateBytes: state, InitialHeight: 1, Time: apptest.StartTime})
	return a, err
}

// FuzzFinalizeBlock: a block of arbitrary txs, including an arbitrary body
// correctly signed (so that the fuzzer reaches the message handlers), never
// panics or errors and gives one result per tx; Commit succeeds; and no tx
// succeeds again when the same txs come in the next block.
func FuzzFinalizeBlock(f *testing.F) {
	seeds := fuzzSeeds(f)
	for i, s := range seeds {
		body := decodeTx(f, seeds[i%2]).BodyBytes // signed by dept, then admin
		f.Add(s, seeds[(i+1)%len(seeds)], body)
	}
	f.Fuzz(func(t *testing.T, a, b, body []byte) {
		// The body is signed by both keys that the seeds name as signer; a
		// mutated signer field makes both wrong-signer txs, which is fine.
		signed := signRawBody(t, dept, apptest.ChainID, body)
		txs := [][]byte{a, b, signed, signRawBody(t, admin, apptest.ChainID, body), signed}
		d := newChain(t)
		first := d.Block(txs...) // fails the test on an error or a missing result
		again := d.Block(txs...)
		for i, r := range again.TxResults {
			if r.Code == abci.CodeTypeOK && first.TxResults[i].Code == abci.CodeTypeOK {
				t.Fatalf("tx %d succeeded twice", i)
			}
		}
	})
}
