package app_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// The proposer orders each signer's txs by nonce and leaves out a tx whose
// predecessor is missing or stale, whatever order the mempool holds them
// in; other signers' txs keep their places.
func TestPrepareProposalOrdersNonces(t *testing.T) {
	d := newChain(t)
	a := func(n uint64) []byte { return d.Sign(admin, n, msgAddAgent(apptest.Addr(fresh[n]))) }
	b0 := d.Sign(dept, 0, msgAddAgent(apptest.Addr(fresh[5])))
	a1twin := d.Sign(admin, 1, msgAddAgent(apptest.Addr(fresh[6]))) // same nonce, another body
	names := map[string]string{string(a(0)): "a0", string(a(1)): "a1", string(a(2)): "a2", string(a(4)): "a4",
		string(b0): "b0", string(a1twin): "a1'"}
	name := func(txs [][]byte) []string {
		var out []string
		for _, raw := range txs {
			out = append(out, names[string(raw)])
		}
		return out
	}
	prepare := func(txs ...[]byte) []string {
		r, err := d.App.PrepareProposal(context.Background(), &abci.RequestPrepareProposal{Txs: txs, MaxTxBytes: 1 << 20,
			Height: d.Height() + 1, Time: apptest.BlockTime(d.Height() + 1)})
		if err != nil {
			t.Fatal(err)
		}
		return name(r.Txs)
	}
	for _, c := range []struct {
		in   [][]byte
		want []string
	}{
		{[][]byte{a(1), b0, a(0), a(2)}, []string{"b0", "a0", "a1", "a2"}},
		{[][]byte{a(2), a(1), a(0), b0}, []string{"a0", "a1", "a2", "b0"}},
		{[][]byte{a(0), a(1), a(4), a(2)}, []string{"a0", "a1", "a2"}},           // a4 has no a3
		{[][]byte{a(1), a(2), b0}, []string{"b0"}},                               // no a0
		{[][]byte{a(0), a(1), a1twin, a(2)}, []string{"a0", "a1", "a2"}},         // the twin comes too late
		{[][]byte{a(0), a1twin, a(1), a(2)}, []string{"a0", "a1'", "a2"}},        // first come
		{[][]byte{a(2), a(2), a(0), a(1), b0}, []string{"a0", "a1", "a2", "b0"}}, // a duplicate once
	} {
		if got := prepare(c.in...); !slices.Equal(got, c.want) {
			t.Errorf("PrepareProposal(%v) = %v, want %v", name(c.in), got, c.want)
		}
	}
	// Held txs respect the byte limit like any other: the first that does
	// not fit ends the block.
	r, err := d.App.PrepareProposal(context.Background(), &abci.RequestPrepareProposal{Txs: [][]byte{a(1), a(0), b0},
		MaxTxBytes: int64(len(a(0)) + 3), Height: 1, Time: apptest.BlockTime(1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := name(r.Txs); !slices.Equal(got, []string{"a0"}) {
		t.Errorf("PrepareProposal with room for one tx = %v, want [a0]", got)
	}
	// The committed nonce counts: after a0 is in a block, a proposal starts
	// at a1.
	d.BlockOK(a(0))
	if got := prepare(a(0), a(2), a(1)); !slices.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("after a0 committed: %v, want [a1 a2]", got)
	}
	// Every block the proposer builds runs without a nonce failure.
	for _, res := range d.BlockOK(a(1), a(2)).TxResults {
		if res.Code != abci.CodeTypeOK {
			t.Fatalf("ordered block: %s/%d %s", res.Codespace, res.Code, res.Log)
		}
	}
}

// CometBFT calls CheckTx and Query on their own connections while a block
// executes and commits (server/node.go). Doing so changes nothing the
// blocks compute: the same blocks give the same app hashes with and without
// them. Run with -race (scripts/test.sh does) to catch unguarded state.
func TestConcurrentConnections(t *testing.T) {
	const blocks, perBlock = 30, 20
	blockTxs := func(d *apptest.Driver, h int) [][]byte {
		var txs [][]byte
		for i := range perBlock {
			// Registers parties (writes) and fails some (nonce writes only).
			n := uint64(h*perBlock + i)
			txs = append(txs, d.Sign(admin, n, msgAddAgent(apptest.Addr(fresh[int(n)%len(fresh)]))))
		}
		return txs
	}
	run := func(concurrent bool) [][]byte {
		d := newChain(t)
		var hashes [][]byte
		var stop atomic.Bool
		var wg sync.WaitGroup
		var checked, queried, done atomic.Int64
		errc := make(chan error, 4)
		if concurrent {
			// One mempool connection: CheckTx calls are sequential, as
			// CometBFT makes them; queries from two goroutines.
			wg.Add(3)
			go func() {
				defer wg.Done()
				for n := uint64(0); !stop.Load(); n++ {
					r, err := d.App.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: d.Sign(dept, n%50, msgAddAgent(apptest.Addr(fresh[0])))})
					if err != nil {
						errc <- err
						return
					}
					if r.Code != abci.CodeTypeOK && r.Codespace != "tx" {
						errc <- fmt.Errorf("CheckTx: %s/%d %s", r.Codespace, r.Code, r.Log)
						return
					}
					checked.Add(1)
				}
			}()
			req, err := proto.Marshal(&idtypes.QueryPartyRequest{Address: apptest.Addr(admin)})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				go func() {
					defer wg.Done()
					for !stop.Load() {
						r, err := d.App.Query(context.Background(), &abci.RequestQuery{Path: app.PathParty,
							Data: req, Prove: true})
						if err == nil && r.Code == 4 && r.Codespace == "query" && done.Load() == 0 {
							continue // nothing committed yet
						}
						if err != nil || r.Code != 0 {
							errc <- fmt.Errorf("query: %v %+v", err, r)
							return
						}
						queried.Add(1)
					}
				}()
			}
		}
		for h := range blocks {
			d.Block(blockTxs(d, h)...)
			done.Add(1)
			hashes = append(hashes, bytes.Clone(d.AppHash()))
		}
		stop.Store(true)
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		if concurrent {
			t.Logf("%d CheckTx and %d queries ran beside %d blocks", checked.Load(), queried.Load(), blocks)
			if checked.Load() == 0 || queried.Load() == 0 {
				t.Fatalf("nothing ran beside the blocks: %d CheckTx, %d queries", checked.Load(), queried.Load())
			}
		}
		return hashes
	}
	alone, beside := run(false), run(true)
	for h := range alone {
		if !bytes.Equal(alone[h], beside[h]) {
			t.Fatalf("height %d: app hash %X alone, %X with CheckTx and queries beside", h+1, alone[h], beside[h])
		}
	}
}
