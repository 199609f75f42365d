package app_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"maps"
	"math/big"
	"slices"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/app/sim"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/query"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/tx"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	provtypes "github.com/datarights/datarights/x/provenance/types"
)

// The fixture: three departments (the first is the data admin), one
// enterprise from genesis (an auditor), and fresh keys for everything else.
var (
	keys  = sim.Keys
	admin = keys[0] // department, data admin
	dept  = keys[1] // department
	dept2 = keys[2] // department
	ent   = keys[3] // enterprise from genesis, auditor
	fresh = keys[4:]
)

const (
	enterprise  = idtypes.PartyKind_PARTY_KIND_ENTERPRISE
	institution = idtypes.PartyKind_PARTY_KIND_INSTITUTION
	individual  = idtypes.PartyKind_PARTY_KIND_INDIVIDUAL
	department  = idtypes.PartyKind_PARTY_KIND_DEPARTMENT
)

func testGenesis() *genesis.GenesisState {
	return apptest.Genesis(
		apptest.Department(admin, 1, 10, idtypes.Role_ROLE_DATA_ADMIN),
		apptest.Department(dept, 2, 10),
		apptest.Department(dept2, 3, 20),
		apptest.Party(ent, enterprise, 4, idtypes.Role_ROLE_AUDITOR),
	)
}

// newChain returns a driver initialised with testGenesis.
func newChain(t testing.TB) *apptest.Driver {
	t.Helper()
	d := apptest.New(t)
	d.InitChain(testGenesis())
	return d
}

// Message builders, shared with the simulation.
var (
	msgRegister    = sim.MsgRegister
	msgUpdate      = sim.MsgUpdate
	msgSuspend     = sim.MsgSuspend
	msgReactivate  = sim.MsgReactivate
	msgAddAgent    = sim.MsgAddAgent
	msgRemoveAgent = sim.MsgRemoveAgent
)

// checkCode fails unless (space, code) is want's, or success when want is
// nil.
func checkCode(t testing.TB, what, space string, code uint32, log string, want *errs.Error) {
	t.Helper()
	if want == nil {
		if code != abci.CodeTypeOK {
			t.Fatalf("%s: got %s/%d %q, want success", what, space, code, log)
		}
		return
	}
	if space != want.Codespace() || code != want.Code() {
		t.Fatalf("%s: got %s/%d %q, want %s/%d (%v)", what, space, code, log, want.Codespace(), want.Code(), want)
	}
}

// Envelope manipulations.

func decodeTx(t testing.TB, raw []byte) *tx.Tx {
	t.Helper()
	var x tx.Tx
	if err := proto.Unmarshal(raw, &x); err != nil {
		t.Fatalf("decode tx: %v", err)
	}
	return &x
}

func encodeTx(t testing.TB, x *tx.Tx) []byte {
	t.Helper()
	raw, err := proto.Marshal(x)
	if err != nil {
		t.Fatalf("encode tx: %v", err)
	}
	return raw
}

var (
	withSig   = apptest.WithSig
	highSTwin = apptest.HighSTwin
)

// unknownField is field 15 as a varint: in no datarights message.
var unknownField = []byte{15<<3 | 0, 1}

// signRawBody signs body bytes exactly as given (which may not be a
// canonical encoding) for chainID.
func signRawBody(t testing.TB, key *ecdsa.PrivateKey, chainID string, body []byte) []byte {
	t.Helper()
	sig, err := crypto.Sign(tx.SignHash(chainID, body), key)
	if err != nil {
		t.Fatal(err)
	}
	return encodeTx(t, &tx.Tx{BodyBytes: body, Signature: sig})
}

func TestInitChain(t *testing.T) {
	d := apptest.New(t)
	info, _ := d.App.Info(context.Background(), &abci.RequestInfo{})
	if info.LastBlockHeight != 0 || len(info.LastBlockAppHash) != 0 {
		t.Fatalf("fresh app Info: height %d hash %X, want 0 and none", info.LastBlockHeight, info.LastBlockAppHash)
	}

	resp := d.InitChain(testGenesis())
	want := []abci.ValidatorUpdate{
		abci.Ed25519ValidatorUpdate(apptest.ValidatorKey(1), 10),
		abci.Ed25519ValidatorUpdate(apptest.ValidatorKey(2), 10),
		abci.Ed25519ValidatorUpdate(apptest.ValidatorKey(3), 20),
	}
	if !sameValidatorSet(resp.Validators, want) {
		t.Fatalf("InitChain validators = %v, want the three departments' %v", resp.Validators, want)
	}
	if len(resp.AppHash) != 32 || !bytes.Equal(resp.AppHash, d.AppHash()) {
		t.Fatalf("InitChain app hash %X, working hash %X", resp.AppHash, d.AppHash())
	}

	info, _ = d.App.Info(context.Background(), &abci.RequestInfo{})
	if info.LastBlockHeight != 0 || len(info.LastBlockAppHash) != 0 {
		t.Fatalf("Info after InitChain: height %d hash %X, want nothing committed", info.LastBlockHeight, info.LastBlockAppHash)
	}
	if info.Data != app.AppName || info.AppVersion != app.Version {
		t.Fatalf("Info names %q v%d", info.Data, info.AppVersion)
	}

	fb := d.Finalize()
	info, _ = d.App.Info(context.Background(), &abci.RequestInfo{})
	if info.LastBlockHeight != 0 {
		t.Fatalf("Info after an uncommitted block: height %d, want 0", info.LastBlockHeight)
	}
	d.Commit()
	info, _ = d.App.Info(context.Background(), &abci.RequestInfo{})
	if info.LastBlockHeight != 1 || !bytes.Equal(info.LastBlockAppHash, fb.AppHash) {
		t.Fatalf("Info after commit: height %d hash %X, want 1 and %X", info.LastBlockHeight, info.LastBlockAppHash, fb.AppHash)
	}

	// A second app from the same genesis has the same genesis hash.
	if other := apptest.New(t).InitChain(testGenesis()); !bytes.Equal(other.AppHash, resp.AppHash) {
		t.Fatalf("same genesis, different app hashes %X and %X", other.AppHash, resp.AppHash)
	}
}

