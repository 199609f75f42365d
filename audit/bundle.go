package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cometbft/cometbft/types"
)

// BundleFormat names the bundle format; VerifyBundle refuses others.
const BundleFormat = "datarights-audit-bundle/1"

// BundleFile is everything a verification read, to re-verify offline: the
// light blocks (signed headers and validator sets) from the trust root to
// every height used, each query answer with its ICS23 proof, and each tx
// with its Merkle proofs. Nothing in it is trusted: VerifyBundle checks the
// light blocks from the auditor's own trust root and replays the checks.
type BundleFile struct {
	Format  string  `json:"format"`
	ChainID string  `json:"chain_id"`
	Entity  string  `json:"entity"`
	Options Options `json:"options"`
	Latest  int64   `json:"latest"` // height of the newest header used
	// LightBlocks are protobuf-encoded tendermint.types.LightBlock, by height.
	LightBlocks [][]byte      `json:"light_blocks"`
	Queries     []QueryRecord `json:"queries"`
	Txs         []*TxEvidence `json:"txs"`
	Located     []TxLocation  `json:"located,omitempty"`
	Report      *Report       `json:"report"` // the recording run's report, for the record
}

// QueryRecord is one ABCI query and its answer (protobuf-encoded
// abci.ResponseQuery, proof included).
type QueryRecord struct {
	Path     string `json:"path"`
	Data     []byte `json:"data"`
	Height   int64  `json:"height"`
	Response []byte `json:"response"`
}

// TxLocation is where a node said a tx is; the tx's evidence proves it.
type TxLocation struct {
	Hash   []byte `json:"hash"`
	Height int64  `json:"height"`
	Index  uint32 `json:"index"`
}

