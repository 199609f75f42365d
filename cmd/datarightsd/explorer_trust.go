package main

import (
	"github.com/spf13/cobra"

	"github.com/datarights/datarights/explorer"
)

// trustFlags are the trust root of the explorer's verify button.
type trustFlags struct {
	genesis     string
	trustHeight int64
	trustHash   string
	chainID     string
}

func (t *trustFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&t.genesis, "genesis", "", "genesis file whose validators are the trust root of verify")
	f.Int64Var(&t.trustHeight, "trust-height", 0, "trusted height (with --trust-hash) for verify")
	f.StringVar(&t.trustHash, "trust-hash", "", "hex hash of the header at --trust-height")
	f.StringVar(&t.chainID, "chain-id", "", "chain id (default: read from the genesis file or the node)")
}

// verifier is the audit verifier the flags describe, or nil without a
// trust root.
func (t *trustFlags) verifier(nodes []string) (explorer.Verifier, error) {
	return nil, nil // wired to audit.Verify when branch audit is merged
}
