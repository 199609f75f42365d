// Command datarightsd is the datarights node and its command line: init,
// start, keys, genesis, testnet, tx, query and version, in one binary.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, describe(err))
		os.Exit(1)
	}
}
