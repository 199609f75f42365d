// Command datarightsd is the datarights node and its command line: init,
// start, keys, genesis, testnet, tx, query, audit and version, in one binary.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/datarights/datarights/client"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		var txErr *client.TxError
		if errors.As(err, &txErr) { // the result, with its reason, is already printed
			fmt.Fprintf(os.Stderr, "Error: tx rejected (%s code %d)\n", txErr.Result.Codespace, txErr.Result.Code)
		} else {
			fmt.Fprintln(os.Stderr, "Error:", err)
		}
		os.Exit(1)
	}
}
