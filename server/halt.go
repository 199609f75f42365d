package server

import (
	"context"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
)

// Planned upgrades stop every node at the same height: halt_height in
// app.toml. After committing that height the node stops cleanly (start
// returns, exit status 0, which systemd's Restart=on-failure leaves
// alone); the operators swap the binary, remove halt_height and start
// again. With every validator stopped at H, no block H+1 can be decided
// by the old binary.

// halting is the app with a halt height.
type halting struct {
	abci.Application
	at     int64
	height int64
	once   sync.Once
	done   chan struct{}
}

// FinalizeBlock notes the block's height.
func (h *halting) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	h.height = req.Height
	return h.Application.FinalizeBlock(ctx, req)
}

// Commit commits, and signals the halt once the halt height is committed.
func (h *halting) Commit(ctx context.Context, req *abci.RequestCommit) (*abci.ResponseCommit, error) {
	resp, err := h.Application.Commit(ctx, req)
	if err == nil && h.height >= h.at {
		h.once.Do(func() { close(h.done) })
	}
	return resp, err
}
