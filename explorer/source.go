package explorer

import (
	"context"
	"errors"
)

// HistoryRow is one entry of an entity's history as the page shows it.
type HistoryRow struct {
	Height                 int64
	Time                   string
	TxHash                 string // empty for end-of-block work
	Action, Actor, Summary string
}

// Provenance is where entity pages get history and traces: x/provenance's
// /provenance/history and /provenance/trace queries (provenance.go).
type Provenance interface {
	// History is one page of id's history, oldest first, and the key of
	// the next page (nil at the end).
	History(ctx context.Context, id string, pageKey []byte) (rows []HistoryRow, next []byte, err error)
	// Trace is the lineage and rights graph around id.
	Trace(ctx context.Context, id string) (Graph, error)
}

// Verdict is what the verify button shows: the overall verdict and one
// line per checked item.
type Verdict struct {
	Entity  string
	Height  int64
	AppHash string
	Verdict string // VERIFIED or FAILED
	Items   []VerdictItem
}

// VerdictItem is one checked item.
type VerdictItem struct {
	Kind, What, Verdict, Reason string
}

// Verifier runs the checks of `audit verify` on an entity, trusting no
// node: headers by the light client from a trust root, state and history
// by Merkle proofs.
type Verifier interface {
	Verify(ctx context.Context, id string) (*Verdict, error)
}

// ErrNoVerifier is what the verify button says when the explorer was
// started without a trust root.
var ErrNoVerifier = errors.New("no trust root: start the explorer with --genesis FILE or --trust-height and --trust-hash")