func sameValidatorSet(a, b []abci.ValidatorUpdate) bool {
	key := func(vs []abci.ValidatorUpdate) []string {
		var out []string
		for _, v := range vs {
			out = append(out, string(v.PubKey.GetEd25519())+"/"+big.NewInt(v.Power).String())
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

func TestInitChainRejectsInvalidGenesis(t *testing.T) {
	gen := func(edit func(ps []*idtypes.Party) []*idtypes.Party) *genesis.GenesisState {
		gs := testGenesis()
		gs.Identity.Parties = edit(gs.Identity.Parties)
		return gs
	}
	lower := func(s string) string { return "0x" + strings.ToLower(s[2:]) }
	cases := []struct {
		name string
		gs   *genesis.GenesisState
		want *errs.Error // nil: any error will do
	}{
		{"no department", apptest.Genesis(apptest.Party(ent, enterprise, 4)), idtypes.ErrInvalidGenesis},
		{"no parties", apptest.Genesis(), idtypes.ErrInvalidGenesis},
		{"duplicate address", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			return append(ps, apptest.Party(dept, enterprise, 9))
		}), idtypes.ErrInvalidGenesis},
		{"address not canonical", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[3].Address = lower(ps[3].Address)
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"bad org code", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[1].OrgCode = ps[1].OrgCode[:17] + "0"
			if ps[1].OrgCode == apptest.OrgCode(2) {
				ps[1].OrgCode = ps[1].OrgCode[:17] + "1"
			}
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"duplicate org code", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[3].OrgCode = ps[0].OrgCode
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"department without validator", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[2].Validator = nil
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"department with zero power", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[2].Validator.Power = 0
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"validator key of the wrong size", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[2].Validator.PubKey = ps[2].Validator.PubKey[:31]
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"enterprise with a validator", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[3].Validator = ps[0].Validator
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"individual with org code", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			p := apptest.Party(fresh[0], individual, 9)
			p.OrgCode = apptest.OrgCode(9)
			return append(ps, p)
		}), idtypes.ErrInvalidGenesis},
		{"suspended party", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[3].Status = idtypes.PartyStatus_PARTY_STATUS_SUSPENDED
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"agent that is a party", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[0].Agents = []string{apptest.Addr(fresh[0])}
			ps[3].Agents = []string{apptest.Addr(fresh[0])}
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"agent of two parties in different letter case", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[0].Agents = []string{apptest.Addr(fresh[0])}
			ps[3].Agents = []string{lower(apptest.Addr(fresh[0]))}
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"agent that is another party, in lower case", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[0].Agents = []string{lower(ps[3].Address)}
			return ps
		}), idtypes.ErrInvalidGenesis},
		{"two departments with one validator key", gen(func(ps []*idtypes.Party) []*idtypes.Party {
			ps[1].Validator.PubKey = ps[0].Validator.PubKey
			return ps
		}), idtypes.ErrInvalidGenesis},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := apptest.New(t)
			_, err := d.TryInitChain(tc.gs)
			if err == nil {
				t.Fatal("invalid genesis accepted")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}

	raw := []struct {
		name, chainID string
		state         []byte
	}{
		{"empty app_state", apptest.ChainID, nil},
		{"app_state not JSON", apptest.ChainID, []byte("{")},
		{"unknown field in app_state", apptest.ChainID, []byte(`{"identity":{},"tokens":1}`)},
		{"empty chain id", "", []byte(`{}`)},
	}
	for _, tc := range raw {
		t.Run(tc.name, func(t *testing.T) {
			d := apptest.New(t)
			if _, err := d.App.InitChain(context.Background(), &abci.RequestInitChain{ChainId: tc.chainID, AppStateBytes: tc.state}); err == nil {
				t.Fatal("invalid InitChain accepted")
			}
		})
	}

	t.Run("genesis.json validators differ, then retried", func(t *testing.T) {
		d := apptest.New(t)
		state, err := app.MarshalGenesis(testGenesis())
		if err != nil {
			t.Fatal(err)
		}
		req := &abci.RequestInitChain{ChainId: apptest.ChainID, AppStateBytes: state, InitialHeight: 1,
			Validators: []abci.ValidatorUpdate{abci.Ed25519ValidatorUpdate(apptest.ValidatorKey(99), 10)}}
		if _, err := d.App.InitChain(context.Background(), req); err == nil {
			t.Fatal("InitChain accepted validators that are not the departments'")
		}
		// A retried InitChain starts again from empty state.
		req.Validators = nil
		resp, err := d.App.InitChain(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if clean := newChain(t).AppHash(); !bytes.Equal(resp.AppHash, clean) {
			t.Fatalf("retried InitChain hash %X, clean %X", resp.AppHash, clean)
		}
	})
}

