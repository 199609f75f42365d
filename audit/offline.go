package audit

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/types"
)

// maxClockDrift is how far a header may be ahead of the newest header of a
// bundle (offline, "now" is the bundle's own newest header time).
const maxClockDrift = 10 * time.Second

// newReplay verifies a bundle's light blocks from trust's root, with the
// light client's own verification functions: upward from the root each
// block must be verified by an already verified lower one (adjacent: the
// next validators signed it with 2/3; skipping: 1/3 of the trusted
// validators signed it), downward it must hash-chain into the root.
func newReplay(b *BundleFile, trust Config) (*replay, error) {
	if b == nil || b.Format != BundleFormat {
		return nil, fmt.Errorf("not an audit bundle (format %q, want %q)", formatOf(b), BundleFormat)
	}
	if trust.TrustingPeriod == 0 {
		trust.TrustingPeriod = DefaultTrustingPeriod
	}
	root, err := loadRoot(trust)
	if err != nil {
		return nil, err
	}
	chainID := root.chainID
	if chainID == "" {
		chainID = trust.ChainID
	}
	r := &replay{b: b, verified: map[int64]*types.LightBlock{}, bad: map[int64]error{}}
	if chainID != "" && chainID != b.ChainID {
		r.rootErr = fmt.Errorf("the bundle is of chain %q, the trust root of %q", b.ChainID, chainID)
		return r, nil
	}
	chainID = b.ChainID
	blocks := map[int64]*types.LightBlock{}
	var heights []int64
	for i, bz := range b.LightBlocks {
		lb, err := decodeLightBlock(bz)
		if err != nil {
			r.rootErr = fmt.Errorf("light block %d of the bundle: %w", i, err)
			return r, nil
		}
		if _, dup := blocks[lb.Height]; dup {
			r.rootErr = fmt.Errorf("the bundle has two light blocks at height %d", lb.Height)
			return r, nil
		}
		blocks[lb.Height] = lb
		heights = append(heights, lb.Height)
	}
	sort.Slice(heights, func(i, j int) bool { return heights[i] < heights[j] })

	rootH := trust.TrustHeight
	if root.genesis != nil {
		rootH = 1
	}
	rb, ok := blocks[rootH]
	switch {
	case !ok:
		r.rootErr = errNoRootBlock
	case root.genesis != nil:
		if err := checkGenesisBlock(root.genesis, rb); err != nil {
			r.rootErr = err
		}
		r.note = fmt.Sprintf("header 1 (%X), signed by the genesis validators", rb.Hash())
	default:
		if err := rb.ValidateBasic(chainID); err != nil {
			r.rootErr = err
		} else if !bytes.Equal(rb.Hash(), trust.TrustHash) {
			r.rootErr = fmt.Errorf("header %d of the bundle hashes to %X, the trusted hash is %X", rootH, rb.Hash(), trust.TrustHash)
		}
		r.note = fmt.Sprintf("trusted header %d (%X)", rootH, trust.TrustHash)
	}
	if r.rootErr != nil {
		return r, nil
	}
	r.verified[rootH] = rb
	now := blocks[heights[len(heights)-1]].Time
	var below []int64
	for _, h := range heights {
		switch {
		case h < rootH:
			below = append(below, h)
		case h > rootH:
			r.verifyUp(blocks[h], trust.TrustingPeriod, now)
		}
	}
	for i := len(below) - 1; i >= 0; i-- {
		h := below[i]
		above, ok := r.verified[h+1]
		if !ok {
			r.bad[h] = fmt.Errorf("no verified header %d to hash-chain it to", h+1)
			continue
		}
		if err := blocks[h].ValidateBasic(chainID); err != nil {
			r.bad[h] = err
		} else if err := light.VerifyBackwards(blocks[h].Header, above.Header); err != nil {
			r.bad[h] = err
		} else {
			r.verified[h] = blocks[h]
		}
	}
	return r, nil
}

// verifyUp verifies lb from the nearest verified lower block that can.
func (r *replay) verifyUp(lb *types.LightBlock, period time.Duration, now time.Time) {
	var trusted []int64
	for h := range r.verified {
		if h < lb.Height {
			trusted = append(trusted, h)
		}
	}
	sort.Slice(trusted, func(i, j int) bool { return trusted[i] > trusted[j] })
	var err error
	for _, h := range trusted {
		t := r.verified[h]
		if err = light.Verify(t.SignedHeader, t.ValidatorSet, lb.SignedHeader, lb.ValidatorSet, period, now, maxClockDrift, light.DefaultTrustLevel); err == nil {
			r.verified[lb.Height] = lb
			return
		}
	}
	r.bad[lb.Height] = err
}

func formatOf(b *BundleFile) string {
	if b == nil {
		return ""
	}
	return b.Format
}
