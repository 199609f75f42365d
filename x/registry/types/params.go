package types

import "time"

// Defaults and bounds of the registry params.
const (
	DefaultNoticePeriodSeconds       = 7 * 24 * 60 * 60 // 公示期: seven days
	DefaultMaxCertificationsPerBlock = 1000

	// MaxNoticePeriodSeconds (a year) keeps notice ends far from int64
	// overflow and catches a period given in the wrong unit.
	MaxNoticePeriodSeconds = 366 * 24 * 60 * 60
	// MaxCertificationsLimit keeps one block's end-of-block work bounded
	// whatever governance sets.
	MaxCertificationsLimit = 100_000
)

// DefaultParams are the params a chain starts with when genesis names none.
func DefaultParams() *Params {
	return &Params{
		NoticePeriodSeconds:       DefaultNoticePeriodSeconds,
		MaxCertificationsPerBlock: DefaultMaxCertificationsPerBlock,
	}
}

// Validate checks the params: a notice period of one second to a year (a
// zero period would certify without any chance to object), and from one to
// MaxCertificationsLimit certifications per block (zero would stall the
// queue for ever).
func (p *Params) Validate() error {
	if n := p.GetNoticePeriodSeconds(); n < 1 || n > MaxNoticePeriodSeconds {
		return ErrInvalidParams.Wrapf("notice_period_seconds %d: want 1 to %d", n, MaxNoticePeriodSeconds)
	}
	if n := p.GetMaxCertificationsPerBlock(); n < 1 || n > MaxCertificationsLimit {
		return ErrInvalidParams.Wrapf("max_certifications_per_block %d: want 1 to %d", n, MaxCertificationsLimit)
	}
	return nil
}

// NoticePeriod is the notice period as a duration.
func (p *Params) NoticePeriod() time.Duration {
	return time.Duration(p.GetNoticePeriodSeconds()) * time.Second
}