func TestCheckTx(t *testing.T) {
	reg := func(i int) *tx.Msg {
		return msgRegister(apptest.Addr(fresh[i]), "enterprise", enterprise, apptest.OrgCode(100+i))
	}
	// Every case starts from a chain whose block 1 has the data admin
	// (nonce 0) suspend the genesis enterprise.
	setup := func(t *testing.T) (*apptest.Driver, []byte) {
		d := newChain(t)
		committed := d.Sign(admin, 0, msgSuspend(apptest.Addr(ent), "audit finding"))
		d.BlockOK(committed)
		return d, committed
	}
	cases := []struct {
		name string
		raw  func(t *testing.T, d *apptest.Driver, committed []byte) []byte
		want *errs.Error // nil: accepted
	}{
		{"valid", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(dept, 0, reg(1))
		}, nil},
		{"valid, next nonce after a committed tx", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(admin, 1, reg(1))
		}, nil},
		{"message that will fail in the block (not executed by CheckTx)", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(dept, 0, msgRegister(apptest.Addr(fresh[1]), "x", department, apptest.OrgCode(101)))
		}, nil},
		{"wrong chain id", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.SignBody(dept, &tx.TxBody{ChainId: "other-chain", Signer: apptest.Addr(dept), Messages: []*tx.Msg{reg(1)}})
		}, tx.ErrWrongChain},
		{"signature v out of range", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return withSig(t, d.Sign(dept, 0, reg(1)), func(sig []byte) []byte { sig[64] += 27; return sig })
		}, tx.ErrBadSignature},
		{"signature r zero", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return withSig(t, d.Sign(dept, 0, reg(1)), func(sig []byte) []byte { clear(sig[:32]); return sig })
		}, tx.ErrBadSignature},
		{"signature too short", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return withSig(t, d.Sign(dept, 0, reg(1)), func(sig []byte) []byte { return sig[:64] })
		}, tx.ErrBadSignature},
		{"tampered signature", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			// s-1 is still low: the signature recovers, to some other key.
			return withSig(t, d.Sign(dept, 0, reg(1)), func(sig []byte) []byte {
				s := new(big.Int).SetBytes(sig[32:64])
				s.Sub(s, big.NewInt(1)).FillBytes(sig[32:64])
				return sig
			})
		}, tx.ErrWrongSigner},
		{"high-S twin", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return withSig(t, d.Sign(dept, 0, reg(1)), highSTwin)
		}, tx.ErrHighS},
		{"signer field names another party", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.SignBody(dept, &tx.TxBody{ChainId: d.ChainID, Signer: apptest.Addr(dept2), Messages: []*tx.Msg{reg(1)}})
		}, tx.ErrWrongSigner},
		{"signer field not an address", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.SignBody(dept, &tx.TxBody{ChainId: d.ChainID, Signer: "dept", Messages: []*tx.Msg{reg(1)}})
		}, tx.ErrMalformed},
		{"unknown signer", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(fresh[10], 0, reg(1))
		}, idtypes.ErrUnknownSigner},
		{"suspended signer", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(ent, 0, msgAddAgent(apptest.Addr(fresh[1])))
		}, idtypes.ErrPartySuspended},
		{"garbage bytes", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return []byte("\xff\xff\xff not a tx")
		}, tx.ErrMalformed},
		{"empty tx", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return nil
		}, tx.ErrBadSignature},
		{"oversize", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return make([]byte, tx.MaxTxBytes+1)
		}, tx.ErrTooLarge},
		{"unknown field in the envelope", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return append(d.Sign(dept, 0, reg(1)), unknownField...)
		}, tx.ErrUnknownField},
		{"unknown field in the signed body", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			body, err := proto.Marshal(&tx.TxBody{ChainId: d.ChainID, Signer: apptest.Addr(dept), Messages: []*tx.Msg{reg(1)}})
			if err != nil {
				t.Fatal(err)
			}
			return signRawBody(t, dept, d.ChainID, append(body, unknownField...))
		}, tx.ErrUnknownField},
		{"no messages", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(dept, 0)
		}, tx.ErrNoMessages},
		{"empty message", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(dept, 0, &tx.Msg{})
		}, tx.ErrMalformed},
		{"too many messages", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			msgs := make([]*tx.Msg, tx.MaxMessages+1)
			for i := range msgs {
				msgs[i] = reg(1)
			}
			return d.Sign(dept, 0, msgs...)
		}, tx.ErrTooManyMessages},
		{"memo too long", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.SignBody(dept, &tx.TxBody{ChainId: d.ChainID, Signer: apptest.Addr(dept), Messages: []*tx.Msg{reg(1)},
				Memo: strings.Repeat("m", tx.MaxMemoBytes+1)})
		}, tx.ErrMemoTooLong},
		{"replayed nonce", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(admin, 0, reg(1))
		}, tx.ErrBadNonce},
		{"replay of a committed tx", func(t *testing.T, d *apptest.Driver, committed []byte) []byte {
			return committed
		}, tx.ErrBadNonce},
		{"future nonce", func(t *testing.T, d *apptest.Driver, _ []byte) []byte {
			return d.Sign(dept, 1, reg(1))
		}, tx.ErrBadNonce},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, committed := setup(t)
			raw := tc.raw(t, d, committed)
			before := d.AppHash()
			r := d.CheckTx(raw)
			checkCode(t, "CheckTx", r.Codespace, r.Code, r.Log, tc.want)
			if tc.want != nil && !strings.HasPrefix(r.Log, tc.want.Error()) {
				t.Fatalf("log %q does not start with %q", r.Log, tc.want.Error())
			}
			if !bytes.Equal(before, d.AppHash()) {
				t.Fatal("CheckTx changed the state")
			}
		})
	}

	t.Run("before InitChain", func(t *testing.T) {
		d := apptest.New(t)
		r := d.CheckTx(d.Sign(dept, 0, reg(1)))
		checkCode(t, "CheckTx", r.Codespace, r.Code, r.Log, tx.ErrNotReady)
	})
}

// The high-S twin in TestCheckTx must really be a twin: the same key
// recovers from it, so only the low-S rule stands between it and a second
// id for one signed tx.
func TestHighSTwinRecoversSameKey(t *testing.T) {
	d := newChain(t)
	x := decodeTx(t, d.Sign(dept, 0, msgAddAgent(apptest.Addr(fresh[0]))))
	twin := highSTwin(slices.Clone(x.Signature))
	pub, err := crypto.SigToPub(tx.SignHash(d.ChainID, x.BodyBytes), twin)
	if err != nil {
		t.Skipf("this secp256k1 library refuses high-S on recovery: %v", err)
	}
	if got := crypto.PubkeyToAddress(*pub).Hex(); got != apptest.Addr(dept) {
		t.Fatalf("twin recovers %s, want %s", got, apptest.Addr(dept))
	}
}

