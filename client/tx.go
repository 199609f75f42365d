package client

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/tx"
)

// SendTx is the whole of a tx command after its arguments are parsed: load
// the --from key, sign, broadcast, wait for the commit (unless --async),
// print the result. A rejected tx prints its reason and returns an error, so
// the command exits non-zero.
func SendTx(cmd *cobra.Command, msgs ...*tx.Msg) error {
	if _, err := OutputJSON(cmd); err != nil {
		return err
	}
	kr, err := Keyring(cmd)
	if err != nil {
		return err
	}
	from, _ := cmd.Flags().GetString(FlagFrom)
	key, err := kr.PrivateKey(from)
	if err != nil {
		return fmt.Errorf("--from %s: %w", from, err)
	}
	node, err := Connect(cmd)
	if err != nil {
		return err
	}
	async, _ := cmd.Flags().GetBool(FlagAsync)
	timeout, _ := cmd.Flags().GetDuration(FlagTimeout)
	if timeout <= 0 {
		timeout = time.Minute
	}
	res, err := node.Send(cmd.Context(), key, async, timeout, msgs...)
	if res != nil {
		if perr := PrintResult(cmd, res); perr != nil {
			return perr
		}
	}
	if err != nil {
		cmd.SilenceUsage = true
	}
	return err
}

// SendChecked runs the message's own stateless checks (the ones the state
// machine runs) before signing, so malformed input never leaves the
// machine, then sends wrapped as SendTx does.
func SendChecked(cmd *cobra.Command, m interface{ ValidateBasic() error }, wrapped *tx.Msg) error {
	if err := m.ValidateBasic(); err != nil {
		return err
	}
	return SendTx(cmd, wrapped)
}
