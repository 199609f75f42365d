package app_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/rand/v2"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// generator makes blocks of random identity txs, valid and invalid mixed.
// It runs each block on its own scratch app so that the next block can use
// the right nonces and target existing parties often enough for most txs
// to do something. Randomness lives here, in the test, never in the app.
type generator struct {
	t        testing.TB
	rng      *rand.Rand
	d        *apptest.Driver
	pool     []*ecdsa.PrivateKey // every key that may sign or be named
	taken    map[string]bool     // addresses registered or made agents in the block so far
	agents   map[string]bool     // committed agent addresses
	codeSeed int
}

func newGenerator(t testing.TB, seed uint64) *generator {
	return &generator{t: t, rng: rand.New(rand.NewPCG(seed, 0x6461746172696768)), d: newChain(t), pool: keys, codeSeed: 1000}
}

// blocks generates n blocks.
func (g *generator) blocks(n int) [][][]byte {
	out := make([][][]byte, n)
	for i := range out {
		out[i] = g.block()
		g.d.Block(out[i]...)
	}
	return out
}

func (g *generator) pick() *ecdsa.PrivateKey { return g.pool[g.rng.IntN(len(g.pool))] }

// party returns the committed party of k in the scratch app, or nil. For
// an agent, or an address taken earlier in the block, it returns a
// placeholder: an active party of no kind that nobody registered.
func (g *generator) party(k *ecdsa.PrivateKey) *idtypes.Party {
	if a := apptest.Addr(k); g.taken[a] || g.agents[a] {
		return &idtypes.Party{Address: a, Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE}
	}
	r := g.d.Query(app.PathParty, &idtypes.QueryPartyRequest{Address: apptest.Addr(k)}, 0, false)
	if r.Code != 0 {
		return nil
	}
	var p idtypes.Party
	if err := proto.Unmarshal(r.Value, &p); err != nil {
		g.t.Fatal(err)
	}
	return &p
}

// find returns a key, in random order, whose party satisfies ok.
func (g *generator) find(ok func(p *idtypes.Party) bool) (*ecdsa.PrivateKey, bool) {
	for _, i := range g.rng.Perm(len(g.pool)) {
		if ok(g.party(g.pool[i])) {
			return g.pool[i], true
		}
	}
	return nil, false
}

// pickWhere picks a key satisfying ok most of the time, any key otherwise.
func (g *generator) pickWhere(ok func(p *idtypes.Party) bool) *ecdsa.PrivateKey {
	if k, found := g.find(ok); found && g.rng.IntN(8) > 0 {
		return k
	}
	return g.pick()
}

func (g *generator) block() [][]byte {
	used := map[string]uint64{} // txs per signer so far in this block
	g.taken, g.agents = map[string]bool{}, map[string]bool{}
	for _, k := range g.pool {
		if p := g.party(k); p != nil {
			for _, a := range p.Agents {
				g.agents[a] = true
			}
		}
	}
	var txs [][]byte
	for n := g.rng.IntN(12); len(txs) < n; {
		txs = append(txs, g.tx(used))
	}
	return txs
}

func (g *generator) tx(used map[string]uint64) []byte {
	// Mostly departments, who can do most; any registered party otherwise,
	// and now and then any key at all (unknown, agent, suspended).
	signer := g.pool[g.rng.IntN(3)]
	if g.rng.IntN(10) < 4 {
		signer = g.pickWhere(func(p *idtypes.Party) bool { return p != nil && p.IsActive() })
	}
	a := apptest.Addr(signer)
	committed, _ := g.d.Nonce(a)
	nonce := committed + used[a]
	msgs := make([]*tx.Msg, 1)
	if g.rng.IntN(4) == 0 {
		msgs = make([]*tx.Msg, 2+g.rng.IntN(2))
	}
	for i := range msgs {
		msgs[i] = g.msg(signer)
	}
	// Envelope faults: these txs never reach the nonce check.
	switch g.rng.IntN(30) {
	case 0:
		return fmt.Appendf(nil, "garbage %d", g.rng.IntN(1000))
	case 1:
		return g.d.SignBody(signer, &tx.TxBody{ChainId: "other-chain", Signer: a, Nonce: nonce, Messages: msgs})
	case 2:
		return withSig(g.t, g.d.Sign(signer, nonce, msgs...), highSTwin)
	}
	switch r := g.rng.IntN(20); {
	case r == 0:
		nonce += 1 + uint64(g.rng.IntN(3)) // ahead
	case r == 1 && nonce > 0:
		nonce-- // replay
	default:
		used[a]++
	}
	return g.d.Sign(signer, nonce, msgs...)
}

func (g *generator) orgCode(kind idtypes.PartyKind) string {
	switch r := g.rng.IntN(20); {
	case r == 0:
		return "" // missing for an organisation, fine for an individual
	case r == 1:
		return apptest.OrgCode(1000 + g.rng.IntN(max(1, g.codeSeed-1000))) // probably taken
	case r == 2:
		c := apptest.OrgCode(g.codeSeed)
		return c[:17] + "Y" // probably a bad check character
	}
	if !idtypes.IsOrganisation(kind) {
		return ""
	}
	g.codeSeed++
	return apptest.OrgCode(g.codeSeed)
}