func TestCheckTxPendingNonce(t *testing.T) {
	d := newChain(t)
	signer := apptest.Addr(dept)
	tx0 := d.Sign(dept, 0, msgRegister(apptest.Addr(fresh[0]), "a", enterprise, apptest.OrgCode(100)))
	tx1 := d.Sign(dept, 1, msgRegister(apptest.Addr(fresh[1]), "b", individual, ""))
	for i, raw := range [][]byte{tx0, tx1} {
		r := d.CheckTx(raw)
		checkCode(t, "CheckTx", r.Codespace, r.Code, r.Log, nil)
		if c, p := d.Nonce(signer); c != 0 || p != uint64(i+1) {
			t.Fatalf("after tx %d: nonces committed %d pending %d", i, c, p)
		}
	}
	for _, raw := range [][]byte{tx1, d.Sign(dept, 3, msgAddAgent(apptest.Addr(fresh[2])))} {
		r := d.CheckTx(raw)
		checkCode(t, "CheckTx of a used or skipped pending nonce", r.Codespace, r.Code, r.Log, tx.ErrBadNonce)
	}

	d.BlockOK(tx0, tx1)
	if c, p := d.Nonce(signer); c != 2 || p != 2 {
		t.Fatalf("after the block: nonces committed %d pending %d, want 2 and 2", c, p)
	}
	r := d.CheckTx(d.Sign(dept, 2, msgAddAgent(apptest.Addr(fresh[2]))))
	checkCode(t, "CheckTx after commit", r.Codespace, r.Code, r.Log, nil)
	r = d.CheckTx(tx1)
	checkCode(t, "CheckTx of a committed tx", r.Codespace, r.Code, r.Log, tx.ErrBadNonce)
}

// A proposer may include txs CheckTx would reject; FinalizeBlock must give
// each an error result and leave the state exactly as if it were absent.
func TestFinalizeBlockRejects(t *testing.T) {
	a, b := newChain(t), newChain(t)
	first := a.Sign(dept, 0, msgRegister(apptest.Addr(fresh[0]), "first", enterprise, apptest.OrgCode(100)))
	a.BlockOK(first)
	b.BlockOK(first)

	valid := a.Sign(dept, 1, msgRegister(apptest.Addr(fresh[1]), "second", institution, apptest.OrgCode(101)))
	bad := []struct {
		name string
		raw  []byte
		want *errs.Error
	}{
		{"replay of a committed tx", first, tx.ErrBadNonce},
		{"nonce too low", a.Sign(dept, 0, msgAddAgent(apptest.Addr(fresh[2]))), tx.ErrBadNonce},
		{"nonce too high", a.Sign(dept, 5, msgAddAgent(apptest.Addr(fresh[2]))), tx.ErrBadNonce},
		{"wrong chain", a.SignBody(dept, &tx.TxBody{ChainId: "other", Signer: apptest.Addr(dept), Nonce: 1,
			Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[2]))}}), tx.ErrWrongChain},
		{"high-S twin", withSig(t, valid, highSTwin), tx.ErrHighS},
		// dept's key, a body naming the data admin at its next nonce.
		{"right key for another signer field", a.SignBody(dept, &tx.TxBody{ChainId: a.ChainID, Signer: apptest.Addr(admin), Nonce: 0,
			Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[2]))}}), tx.ErrWrongSigner},
		{"unknown signer", a.Sign(fresh[3], 0, msgAddAgent(apptest.Addr(fresh[2]))), idtypes.ErrUnknownSigner},
		{"garbage", []byte{0x0a, 0xff}, tx.ErrMalformed},
	}
	txs := [][]byte{}
	for _, c := range bad {
		txs = append(txs, c.raw)
	}
	txs = append(txs, valid)
	// The valid tx also appears twice: its second copy is a replay in the
	// same block.
	txs = append(txs, valid)

	ra := a.Block(txs...)
	rb := b.Block(valid)
	for i, c := range bad {
		r := ra.TxResults[i]
		checkCode(t, c.name, r.Codespace, r.Code, r.Log, c.want)
		if len(r.Events) != 0 || len(r.Data) != 0 {
			t.Fatalf("%s: failed tx has events %v data %X", c.name, r.Events, r.Data)
		}
	}
	n := len(bad)
	checkCode(t, "valid tx", ra.TxResults[n].Codespace, ra.TxResults[n].Code, ra.TxResults[n].Log, nil)
	checkCode(t, "same tx again", ra.TxResults[n+1].Codespace, ra.TxResults[n+1].Code, ra.TxResults[n+1].Log, tx.ErrBadNonce)
	if !proto.Equal(decodeResult(t, ra.TxResults[n].Data), decodeResult(t, rb.TxResults[0].Data)) {
		t.Fatal("the valid tx's data depends on the rejected txs around it")
	}
	// The valid tx's history entries name its position in the block
	// (tx_index, which an auditor needs to find it), and that position
	// moved; everything else is exactly as if the rejected txs were absent.
	if !testkit.SameDump(withoutHistory(testkit.Dump(a.Tree)), withoutHistory(testkit.Dump(b.Tree))) {
		t.Fatal("rejected txs changed the state")
	}
	party := apptest.Addr(fresh[1])
	ha, hb := history(t, a, party), history(t, b, party)
	if len(ha) != 1 || len(hb) != 1 || ha[0].TxIndex != uint32(n) || hb[0].TxIndex != 0 {
		t.Fatalf("history of %s: %v with the rejected txs, %v without; want one entry each, at tx %d and 0", party, ha, hb, n)
	}
	ha[0].TxIndex = 0
	if !proto.Equal(ha[0], hb[0]) {
		t.Fatalf("history entries differ in more than the tx position: %v and %v", ha[0], hb[0])
	}
}

// withoutHistory drops x/provenance's keys from a state dump.
func withoutHistory(d []testkit.Pair) []testkit.Pair {
	var out []testkit.Pair
	for _, p := range d {
		if !bytes.HasPrefix(p.Key, provtypes.StorePrefix) {
			out = append(out, p)
		}
	}
	return out
}

