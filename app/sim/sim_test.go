package sim_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/sim"
	"github.com/datarights/datarights/tx"
)

var (
	seeds  = flag.Int("sim.seeds", 3, "number of seeds to simulate")
	first  = flag.Uint64("sim.seed", 1, "first seed")
	blocks = flag.Int("sim.blocks", 200, "blocks per seed")
	out    = flag.String("sim.out", "", "write 'seed height apphash' lines to this file")
)

// TestSimulation runs -sim.seeds seeds of -sim.blocks random blocks each,
// checks every invariant after every block, and runs each seed twice: the
// second run must reach the same app hash at every height. It fails if the
// generator stops reaching any message type.
func TestSimulation(t *testing.T) {
	var lines []string
	okByType, failedByType := map[string]int{}, map[string]int{}
	for seed := *first; seed < *first+uint64(*seeds); seed++ {
		hashes := run(t, seed, okByType, failedByType)
		again := sim.New(t, seed)
		for h := range *blocks {
			_, resp := again.Next()
			if !bytes.Equal(resp.AppHash, hashes[h]) {
				t.Fatalf("seed %d height %d: app hash %X, first run %X", seed, h+1, resp.AppHash, hashes[h])
			}
			lines = append(lines, fmt.Sprintf("%d %d %X", seed, h+1, hashes[h]))
		}
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var missing []string
	for _, typ := range msgTypes() {
		t.Logf("%-28s %6d ok %6d failed", typ, okByType[typ], failedByType[typ])
		if okByType[typ] == 0 && *seeds*(*blocks) >= 600 {
			missing = append(missing, typ)
		}
	}
	if len(missing) > 0 {
		t.Errorf("no successful tx of %v in %d seeds × %d blocks: the generator no longer reaches them", missing, *seeds, *blocks)
	}
}

// run simulates one seed with the invariants checked after every block
// and returns the app hash of every height.
func run(t *testing.T, seed uint64, okByType, failedByType map[string]int) [][]byte {
	g := sim.New(t, seed)
	c := sim.NewChecker(t, g.Driver())
	hashes := make([][]byte, *blocks)
	txs := 0
	for h := range *blocks {
		raws, resp := g.Next()
		c.Check(resp)
		hashes[h] = resp.AppHash
		txs += len(raws)
		count(raws, resp, okByType, failedByType)
		if (h+1)%100 == 0 {
			t.Logf("seed %d: %d blocks, %d txs, %d failed, %d rights, %d rights exercised, %d trades, %d history entries", seed, h+1, txs, c.Failed, c.Rights, c.Exercised, c.Trades, c.History)
		}
	}
	return hashes
}

// count tallies tx outcomes by the type of their first message.
func count(raws [][]byte, resp *abci.ResponseFinalizeBlock, okByType, failedByType map[string]int) {
	for i, raw := range raws {
		typ := msgType(raw)
		if resp.TxResults[i].Code == abci.CodeTypeOK {
			okByType[typ]++
		} else {
			failedByType[typ]++
		}
	}
}

func msgType(raw []byte) string {
	d, err := tx.Decode(apptest.ChainID, raw)
	if err != nil || len(d.Body.GetMessages()) == 0 {
		return "(envelope fault)"
	}
	return string(d.Body.Messages[0].ProtoReflect().WhichOneof(oneof()).Name())
}

func oneof() protoreflect.OneofDescriptor {
	return (&tx.Msg{}).ProtoReflect().Descriptor().Oneofs().Get(0)
}

func msgTypes() []string {
	var out []string
	fields := oneof().Fields()
	for i := range fields.Len() {
		out = append(out, string(fields.Get(i).Name()))
	}
	return slices.Sorted(slices.Values(out))
}
