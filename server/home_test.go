package server

import (
	"path/filepath"
	"testing"
)

// A new home's genesis and a testnet's caps blocks at DefaultBlockMaxBytes,
// not CometBFT v0.40's ~53 MiB.
func TestGenesisBlockMaxBytes(t *testing.T) {
	home := filepath.Join(t.TempDir(), "node")
	if err := InitHome(home, "node", "test-chain", nil, false); err != nil {
		t.Fatal(err)
	}
	nodes, err := Testnet(filepath.Join(t.TempDir(), "net"), GenericManifest(2, "test-chain", 29700))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{home, nodes[0].Home, nodes[1].Home} {
		doc, _, err := LoadGenesis(GenesisFile(h))
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.ConsensusParams.Block.MaxBytes; got != DefaultBlockMaxBytes {
			t.Errorf("%s: block.max_bytes %d, want %d", h, got, DefaultBlockMaxBytes)
		}
		if err := doc.ConsensusParams.ValidateBasic(); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
}