// history reads an entity's history from the working state.
func history(t testing.TB, d *apptest.Driver, id string) []*provtypes.HistoryEntry {
	t.Helper()
	var out []*provtypes.HistoryEntry
	it := d.Tree.Iterator(provtypes.HistoryPrefix(id), store.PrefixEnd(provtypes.HistoryPrefix(id)))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		e := &provtypes.HistoryEntry{}
		if err := proto.Unmarshal(it.Value(), e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func decodeResult(t testing.TB, data []byte) *tx.TxResultData {
	t.Helper()
	var r tx.TxResultData
	if err := proto.Unmarshal(data, &r); err != nil {
		t.Fatalf("decode tx result data: %v", err)
	}
	return &r
}

func nonceValue(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// A tx past the envelope checks whose message fails consumes its nonce and
// changes nothing else: its block's app hash equals that of an empty block
// plus the nonce write.
func TestFailedMessageConsumesOnlyNonce(t *testing.T) {
	cases := []struct {
		name string
		msgs []*tx.Msg
		want *errs.Error
	}{
		{"unauthorised update", []*tx.Msg{msgUpdate(apptest.Addr(ent), "renamed", apptest.OrgCode(4))}, idtypes.ErrUnauthorized},
		{"suspending a department", []*tx.Msg{msgSuspend(apptest.Addr(dept2), "no")}, idtypes.ErrDepartmentGoverned},
		// Atomicity: the first message succeeds on the tx's branch, the
		// second fails, and nothing of the first survives.
		{"second message fails", []*tx.Msg{
			msgRegister(apptest.Addr(fresh[0]), "first", enterprise, apptest.OrgCode(100)),
			msgAddAgent(apptest.Addr(fresh[1])),
			msgRegister(apptest.Addr(fresh[2]), "third", enterprise, apptest.OrgCode(100)),
		}, idtypes.ErrOrgCodeTaken},
		{"same party twice in one tx", []*tx.Msg{
			msgRegister(apptest.Addr(fresh[0]), "first", enterprise, apptest.OrgCode(100)),
			msgRegister(apptest.Addr(fresh[0]), "again", individual, ""),
		}, idtypes.ErrPartyExists},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newChain(t), newChain(t)
			signer := apptest.Addr(dept)

			ra := a.Block(a.Sign(dept, 0, tc.msgs...))
			r := ra.TxResults[0]
			checkCode(t, "failing tx", r.Codespace, r.Code, r.Log, tc.want)
			if len(r.Events) != 0 || len(r.Data) != 0 {
				t.Fatalf("failed tx has events %v data %X", r.Events, r.Data)
			}

			// Control: an empty block, then only the nonce write.
			rb := b.Finalize()
			if bytes.Equal(ra.AppHash, rb.AppHash) {
				t.Fatal("the failed tx did not consume its nonce")
			}
			b.Tree.Set(app.NonceKey(signer), nonceValue(1))
			if !bytes.Equal(ra.AppHash, b.AppHash()) {
				t.Fatalf("failed tx changed more than its nonce: hash %X, empty block + nonce %X", ra.AppHash, b.AppHash())
			}
			b.Commit()

			q := a.QueryRaw(app.PathStore, app.NonceKey(signer), 0, false)
			if q.Code != 0 || !bytes.Equal(q.Value, nonceValue(1)) {
				t.Fatalf("stored nonce %X (code %d), want 1", q.Value, q.Code)
			}
			for _, k := range []*ecdsa.PrivateKey{ent, dept, dept2} {
				pa, pb := queryParty(t, a, apptest.Addr(k), 1), queryParty(t, b, apptest.Addr(k), 1)
				if !proto.Equal(pa, pb) {
					t.Fatalf("the failed tx changed party %s: %v, control %v", pa.Address, pa, pb)
				}
			}
			for _, k := range fresh[:3] {
				q := a.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: apptest.Addr(k)}, 0, false)
				checkCode(t, "party of a failed registration", q.Codespace, q.Code, q.Log, idtypes.ErrPartyNotFound)
			}
			// The nonce is spent: the next tx uses 1.
			a.BlockOK(a.Sign(dept, 1, msgAddAgent(apptest.Addr(fresh[5]))))
		})
	}
}

func TestMultiMessageTx(t *testing.T) {
	d := newChain(t)
	res := d.BlockOK(d.Sign(dept, 0,
		msgRegister(apptest.Addr(fresh[0]), "first", enterprise, apptest.OrgCode(100)),
		msgRegister(apptest.Addr(fresh[1]), "second", individual, ""),
		msgAddAgent(apptest.Addr(fresh[2])),
	)).TxResults[0]
	got := decodeResult(t, res.Data)
	want := []string{apptest.Addr(fresh[0]), apptest.Addr(fresh[1]), apptest.Addr(fresh[2])}
	if len(got.Results) != len(want) {
		t.Fatalf("results %v, want ids %v", got.Results, want)
	}
	for i, r := range got.Results {
		if r.Id != want[i] {
			t.Fatalf("result %d id %s, want %s", i, r.Id, want[i])
		}
	}
	// Events: the tx's, then per message its "message" event and its own,
	// each tagged with the message's index.
	var types, indexes []string
	for _, e := range res.Events {
		types = append(types, e.Type)
		for _, a := range e.Attributes {
			if a.Key == "msg_index" {
				indexes = append(indexes, a.Value)
			}
		}
	}
	wantTypes := []string{"tx", "message", idtypes.EventPartyRegistered, "message", idtypes.EventPartyRegistered, "message", idtypes.EventAgentAdded}
	if !slices.Equal(types, wantTypes) {
		t.Fatalf("event types %v, want %v", types, wantTypes)
	}
	if wantIdx := []string{"0", "0", "1", "1", "2", "2"}; !slices.Equal(indexes, wantIdx) {
		t.Fatalf("msg_index attributes %v, want %v", indexes, wantIdx)
	}
}

