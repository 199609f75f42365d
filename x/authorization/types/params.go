package types

import "fmt"

// Defaults and bounds of the authorised-operation params.
const (
	DefaultEvaluationThreshold = 60
	DefaultMaxAssets           = 32
	// DefaultMaxTermSeconds is five years of 365 days.
	DefaultMaxTermSeconds      = 5 * 365 * 24 * 60 * 60
	DefaultMaxExpiriesPerBlock = 1000

	// MaxScore is the top of the evaluation scale (0-100).
	MaxScore = 100
	// MaxAssetsLimit bounds the assets of one authorisation, and so the
	// rights one approval mints in its tx, whatever governance sets.
	MaxAssetsLimit = 1000
	// MinTermLimit and MaxTermLimit bound max_term_seconds: at least a day
	// (a smaller bound is a period given in the wrong unit), at most 30
	// years (valid_until stays far from overflow).
	MinTermLimit = 24 * 60 * 60
	MaxTermLimit = 30 * 366 * 24 * 60 * 60
	// MaxExpiriesLimit keeps one block's end-of-block work bounded.
	MaxExpiriesLimit = 100_000
)

// DefaultParams are the params a chain starts with when genesis names none.
func DefaultParams() *Params {
	return &Params{
		EvaluationThreshold: DefaultEvaluationThreshold,
		MaxAssets:           DefaultMaxAssets,
		MaxTermSeconds:      DefaultMaxTermSeconds,
		MaxExpiriesPerBlock: DefaultMaxExpiriesPerBlock,
	}
}

// Validate checks the params' bounds: a threshold on the 0-100 scale (0
// suspends nothing), 1 to MaxAssetsLimit assets, a maximum term from a day
// to 30 years, and 1 to MaxExpiriesLimit expiries per block (0 would stall
// the queue for ever).
//
// The errors are plain and name the field; each caller wraps them in its
// own registered error (the keeper's SetParams in ErrInvalidParams,
// x/governance in its own), so the code says who refused.
func (p *Params) Validate() error {
	switch {
	case p.GetEvaluationThreshold() > MaxScore:
		return fmt.Errorf("evaluation_threshold %d: want 0 to %d", p.GetEvaluationThreshold(), MaxScore)
	case p.GetMaxAssets() < 1 || p.GetMaxAssets() > MaxAssetsLimit:
		return fmt.Errorf("max_assets %d: want 1 to %d", p.GetMaxAssets(), MaxAssetsLimit)
	case p.GetMaxTermSeconds() < MinTermLimit || p.GetMaxTermSeconds() > MaxTermLimit:
		return fmt.Errorf("max_term_seconds %d: want %d (a day) to %d (30 years)", p.GetMaxTermSeconds(), MinTermLimit, MaxTermLimit)
	case p.GetMaxExpiriesPerBlock() < 1 || p.GetMaxExpiriesPerBlock() > MaxExpiriesLimit:
		return fmt.Errorf("max_expiries_per_block %d: want 1 to %d", p.GetMaxExpiriesPerBlock(), MaxExpiriesLimit)
	}
	return nil
}
