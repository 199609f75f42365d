package main

import (
	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/keyring"
	authcli "github.com/datarights/datarights/x/authorization/cli"
	govcli "github.com/datarights/datarights/x/governance/cli"
	idcli "github.com/datarights/datarights/x/identity/cli"
	marketcli "github.com/datarights/datarights/x/market/cli"
	provcli "github.com/datarights/datarights/x/provenance/cli"
	regcli "github.com/datarights/datarights/x/registry/cli"
	revcli "github.com/datarights/datarights/x/revenue/cli"
	rightscli "github.com/datarights/datarights/x/rights/cli"
)

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "datarightsd",
		Short:         "the data-rights ledger of a city's departments (数据权益登记账本)",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	client.AddPersistentFlags(root)
	txCmd := &cobra.Command{Use: "tx", Short: "sign and send transactions"}
	txCmd.AddCommand(idcli.TxCmd(), regcli.TxCmd(), rightscli.TxCmd(), authcli.TxCmd(), revcli.TxCmd(), marketcli.TxCmd(), govcli.TxCmd())
	queryCmd := &cobra.Command{Use: "query", Aliases: []string{"q"}, Short: "read the ledger (with --prove: verified)"}
	queryCmd.AddCommand(idcli.QueryCmd(), regcli.QueryCmd(), rightscli.QueryCmd(), authcli.QueryCmd(), revcli.QueryCmd(), marketcli.QueryCmd(), govcli.QueryCmd(), provcli.QueryCmd(), txQueryCmd())
	root.AddCommand(
		initCmd(), startCmd(), versionCmd(), debugCmd(),
		keyring.Commands(keysFlags),
		genesisCmd(), testnetCmd(), benchCmd(), explorerCmd(),
		txCmd, queryCmd, auditCmd(),
	)
	return root
}

// keysFlags gives the keys commands their keyring and output format.
func keysFlags(cmd *cobra.Command) (keyring.Keyring, string, error) {
	kr, err := client.Keyring(cmd)
	if err != nil {
		return nil, "", err
	}
	asJSON, err := client.OutputJSON(cmd)
	if err != nil {
		return nil, "", err
	}
	if asJSON {
		return kr, "json", nil
	}
	return kr, "text", nil
}