// msg makes a message for signer, usually one it is allowed to send.
func (g *generator) msg(signer *ecdsa.PrivateKey) *tx.Msg {
	me := g.party(signer)
	// mine: parties the signer may update, suspend or reactivate.
	mine := func(p *idtypes.Party) bool {
		return p != nil && !p.IsDepartment() && me != nil &&
			(p.RegisteredBy == me.Address || me.HasRole(idtypes.Role_ROLE_DATA_ADMIN))
	}
	reason := []string{"", "audit finding", "licence restored", "on request", "annual review", "appeal upheld"}[g.rng.IntN(6)]
	action := g.rng.IntN(10)
	// Without a party it may act on, the signer usually registers one.
	if _, found := g.find(mine); action >= 3 && action <= 6 && !found && g.rng.IntN(8) > 0 {
		action = 0
	}
	switch action {
	case 0, 1, 2:
		target := g.pickWhere(func(p *idtypes.Party) bool { return p == nil })
		kind := idtypes.PartyKind(2 + g.rng.IntN(3))
		if g.rng.IntN(12) == 0 {
			kind = idtypes.PartyKind_PARTY_KIND_DEPARTMENT // rejected
		}
		g.taken[apptest.Addr(target)] = true
		return msgRegister(apptest.Addr(target), fmt.Sprintf("party %d", g.rng.IntN(100)), kind, g.orgCode(kind))
	case 3:
		target := g.pickWhere(mine)
		if p := g.party(target); p != nil && g.rng.IntN(2) == 0 {
			return msgUpdate(p.Address, "renamed", p.OrgCode)
		} else if p != nil {
			return msgUpdate(p.Address, "renamed", g.orgCode(p.Kind))
		}
		return msgUpdate(apptest.Addr(target), "renamed", "")
	case 4, 5:
		return msgSuspend(apptest.Addr(g.pickWhere(func(p *idtypes.Party) bool { return mine(p) && p.IsActive() })), reason)
	case 6:
		return msgReactivate(apptest.Addr(g.pickWhere(func(p *idtypes.Party) bool { return mine(p) && !p.IsActive() })), reason)
	case 7, 8:
		agent := g.pickWhere(func(p *idtypes.Party) bool { return p == nil })
		g.taken[apptest.Addr(agent)] = true
		return msgAddAgent(apptest.Addr(agent))
	default:
		if me != nil && len(me.Agents) > 0 && g.rng.IntN(4) > 0 {
			return msgRemoveAgent(me.Agents[g.rng.IntN(len(me.Agents))])
		}
		return msgRemoveAgent(apptest.Addr(g.pick()))
	}
}

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

// The same blocks through two fresh apps give the same app hash and the
// same results, byte for byte, at every height.
func TestDeterminism(t *testing.T) {
	const heights = 30
	g := newGenerator(t, 20261127)
	blocks := g.blocks(heights)

	a, b := newChain(t), newChain(t)
	ok, failed := 0, 0
	for h, txs := range blocks {
		ra, rb := a.Block(txs...), b.Block(txs...)
		if !bytes.Equal(ra.AppHash, rb.AppHash) {
			t.Fatalf("height %d: app hashes %X and %X", h+1, ra.AppHash, rb.AppHash)
		}
		if !bytes.Equal(marshalResponse(t, ra), marshalResponse(t, rb)) {
			t.Fatalf("height %d: same app hash, different results:\n%v\n%v", h+1, ra, rb)
		}
		for _, r := range ra.TxResults {
			if r.Code == abci.CodeTypeOK {
				ok++
			} else {
				failed++
			}
		}
	}
	// The generator's own run, with a warm signature cache, agrees too.
	if !bytes.Equal(a.AppHash(), g.d.AppHash()) {
		t.Fatalf("final app hash %X, generator's %X", a.AppHash(), g.d.AppHash())
	}
	t.Logf("%d blocks: %d txs succeeded, %d failed", heights, ok, failed)
	if ok < 40 || failed < 40 {
		t.Fatalf("%d txs succeeded and %d failed: the generator no longer mixes valid and invalid txs", ok, failed)
	}
}

// A node that crashes after FinalizeBlock but before Commit restarts at the
// last committed height, and re-executing the block gives the same result
// as on a node that never crashed. A restart after Commit resumes there.
func TestCrashRecovery(t *testing.T) {
	blocks := newGenerator(t, 7).blocks(8)
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
	d.InitChain(testGenesis())
	d.Finalize(blocks[0]...)
	d.Close()
	d = apptest.Open(t, dir)
	if r := info(d); r.LastBlockHeight != 0 || len(r.LastBlockAppHash) != 0 {
		t.Fatalf("after a crash in block 1: Info height %d hash %X, want nothing", r.LastBlockHeight, r.LastBlockAppHash)
	}
	d.InitChain(testGenesis())

	control := newChain(t)
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
