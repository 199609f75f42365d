package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/server"
)

func debugCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "debug", Short: "tools for checking a node's data"}
	cmd.AddCommand(replayCmd())
	return cmd
}

func replayCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "replay",
		Short: "re-execute a stopped node's block store in a fresh app and compare app hash and results hash at every height",
		Long: `Feeds every block of the node's block store (--home; the node must be
stopped) into a fresh app whose state lives in a temporary directory, and
compares at every height the app hash and the results hash with those the
chain recorded in the next block's header, and the whole FinalizeBlock
response with the one the node stored. Progress goes to stderr every 100
heights. Exits non-zero at the first mismatch.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			errw := cmd.ErrOrStderr()
			rep, err := server.Replay(cmd.Context(), client.Home(cmd), func(h server.ReplayHeight) {
				if h.Height%100 == 0 {
					fmt.Fprintf(errw, "replayed height %d (app hash %s)\n", h.Height, h.AppHash)
				}
			})
			if err != nil {
				return err
			}
			if err := client.Print(cmd, rep, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
				fmt.Fprintf(tw, "chain\t%s\nheights\t%d-%d\nblocks replayed\t%d\ntxs\t%d\nstored responses compared\t%d\n",
					rep.ChainID, rep.From, rep.To, rep.Blocks, rep.Txs, rep.Responses)
				if rep.Mismatch == "" {
					fmt.Fprintf(tw, "result\tevery app hash and results hash matches\n")
				} else {
					fmt.Fprintf(tw, "result\tMISMATCH: %s\n", rep.Mismatch)
				}
				_ = tw.Flush()
			}); err != nil {
				return err
			}
			if rep.Mismatch != "" {
				return errors.New("replay mismatch: " + rep.Mismatch)
			}
			return nil
		},
	}
}
