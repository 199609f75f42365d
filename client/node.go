package client

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/tx"
)

const defaultTimeout = 60 * time.Second

// Node is a connection to one node's RPC.
type Node struct {
	RPC     *rpchttp.HTTP
	Addr    string
	chainID string
}

// Connect opens the node that --node names and learns the chain id from it
// unless --chain-id is set.
func Connect(cmd *cobra.Command) (*Node, error) {
	addr, _ := cmd.Flags().GetString(FlagNode)
	rpc, err := rpchttp.New(addr, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", addr, err)
	}
	n := &Node{RPC: rpc, Addr: addr}
	n.chainID, _ = cmd.Flags().GetString(FlagChainID)
	return n, nil
}

// ChainID returns --chain-id, or the node's network name.
func (n *Node) ChainID(ctx context.Context) (string, error) {
	if n.chainID != "" {
		return n.chainID, nil
	}
	st, err := n.RPC.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("ask node %s for its chain id: %w", n.Addr, err)
	}
	n.chainID = st.NodeInfo.Network
	return n.chainID, nil
}

// Nonce returns the next nonce of a signer, counting txs in the node's
// mempool, so that a script can send several txs without waiting.
func (n *Node) Nonce(ctx context.Context, signer string) (uint64, error) {
	res, err := n.RPC.ABCIQuery(ctx, app.PathNonce, address.Bytes(signer))
	if err != nil {
		return 0, fmt.Errorf("query nonce: %w", err)
	}
	if res.Response.Code != 0 || len(res.Response.Value) != 16 {
		return 0, fmt.Errorf("query nonce: %s", res.Response.Log)
	}
	return binary.BigEndian.Uint64(res.Response.Value[8:]), nil
}

// Result is what a tx command prints.
type Result struct {
	TxHash    string   `json:"txhash"`
	Height    int64    `json:"height,omitempty"`
	Code      uint32   `json:"code"`
	Codespace string   `json:"codespace,omitempty"`
	Log       string   `json:"log,omitempty"`
	IDs       []string `json:"ids,omitempty"`
	Committed bool     `json:"committed"`
}

// TxError is a tx the chain rejected: the command exits non-zero.
type TxError struct{ Result *Result }

func (e *TxError) Error() string {
	return fmt.Sprintf("tx %s rejected: %s code %d: %s", e.Result.TxHash, e.Result.Codespace, e.Result.Code, e.Result.Log)
}

// Send signs the messages with key, broadcasts them and, unless async,
// waits for the commit.
func (n *Node) Send(ctx context.Context, key *ecdsa.PrivateKey, async bool, timeout time.Duration, msgs ...*tx.Msg) (*Result, error) {
	chainID, err := n.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	signer := address.FromKey(key)
	nonce, err := n.Nonce(ctx, signer)
	if err != nil {
		return nil, err
	}
	raw, err := tx.Sign(key, &tx.TxBody{ChainId: chainID, Signer: signer, Nonce: nonce, Messages: msgs})
	if err != nil {
		return nil, err
	}
	return n.Broadcast(ctx, raw, async, timeout)
}

// Broadcast sends signed tx bytes and, unless async, waits for the commit.
func (n *Node) Broadcast(ctx context.Context, raw []byte, async bool, timeout time.Duration) (*Result, error) {
	res, err := n.RPC.BroadcastTxSync(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("broadcast to %s: %w", n.Addr, err)
	}
	r := &Result{TxHash: strings.ToUpper(hex.EncodeToString(res.Hash)), Code: res.Code, Codespace: res.Codespace, Log: res.Log}
	if res.Code != 0 {
		return r, &TxError{r}
	}
	if async {
		return r, nil
	}
	return n.WaitTx(ctx, res.Hash, timeout)
}

