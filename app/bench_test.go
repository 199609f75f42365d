package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"syscall"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	idb "github.com/cosmos/iavl/db"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
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

// BenchmarkBlockGrantUsage measures the ledger's daily traffic: blocks of
// -block.size txs, one in five a grant (a department's holding right to an
// enterprise) and the rest usage records by enterprises on their use
// rights, through FinalizeBlock and Commit on goleveldb on disk, with
// signatures already recovered by CheckTx as on a validator. The rights
// used are granted first, in untimed blocks.
//
// keys/tx is the number of distinct state keys each measured block set or
// deleted (its IAVL change set, read back from disk after the run), per
// tx: what the tree actually persists, counting a key written by many txs
// of a block (a counter, an index) once.
func BenchmarkBlockGrantUsage(b *testing.B) {
	const enterprises = 250
	dir := b.TempDir()
	d := apptest.Open(b, dir)
	dept := apptest.Keys(1, "bench-dept")[0]
	ents := apptest.Keys(enterprises, "bench-enterprises")
	parties := []*idtypes.Party{apptest.Department(dept, 1, 10)}
	for i, k := range ents {
		parties = append(parties, apptest.Party(k, idtypes.PartyKind_PARTY_KIND_ENTERPRISE, 100+i))
	}
	d.InitChain(apptest.Genesis(parties...))
	nonces := map[*ecdsa.PrivateKey]uint64{}
	sign := func(k *ecdsa.PrivateKey, m *tx.Msg) []byte {
		raw := d.Sign(k, nonces[k], m)
		nonces[k]++
		return raw
	}
	until := timestamppb.New(apptest.StartTime.AddDate(1, 0, 0))
	scope := &rightstypes.Scope{Purposes: []string{"research"}, Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}}
	grant := func(to *ecdsa.PrivateKey) *tx.Msg {
		return &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: &rightstypes.MsgGrantRight{
			ParentId: "r-1", Grantee: apptest.Addr(to), Kind: rightstypes.RightKind_RIGHT_KIND_USE, Scope: scope, ValidUntil: until}}}
	}

	// Untimed setup: a dataset (a-1, holding right r-1), then a use right
	// r-(i+2) for enterprise i.
	h := sha256.Sum256([]byte("bench dataset"))
	d.BlockOK(sign(dept, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: &regtypes.MsgRegisterAsset{
		Kind: regtypes.AssetKind_ASSET_KIND_DATASET, CatalogueCode: "BENCH-1", Name: "bench", SourceDepartment: apptest.Addr(dept),
		Classification: regtypes.Classification_CLASSIFICATION_PUBLIC, Grade: regtypes.Grade_GRADE_GENERAL,
		OpenLevel: regtypes.OpenLevel_OPEN_LEVEL_CONDITIONAL, ContentHash: hex.EncodeToString(h[:])}}}))
	var setup [][]byte
	for _, k := range ents {
		setup = append(setup, sign(dept, grant(k)))
	}
	d.BlockOK(setup...)
	first := d.Height() + 1

	blocks := make([][][]byte, b.N)
	for i := range blocks {
		for j := 0; j < *blockSize; j++ {
			n := i**blockSize + j
			if j%5 == 0 {
				blocks[i] = append(blocks[i], sign(dept, grant(ents[n%enterprises])))
				continue
			}
			e := n % enterprises
			res := sha256.Sum256(fmt.Appendf(nil, "result %d", n))
			blocks[i] = append(blocks[i], sign(ents[e], &tx.Msg{Sum: &tx.Msg_RecordUsage{RecordUsage: &rightstypes.MsgRecordUsage{
				RightId: fmt.Sprintf("r-%d", e+2), Purpose: "research", Operation: rightstypes.Operation_OPERATION_QUERY,
				ResultHash: hex.EncodeToString(res[:])}}}))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for _, raw := range blocks[i] {
			if r := d.CheckTx(raw); r.Code != 0 {
				b.Fatalf("CheckTx: %s", r.Log)
			}
		}
		b.StartTimer()
		d.BlockOK(blocks[i]...)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N**blockSize)/b.Elapsed().Seconds(), "tx/s")
	last := d.Height()
	d.Close()
	b.ReportMetric(float64(changedKeys(b, dir, first, last))/float64(b.N**blockSize), "keys/tx")
}

// changedKeys counts the keys set or deleted in versions from to to of the
// goleveldb state in dir (closed), from IAVL's change sets.
func changedKeys(b *testing.B, dir string, from, to int64) int {
	db, err := dbm.NewDB("application", dbm.GoLevelDBBackend, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tree := iavl.NewMutableTree(idb.NewWrapper(db), 10_000, true, iavl.NewNopLogger())
	if _, err := tree.Load(); err != nil {
		b.Fatal(err)
	}
	snap, err := tree.GetImmutable(to)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	err = snap.TraverseStateChanges(from, to, func(_ int64, cs *iavl.ChangeSet) error {
		n += len(cs.Pairs)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkVerifyCached measures what a node spends on a tx it already
// checked in CheckTx, each time a proposal step or a mempool recheck sees it
// again (App.screen: a hash and a cache lookup, no decoding; FinalizeBlock
// decodes it once more but does not recover the signature): cpu-ns/tx is the process's CPU time per tx (getrusage), which
// other load on the machine does not inflate as it does wall time.
func BenchmarkVerifyCached(b *testing.B) {
	d := apptest.Open(b, b.TempDir())
	dept := apptest.Keys(1, "bench-dept")[0]
	d.InitChain(apptest.Genesis(apptest.Department(dept, 1, 10)))
	keys := apptest.Keys(*blockSize, "bench-verify")
	var txs [][]byte
	for i, k := range keys {
		raw := d.Sign(dept, uint64(i), &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: &idtypes.MsgRegisterParty{
			Address: apptest.Addr(k), Name: fmt.Sprintf("party %d", i), Kind: idtypes.PartyKind_PARTY_KIND_INDIVIDUAL}}})
		if r := d.CheckTx(raw); r.Code != 0 {
			b.Fatal(r.Log)
		}
		txs = append(txs, raw)
	}
	req := &abci.RequestProcessProposal{Txs: txs, Height: 2}
	cpu0 := cpuNanos(b)
	b.ResetTimer()
	for range b.N {
		if r, err := d.App.ProcessProposal(context.Background(), req); err != nil || r.Status != abci.ResponseProcessProposal_ACCEPT {
			b.Fatalf("process proposal: %v %v", r, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuNanos(b)-cpu0)/float64(b.N*len(txs)), "cpu-ns/tx")
}

// cpuNanos is the process's user + system CPU time.
func cpuNanos(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
