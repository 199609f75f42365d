package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
)

func txQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tx HASH",
		Short: "show a committed tx's result and events",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hash, err := hex.DecodeString(strings.TrimPrefix(args[0], "0x"))
			if err != nil || len(hash) != 32 {
				return fmt.Errorf("tx hash %q: want 64 hex digits", args[0])
			}
			node, err := client.Connect(cmd)
			if err != nil {
				return err
			}
			res, err := node.RPC.Tx(cmd.Context(), hash, false)
			if err != nil {
				return fmt.Errorf("tx %X on %s: %w", hash, node.Addr, err)
			}
			return client.Print(cmd, res, func(w io.Writer) {
				fmt.Fprintf(w, "txhash:\t%X\n", res.Hash)
				fmt.Fprintf(w, "height:\t%d\n", res.Height)
				fmt.Fprintf(w, "code:\t%d %s\n", res.TxResult.Code, res.TxResult.Codespace)
				if res.TxResult.Log != "" {
					fmt.Fprintf(w, "log:\t%s\n", res.TxResult.Log)
				}
				for _, e := range res.TxResult.Events {
					fmt.Fprintf(w, "event:\t%s\n", e.Type)
					for _, a := range e.Attributes {
						fmt.Fprintf(w, "\t  %s = %s\n", a.Key, a.Value)
					}
				}
			})
		},
	}
	client.AddNodeFlags(cmd)
	return cmd
}
