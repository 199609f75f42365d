// Package cli holds the revenue commands: `tx revenue set-policy` and
// `query revenue ...`. Input is checked here, with the same stateless
// checks the state machine runs (types' ValidateBasic), before anything
// is signed.
package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/revenue/types"
)

// TxCmd is `tx revenue`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "revenue", Short: "revenue distribution (收益分配): set an asset's revenue policy"}
	cmd.AddCommand(setPolicyCmd())
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

func setPolicyCmd() *cobra.Command {
	var shares string
	var upstream uint32
	cmd := &cobra.Command{
		Use:   "set-policy ASSET [--share ADDR:BPS,...] [--upstream-bps N]",
		Short: "set an asset's revenue policy (收益分配方案), as the holder of its root right",
		Long: "Every sale of the asset is split: public data (and data derived from it) first pays the public levy\n" +
			"to the public service fund (反哺公共服务), an authorisation's terms come next, then this policy:\n" +
			"each --share beneficiary its bps, --upstream-bps to the product's inputs by their weights, and the\n" +
			"rest to the holder. Up to 16 shares; shares plus upstream at most 10,000 bps.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := ParseShares(shares)
			if err != nil {
				return err
			}
			m := &types.MsgSetPolicy{AssetId: args[0], Shares: list, UpstreamBps: upstream}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_SetPolicy{SetPolicy: m}})
		},
	}
	cmd.Flags().StringVar(&shares, "share", "", "beneficiaries as ADDR:BPS,ADDR:BPS (basis points of what reaches the policy)")
	cmd.Flags().Uint32Var(&upstream, "upstream-bps", 0, "basis points that flow to the product's inputs by their weights (products only)")
	return cmd
}

// ParseShares reads "ADDR:BPS,ADDR:BPS"; empty is no shares.
func ParseShares(s string) ([]*types.Share, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []*types.Share
	for _, part := range strings.Split(s, ",") {
		addr, bps, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, types.ErrInvalidFields.Wrapf("share %q: want ADDR:BPS", part)
		}
		n, err := strconv.ParseUint(bps, 10, 32)
		if err != nil {
			return nil, types.ErrInvalidFields.Wrapf("share %q: bps: %v", part, err)
		}
		out = append(out, &types.Share{Beneficiary: addr, Bps: uint32(n)})
	}
	return out, nil
}

func kind(k types.LineKind) string { return types.KindName(k) }

func fen(n uint64) string { return fmt.Sprintf("%d", n) }
