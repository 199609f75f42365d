package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/tmhash"
	"github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
)

// fixture is a chain with a registered party (block 2), a failed tx
// (block 3: the same registration again) and two empty blocks after.
type fixture struct {
	c              *testChain
	genesis        string
	party, absent  string // a registered party, a key never registered
	okTx, failedTx string
}

func newFixture(t *testing.T) *fixture {
	c := newTestChain(t)
	f := &fixture{c: c, genesis: c.genesisFile(c.privs), party: apptest.Addr(c.keys[1]), absent: apptest.Addr(c.keys[5])}
	c.block()
	ok := c.registerTx(1)
	c.block(ok)
	dup := c.registerTx(1)
	c.block(dup)
	if c.results[3][0].Code == 0 {
		t.Fatal("fixture: registering a party twice succeeded")
	}
	c.block()
	c.block()
	f.okTx, f.failedTx = hex.EncodeToString(tmhash.Sum(ok)), hex.EncodeToString(tmhash.Sum(dup))
	return f
}

// bundle records a verification of id from the honest chain, through JSON
// as a file would be.
func (f *fixture) bundle(t *testing.T, id string) *BundleFile {
	t.Helper()
	b := record(context.Background(), f.c, testChainID, id, Options{})
	bz, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var out BundleFile
	if err := json.Unmarshal(bz, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func (f *fixture) verify(t *testing.T, b *BundleFile) *Report {
	t.Helper()
	r, err := VerifyBundle(b, Config{GenesisFile: f.genesis})
	if err != nil {
		t.Fatalf("VerifyBundle: %v", err)
	}
	return r
}

// wantFailed requires a FAILED report whose kind item failed with reason.
func wantFailed(t *testing.T, r *Report, kind, reason string) {
	t.Helper()
	if r.Verdict != Failed {
		t.Fatalf("verdict %s, want FAILED: %+v", r.Verdict, r.Items)
	}
	for _, it := range r.Items {
		if it.Kind == kind && it.Verdict == Failed && strings.Contains(it.Reason, reason) {
			return
		}
	}
	t.Fatalf("no FAILED %s item with reason %q: %+v", kind, reason, r.Items)
}

func wantVerified(t *testing.T, r *Report, kinds ...string) {
	t.Helper()
	if r.Verdict != Verified {
		t.Fatalf("verdict %s, want VERIFIED: %+v", r.Verdict, r.Items)
	}
	for i, k := range kinds {
		if i >= len(r.Items) || r.Items[i].Kind != k || r.Items[i].Verdict != Verified {
			t.Fatalf("items %+v, want kinds %v all VERIFIED", r.Items, kinds)
		}
	}
	if len(r.Items) != len(kinds) {
		t.Fatalf("items %+v, want kinds %v", r.Items, kinds)
	}
}

// editQuery decodes the bundle's one recorded answer, lets edit change it
// and stores it back.
func editQuery(t *testing.T, b *BundleFile, edit func(*abci.ResponseQuery)) {
	t.Helper()
	if len(b.Queries) != 1 {
		t.Fatalf("bundle has %d answers, want 1", len(b.Queries))
	}
	var res abci.ResponseQuery
	if err := res.Unmarshal(b.Queries[0].Response); err != nil {
		t.Fatal(err)
	}
	edit(&res)
	bz, err := res.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	b.Queries[0].Response = bz
}

func TestBundleRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{f.party, f.absent, f.okTx} {
		b := f.bundle(t, id)
		if b.Report.Verdict != Verified {
			t.Fatalf("%s: recording run %s: %+v", id, b.Report.Verdict, b.Report.Items)
		}
		r := f.verify(t, b)
		want := []string{KindHeader, KindState}
		if id == f.okTx {
			want = []string{KindHeader, KindTx}
		}
		wantVerified(t, r, want...)
		if r.Height != 4 || r.AppHash != b.Report.AppHash {
			t.Fatalf("%s: offline report at height %d app hash %s, the recording at %d %s", id, r.Height, r.AppHash, b.Report.Height, b.Report.AppHash)
		}
		// The same bundle from a trusted height and hash instead of genesis.
		root := f.c.blocks[1]
		r, err := VerifyBundle(b, Config{ChainID: testChainID, TrustHeight: 1, TrustHash: root.Hash()})
		if err != nil {
			t.Fatal(err)
		}
		wantVerified(t, r, want...)
	}
	if r := f.verify(t, f.bundle(t, f.absent)); !strings.Contains(r.Items[1].Reason, "proven absent") {
		t.Fatalf("absent party: %+v, want proven absent", r.Items[1])
	}
}

func TestTamperedValue(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	editQuery(t, b, func(r *abci.ResponseQuery) { r.Value[len(r.Value)-1] ^= 1 })
	wantFailed(t, f.verify(t, b), KindState, "proof does not verify against the app hash")
}

func TestTamperedProof(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	editQuery(t, b, func(r *abci.ResponseQuery) {
		p := r.ProofOps.Ops[0].Data
		p[len(p)-3] ^= 0x40 // inside the last inner node's hash
	})
	r := f.verify(t, b)
	if r.Verdict != Failed || r.Items[1].Kind != KindState || r.Items[1].Verdict != Failed {
		t.Fatalf("tampered proof: %+v", r.Items)
	}
}

// TestSwappedProof: a node that says "not found" for an existing entity
// (keeping its existence proof) and one that claims a value for an absent
// entity (with its absence proof) are both caught.
func TestSwappedProof(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	editQuery(t, b, func(r *abci.ResponseQuery) {
		r.Value, r.Code, r.Codespace, r.Log = nil, query.ErrNotFound.Code(), query.Codespace, "not found"
	})
	wantFailed(t, f.verify(t, b), KindState, "absence proof does not verify")

	honest := f.bundle(t, f.party)
	b = f.bundle(t, f.absent)
	editQuery(t, b, func(r *abci.ResponseQuery) {
		var real abci.ResponseQuery
		_ = real.Unmarshal(honest.Queries[0].Response)
		r.Value, r.Code, r.Codespace, r.Log = real.Value, 0, "", ""
	})
	wantFailed(t, f.verify(t, b), KindState, "proof does not verify")
}

// TestOtherEntitysProof: a valid proof of another key does not prove this
// entity.
func TestOtherEntitysProof(t *testing.T) {
	f := newFixture(t)
	other := f.bundle(t, apptest.Addr(f.c.keys[0]))
	b := f.bundle(t, f.party)
	b.Queries[0].Response = other.Queries[0].Response
	wantFailed(t, f.verify(t, b), KindState, "proof is for key")
}

func TestMinorityHeader(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	top := f.c.blocks[b.Latest]
	forged := f.c.signed(top.Header, 2) // half the power: not more than 2/3
	pb, err := forged.ToProto()
	if err != nil {
		t.Fatal(err)
	}
	last := len(b.LightBlocks) - 1
	if b.LightBlocks[last], err = pb.Marshal(); err != nil {
		t.Fatal(err)
	}
	wantFailed(t, f.verify(t, b), KindHeader, "insufficient voting power")
}

// TestForgedAppHash: a header whose app hash was changed after signing
// (to make a forged state prove) fails the light client's checks.
func TestForgedAppHash(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	top := *f.c.blocks[b.Latest]
	hdr := *top.Header
	hdr.AppHash = tmhash.Sum([]byte("another state"))
	top.SignedHeader = &types.SignedHeader{Header: &hdr, Commit: top.Commit}
	pb, err := top.ToProto()
	if err != nil {
		t.Fatal(err)
	}
	b.LightBlocks[len(b.LightBlocks)-1], _ = pb.Marshal()
	wantFailed(t, f.verify(t, b), KindHeader, "header")
}

func TestWrongTrustRoot(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	r, err := VerifyBundle(b, Config{ChainID: testChainID, TrustHeight: 1, TrustHash: tmhash.Sum([]byte("x"))})
	if err != nil {
		t.Fatal(err)
	}
	wantFailed(t, r, KindHeader, "the trusted hash is")
	// A genesis file of other validators (three of the four): header 1
	// is not theirs.
	r, err = VerifyBundle(b, Config{GenesisFile: f.c.genesisFile(f.c.privs[:3])})
	if err != nil {
		t.Fatal(err)
	}
	wantFailed(t, r, KindHeader, "the genesis file's are")
}

func TestTxTampered(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.okTx)
	b.Txs[0].Tx[len(b.Txs[0].Tx)-1] ^= 1
	wantFailed(t, f.verify(t, b), KindTx, "hashes to")

	// The tx's real bytes, but a proof for a block that does not have it.
	b = f.bundle(t, f.okTx)
	b.Txs[0].TxProof.Aunts = append(b.Txs[0].TxProof.Aunts, tmhash.Sum(nil))
	wantFailed(t, f.verify(t, b), KindTx, "tx inclusion proof")

	// A failed tx is proven failed; claiming it succeeded breaks the
	// results proof.
	b = f.bundle(t, f.failedTx)
	wantFailed(t, f.verify(t, b), KindTx, "the tx failed")
	var res abci.ExecTxResult
	if err := res.Unmarshal(b.Txs[0].Result); err != nil {
		t.Fatal(err)
	}
	res.Code = 0
	b.Txs[0].Result, _ = res.Marshal()
	wantFailed(t, f.verify(t, b), KindTx, "tx result proof")
}

func TestBadBundle(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	b.Format = "something else"
	if _, err := VerifyBundle(b, Config{GenesisFile: f.genesis}); err == nil {
		t.Fatal("a bundle of another format was accepted")
	}
	b = f.bundle(t, f.party)
	b.Queries = nil
	wantFailed(t, f.verify(t, b), KindState, "the bundle has no answer")
	b = f.bundle(t, f.party)
	b.LightBlocks = b.LightBlocks[1:] // no root
	wantFailed(t, f.verify(t, b), KindHeader, "trust root")
}
