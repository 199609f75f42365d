package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/server"
)

func testnetCmd() *cobra.Command {
	var n, port int
	var dir, chainID, manifest string
	cmd := &cobra.Command{
		Use:   "testnet --departments N --output-dir DIR [--starting-port P] [--manifest FILE]",
		Short: "generate the homes of a loopback network of N departments (keys in the UNENCRYPTED test keyring)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := server.GenericManifest(n, chainID, port)
			if manifest != "" {
				var err error
				if m, err = server.LoadManifest(manifest); err != nil {
					return err
				}
				if cmd.Flags().Changed("starting-port") {
					m.StartingPort = port
				}
				if cmd.Flags().Changed(client.FlagChainID) {
					m.ChainID = chainID
				}
			} else if n < 1 {
				return fmt.Errorf("--departments must be at least 1")
			}
			nodes, err := server.Testnet(dir, m)
			if err != nil {
				return err
			}
			return client.Print(cmd, map[string]any{"chain_id": m.ChainID, "nodes": nodes}, func(w io.Writer) {
				fmt.Fprintf(w, "chain id %s, %d departments in %s\n\n", m.ChainID, len(nodes), dir)
				fmt.Fprintln(w, "MONIKER\tRPC\tP2P\tCDO KEY ADDRESS\tHOME")
				for _, nd := range nodes {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", nd.Moniker, nd.RPC, nd.P2P, nd.CDO, nd.Home)
				}
			})
		},
	}
	cmd.Flags().IntVar(&n, "departments", 4, "number of departments (validators)")
	cmd.Flags().StringVar(&dir, "output-dir", "./testnet", "directory for the nodes' homes")
	cmd.Flags().IntVar(&port, "starting-port", 26600, "first port; node i uses P+10i (p2p), P+10i+1 (rpc) and P+10i+2 (prometheus /metrics)")
	cmd.Flags().StringVar(&chainID, client.FlagChainID, "datarights-testnet", "chain id")
	cmd.Flags().StringVar(&manifest, "manifest", "", "a network manifest (see networks/local/manifest.toml) instead of generic departments")
	return cmd
}
