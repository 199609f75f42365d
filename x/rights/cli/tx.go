// Package cli holds the rights module's commands: `tx rights ...` and
// `query rights ...`. Input is checked here, with the same stateless checks
// the state machine runs (types' ValidateBasic), before anything is signed.
package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/rights/types"
)

// TxCmd is `tx rights`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rights", Short: "grant, request, transfer, revoke and use data rights (三权分置: 持有权, 加工使用权, 经营权)"}
	cmd.AddCommand(grantCmd(), approveGrantCmd(), requestCmd(), approveCmd(), rejectCmd(), transferCmd(),
		revokeCmd(), revokeAllCmd(), adminCmd(true), adminCmd(false), recordUsageCmd())
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

// termFlags are a right's or request's term: an optional start and an end
// given as a time or as a duration from the start (or from now).
type termFlags struct {
	from, until string
	duration    time.Duration
}

func (t *termFlags) add(cmd *cobra.Command, withFrom bool) {
	if withFrom {
		cmd.Flags().StringVar(&t.from, "valid-from", "", "start, RFC3339 (default: the block time of the grant)")
	}
	cmd.Flags().StringVar(&t.until, "valid-until", "", "end, RFC3339 (or use --duration)")
	cmd.Flags().DurationVar(&t.duration, "duration", 0, "term length from the start or from now, e.g. 720h (or use --valid-until)")
}

func (t *termFlags) parse() (from, until *timestamppb.Timestamp, err error) {
	start := time.Now().UTC()
	if t.from != "" {
		f, err := time.Parse(time.RFC3339, t.from)
		if err != nil {
			return nil, nil, fmt.Errorf("--valid-from: %w", err)
		}
		from, start = timestamppb.New(f), f
	}
	switch {
	case t.until != "" && t.duration != 0:
		return nil, nil, fmt.Errorf("give --valid-until or --duration, not both")
	case t.until != "":
		u, err := time.Parse(time.RFC3339, t.until)
		if err != nil {
			return nil, nil, fmt.Errorf("--valid-until: %w", err)
		}
		until = timestamppb.New(u)
	case t.duration > 0:
		until = timestamppb.New(start.Add(t.duration))
	default:
		return nil, nil, fmt.Errorf("give the term's end: --valid-until or --duration")
	}
	return from, until, nil
}

// scopeFlags are a scope.
type scopeFlags struct {
	purposes, operations string
	privacy              bool
}

func (s *scopeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.purposes, "purposes", "", "allowed purposes, comma-separated (default: any purpose the parent allows)")
	cmd.Flags().StringVar(&s.operations, "operations", "", "allowed operations, comma-separated: query,compute,train,derive,redistribute")
	cmd.Flags().BoolVar(&s.privacy, "privacy-computing-only", false, "allow privacy-preserving computation only (隐私计算: the data stays invisible)")
}

func (s *scopeFlags) parse() (*types.Scope, error) {
	ops, err := types.ParseOperations(s.operations)
	if err != nil {
		return nil, err
	}
	return &types.Scope{Purposes: types.SplitList(s.purposes), Operations: ops, PrivacyComputingOnly: s.privacy}, nil
}

func grantCmd() *cobra.Command {
	var to, kind string
	var sc scopeFlags
	var term termFlags
	var exclusive, transferable, sublicensable bool
	cmd := &cobra.Command{
		Use:   "grant PARENT_RIGHT --to ADDR --kind use|operation --operations OPS [--purposes P] [--valid-until T | --duration D]",
		Short: "grant a use right (数据加工使用权) or an operation right (数据产品经营权) from a right you hold; children only narrow",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgGrantRight{ParentId: args[0], Grantee: to, Exclusive: exclusive, Transferable: transferable, Sublicensable: sublicensable}
			var err error
			if m.Kind, err = types.ParseKind(kind); err != nil {
				return err
			}
			if m.Scope, err = sc.parse(); err != nil {
				return err
			}
			if m.ValidFrom, m.ValidUntil, err = term.parse(); err != nil {
				return err
			}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_GrantRight{GrantRight: m}})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "grantee address (an active party)")
	cmd.Flags().StringVar(&kind, "kind", "use", "use or operation")
	sc.add(cmd)
	term.add(cmd, true)
	cmd.Flags().BoolVar(&exclusive, "exclusive", false, "exclusive use right (独占): no other use right may coexist on the asset")
	cmd.Flags().BoolVar(&transferable, "transferable", false, "the grantee may transfer the right")
	cmd.Flags().BoolVar(&sublicensable, "sublicensable", false, "the grantee may grant narrower rights from it (转授权)")
	return cmd
}

func approveGrantCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "approve-grant RIGHT",
		Short: "the data admin approves a grant pending approval (数据主管部门审批: important or personal data)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgApproveGrant{RightId: args[0]}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ApproveGrant{ApproveGrant: m}})
		},
	}
}

func requestCmd() *cobra.Command {
	var asset, purpose string
	var sc scopeFlags
	var term termFlags
	cmd := &cobra.Command{
		Use:   "request --asset ID --purpose P --operations OPS [--valid-until T | --duration D]",
		Short: "ask an asset's holder for a use right (数据共享申请)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := sc.parse()
			if err != nil {
				return err
			}
			m := &types.MsgRequestRight{AssetId: asset, Scope: s, Purpose: purpose}
			if _, m.ValidUntil, err = term.parse(); err != nil {
				return err
			}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RequestRight{RequestRight: m}})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset id")
	cmd.Flags().StringVar(&purpose, "purpose", "", "what the data is for (one of --purposes, which default to it)")
	sc.add(cmd)
	term.add(cmd, false)
	return cmd
}

func approveCmd() *cobra.Command {
	var parent string
	cmd := &cobra.Command{
		Use:   "approve REQUEST [--parent RIGHT]",
		Short: "approve a request addressed to you, minting its use right (同意共享申请)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgApproveRequest{RequestId: args[0], ParentId: parent}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ApproveRequest{ApproveRequest: m}})
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "grant from this right you hold (default: the asset's root right)")
	return cmd
}

func rejectCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "reject REQUEST --reason TEXT",
		Short: "reject a request addressed to you (驳回共享申请)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRejectRequest{RequestId: args[0], Reason: reason}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RejectRequest{RejectRequest: m}})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (the requester sees it)")
	return cmd
}

func transferCmd() *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "transfer RIGHT --to ADDR",
		Short: "transfer a transferable right to another party (权利转让; a public-data holding right never moves)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgTransferRight{RightId: args[0], To: to}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_TransferRight{TransferRight: m}})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "new holder (an active party)")
	return cmd
}

func revokeCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "revoke RIGHT --reason TEXT",
		Short: "revoke a right you granted and everything granted from it (撤销授权, cascading)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRevokeRight{RightId: args[0], Reason: reason}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RevokeRight{RevokeRight: m}})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func revokeAllCmd() *cobra.Command {
	var asset, reason string
	cmd := &cobra.Command{
		Use:   "revoke-all --asset ID --reason TEXT",
		Short: "revoke every right you granted on an asset, with their descendants (批量撤销)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &types.MsgRevokeAll{AssetId: asset, Reason: reason}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RevokeAll{RevokeAll: m}})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset id")
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func adminCmd(suspend bool) *cobra.Command {
	var reason string
	use, short := "resume RIGHT --reason TEXT", "the data admin resumes a suspended right (恢复), re-checking the red lines"
	if suspend {
		use, short = "suspend RIGHT --reason TEXT", "the data admin suspends a right and, with it, everything granted from it (暂停)"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if suspend {
				m := &types.MsgSuspendRight{RightId: args[0], Reason: reason}
				return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_SuspendRight{SuspendRight: m}})
			}
			m := &types.MsgResumeRight{RightId: args[0], Reason: reason}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_ResumeRight{ResumeRight: m}})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func recordUsageCmd() *cobra.Command {
	var asset, purpose, operation, result string
	cmd := &cobra.Command{
		Use:   "record-usage [RIGHT] [--asset ID] --purpose P --operation OP --result-hash HASH",
		Short: "record one use of a right you hold, or of unconditionally open public data without one (使用登记)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRecordUsage{AssetId: asset, Purpose: purpose, ResultHash: result}
			if len(args) == 1 {
				m.RightId = args[0]
			}
			op, err := types.ParseOperation(operation)
			if err != nil {
				return err
			}
			m.Operation = op
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RecordUsage{RecordUsage: m}})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset id (alone: unconditionally open public data, no right needed)")
	cmd.Flags().StringVar(&purpose, "purpose", "", "what the use was for")
	cmd.Flags().StringVar(&operation, "operation", "", "query, compute, train, derive or redistribute")
	cmd.Flags().StringVar(&result, "result-hash", "", "sha-256 (64 lower-case hex) of the use's result")
	return cmd
}
