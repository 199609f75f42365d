package audit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Item kinds.
const (
	KindHeader    = "header"
	KindState     = "state"
	KindHistory   = "history"
	KindTx        = "tx"
	KindTraceNode = "trace_node"
	KindTraceEdge = "trace_edge"
)

// Verdicts.
const (
	Verified = "VERIFIED"
	Failed   = "FAILED"
)

// DefaultTrustingPeriod is how old a trusted header may be. The validators
// are a city's departments, known and accountable, not anonymous stake that
// can unbond and sign a fork for free, so the trust root may be old: a
// genesis file stays usable for years.
const DefaultTrustingPeriod = 10 * 365 * 24 * time.Hour

// Config is where to ask and what to trust.
type Config struct {
	ChainID   string   // "" = the genesis file's
	Primary   string   // RPC address of the node the answers come from
	Witnesses []string // RPC addresses that cross-check the primary's headers
	// The trust root: TrustHeight and TrustHash, or GenesisFile.
	TrustHeight    int64
	TrustHash      []byte
	GenesisFile    string
	TrustingPeriod time.Duration // 0 = DefaultTrustingPeriod
	HomeDir        string        // the light client's trusted store; "" = in memory
}

// Options say what to verify besides the entity's state.
type Options struct {
	Trace     bool
	Direction string // up|down|both
	Depth     uint32
}

// Item is one check and its outcome.
type Item struct {
	Kind    string `json:"kind"`
	What    string `json:"what"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// Report is the outcome of a verification: the items and the overall
// verdict (VERIFIED only if every item is).
type Report struct {
	Entity  string `json:"entity"`
	Height  int64  `json:"height"`   // the state height verified
	AppHash string `json:"app_hash"` // of header Height+1
	Items   []Item `json:"items"`
	Verdict string `json:"verdict"`
}

func (r *Report) ok(kind, what, format string, args ...any) {
	r.Items = append(r.Items, Item{Kind: kind, What: what, Verdict: Verified, Reason: fmt.Sprintf(format, args...)})
}

func (r *Report) fail(kind, what string, err error) {
	r.Items = append(r.Items, Item{Kind: kind, What: what, Verdict: Failed, Reason: err.Error()})
}

// check records err's outcome: VERIFIED with note, or FAILED with err.
func (r *Report) check(kind, what string, err error, note string) bool {
	if err != nil {
		r.fail(kind, what, err)
		return false
	}
	r.ok(kind, what, "%s", note)
	return true
}

func (r *Report) finish() *Report {
	r.Verdict = Verified
	if len(r.Items) == 0 {
		r.Verdict = Failed
	}
	for _, it := range r.Items {
		if it.Verdict != Verified {
			r.Verdict = Failed
		}
	}
	return r
}

// Verify checks entity id (or a tx hash) live against cfg's nodes.
func Verify(ctx context.Context, cfg Config, id string, opts Options) (*Report, error) {
	src, err := openLive(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer src.close()
	return run(ctx, src, id, opts), nil
}

// run performs every check of id through src.
func run(ctx context.Context, src source, id string, opts Options) *Report {
	r := &Report{Entity: id}
	top, err := src.latest(ctx)
	if err != nil {
		r.fail(KindHeader, "latest header", err)
		return r.finish()
	}
	r.ok(KindHeader, fmt.Sprintf("header %d", top.Height), "%s", src.trustNote(top))
	if top.Height < 2 {
		r.fail(KindState, id, errors.New("the chain has no committed state before the latest verified header yet"))
		return r.finish()
	}
	r.Height, r.AppHash = top.Height-1, strings.ToUpper(hex.EncodeToString(top.AppHash))
	if hash, ok := parseTxHash(id); ok {
		checkTxByHash(ctx, r, src, hash)
		return r.finish()
	}
	ent, err := checkState(ctx, r, src, id, r.Height, top.AppHash)
	if err != nil {
		return r.finish()
	}
	checkHistory(ctx, r, src, ent, r.Height, top.AppHash)
	if opts.Trace {
		checkTrace(ctx, r, src, ent, opts, r.Height, top.AppHash)
	}
	return r.finish()
}

func parseTxHash(id string) ([]byte, bool) {
	b, err := hex.DecodeString(strings.TrimPrefix(id, "0x"))
	return b, err == nil && len(b) == 32
}
