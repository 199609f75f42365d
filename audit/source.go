package audit

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/merkle"
	"github.com/cometbft/cometbft/types"
)

// source is where the checks read from. Only lightBlock and latest are
// trusted (verified from the trust root); everything else is an untrusted
// answer that the checks prove against those headers.
type source interface {
	// latest is the newest verified light block.
	latest(ctx context.Context) (*types.LightBlock, error)
	// lightBlock is the verified light block at height h.
	lightBlock(ctx context.Context, h int64) (*types.LightBlock, error)
	// query is a provable ABCI query's answer at height.
	query(ctx context.Context, path string, data []byte, height int64) (*abci.ResponseQuery, error)
	// txEvidence is the tx at (height, index) with its Merkle proofs.
	txEvidence(ctx context.Context, height int64, index uint32) (*TxEvidence, error)
	// findTx says where a tx is (height, index in its block).
	findTx(ctx context.Context, hash []byte) (int64, uint32, error)
	// trustNote says how the latest header was verified.
	trustNote(top *types.LightBlock) string
}

// TxEvidence is a tx with what proves it was committed and succeeded: a
// Merkle proof of its hash against header Height's data hash, and the
// deterministic part of its result (abci.DeterministicExecTxResult,
// marshalled) with a Merkle proof against header Height+1's last-results
// hash.
type TxEvidence struct {
	Height      int64        `json:"height"`
	Index       uint32       `json:"index"`
	Tx          []byte       `json:"tx"`
	TxProof     merkle.Proof `json:"tx_proof"`
	Result      []byte       `json:"result"`
	ResultProof merkle.Proof `json:"result_proof"`
}

// evidenceFrom builds a tx's evidence from its (untrusted) block and
// block results.
func evidenceFrom(height int64, index uint32, txs types.Txs, results []*abci.ExecTxResult) (*TxEvidence, error) {
	if int(index) >= len(txs) || len(results) != len(txs) {
		return nil, errTxIndex(height, index, len(txs), len(results))
	}
	res := types.NewResults(results)
	leaf, err := res[index].Marshal()
	if err != nil {
		return nil, err
	}
	return &TxEvidence{
		Height: height, Index: index,
		Tx: txs[index], TxProof: txs.Proof(int(index)).Proof,
		Result: leaf, ResultProof: res.ProveResult(int(index)),
	}, nil
}
