package main

import (
	"fmt"
	"io"

	"github.com/cometbft/cometbft/p2p"
	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/server"
)

func initCmd() *cobra.Command {
	var chainID string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "init MONIKER --chain-id ID",
		Short: "create a node's home: configs, node key, validator key and an empty genesis",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			home := client.Home(cmd)
			if err := server.InitHome(home, args[0], chainID, nil, overwrite); err != nil {
				return err
			}
			conf, err := server.LoadCometConfig(home)
			if err != nil {
				return err
			}
			nk, err := p2p.LoadNodeKey(conf.NodeKeyFile())
			if err != nil {
				return err
			}
			pub, err := server.ValidatorPubKey(conf.PrivValidatorKeyFile())
			if err != nil {
				return err
			}
			out := map[string]any{"home": home, "moniker": args[0], "chain_id": chainID, "node_id": nk.ID(), "validator_pub_key": pub}
			return client.Print(cmd, out, func(w io.Writer) {
				fmt.Fprintf(w, "home:\t%s\n", home)
				fmt.Fprintf(w, "chain id:\t%s\n", chainID)
				fmt.Fprintf(w, "node id:\t%s\n", nk.ID())
				fmt.Fprintf(w, "validator key:\t%s\n", conf.PrivValidatorKeyFile())
				fmt.Fprintf(w, "next:\tdatarightsd genesis add-department NAME --address ADDR --validator-key %s --org-code CODE\n", conf.PrivValidatorKeyFile())
			})
		},
	}
	cmd.Flags().StringVar(&chainID, client.FlagChainID, "", "chain id of the new network")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace an existing genesis.json")
	_ = cmd.MarkFlagRequired(client.FlagChainID)
	return cmd
}
