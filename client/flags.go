package client

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/keyring"
)

// Flag names shared by every command.
const (
	FlagHome           = "home"
	FlagNode           = "node"
	FlagChainID        = "chain-id"
	FlagFrom           = "from"
	FlagKeyringBackend = "keyring-backend"
	FlagPassphraseFile = "passphrase-file"
	FlagOutput         = "output"
	FlagHeight         = "height"
	FlagProve          = "prove"
	FlagAsync          = "async"
	FlagTimeout        = "timeout"
)

// DefaultHome is ~/.datarights.
func DefaultHome() string {
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".datarights")
	}
	return ".datarights"
}

// AddPersistentFlags adds the flags every command understands to the root.
func AddPersistentFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String(FlagHome, DefaultHome(), "directory for config, data and keys")
	f.StringP(FlagOutput, "o", "text", "output format: text or json")
	f.String(FlagKeyringBackend, keyring.BackendFile, "key storage: file (encrypted Web3 Secret Storage) or test (UNENCRYPTED, local networks only)")
	f.String(FlagPassphraseFile, "", "file whose first line is the keyring passphrase (else $DATARIGHTS_KEYRING_PASSPHRASE, else a prompt)")
}

// AddNodeFlags adds the flags of commands that talk to a node.
func AddNodeFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String(FlagNode, "tcp://127.0.0.1:26657", "CometBFT RPC address of a node")
	f.String(FlagChainID, "", "chain id (default: read from the node)")
}

// AddTxFlags adds the flags of commands that sign and send a tx.
func AddTxFlags(cmd *cobra.Command) {
	AddNodeFlags(cmd)
	f := cmd.Flags()
	f.String(FlagFrom, "", "key name or address that signs the tx")
	f.Bool(FlagAsync, false, "return after the node admits the tx to its mempool, without waiting for the commit")
	f.Duration(FlagTimeout, defaultTimeout, "how long to wait for the commit")
	_ = cmd.MarkFlagRequired(FlagFrom)
}

// AddQueryFlags adds the flags of query commands.
func AddQueryFlags(cmd *cobra.Command) {
	AddNodeFlags(cmd)
	f := cmd.Flags()
	f.Int64(FlagHeight, 0, "query the state at this height (default: latest)")
	f.Bool(FlagProve, false, "fetch a Merkle proof and verify it against the app hash in the next block's header")
}

// OutputJSON reports whether --output json was given; any other value than
// text or json is an input error.
func OutputJSON(cmd *cobra.Command) (bool, error) {
	o, _ := cmd.Flags().GetString(FlagOutput)
	switch o {
	case "text", "":
		return false, nil
	case "json":
		return true, nil
	}
	return false, fmt.Errorf("--output %q: want text or json", o)
}

// Home returns --home.
func Home(cmd *cobra.Command) string {
	h, _ := cmd.Flags().GetString(FlagHome)
	return h
}

// Keyring opens the keyring that --home, --keyring-backend and
// --passphrase-file name.
func Keyring(cmd *cobra.Command) (keyring.Keyring, error) {
	backend, _ := cmd.Flags().GetString(FlagKeyringBackend)
	pass, _ := cmd.Flags().GetString(FlagPassphraseFile)
	return keyring.New(backend, Home(cmd), keyring.DefaultPassphrase(pass))
}