// An agent signs with its own key and nonce; the tx acts for its party.
func TestAgentActsForParty(t *testing.T) {
	d := newChain(t)
	agent := fresh[0]
	d.BlockOK(d.Sign(dept, 0, msgAddAgent(apptest.Addr(agent))))
	res := d.BlockOK(d.Sign(agent, 0, msgRegister(apptest.Addr(fresh[1]), "by agent", enterprise, apptest.OrgCode(101)))).TxResults[0]
	attrs := map[string]string{}
	for _, a := range res.Events[0].Attributes {
		attrs[a.Key] = a.Value
	}
	if attrs["signer"] != apptest.Addr(agent) || attrs["actor"] != apptest.Addr(dept) {
		t.Fatalf("tx event %v, want signer %s actor %s", attrs, apptest.Addr(agent), apptest.Addr(dept))
	}
	p := queryParty(t, d, apptest.Addr(fresh[1]), 0)
	if p.RegisteredBy != apptest.Addr(dept) {
		t.Fatalf("registered by %s, want the department %s", p.RegisteredBy, apptest.Addr(dept))
	}
	// Once the department's own key removes the agent, it can no longer sign.
	d.BlockOK(d.Sign(dept, 1, msgRemoveAgent(apptest.Addr(agent))))
	r := d.CheckTx(d.Sign(agent, 1, msgAddAgent(apptest.Addr(fresh[2]))))
	checkCode(t, "removed agent", r.Codespace, r.Code, r.Log, idtypes.ErrUnknownSigner)
}

func queryParty(t testing.TB, d *apptest.Driver, a string, height int64) *idtypes.Party {
	t.Helper()
	r := d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: a}, height, false)
	checkCode(t, "query party", r.Codespace, r.Code, r.Log, nil)
	var p idtypes.Party
	if err := proto.Unmarshal(r.Value, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestProposals(t *testing.T) {
	d := newChain(t)
	valid := d.Sign(dept, 0, msgAddAgent(apptest.Addr(fresh[0])))
	valid2 := d.Sign(admin, 0, msgAddAgent(apptest.Addr(fresh[1])))
	// Stateful failures (unknown signer, nonce) are the block's business:
	// a proposal may carry them.
	// (A nonce ahead of the signer's next is not: the proposer leaves it
	// out, see TestPrepareProposalOrdersNonces.)
	stateful := d.Sign(fresh[5], 0, msgAddAgent(apptest.Addr(fresh[2])))
	junk := map[string][]byte{
		"garbage":         []byte("junk"),
		"high-S":          withSig(t, valid, highSTwin),
		"wrong signer":    d.SignBody(dept, &tx.TxBody{ChainId: d.ChainID, Signer: apptest.Addr(admin), Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[0]))}}),
		"wrong chain":     d.SignBody(dept, &tx.TxBody{ChainId: "elsewhere", Signer: apptest.Addr(dept), Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[0]))}}),
		"oversize":        make([]byte, tx.MaxTxBytes+1),
		"unknown field":   append(slices.Clone(valid), unknownField...),
		"empty signature": withSig(t, valid, func([]byte) []byte { return nil }),
	}
	names := slices.Sorted(maps.Keys(junk))

	process := func(txs ...[]byte) abci.ResponseProcessProposal_ProposalStatus {
		r, err := d.App.ProcessProposal(context.Background(), &abci.RequestProcessProposal{Txs: txs, Height: 1, Time: apptest.BlockTime(1)})
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	prepare := func(max int64, txs ...[]byte) [][]byte {
		r, err := d.App.PrepareProposal(context.Background(), &abci.RequestPrepareProposal{Txs: txs, MaxTxBytes: max, Height: 1, Time: apptest.BlockTime(1)})
		if err != nil {
			t.Fatal(err)
		}
		return r.Txs
	}
	accept, reject := abci.ResponseProcessProposal_ACCEPT, abci.ResponseProcessProposal_REJECT

	if s := process(); s != accept {
		t.Fatalf("empty proposal: %v", s)
	}
	if s := process(valid, stateful, valid2); s != accept {
		t.Fatalf("valid proposal: %v", s)
	}
	for _, name := range names {
		if s := process(valid, junk[name], valid2); s != reject {
			t.Errorf("proposal with %s tx: %v, want REJECT", name, s)
		}
		got := prepare(1<<20, valid, junk[name], stateful, valid2)
		if want := [][]byte{valid, stateful, valid2}; !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("PrepareProposal with %s tx kept %d txs, want the 3 valid ones in order", name, len(got))
		}
	}
	// The byte limit: only what fits, in order, counted as CometBFT counts
	// it (each tx's protobuf framing included); a proposer whose
	// PrepareProposal returns more panics in CreateProposalBlock.
	two := cmttypes.ComputeProtoSizeForTxs(cmttypes.ToTxs([][]byte{valid, stateful}))
	for _, c := range []struct {
		max  int64
		want int
	}{
		{two, 2},
		{two - 1, 1},
		{int64(len(valid) + len(stateful)), 1}, // the raw bytes alone would fit
		{int64(len(valid)), 0},
		{0, 0},
	} {
		got := prepare(c.max, valid, stateful, valid2)
		if len(got) != c.want {
			t.Errorf("PrepareProposal with %d bytes kept %d txs, want %d", c.max, len(got), c.want)
		}
		if err := cmttypes.ToTxs(got).Validate(c.max); err != nil {
			t.Errorf("PrepareProposal with %d bytes: CometBFT would refuse the block: %v", c.max, err)
		}
	}
}

// verifyProof checks a query response's proof against an app hash: a
// membership proof of (key, value) if present, else a non-membership proof
// of key.
func verifyProof(t testing.TB, r *abci.ResponseQuery, appHash []byte, present bool) {
	t.Helper()
	if r.ProofOps == nil || len(r.ProofOps.Ops) != 1 {
		t.Fatalf("want one proof op, got %v", r.ProofOps)
	}
	op := r.ProofOps.Ops[0]
	if op.Type != app.ProofOpType || !bytes.Equal(op.Key, r.Key) {
		t.Fatalf("proof op type %q key %X, response key %X", op.Type, op.Key, r.Key)
	}
	var p ics23.CommitmentProof
	if err := p.Unmarshal(op.Data); err != nil {
		t.Fatalf("decode proof: %v", err)
	}
	if present {
		if !ics23.VerifyMembership(ics23.IavlSpec, appHash, &p, r.Key, r.Value) {
			t.Fatalf("membership proof of %X does not verify against %X", r.Key, appHash)
		}
		if ics23.VerifyMembership(ics23.IavlSpec, appHash, &p, r.Key, append(slices.Clone(r.Value), 0)) {
			t.Fatal("membership proof verifies a different value")
		}
		return
	}
	if !ics23.VerifyNonMembership(ics23.IavlSpec, appHash, &p, r.Key) {
		t.Fatalf("non-membership proof of %X does not verify against %X", r.Key, appHash)
	}
}

