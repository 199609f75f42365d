package types

import "time"

// Defaults and bounds of the governance params.
const (
	DefaultVotingPeriodSeconds = 24 * 60 * 60
	DefaultMaxClosingsPerBlock = 100

	// MinVotingPeriodSeconds: a shorter period would let a proposal close
	// before the departments can vote on it, and a period that no proposal
	// can pass in could never be raised again.
	MinVotingPeriodSeconds = 60
	// MaxVotingPeriodSeconds (a year) keeps deadlines far from int64
	// overflow and catches a period given in the wrong unit.
	MaxVotingPeriodSeconds = 366 * 24 * 60 * 60
	// MaxClosingsLimit keeps one block's end-of-block work bounded whatever
	// governance sets.
	MaxClosingsLimit = 10_000
)

// DefaultParams are the params a chain starts with when genesis names none.
func DefaultParams() *Params {
	return &Params{VotingPeriodSeconds: DefaultVotingPeriodSeconds, MaxClosingsPerBlock: DefaultMaxClosingsPerBlock}
}

// Validate checks the params: a voting period of a minute to a year and
// 1 to MaxClosingsLimit closings per block (0 would stall every proposal).
func (p *Params) Validate() error {
	if n := p.GetVotingPeriodSeconds(); n < MinVotingPeriodSeconds || n > MaxVotingPeriodSeconds {
		return ErrInvalidParams.Wrapf("voting_period_seconds %d: want %d to %d", n, MinVotingPeriodSeconds, MaxVotingPeriodSeconds)
	}
	if n := p.GetMaxClosingsPerBlock(); n < 1 || n > MaxClosingsLimit {
		return ErrInvalidParams.Wrapf("max_closings_per_block %d: want 1 to %d", n, MaxClosingsLimit)
	}
	return nil
}

// VotingPeriod is the voting period as a duration.
func (p *Params) VotingPeriod() time.Duration {
	return time.Duration(p.GetVotingPeriodSeconds()) * time.Second
}
