package keeper_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/provenance/keeper"
	"github.com/datarights/datarights/x/provenance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// dag is a chain (the real app, in memory) holding a lineage DAG built
// through signed txs: asset a-j (j = 1..n) has the inputs inputs(j), all
// older. One enterprise registers everything, so it holds the root right
// of each input, which allows deriving.
type dag struct {
	d     *apptest.Driver
	owner *ecdsa.PrivateKey
	nonce uint64
}

// txsPerBlock is how many registrations go in one block.
const txsPerBlock = 500

func newDAG(tb testing.TB, n int, inputs func(j int) []int) *dag {
	tb.Helper()
	return newDAGOn(tb, apptest.New(tb), n, inputs)
}

// newDAGOn builds the DAG on a fresh driver d.
func newDAGOn(tb testing.TB, d *apptest.Driver, n int, inputs func(j int) []int) *dag {
	tb.Helper()
	keys := apptest.Keys(2, "provenance dag")
	gs := apptest.Genesis(apptest.Department(keys[0], 1, 10, idtypes.Role_ROLE_DATA_ADMIN),
		apptest.Party(keys[1], idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 2))
	p := regtypes.DefaultParams()
	p.NoticePeriodSeconds = 1
	gs.Registry = &regtypes.GenesisState{Params: p}
	g := &dag{d: d, owner: keys[1]}
	g.d.InitChain(gs)
	// Register in generations: an asset goes in once its inputs are
	// certified (the notice period ends a block later).
	gen := make([]int, n+1)
	var batch [][]byte
	flush := func() {
		for len(batch) > 0 {
			k := min(len(batch), txsPerBlock)
			g.d.BlockOK(batch[:k]...)
			batch = batch[k:]
		}
		g.d.BlockOK()
		g.d.BlockOK()
	}
	cur := 0
	for j := 1; j <= n; j++ {
		ins := inputs(j)
		for _, i := range ins {
			if i >= j || i < 1 {
				tb.Fatalf("input a-%d of a-%d is not older", i, j)
			}
			gen[j] = max(gen[j], gen[i]+1)
		}
		if gen[j] < cur {
			tb.Fatalf("a-%d's generation %d is below %d: number assets in generation order", j, gen[j], cur)
		}
		if gen[j] > cur {
			flush()
			cur = gen[j]
		}
		batch = append(batch, g.d.Sign(g.owner, g.nonce, register(j, ins)))
		g.nonce++
	}
	flush()
	return g
}

func register(j int, ins []int) *tx.Msg {
	h := sha256.Sum256(fmt.Appendf(nil, "asset %d", j))
	m := &regtypes.MsgRegisterAsset{Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: fmt.Sprintf("DAG-%d", j),
		Name: fmt.Sprintf("asset %d", j), Classification: regtypes.Classification_CLASSIFICATION_ENTERPRISE,
		Grade: regtypes.Grade_GRADE_GENERAL, ContentHash: hex.EncodeToString(h[:])}
	if len(ins) > 0 {
		m.Kind = regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT
		left := uint32(regtypes.TotalWeightBps)
		for k, i := range ins {
			w := left / uint32(len(ins)-k)
			left -= w
			m.Inputs = append(m.Inputs, &regtypes.Input{AssetId: fmt.Sprintf("a-%d", i), WeightBps: w})
		}
	}
	return &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: m}}
}

// trace runs /provenance/trace through the app's query path.
func (g *dag) trace(tb testing.TB, req *types.TraceRequest) *types.Trace {
	tb.Helper()
	r := g.d.Query(keeper.PathTrace, req, 0, false)
	if r.Code != 0 {
		tb.Fatalf("trace %v: %s/%d %s", req, r.Codespace, r.Code, r.Log)
	}
	t := &types.Trace{}
	if err := proto.Unmarshal(r.Value, t); err != nil {
		tb.Fatal(err)
	}
	return t
}

// halves is the benchmark's DAG: a-j derives from a-(j/2) and a-(j/3)
// (one input when they coincide), so a-1 is upstream of everything and
// diamonds are everywhere; generation = floor(log2 j).
func halves(j int) []int {
	if j == 1 {
		return nil
	}
	ins := []int{j / 2}
	if k := j / 3; k >= 1 && k != j/2 {
		ins = append(ins, k)
	}
	return ins
}