func TestQueryProofs(t *testing.T) {
	d := newChain(t)
	x, y := apptest.Addr(fresh[0]), apptest.Addr(fresh[1])
	h1 := d.BlockOK(d.Sign(dept, 0, msgRegister(x, "old name", enterprise, apptest.OrgCode(100)))).AppHash
	h2 := d.BlockOK(d.Sign(dept, 1, msgUpdate(x, "new name", apptest.OrgCode(100)))).AppHash
	xKey := idkeeper.FullPartyKey(address.Bytes(x))

	for _, tc := range []struct {
		height int64
		hash   []byte
		name   string
	}{{1, h1, "old name"}, {2, h2, "new name"}, {0, h2, "new name"}} {
		r := d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: x}, tc.height, true)
		checkCode(t, "query party", r.Codespace, r.Code, r.Log, nil)
		if !bytes.Equal(r.Key, xKey) {
			t.Fatalf("height %d: key %X, want %X", tc.height, r.Key, xKey)
		}
		if p := queryParty(t, d, x, tc.height); p.Name != tc.name {
			t.Fatalf("height %d: name %q, want %q", tc.height, p.Name, tc.name)
		}
		verifyProof(t, r, tc.hash, true)
	}

	// Absent: the error code, and a proof of absence.
	r := d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: y}, 2, true)
	checkCode(t, "query absent party", r.Codespace, r.Code, r.Log, idtypes.ErrPartyNotFound)
	verifyProof(t, r, h2, false)

	// Any key, through /store/key: the nonce the two txs left.
	r = d.QueryRaw(app.PathStore, app.NonceKey(apptest.Addr(dept)), 2, true)
	if !bytes.Equal(r.Value, nonceValue(2)) {
		t.Fatalf("nonce value %X", r.Value)
	}
	verifyProof(t, r, h2, true)
	r = d.QueryRaw(app.PathStore, app.NonceKey(y), 1, true)
	checkCode(t, "absent store key", r.Codespace, r.Code, r.Log, query.ErrNotFound)
	verifyProof(t, r, h1, false)

	bad := []struct {
		name string
		r    *abci.ResponseQuery
		want *errs.Error
	}{
		{"unknown path", d.QueryRaw("/identity/nothing", nil, 0, false), query.ErrUnknownPath},
		{"future height", d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: x}, 3, false), query.ErrHeightNotFound},
		{"negative height", d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: x}, -1, false), query.ErrHeightNotFound},
		{"undecodable request", d.QueryRaw(app.PathParty, []byte{0xff}, 0, false), query.ErrBadRequest},
		{"bad address", d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: "0x12"}, 0, false), idtypes.ErrInvalidAddress},
		{"empty store key", d.QueryRaw(app.PathStore, nil, 0, true), query.ErrBadRequest},
		{"nonce of a short address", d.QueryRaw(app.PathNonce, []byte{1, 2}, 0, false), query.ErrBadRequest},
	}
	for _, c := range bad {
		checkCode(t, c.name, c.r.Codespace, c.r.Code, c.r.Log, c.want)
	}
}

func TestQueryParties(t *testing.T) {
	d := newChain(t)
	var msgs []*tx.Msg
	kinds := []idtypes.PartyKind{enterprise, institution, individual, enterprise, individual, institution, enterprise}
	for i, k := range kinds {
		code := ""
		if idtypes.IsOrganisation(k) {
			code = apptest.OrgCode(100 + i)
		}
		msgs = append(msgs, msgRegister(apptest.Addr(fresh[i]), "party", k, code))
	}
	d.BlockOK(d.Sign(dept, 0, msgs...))

	// Expected: every party, in address (byte) order.
	all := []string{apptest.Addr(admin), apptest.Addr(dept), apptest.Addr(dept2), apptest.Addr(ent)}
	byKind := map[idtypes.PartyKind][]string{department: all[:3:3], enterprise: {apptest.Addr(ent)}}
	for i, k := range kinds {
		all = append(all, apptest.Addr(fresh[i]))
		byKind[k] = append(byKind[k], apptest.Addr(fresh[i]))
	}
	byBytes := func(a, b string) int { return bytes.Compare(address.Bytes(a), address.Bytes(b)) }
	slices.SortFunc(all, byBytes)
	for _, v := range byKind {
		slices.SortFunc(v, byBytes)
	}

	list := func(req *idtypes.QueryPartiesRequest) []string {
		t.Helper()
		var out []string
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatal("pagination does not end")
			}
			r := d.Query(app.PathParties, req, 0, false)
			checkCode(t, "query parties", r.Codespace, r.Code, r.Log, nil)
			var resp idtypes.QueryPartiesResponse
			if err := proto.Unmarshal(r.Value, &resp); err != nil {
				t.Fatal(err)
			}
			if l := req.GetPage().GetLimit(); l > 0 && len(resp.Parties) > int(l) {
				t.Fatalf("page of %d parties, limit %d", len(resp.Parties), l)
			}
			for _, p := range resp.Parties {
				out = append(out, p.Address)
			}
			if len(resp.GetPage().GetNextKey()) == 0 {
				return out
			}
			req = proto.Clone(req).(*idtypes.QueryPartiesRequest)
			req.Page = &query.PageRequest{Key: resp.Page.NextKey, Limit: req.GetPage().GetLimit()}
		}
	}

	cases := []struct {
		name string
		req  *idtypes.QueryPartiesRequest
		want []string
	}{
		{"all, default page", &idtypes.QueryPartiesRequest{}, all},
		{"all, pages of 2", &idtypes.QueryPartiesRequest{Page: &query.PageRequest{Limit: 2}}, all},
		{"all, pages of 1", &idtypes.QueryPartiesRequest{Page: &query.PageRequest{Limit: 1}}, all},
		{"departments", &idtypes.QueryPartiesRequest{Kind: department}, byKind[department]},
		{"enterprises, pages of 2", &idtypes.QueryPartiesRequest{Kind: enterprise, Page: &query.PageRequest{Limit: 2}}, byKind[enterprise]},
		{"institutions", &idtypes.QueryPartiesRequest{Kind: institution}, byKind[institution]},
		{"individuals, pages of 1", &idtypes.QueryPartiesRequest{Kind: individual, Page: &query.PageRequest{Limit: 1}}, byKind[individual]},
		{"data admins", &idtypes.QueryPartiesRequest{Role: idtypes.Role_ROLE_DATA_ADMIN}, []string{apptest.Addr(admin)}},
		{"auditors", &idtypes.QueryPartiesRequest{Role: idtypes.Role_ROLE_AUDITOR}, []string{apptest.Addr(ent)}},
		{"exchanges", &idtypes.QueryPartiesRequest{Role: idtypes.Role_ROLE_EXCHANGE}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.req); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v\nwant %v", got, tc.want)
			}
		})
	}

	for _, c := range []struct {
		name string
		req  *idtypes.QueryPartiesRequest
		want *errs.Error
	}{
		{"kind and role", &idtypes.QueryPartiesRequest{Kind: enterprise, Role: idtypes.Role_ROLE_AUDITOR}, idtypes.ErrInvalidKind},
		{"undefined kind", &idtypes.QueryPartiesRequest{Kind: 99}, idtypes.ErrInvalidKind},
		{"undefined role", &idtypes.QueryPartiesRequest{Role: 99}, idtypes.ErrInvalidRole},
	} {
		r := d.Query(app.PathParties, c.req, 0, false)
		checkCode(t, c.name, r.Codespace, r.Code, r.Log, c.want)
	}
}