// WaitTx polls the node until the tx is in a block.
func (n *Node) WaitTx(ctx context.Context, hash []byte, timeout time.Duration) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r := &Result{TxHash: strings.ToUpper(hex.EncodeToString(hash))}
	for {
		got, err := n.RPC.Tx(ctx, hash, false)
		if err == nil {
			r.Height, r.Committed = got.Height, true
			r.Code, r.Codespace, r.Log = got.TxResult.Code, got.TxResult.Codespace, got.TxResult.Log
			if r.Code != 0 {
				return r, &TxError{r}
			}
			var data tx.TxResultData
			if err := proto.Unmarshal(got.TxResult.Data, &data); err == nil {
				for _, m := range data.Results {
					r.IDs = append(r.IDs, m.Id)
				}
			}
			return r, nil
		}
		select {
		case <-ctx.Done():
			return r, fmt.Errorf("tx %s was admitted but not committed within %s (still in the mempool?)", r.TxHash, timeout)
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// PrintResult prints a tx result as text or JSON.
func PrintResult(cmd *cobra.Command, r *Result) error {
	return Print(cmd, r, func(w io.Writer) {
		fmt.Fprintf(w, "txhash:\t%s\n", r.TxHash)
		if r.Committed {
			fmt.Fprintf(w, "height:\t%d\n", r.Height)
		} else {
			fmt.Fprintf(w, "status:\tin mempool (not waited for)\n")
		}
		if r.Code != 0 {
			fmt.Fprintf(w, "rejected:\t%s code %d\n", r.Codespace, r.Code)
			fmt.Fprintf(w, "reason:\t%s\n", r.Log)
		}
		for _, id := range r.IDs {
			if id != "" {
				fmt.Fprintf(w, "id:\t%s\n", id)
			}
		}
	})
}

// QueryResult is a query's value with what was proven about it.
type QueryResult struct {
	Value  []byte
	Height int64
	// Proven is set when --prove was given and the proof verified against
	// the app hash in the header of Height+1.
	Proven    bool
	ProofNote string
	NotFound  bool
	Code      uint32
	Codespace string
	Log       string
}

// ErrQuery is a query the node answered with an error.
var ErrQuery = errors.New("query failed")

// QueryError is a query the node refused, with its registered error;
// errors.Is(err, ErrQuery) holds.
type QueryError struct {
	Codespace string
	Code      uint32
	Log       string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%v: %s code %d: %s", ErrQuery, e.Codespace, e.Code, e.Log)
}

func (e *QueryError) Unwrap() error { return ErrQuery }

// Query runs an ABCI query with --height and --prove. With --prove, the
// proof is verified against the app hash of the header at Height+1 (the
// header that commits to the state after block Height); a missing entity is
// proven absent.
func (n *Node) Query(ctx context.Context, cmd *cobra.Command, path string, req proto.Message) (*QueryResult, error) {
	var data []byte
	if req != nil {
		var err error
		if data, err = proto.Marshal(req); err != nil {
			return nil, err
		}
	}
	height, _ := cmd.Flags().GetInt64(FlagHeight)
	prove, _ := cmd.Flags().GetBool(FlagProve)
	res, err := n.RPC.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: height, Prove: prove})
	if err != nil {
		return nil, fmt.Errorf("query %s on %s: %w", path, n.Addr, err)
	}
	r := res.Response
	q := &QueryResult{Value: r.Value, Height: r.Height, Code: r.Code, Codespace: r.Codespace, Log: r.Log}
	if prove {
		if err := n.verifyProof(ctx, q, r.Key, r.ProofOps); err != nil {
			return nil, err
		}
	}
	if r.Code != 0 {
		return q, &QueryError{Codespace: r.Codespace, Code: r.Code, Log: r.Log}
	}
	return q, nil
}

// verifyProof checks the query's proof against the app hash in the header
// at Height+1, waiting briefly for that block if it is not yet committed.
func (n *Node) verifyProof(ctx context.Context, q *QueryResult, key []byte, ops *cmtcrypto.ProofOps) error {
	if ops == nil || len(ops.Ops) != 1 || ops.Ops[0].Type != app.ProofOpType {
		return fmt.Errorf("node %s returned no %s proof for this query", n.Addr, app.ProofOpType)
	}
	op := ops.Ops[0]
	if !bytes.Equal(op.Key, key) {
		return fmt.Errorf("proof is for key %X, the answer for key %X", op.Key, key)
	}
	h := q.Height + 1
	var hdrHash []byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := n.RPC.Commit(ctx, &h)
		if err == nil {
			hdrHash = c.Header.AppHash
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("header %d (which commits to the state at %d) is not available: %w", h, q.Height, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	value := q.Value
	if q.Code != 0 {
		value = nil // the node says absent: the proof must show absence
	}
	if err := VerifyICS23(hdrHash, key, value, op.Data); err != nil {
		return fmt.Errorf("PROOF FAILED at height %d: %w", q.Height, err)
	}
	q.Proven = true
	what := "value"
	if value == nil {
		what, q.NotFound = "absence", true
	}
	q.ProofNote = fmt.Sprintf("%s proven against app hash %X of header %d (header as served by %s; `audit verify` also checks the header with a light client)", what, hdrHash, h, n.Addr)
	return nil
}

// VerifyICS23 checks an ICS23 proof of key/value (value nil: absence)
// against root.
func VerifyICS23(root, key, value, proofBytes []byte) error {
	var p ics23.CommitmentProof
	if err := p.Unmarshal(proofBytes); err != nil {
		return fmt.Errorf("decode proof: %w", err)
	}
	if value == nil {
		if !ics23.VerifyNonMembership(ics23.IavlSpec, root, &p, key) {
			return errors.New("absence proof does not verify against the app hash")
		}
		return nil
	}
	if !ics23.VerifyMembership(ics23.IavlSpec, root, &p, key, value) {
		return errors.New("proof does not verify against the app hash")
	}
	if !bytes.Equal(p.GetExist().GetValue(), value) {
		return errors.New("proof is for another value")
	}
	return nil
}
