package types

import "fmt"

// Defaults and bounds of the market params.
const (
	DefaultMaxQuantity         = 10_000
	DefaultMaxExpiriesPerBlock = 1000

	// MaxQuantityLimit bounds the licences one purchase mints in its tx,
	// whatever governance sets.
	MaxQuantityLimit = 100_000
	// MaxExpiriesLimit keeps one block's end-of-block work bounded.
	MaxExpiriesLimit = 100_000
)

// DefaultParams are the params a chain starts with when genesis names none.
func DefaultParams() *Params {
	return &Params{MaxQuantity: DefaultMaxQuantity, MaxExpiriesPerBlock: DefaultMaxExpiriesPerBlock}
}

// Validate checks the params' bounds: 1 to MaxQuantityLimit units per
// listing and 1 to MaxExpiriesLimit expiries per block (0 would stall the
// queue for ever). The errors are plain and name the field; callers wrap
// them in their own registered error.
func (p *Params) Validate() error {
	switch {
	case p.GetMaxQuantity() < 1 || p.GetMaxQuantity() > MaxQuantityLimit:
		return fmt.Errorf("max_quantity %d: want 1 to %d", p.GetMaxQuantity(), MaxQuantityLimit)
	case p.GetMaxExpiriesPerBlock() < 1 || p.GetMaxExpiriesPerBlock() > MaxExpiriesLimit:
		return fmt.Errorf("max_expiries_per_block %d: want 1 to %d", p.GetMaxExpiriesPerBlock(), MaxExpiriesLimit)
	}
	return nil
}
