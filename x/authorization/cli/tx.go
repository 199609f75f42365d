// Package cli holds the authorised-operation commands: `tx authorization
// ...` and `query authorization ...`. Input is checked here, with the same
// stateless checks the state machine runs (types' ValidateBasic), before
// anything is signed.
package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/authorization/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TxCmd is `tx authorization`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "authorization", Short: "public-data authorised operation (公共数据授权运营): apply, approve, evaluate, suspend, end"}
	cmd.AddCommand(applyCmd(), approveCmd(), coApproveCmd(), rejectCmd(), evaluateCmd(),
		reasonCmd("suspend", "the data admin suspends an active authorisation and everything licensed under it (暂停授权运营)"),
		reasonCmd("resume", "the data admin resumes a suspended authorisation (恢复授权运营)"),
		reasonCmd("terminate", "the authoriser or the data admin ends an authorisation early; every right under it ends (终止授权运营)"),
		exitCmd())
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

func applyCmd() *cobra.Command {
	var authoriser, assets, purposes, operations, termsHash, standards string
	var privacy bool
	var term time.Duration
	var operatorBps, publicBps uint32
	cmd := &cobra.Command{
		Use: "apply --authoriser ADDR --assets a-1,a-2 --operations OPS [--purposes P] [--privacy-computing-only] " +
			"--terms-hash H [--standards S1,S2] --term 8760h --operator-share-bps N --public-share-bps N",
		Short: "apply to operate public data (申请授权运营)",
		Long: "An operator (a party with the operator role) applies to the department that holds the public-data assets.\n" +
			"Once approved (and, for important data, co-approved by the data admin), the operator holds a sublicensable\n" +
			"use right on each asset within the scope, for the term, and licenses others with `tx rights grant`.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ops, err := rightstypes.ParseOperations(operations)
			if err != nil {
				return err
			}
			if term%time.Second != 0 {
				return fmt.Errorf("--term %s: give whole seconds", term)
			}
			m := &types.MsgApplyAuthorization{
				Authoriser: authoriser, AssetIds: rightstypes.SplitList(assets),
				Scope:     &rightstypes.Scope{Purposes: rightstypes.SplitList(purposes), Operations: ops, PrivacyComputingOnly: privacy},
				TermsHash: termsHash, Standards: rightstypes.SplitList(standards), TermSeconds: int64(term / time.Second),
				Revenue: &types.RevenueTerms{OperatorShareBps: operatorBps, PublicServiceShareBps: publicBps},
			}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ApplyAuthorization{ApplyAuthorization: m}})
		},
	}
	f := cmd.Flags()
	f.StringVar(&authoriser, "authoriser", "", "the department that holds the assets (授权方)")
	f.StringVar(&assets, "assets", "", "public-data assets to operate, comma-separated asset ids")
	f.StringVar(&purposes, "purposes", "", "allowed purposes, comma-separated (default: any)")
	f.StringVar(&operations, "operations", "", "allowed operations, comma-separated: query,compute,train,derive,redistribute")
	f.BoolVar(&privacy, "privacy-computing-only", false, "privacy-preserving computation only (隐私计算; required for important data)")
	f.StringVar(&termsHash, "terms-hash", "", "sha-256 (64 lower-case hex) of the agreed terms document")
	f.StringVar(&standards, "standards", "", "standards the operation follows, comma-separated references")
	f.DurationVar(&term, "term", 0, "requested term from activation, e.g. 8760h (one year)")
	f.Uint32Var(&operatorBps, "operator-share-bps", 0, "the operator's revenue share in basis points (of 10,000)")
	f.Uint32Var(&publicBps, "public-share-bps", 0, "the public-service share (反哺公共服务) in basis points (of 10,000)")
	return cmd
}

func approveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "approve ID",
		Short: "the authoriser approves an application (批准授权运营); important data then awaits the data admin",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgApproveAuthorization{Id: args[0]}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ApproveAuthorization{ApproveAuthorization: m}})
		},
	}
}

func coApproveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "co-approve ID",
		Short: "the data admin co-approves an authorisation of important data (数据主管部门会签)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgCoApproveAuthorization{Id: args[0]}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_CoApproveAuthorization{CoApproveAuthorization: m}})
		},
	}
}

func rejectCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "reject ID --reason TEXT",
		Short: "the authoriser or the data admin rejects an application (驳回授权运营申请)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRejectAuthorization{Id: args[0], Reason: reason}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RejectAuthorization{RejectAuthorization: m}})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (the operator sees it)")
	return cmd
}

func evaluateCmd() *cobra.Command {
	var score uint32
	var report string
	cmd := &cobra.Command{
		Use:   "evaluate ID --score N --report-hash H",
		Short: "an auditor or the data admin records an evaluation (授权运营评估); below the threshold it suspends the authorisation",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("score") {
				return fmt.Errorf("give --score (0 to %d)", types.MaxScore)
			}
			m := &types.MsgEvaluateAuthorization{Id: args[0], Score: score, ReportHash: report}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_EvaluateAuthorization{EvaluateAuthorization: m}})
		},
	}
	cmd.Flags().Uint32Var(&score, "score", 0, fmt.Sprintf("score, 0 to %d", types.MaxScore))
	cmd.Flags().StringVar(&report, "report-hash", "", "sha-256 (64 lower-case hex) of the evaluation report")
	return cmd
}

// reasonCmd is suspend, resume or terminate: an id and a reason.
func reasonCmd(verb, short string) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use: verb + " ID --reason TEXT", Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch verb {
			case "suspend":
				m := &types.MsgSuspendAuthorization{Id: args[0], Reason: reason}
				return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_SuspendAuthorization{SuspendAuthorization: m}})
			case "resume":
				m := &types.MsgResumeAuthorization{Id: args[0], Reason: reason}
				return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ResumeAuthorization{ResumeAuthorization: m}})
			default:
				m := &types.MsgTerminateAuthorization{Id: args[0], Reason: reason}
				return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_TerminateAuthorization{TerminateAuthorization: m}})
			}
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func exitCmd() *cobra.Command {
	var attestation string
	cmd := &cobra.Command{
		Use:   "exit ID --attestation-hash H",
		Short: "the operator leaves, attesting that the data was returned or destroyed (退出授权运营); every right under it ends",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgExitAuthorization{Id: args[0], AttestationHash: attestation}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ExitAuthorization{ExitAuthorization: m}})
		},
	}
	cmd.Flags().StringVar(&attestation, "attestation-hash", "", "sha-256 (64 lower-case hex) of the signed statement that the data was returned or destroyed")
	return cmd
}
