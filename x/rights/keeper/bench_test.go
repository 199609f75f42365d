package keeper_test

import (
	"context"
	"encoding/binary"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	"github.com/datarights/datarights/x/rights/types"
)

// countingKV counts the writes a handler makes.
type countingKV struct {
	store.KV
	writes int
}

func (c *countingKV) Set(k, v []byte) { c.writes++; c.KV.Set(k, v) }
func (c *countingKV) Delete(k []byte) { c.writes++; c.KV.Delete(k) }

// BenchmarkRecordUsage measures the highest-volume tx: one use recorded
// under a right (directly granted, or three sublicenses deep, which costs
// more reads for the ancestor walk) or of open data without a right. It
// reports the state writes per message, which must stay at one: a usage
// record is one key, with no counter.
func BenchmarkRecordUsage(b *testing.B) {
	f := newFixture(b, nil)
	s := scope(false, qc, "research")
	f.must(ent1, f.use(root(aEnt), ent2, s)) // r-9
	f.sub(root(aPublic), dept1, ent2, s)     // r-10
	f.sub("r-10", ent2, ent3, s)             // r-11
	f.must(ent3, f.use("r-11", ent4, s))     // r-12, depth 3
	for _, bc := range []struct {
		name  string
		actor string
		msg   proto.Message
	}{
		{"depth1", ent2, usage("r-9", "research", types.Operation_OPERATION_QUERY)},
		{"depth3", ent4, usage("r-12", "research", types.Operation_OPERATION_COMPUTE)},
		{"open-data", ent4, &types.MsgRecordUsage{AssetId: aOpen, Purpose: "app", Operation: types.Operation_OPERATION_QUERY, ResultHash: hash}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			block := env.WithBlock(context.Background(), env.Block{Height: f.height, Time: f.now})
			writes := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				hash := binary.BigEndian.AppendUint64(make([]byte, 24), uint64(i))
				ctx := env.WithTx(block, env.Tx{Signer: bc.actor, Actor: bc.actor, Hash: hash}, &env.Events{})
				branch := store.NewBranch(f.tree)
				kv := &countingKV{KV: branch}
				if _, _, err := f.k.Handle(ctx, kv, bc.msg); err != nil {
					b.Fatal(err)
				}
				branch.Write()
				writes += kv.writes
			}
			b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
		})
	}
}
