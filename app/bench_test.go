package app_test

import (
	"flag"
	"fmt"
	"testing"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// blockSize is the number of txs per benchmark block:
// go test ./app -run '^$' -bench Block -block.size 2000
var blockSize = flag.Int("block.size", 1000, "txs per block in the block benchmarks")

// BenchmarkBlockRegisterParty measures a block of register-party txs (one
// department registering enterprises) through FinalizeBlock and Commit on a
// goleveldb state on disk. Signatures are recovered inside FinalizeBlock
// (in parallel), as on a node that did not see the txs in CheckTx; the
// "cached" variant runs CheckTx first, as a validator that gossiped them.
func BenchmarkBlockRegisterParty(b *testing.B) {
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			d := apptest.Open(b, b.TempDir())
			dept := apptest.Keys(1, "bench-dept")[0]
			d.InitChain(apptest.Genesis(apptest.Department(dept, 1, 10)))
			blocks := make([][][]byte, b.N)
			keys := apptest.Keys(b.N**blockSize, "bench-parties")
			nonce := uint64(0)
			for i := range blocks {
				for j := 0; j < *blockSize; j++ {
					k := keys[i**blockSize+j]
					m := &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: &idtypes.MsgRegisterParty{
						Address: apptest.Addr(k), Name: fmt.Sprintf("enterprise %d-%d", i, j),
						Kind: idtypes.PartyKind_PARTY_KIND_INDIVIDUAL,
					}}}
					blocks[i] = append(blocks[i], d.Sign(dept, nonce, m))
					nonce++
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if cached {
					b.StopTimer()
					for _, raw := range blocks[i] {
						d.CheckTx(raw)
					}
					b.StartTimer()
				}
				d.BlockOK(blocks[i]...)
			}
			b.ReportMetric(float64(b.N**blockSize)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
