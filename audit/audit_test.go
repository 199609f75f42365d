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
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/query"
	mkttypes "github.com/datarights/datarights/x/market/types"
	provkeeper "github.com/datarights/datarights/x/provenance/keeper"
	provtypes "github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
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

// editQuery decodes the bundle's i-th recorded answer (0: the entity's
// state), lets edit change it and stores it back.
func editQuery(t *testing.T, b *BundleFile, i int, path string, edit func(*abci.ResponseQuery)) {
	t.Helper()
	if len(b.Queries) <= i || b.Queries[i].Path != path {
		t.Fatalf("bundle answer %d is not to %s: %+v", i, path, b.Queries)
	}
	var res abci.ResponseQuery
	if err := res.Unmarshal(b.Queries[i].Response); err != nil {
		t.Fatal(err)
	}
	edit(&res)
	bz, err := res.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	b.Queries[i].Response = bz
}

func TestBundleRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{f.party, f.absent, f.okTx} {
		b := f.bundle(t, id)
		if b.Report.Verdict != Verified {
			t.Fatalf("%s: recording run %s: %+v", id, b.Report.Verdict, b.Report.Items)
		}
		r := f.verify(t, b)
		want := map[string][]string{
			f.party:  {KindHeader, KindState, KindHistory, KindTx}, // registered in block 2
			f.absent: {KindHeader, KindState},
			f.okTx:   {KindHeader, KindTx},
		}[id]
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
	editQuery(t, b, 0, app.PathStore, func(r *abci.ResponseQuery) { r.Value[len(r.Value)-1] ^= 1 })
	wantFailed(t, f.verify(t, b), KindState, "proof does not verify against the app hash")
}

