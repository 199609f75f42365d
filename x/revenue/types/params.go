package types

import (
	"fmt"

	regtypes "github.com/datarights/datarights/x/registry/types"
)

// Defaults and bounds of the revenue params.
const (
	DefaultPublicLevyBps   = 1000
	DefaultMaxLineageDepth = 8
	DefaultMaxLines        = 256

	// MinLineageDepth and MaxLineageDepthLimit bound max_lineage_depth:
	// at least the sold asset's inputs, at most 32 levels (the recursion,
	// and so one settlement's work, stays bounded).
	MinLineageDepth      = 1
	MaxLineageDepthLimit = 32
	// MinLines leaves room for the levy, two lines for each authorisation
	// a product's inputs may come under (one per input at most) and the
	// sold asset's own split; MaxLinesLimit bounds one settlement.
	MinLines      = 1 + 2*regtypes.MaxInputs + 5
	MaxLinesLimit = 4096
)

// DefaultParams are the params a chain starts with when genesis names none.
func DefaultParams() *Params {
	return &Params{
		PublicLevyBps:   DefaultPublicLevyBps,
		MaxLineageDepth: DefaultMaxLineageDepth,
		MaxLines:        DefaultMaxLines,
	}
}

// Validate checks the params' bounds. The errors are plain and name the
// field; each caller wraps them in its own registered error.
func (p *Params) Validate() error {
	switch {
	case p.GetPublicLevyBps() > TotalBps:
		return fmt.Errorf("public_levy_bps %d: want 0 to %d", p.GetPublicLevyBps(), TotalBps)
	case p.GetMaxLineageDepth() < MinLineageDepth || p.GetMaxLineageDepth() > MaxLineageDepthLimit:
		return fmt.Errorf("max_lineage_depth %d: want %d to %d", p.GetMaxLineageDepth(), MinLineageDepth, MaxLineageDepthLimit)
	case p.GetMaxLines() < MinLines || p.GetMaxLines() > MaxLinesLimit:
		return fmt.Errorf("max_lines %d: want %d to %d", p.GetMaxLines(), MinLines, MaxLinesLimit)
	}
	return nil
}
