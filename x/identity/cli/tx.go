// Package cli holds the identity module's commands: `tx identity ...` and
// `query identity ...`. Input is checked here before anything is signed,
// with the same checks the state machine runs.
package cli

import (
	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/identity/types"
)

// TxCmd is `tx identity`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "identity", Short: "register and manage parties (主体) and their agents"}
	cmd.AddCommand(registerPartyCmd(), updatePartyCmd(), statusCmd(true), statusCmd(false), agentCmd(true), agentCmd(false))
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

func registerPartyCmd() *cobra.Command {
	var name, kind, orgCode string
	cmd := &cobra.Command{
		Use:   "register-party ADDRESS --name NAME --kind enterprise|institution|individual [--org-code CODE]",
		Short: "a department registers an enterprise, institution or individual (登记主体)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRegisterParty{Name: name, OrgCode: orgCode}
			var err error
			if m.Address, err = types.ParseAddress("address", args[0]); err != nil {
				return err
			}
			if m.Kind, err = types.ParseKind(kind); err != nil {
				return err
			}
			if m.Kind == types.PartyKind_PARTY_KIND_DEPARTMENT {
				return types.ErrInvalidKind.Wrap("departments join through genesis or governance, not register-party")
			}
			if err := types.ValidateName(name); err != nil {
				return err
			}
			if err := types.ValidateOrgCodeFor(m.Kind, orgCode); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_RegisterParty{RegisterParty: m}})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "legal name of the party")
	cmd.Flags().StringVar(&kind, "kind", "", "enterprise, institution or individual")
	cmd.Flags().StringVar(&orgCode, "org-code", "", "unified social credit code (统一社会信用代码), 18 characters; organisations only")
	return cmd
}

func updatePartyCmd() *cobra.Command {
	var name, orgCode string
	cmd := &cobra.Command{
		Use:   "update-party ADDRESS --name NAME [--org-code CODE]",
		Short: "change a party's name or organisation code (变更主体信息; the party itself or its registering department)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := types.ParseAddress("address", args[0])
			if err != nil {
				return err
			}
			if err := types.ValidateName(name); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_UpdateParty{UpdateParty: &types.MsgUpdateParty{Address: addr, Name: name, OrgCode: orgCode}}})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "new name")
	cmd.Flags().StringVar(&orgCode, "org-code", "", "unified social credit code; organisations only")
	return cmd
}

func statusCmd(suspend bool) *cobra.Command {
	var reason string
	use, short := "reactivate-party ADDRESS --reason TEXT", "lift a party's suspension (恢复主体; registering department or data admin)"
	if suspend {
		use, short = "suspend-party ADDRESS --reason TEXT", "stop a party and its agents from sending txs (暂停主体; registering department or data admin)"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := types.ParseAddress("address", args[0])
			if err != nil {
				return err
			}
			if err := types.ValidateReason(reason); err != nil {
				return err
			}
			m := &tx.Msg{Sum: &tx.Msg_ReactivateParty{ReactivateParty: &types.MsgReactivateParty{Address: addr, Reason: reason}}}
			if suspend {
				m = &tx.Msg{Sum: &tx.Msg_SuspendParty{SuspendParty: &types.MsgSuspendParty{Address: addr, Reason: reason}}}
			}
			return client.SendTx(cmd, m)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func agentCmd(add bool) *cobra.Command {
	use, short := "remove-agent AGENT_ADDRESS", "withdraw an agent key of the --from party (移除代理人)"
	if add {
		use, short = "add-agent AGENT_ADDRESS", "let another key sign for the --from party, e.g. a department's staff (添加代理人)"
	}
	return &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			agent, err := types.ParseAddress("agent", args[0])
			if err != nil {
				return err
			}
			m := &tx.Msg{Sum: &tx.Msg_RemoveAgent{RemoveAgent: &types.MsgRemoveAgent{Agent: agent}}}
			if add {
				m = &tx.Msg{Sum: &tx.Msg_AddAgent{AddAgent: &types.MsgAddAgent{Agent: agent}}}
			}
			return client.SendTx(cmd, m)
		},
	}
}