func TestTamperedProof(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.party)
	editQuery(t, b, 0, app.PathStore, func(r *abci.ResponseQuery) {
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
	editQuery(t, b, 0, app.PathStore, func(r *abci.ResponseQuery) {
		r.Value, r.Code, r.Codespace, r.Log = nil, query.ErrNotFound.Code(), query.Codespace, "not found"
	})
	wantFailed(t, f.verify(t, b), KindState, "absence proof does not verify")

	honest := f.bundle(t, f.party)
	b = f.bundle(t, f.absent)
	editQuery(t, b, 0, app.PathStore, func(r *abci.ResponseQuery) {
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

// TestHistoryTampered: a history entry the node alters, or invents, fails;
// so does an entry whose tx is not the one the proven entry names.
func TestHistoryTampered(t *testing.T) {
	f := newFixture(t)
	edit := func(b *BundleFile, change func(*provtypes.HistoryEntry)) {
		editQuery(t, b, 1, provkeeper.PathHistory, func(r *abci.ResponseQuery) {
			var resp provtypes.HistoryResponse
			if err := proto.Unmarshal(r.Value, &resp); err != nil || len(resp.Entries) != 1 {
				t.Fatalf("history answer: %v %+v", err, resp.Entries)
			}
			change(resp.Entries[0])
			r.Value, _ = proto.Marshal(&resp)
		})
	}
	b := f.bundle(t, f.party)
	edit(b, func(e *provtypes.HistoryEntry) { e.Actor = apptest.Addr(f.c.keys[2]) })
	wantFailed(t, f.verify(t, b), KindHistory, "the node listed")

	b = f.bundle(t, f.party)
	edit(b, func(e *provtypes.HistoryEntry) { e.EventIndex++ }) // an entry that is not in state
	wantFailed(t, f.verify(t, b), KindHistory, "")

	b = f.bundle(t, f.party)
	b.Txs[0].Tx = f.c.txs[3][0] // the failed tx of block 3 in place of the entry's
	wantFailed(t, f.verify(t, b), KindTx, "hashes to")
}

// TestEdgeImplied: each edge kind is accepted only when the proven state
// of its source names its target that way.
func TestEdgeImplied(t *testing.T) {
	asset := &entity{ID: "a-3", Value: &regtypes.Asset{Id: "a-3", Inputs: []*regtypes.Input{{AssetId: "a-1", RightId: "r-1", AuthorizationId: "au-1"}, {AssetId: "a-2"}}}}
	right := &entity{ID: "r-5", Value: &rightstypes.Right{Id: "r-5", AssetId: "a-3", ParentId: "r-4", Holder: "0xabc", AuthorizationId: "au-1"}}
	root := &entity{ID: "r-4", Value: &rightstypes.Right{Id: "r-4", AssetId: "a-3", Holder: "0xdef"}}
	trade := &entity{ID: "t-1", Value: &mkttypes.Trade{Id: "t-1", RightIds: []string{"r-5"}, ListingId: "l-1"}}
	listing := &entity{ID: "l-1", Value: &mkttypes.Listing{Id: "l-1", RightId: "r-4"}}
	for _, c := range []struct {
		from     *entity
		kind, to string
		via      string
		ok       bool
	}{
		{asset, provtypes.EdgeDerivedFrom, "a-1", "r-1,au-1", true},
		{asset, provtypes.EdgeDerivedFrom, "a-2", "", true},
		{asset, provtypes.EdgeDerivedFrom, "a-1", "r-9", false}, // another right allowed it?
		{asset, provtypes.EdgeDerivedFrom, "a-9", "", false},
		{asset, provtypes.EdgeRightOn, "a-1", "", false},
		{right, provtypes.EdgeRightOn, "a-3", "", true},
		{right, provtypes.EdgeRightOn, "a-1", "", false},
		{right, provtypes.EdgeSublicensedFrom, "r-4", "", true},
		{root, provtypes.EdgeSublicensedFrom, "", "", false},
		{right, provtypes.EdgeHeldBy, "0xabc", "", true},
		{right, provtypes.EdgeHeldBy, "0xdef", "", false},
		{right, provtypes.EdgeUnderAuthorization, "au-1", "", true},
		{root, provtypes.EdgeUnderAuthorization, "", "", false},
		{trade, provtypes.EdgeTradedIn, "r-5", "", true},
		{trade, provtypes.EdgeTradedIn, "l-1", "", true},
		{trade, provtypes.EdgeTradedIn, "r-4", "", false},
		{listing, provtypes.EdgeListed, "r-4", "", true},
		{listing, provtypes.EdgeListed, "r-5", "", false},
	} {
		err := edgeImplied(c.from, &provtypes.TraceEdge{From: c.from.ID, Kind: c.kind, To: c.to, Via: c.via})
		if (err == nil) != c.ok {
			t.Errorf("%s %s %s via %q: err %v, want ok=%v", c.from.ID, c.kind, c.to, c.via, err, c.ok)
		}
	}
}

// TestRootAboveHeights: from a trusted header above the heights a bundle
// uses, lower headers are verified by hash chain down to them; a lower
// header that does not chain fails.
func TestRootAboveHeights(t *testing.T) {
	f := newFixture(t)
	b := f.bundle(t, f.okTx) // tx in block 2; blocks 1, 2, 3 and 5 recorded
	trust := Config{ChainID: testChainID, TrustHeight: 3, TrustHash: f.c.blocks[3].Hash()}
	r, err := VerifyBundle(b, trust)
	if err != nil {
		t.Fatal(err)
	}
	wantVerified(t, r, KindHeader, KindTx)

	forged := *f.c.blocks[2]
	hdr := *forged.Header
	hdr.DataHash = tmhash.Sum([]byte("other txs"))
	forged.SignedHeader = f.c.signed(&hdr, 4).SignedHeader // even fully signed, it is not the block header 3 names
	pb, err := forged.ToProto()
	if err != nil {
		t.Fatal(err)
	}
	for i, bz := range b.LightBlocks {
		if lb, _ := decodeLightBlock(bz); lb != nil && lb.Height == 2 {
			b.LightBlocks[i], _ = pb.Marshal()
		}
	}
	r, err = VerifyBundle(b, trust)
	if err != nil {
		t.Fatal(err)
	}
	wantFailed(t, r, KindTx, "header 2 in the bundle")
}
