package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/tmhash"
	"github.com/cometbft/cometbft/types"
)

func errTxIndex(height int64, index uint32, txs, results int) error {
	return fmt.Errorf("block %d has %d txs and %d results, no tx %d", height, txs, results, index)
}

// checkTxByHash locates a tx by hash (untrusted) and proves it.
func checkTxByHash(ctx context.Context, r *Report, src source, hash []byte) {
	what := fmt.Sprintf("tx %X", hash)
	h, i, err := src.findTx(ctx, hash)
	if err != nil {
		r.fail(KindTx, what, err)
		return
	}
	note, err := proveTx(ctx, src, hash, h, i)
	r.check(KindTx, what, err, note)
}

// proveTx proves that the tx at (height, index) has hash, is in verified
// block height and succeeded.
func proveTx(ctx context.Context, src source, hash []byte, height int64, index uint32) (string, error) {
	hdr, err := src.lightBlock(ctx, height)
	if err != nil {
		return "", fmt.Errorf("header %d: %w", height, err)
	}
	next, err := src.lightBlock(ctx, height+1)
	if err != nil {
		return "", fmt.Errorf("header %d (which commits to block %d's results): %w", height+1, height, err)
	}
	ev, err := src.txEvidence(ctx, height, index)
	if err != nil {
		return "", err
	}
	if err := verifyTx(ev, hash, height, index, hdr.DataHash, next.LastResultsHash); err != nil {
		return "", err
	}
	return fmt.Sprintf("in block %d at index %d (Merkle proof against data hash %X of header %d); code 0 (Merkle proof against last-results hash %X of header %d)",
		height, index, hdr.DataHash, height, next.LastResultsHash, height+1), nil
}

// verifyTx is the offline core of proveTx.
func verifyTx(ev *TxEvidence, hash []byte, height int64, index uint32, dataHash, resultsHash []byte) error {
	if ev.Height != height || ev.Index != index || ev.TxProof.Index != int64(index) || ev.ResultProof.Index != int64(index) {
		return fmt.Errorf("evidence is for tx %d of block %d, wanted tx %d of block %d", ev.TxProof.Index, ev.Height, index, height)
	}
	if got := tmhash.Sum(ev.Tx); !bytes.Equal(got, hash) {
		return fmt.Errorf("tx %d of block %d hashes to %X, not %X", index, height, got, hash)
	}
	tp := types.TxProof{RootHash: dataHash, Data: ev.Tx, Proof: ev.TxProof}
	if err := tp.Validate(dataHash); err != nil {
		return fmt.Errorf("tx inclusion proof against data hash %X of header %d: %w", dataHash, height, err)
	}
	if err := ev.ResultProof.Verify(resultsHash, ev.Result); err != nil {
		return fmt.Errorf("tx result proof against last-results hash %X of header %d: %w", resultsHash, height+1, err)
	}
	var res abci.ExecTxResult
	if err := res.Unmarshal(ev.Result); err != nil {
		return fmt.Errorf("decode tx result: %w", err)
	}
	if res.Code != 0 {
		return errors.New("the tx failed: proven result code " + fmt.Sprint(res.Code))
	}
	return nil
}