// Bundle verifies id live, like Verify, and returns everything it read.
func Bundle(ctx context.Context, cfg Config, id string, opts Options) (*BundleFile, error) {
	src, err := openLive(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer src.close()
	src.chainDown = true
	return record(ctx, src, src.cfg.ChainID, id, opts), nil
}

// VerifyBundle re-verifies a bundle offline from trust's root (its
// GenesisFile, or TrustHeight and TrustHash). An error means the trust
// configuration is unusable; a bundle that does not prove its claims
// yields a FAILED report.
func VerifyBundle(b *BundleFile, trust Config) (*Report, error) {
	rp, err := newReplay(b, trust)
	if err != nil {
		return nil, err
	}
	return run(context.Background(), rp, b.Entity, b.Options), nil
}

// record runs the checks through src and keeps what they read.
func record(ctx context.Context, src source, chainID, id string, opts Options) *BundleFile {
	rec := &recorder{src: src, lbs: map[int64]*types.LightBlock{}}
	b := &BundleFile{Format: BundleFormat, ChainID: chainID, Entity: id, Options: opts}
	b.Report = run(ctx, rec, id, opts)
	if c, ok := src.(chainer); ok {
		for _, lb := range c.trustedChain() {
			rec.lbs[lb.Height] = lb
		}
	}
	heights := make([]int64, 0, len(rec.lbs))
	for h := range rec.lbs {
		heights = append(heights, h)
	}
	sort.Slice(heights, func(i, j int) bool { return heights[i] < heights[j] })
	for _, h := range heights {
		pb, err := rec.lbs[h].ToProto()
		if err != nil {
			continue // cannot happen for a block the light client accepted
		}
		bz, _ := pb.Marshal()
		b.LightBlocks = append(b.LightBlocks, bz)
	}
	b.Latest, b.Queries, b.Txs, b.Located = rec.latestH, rec.queries, rec.txs, rec.located
	return b
}

// chainer is a source that can list the light blocks its verification
// went through (the root and every pivot), so that a bundle holds a chain
// of trust from the root to each height it uses.
type chainer interface {
	trustedChain() []*types.LightBlock
}

type recorder struct {
	src     source
	lbs     map[int64]*types.LightBlock
	latestH int64
	queries []QueryRecord
	txs     []*TxEvidence
	located []TxLocation
}

func (r *recorder) latest(ctx context.Context) (*types.LightBlock, error) {
	lb, err := r.src.latest(ctx)
	if err == nil {
		r.lbs[lb.Height], r.latestH = lb, lb.Height
	}
	return lb, err
}

func (r *recorder) lightBlock(ctx context.Context, h int64) (*types.LightBlock, error) {
	lb, err := r.src.lightBlock(ctx, h)
	if err == nil {
		r.lbs[h] = lb
	}
	return lb, err
}

func (r *recorder) query(ctx context.Context, path string, data []byte, height int64) (*abci.ResponseQuery, error) {
	res, err := r.src.query(ctx, path, data, height)
	if err == nil {
		bz, _ := res.Marshal()
		r.queries = append(r.queries, QueryRecord{Path: path, Data: data, Height: height, Response: bz})
	}
	return res, err
}

func (r *recorder) txEvidence(ctx context.Context, height int64, index uint32) (*TxEvidence, error) {
	ev, err := r.src.txEvidence(ctx, height, index)
	if err == nil {
		r.txs = append(r.txs, ev)
	}
	return ev, err
}

func (r *recorder) findTx(ctx context.Context, hash []byte) (int64, uint32, error) {
	h, i, err := r.src.findTx(ctx, hash)
	if err == nil {
		r.located = append(r.located, TxLocation{Hash: hash, Height: h, Index: i})
	}
	return h, i, err
}

func (r *recorder) trustNote(top *types.LightBlock) string { return r.src.trustNote(top) }

// decodeLightBlock reads one of a bundle's light blocks.
func decodeLightBlock(bz []byte) (*types.LightBlock, error) {
	var pb cmtproto.LightBlock
	if err := pb.Unmarshal(bz); err != nil {
		return nil, err
	}
	return types.LightBlockFromProto(&pb)
}

// replay serves a bundle's answers; its light blocks are those verified
// from the trust root.
type replay struct {
	b        *BundleFile
	verified map[int64]*types.LightBlock
	bad      map[int64]error // light blocks in the bundle that did not verify
	note     string
	rootErr  error
}

func (r *replay) latest(ctx context.Context) (*types.LightBlock, error) {
	return r.lightBlock(ctx, r.b.Latest)
}

func (r *replay) lightBlock(_ context.Context, h int64) (*types.LightBlock, error) {
	if r.rootErr != nil {
		return nil, fmt.Errorf("trust root: %w", r.rootErr)
	}
	if lb, ok := r.verified[h]; ok {
		return lb, nil
	}
	if err, ok := r.bad[h]; ok {
		return nil, fmt.Errorf("header %d in the bundle: %w", h, err)
	}
	return nil, fmt.Errorf("header %d is not in the bundle", h)
}

func (r *replay) query(_ context.Context, path string, data []byte, height int64) (*abci.ResponseQuery, error) {
	for _, q := range r.b.Queries {
		if q.Path == path && q.Height == height && bytes.Equal(q.Data, data) {
			var res abci.ResponseQuery
			if err := res.Unmarshal(q.Response); err != nil {
				return nil, fmt.Errorf("bundle's answer to %s: %w", path, err)
			}
			return &res, nil
		}
	}
	return nil, fmt.Errorf("the bundle has no answer to %s %X at height %d", path, data, height)
}

func (r *replay) txEvidence(_ context.Context, height int64, index uint32) (*TxEvidence, error) {
	for _, ev := range r.b.Txs {
		if ev.Height == height && ev.Index == index {
			return ev, nil
		}
	}
	return nil, fmt.Errorf("the bundle has no tx %d of block %d", index, height)
}

func (r *replay) findTx(_ context.Context, hash []byte) (int64, uint32, error) {
	for _, l := range r.b.Located {
		if bytes.Equal(l.Hash, hash) {
			return l.Height, l.Index, nil
		}
	}
	return 0, 0, fmt.Errorf("the bundle does not locate tx %X", hash)
}

func (r *replay) trustNote(top *types.LightBlock) string {
	return fmt.Sprintf("verified offline from %s through %d light blocks of the bundle; app hash %X", r.note, len(r.verified), top.AppHash)
}

var errNoRootBlock = errors.New("the bundle has no light block at the trust root's height")
