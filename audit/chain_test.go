package audit

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"path/filepath"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

const testChainID = "audit-test"

// testChain is a real app (apptest) under real CometBFT headers signed by
// four ed25519 validators: the data a node would serve, built in-process.
// As a source it serves every answer honestly; tests tamper with the
// bundle recorded from it.
type testChain struct {
	t       *testing.T
	d       *apptest.Driver
	privs   []ed25519.PrivKey
	vals    *types.ValidatorSet
	blocks  map[int64]*types.LightBlock
	txs     map[int64]types.Txs
	results map[int64][]*abci.ExecTxResult
	lastID  types.BlockID
	keys    []*ecdsa.PrivateKey
	nonce   uint64
}

func newTestChain(t *testing.T) *testChain {
	c := &testChain{t: t, d: apptest.New(t), blocks: map[int64]*types.LightBlock{},
		txs: map[int64]types.Txs{}, results: map[int64][]*abci.ExecTxResult{}, keys: apptest.Keys(6, "audit")}
	var vs []*types.Validator
	for i := 0; i < 4; i++ {
		k := ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "audit validator %d", i))
		c.privs = append(c.privs, k)
		vs = append(vs, types.NewValidator(k.PubKey(), 10))
	}
	c.vals = types.NewValidatorSet(vs)
	c.d.ChainID = testChainID
	c.d.InitChain(apptest.Genesis(apptest.Department(c.keys[0], 1, 10, idtypes.Role_ROLE_DATA_ADMIN)))
	return c
}

// block runs one block of txs through the app and makes its header, signed
// by every validator.
func (c *testChain) block(txs ...[]byte) int64 {
	appHash := c.d.AppHash() // the state before this block
	resp := c.d.Finalize(txs...)
	c.d.Commit()
	h := c.d.Height()
	ctxs := make(types.Txs, len(txs))
	for i, raw := range txs {
		ctxs[i] = raw
	}
	c.txs[h], c.results[h] = ctxs, resp.TxResults
	hdr := &types.Header{
		Version: cmtversion.Consensus{Block: version.BlockProtocol}, ChainID: testChainID, Height: h,
		Time: apptest.BlockTime(h), LastBlockID: c.lastID,
		ValidatorsHash: c.vals.Hash(), NextValidatorsHash: c.vals.Hash(), ConsensusHash: tmhash.Sum([]byte("params")),
		DataHash: ctxs.Hash(), AppHash: appHash, LastResultsHash: types.NewResults(c.results[h-1]).Hash(),
		ProposerAddress: c.vals.Validators[0].Address,
	}
	lb := c.signed(hdr, len(c.privs))
	c.blocks[h], c.lastID = lb, lb.Commit.BlockID
	return h
}

// signed is hdr with a commit by the first n validators (in key order).
func (c *testChain) signed(hdr *types.Header, n int) *types.LightBlock {
	id := types.BlockID{Hash: hdr.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: tmhash.Sum(hdr.Hash())}}
	sigs := make([]types.CommitSig, c.vals.Size())
	for i := range sigs {
		sigs[i] = types.NewCommitSigAbsent()
	}
	for _, k := range c.privs[:n] {
		idx, _ := c.vals.GetByAddress(k.PubKey().Address())
		v := &types.Vote{Type: cmtproto.PrecommitType, Height: hdr.Height, Round: 0, BlockID: id,
			Timestamp: hdr.Time, ValidatorAddress: k.PubKey().Address(), ValidatorIndex: idx}
		sig, err := k.Sign(types.VoteSignBytes(testChainID, v.ToProto()))
		if err != nil {
			c.t.Fatal(err)
		}
		v.Signature = sig
		sigs[idx] = v.CommitSig()
	}
	commit := &types.Commit{Height: hdr.Height, BlockID: id, Signatures: sigs}
	return &types.LightBlock{SignedHeader: &types.SignedHeader{Header: hdr, Commit: commit}, ValidatorSet: c.vals}
}

// registerTx is a signed tx of the data admin registering party key i.
func (c *testChain) registerTx(i int) []byte {
	m := &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: &idtypes.MsgRegisterParty{
		Address: apptest.Addr(c.keys[i]), Name: fmt.Sprintf("enterprise %d", i),
		Kind: idtypes.PartyKind_PARTY_KIND_ENTERPRISE, OrgCode: apptest.OrgCode(100 + i)}}}
	raw := c.d.Sign(c.keys[0], c.nonce, m)
	c.nonce++
	return raw
}

// genesisFile writes a genesis file naming the chain's validators.
func (c *testChain) genesisFile(privs []ed25519.PrivKey) string {
	doc := &types.GenesisDoc{ChainID: testChainID, GenesisTime: apptest.StartTime}
	for _, k := range privs {
		doc.Validators = append(doc.Validators, types.GenesisValidator{PubKey: k.PubKey(), Power: 10})
	}
	path := filepath.Join(c.t.TempDir(), "genesis.json")
	if err := doc.SaveAs(path); err != nil {
		c.t.Fatal(err)
	}
	return path
}

// source methods: the honest node.

func (c *testChain) latest(context.Context) (*types.LightBlock, error) {
	return c.blocks[c.d.Height()], nil
}

func (c *testChain) lightBlock(_ context.Context, h int64) (*types.LightBlock, error) {
	lb, ok := c.blocks[h]
	if !ok {
		return nil, fmt.Errorf("no block %d", h)
	}
	return lb, nil
}

func (c *testChain) query(_ context.Context, path string, data []byte, height int64) (*abci.ResponseQuery, error) {
	return c.d.QueryRaw(path, data, height, true), nil
}

func (c *testChain) txEvidence(_ context.Context, height int64, index uint32) (*TxEvidence, error) {
	return evidenceFrom(height, index, c.txs[height], c.results[height])
}

func (c *testChain) findTx(_ context.Context, hash []byte) (int64, uint32, error) {
	for h, txs := range c.txs {
		if i := txs.IndexByHash(hash); i >= 0 {
			return h, uint32(i), nil
		}
	}
	return 0, 0, fmt.Errorf("no tx %X", hash)
}

func (c *testChain) trustNote(*types.LightBlock) string { return "test chain" }

// trustedChain gives the recorder header 1, the genesis root.
func (c *testChain) trustedChain() []*types.LightBlock { return []*types.LightBlock{c.blocks[1]} }