// One signer may have at most max_pending_per_signer txs admitted between
// commits; more are refused with tx/15, without touching the state or the
// signer's pending nonce, and the count starts again after a commit. Other
// signers are not affected.
func TestCheckTxPendingLimit(t *testing.T) {
	d := newChain(t)
	d.App.SetMaxPendingPerSigner(3)
	signer := apptest.Addr(dept)
	var admitted [][]byte
	for i := range 3 {
		raw := d.Sign(dept, uint64(i), msgRegister(apptest.Addr(fresh[i]), "p", individual, ""))
		r := d.CheckTx(raw)
		checkCode(t, "CheckTx under the limit", r.Codespace, r.Code, r.Log, nil)
		admitted = append(admitted, raw)
	}
	before := d.AppHash()
	over := d.Sign(dept, 3, msgRegister(apptest.Addr(fresh[3]), "p", individual, ""))
	r := d.CheckTx(over)
	checkCode(t, "CheckTx over the limit", r.Codespace, r.Code, r.Log, tx.ErrTooManyPending)
	if _, p := d.Nonce(signer); p != 3 {
		t.Fatalf("a refused tx moved the pending nonce to %d, want 3", p)
	}
	if !bytes.Equal(before, d.AppHash()) {
		t.Fatal("CheckTx changed the state")
	}
	r = d.CheckTx(d.Sign(admin, 0, msgAddAgent(apptest.Addr(fresh[9]))))
	checkCode(t, "CheckTx of another signer", r.Codespace, r.Code, r.Log, nil)

	d.BlockOK(admitted...)
	r = d.CheckTx(over)
	checkCode(t, "CheckTx after the block", r.Codespace, r.Code, r.Log, nil)

	// 0: no cap.
	d.App.SetMaxPendingPerSigner(0)
	for i := 4; i < 10; i++ {
		r := d.CheckTx(d.Sign(dept, uint64(i), msgRegister(apptest.Addr(fresh[i]), "p", individual, "")))
		checkCode(t, "CheckTx without a cap", r.Codespace, r.Code, r.Log, nil)
	}
}

// A flood of txs with invalid signatures is refused in CheckTx before any
// state is read for them: the state, the claimed signer's pending nonce and
// its pending-tx allowance stay as they were, so the signer's real tx is
// still admitted.
func TestCheckTxInvalidSignatureFlood(t *testing.T) {
	d := newChain(t)
	d.App.SetMaxPendingPerSigner(1)
	signer := apptest.Addr(dept)
	before := d.AppHash()
	valid := d.Sign(dept, 0, msgAddAgent(apptest.Addr(fresh[0])))
	edits := []struct {
		name string
		edit func(sig []byte) []byte
		want *errs.Error
	}{
		{"v out of range", func(sig []byte) []byte { sig[64] += 27; return sig }, tx.ErrBadSignature},
		{"r zero", func(sig []byte) []byte { clear(sig[:32]); return sig }, tx.ErrBadSignature},
		{"truncated", func(sig []byte) []byte { return sig[:64] }, tx.ErrBadSignature},
		{"high-S twin", highSTwin, tx.ErrHighS},
		{"recovers another key", func(sig []byte) []byte {
			s := new(big.Int).SetBytes(sig[32:64])
			s.Sub(s, big.NewInt(1)).FillBytes(sig[32:64])
			return sig
		}, tx.ErrWrongSigner},
	}
	n := 0
	for round := range 200 {
		for _, e := range edits {
			// A different body each round, so no cache can answer.
			raw := d.SignBody(dept, &tx.TxBody{ChainId: d.ChainID, Signer: signer, Messages: []*tx.Msg{msgAddAgent(apptest.Addr(fresh[0]))},
				Memo: strings.Repeat("m", round)})
			r := d.CheckTx(withSig(t, raw, e.edit))
			checkCode(t, "CheckTx of a bad signature ("+e.name+")", r.Codespace, r.Code, r.Log, e.want)
			n++
		}
	}
	if c, p := d.Nonce(signer); c != 0 || p != 0 {
		t.Fatalf("after %d bad signatures: nonces committed %d pending %d, want 0 and 0", n, c, p)
	}
	if !bytes.Equal(before, d.AppHash()) {
		t.Fatal("CheckTx of bad signatures changed the state")
	}
	r := d.CheckTx(valid)
	checkCode(t, "CheckTx of the signer's valid tx after the flood", r.Codespace, r.Code, r.Log, nil)
}
