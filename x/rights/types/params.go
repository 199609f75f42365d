package types

// Bounds on the params, so that a governance typo cannot make a block's
// work unbounded or the module unusable.
const (
	MaxMaxDepth    = 32
	MaxMaxCascade  = 100_000
	MaxMaxExpiries = 100_000
)

// DefaultParams are the params when genesis names none.
func DefaultParams() *Params {
	return &Params{MaxDepth: 8, MaxCascade: 1000, MaxExpiriesPerBlock: 1000}
}

// Validate checks the params' bounds.
func (p *Params) Validate() error {
	switch {
	case p.GetMaxDepth() < 1 || p.GetMaxDepth() > MaxMaxDepth:
		return ErrInvalidParams.Wrapf("max_depth %d: want 1 to %d", p.GetMaxDepth(), MaxMaxDepth)
	case p.GetMaxCascade() < 1 || p.GetMaxCascade() > MaxMaxCascade:
		return ErrInvalidParams.Wrapf("max_cascade %d: want 1 to %d", p.GetMaxCascade(), MaxMaxCascade)
	case p.GetMaxExpiriesPerBlock() < 1 || p.GetMaxExpiriesPerBlock() > MaxMaxExpiries:
		return ErrInvalidParams.Wrapf("max_expiries_per_block %d: want 1 to %d", p.GetMaxExpiriesPerBlock(), MaxMaxExpiries)
	}
	return nil
}
