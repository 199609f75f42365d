package app_test

import (
	"bytes"
	"context"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/sim"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// marshalResponse encodes a FinalizeBlock response: the app hash, every tx
// result (code, codespace, log, data, events) and the block events.
func marshalResponse(t testing.TB, r *abci.ResponseFinalizeBlock) []byte {
	t.Helper()
	bz, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// validatorUpdates encodes a block's validator updates, in order.
func validatorUpdates(t testing.TB, r *abci.ResponseFinalizeBlock) []byte {
	t.Helper()
	var out []byte
	for _, u := range r.ValidatorUpdates {
		bz, err := u.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bz...)
	}
	return out
}

// The same blocks through two fresh apps give the same app hash and the
// same results, byte for byte, at every height: tx results, events and
// validator updates. The blocks register, object to, certify, freeze and
// reclassify assets; grant, sublicense, request, transfer, revoke, expire
// and use rights; apply for, approve, co-approve, reject, evaluate,
// suspend, resume, terminate, exit and expire authorisations and license
// under them; and propose every kind of governance action (new
// departments with fresh validator keys among them) and vote on it, past
// the voting period, as block time moves on.
func TestDeterminism(t *testing.T) {
	const heights = 120
	g := sim.New(t, 20261127)
	blocks := g.Blocks(heights)

	a, b := sim.NewChain(t), sim.NewChain(t)
	ok, failed, updates := 0, 0, 0
	seen := map[string]int{} // event types of successful txs and block ends
	for h, txs := range blocks {
		ra, rb := a.Block(txs...), b.Block(txs...)
		if !bytes.Equal(ra.AppHash, rb.AppHash) {
			t.Fatalf("height %d: app hashes %X and %X", h+1, ra.AppHash, rb.AppHash)
		}
		if va, vb := validatorUpdates(t, ra), validatorUpdates(t, rb); !bytes.Equal(va, vb) {
			t.Fatalf("height %d: validator updates %X and %X", h+1, va, vb)
		}
		updates += len(ra.ValidatorUpdates)
		if !bytes.Equal(marshalResponse(t, ra), marshalResponse(t, rb)) {
			t.Fatalf("height %d: same app hash, different results:\n%v\n%v", h+1, ra, rb)
		}
		for _, r := range ra.TxResults {
			if r.Code == abci.CodeTypeOK {
				ok++
			} else {
				failed++
			}
			for _, e := range r.Events {
				seen[e.Type]++
			}
		}
		for _, e := range ra.Events {
			seen[e.Type]++
		}
	}
	// The generator must keep reaching every kind of state change, or the
	// comparison above proves little.
	for _, typ := range []string{"party_registered", "asset_registered", "asset_objected", "asset_certified", "asset_frozen",
		"asset_reclassified", "right_granted", "right_pending_approval", "right_requested", "right_transferred",
		"right_revoked", "right_expired", "usage_recorded",
		"authorization_applied", "authorization_approved", "authorization_activated", "authorization_evaluated",
		"authorization_suspended", "right_exited",
		"proposal_submitted", "vote_cast", "proposal_passed", "proposal_executed"} {
		if seen[typ] == 0 {
			t.Errorf("no %s event in %d blocks: the generator no longer reaches it", typ, heights)
		}
	}
	// The generator's own run, with a warm signature cache, agrees too.
	if !bytes.Equal(a.AppHash(), g.Driver().AppHash()) {
		t.Fatalf("final app hash %X, generator's %X", a.AppHash(), g.Driver().AppHash())
	}
	t.Logf("%d blocks: %d txs succeeded, %d failed, %d validator updates", heights, ok, failed, updates)
	if ok < 40 || failed < 40 {
		t.Fatalf("%d txs succeeded and %d failed: the generator no longer mixes valid and invalid txs", ok, failed)
	}
}

// A node that crashes after FinalizeBlock but before Commit restarts at the
// last committed height, and re-executing the block gives the same result
// as on a node that never crashed. A restart after Commit resumes there.
func TestCrashRecovery(t *testing.T) {
	blocks := sim.New(t, 7).Blocks(8)
	dir := t.TempDir()
	info := func(d *apptest.Driver) *abci.ResponseInfo {
		t.Helper()
		r, err := d.App.Info(context.Background(), &abci.RequestInfo{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// Crash after InitChain, before the first block is committed: the
	// node starts again from InitChain.
	d := apptest.Open(t, dir)
	d.InitChain(sim.Genesis())
	d.Finalize(blocks[0]...)
	d.Close()
	d = apptest.Open(t, dir)
	if r := info(d); r.LastBlockHeight != 0 || len(r.LastBlockAppHash) != 0 {
		t.Fatalf("after a crash in block 1: Info height %d hash %X, want nothing", r.LastBlockHeight, r.LastBlockAppHash)
	}
	d.InitChain(sim.Genesis())

	control := sim.NewChain(t)
	var last *abci.ResponseFinalizeBlock
	for _, txs := range blocks[:5] {
		last = control.Block(txs...)
		if got := d.Block(txs...); !bytes.Equal(marshalResponse(t, got), marshalResponse(t, last)) {
			t.Fatalf("height %d: goleveldb app and memdb app differ", d.Height())
		}
	}

	// Crash in the middle of block 6: finalized, not committed.
	crashed := d.Finalize(blocks[5]...)
	d.Close()
	d = apptest.Open(t, dir)
	if r := info(d); r.LastBlockHeight != 5 || !bytes.Equal(r.LastBlockAppHash, last.AppHash) {
		t.Fatalf("after the crash: Info height %d hash %X, want 5 and %X", r.LastBlockHeight, r.LastBlockAppHash, last.AppHash)
	}
	redo := d.Block(blocks[5]...)
	want := control.Block(blocks[5]...)
	if !bytes.Equal(marshalResponse(t, redo), marshalResponse(t, want)) || !bytes.Equal(crashed.AppHash, want.AppHash) {
		t.Fatalf("block 6 after the crash: hash %X (before the crash %X), control %X", redo.AppHash, crashed.AppHash, want.AppHash)
	}

	// Clean restart after a commit.
	d.Close()
	d = apptest.Open(t, dir)
	if r := info(d); r.LastBlockHeight != 6 || !bytes.Equal(r.LastBlockAppHash, want.AppHash) {
		t.Fatalf("after a restart: Info height %d hash %X, want 6 and %X", r.LastBlockHeight, r.LastBlockAppHash, want.AppHash)
	}
	for _, txs := range blocks[6:] {
		got, exp := d.Block(txs...), control.Block(txs...)
		if !bytes.Equal(marshalResponse(t, got), marshalResponse(t, exp)) {
			t.Fatalf("height %d after the restart: hash %X, control %X", d.Height(), got.AppHash, exp.AppHash)
		}
	}
	// History survived the restarts: every height answers as the control.
	for h := int64(1); h <= d.Height(); h++ {
		for _, k := range keys[:8] {
			req := &idtypes.QueryPartyRequest{Address: apptest.Addr(k)}
			got, exp := d.Query(app.PathParty, req, h, false), control.Query(app.PathParty, req, h, false)
			if got.Code != exp.Code || !bytes.Equal(got.Value, exp.Value) {
				t.Fatalf("height %d party %s: %d %X, control %d %X", h, req.Address, got.Code, got.Value, exp.Code, exp.Value)
			}
		}
	}
}
