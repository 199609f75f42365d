package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/revenue/keeper"
	"github.com/datarights/datarights/x/revenue/types"
)

// QueryCmd is `query revenue`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "revenue", Short: "revenue distribution (收益分配): policies, distributions, earnings, the public service fund (反哺公共服务)"}
	cmd.AddCommand(policyCmd(), distributionsCmd(), earningsCmd(), fundCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func policyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "policy ASSET",
		Short: "show an asset's revenue policy (收益分配方案); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := types.CheckID("asset_id", args[0]); err != nil {
				return err
			}
			p := &types.Policy{}
			return client.ShowEntity(cmd, keeper.PathPolicy, &types.QueryPolicyRequest{AssetId: args[0]}, "policy", p,
				func(w io.Writer) {
					fmt.Fprintf(w, "asset:\t%s\n", p.AssetId)
					for _, s := range p.Shares {
						fmt.Fprintf(w, "share:\t%s %d bps\n", s.Beneficiary, s.Bps)
					}
					fmt.Fprintf(w, "upstream:\t%d bps\n", p.UpstreamBps)
					fmt.Fprintf(w, "set by:\t%s (height %d)\n", p.SetBy, p.Height)
				})
		},
	}
}

func distributionsCmd() *cobra.Command {
	var trade, beneficiary, asset string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "distributions --trade ID | --beneficiary ADDR | --asset ID",
		Short: "list distributions (收益分配记录) of a trade, to a party or touching an asset",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			given := 0
			for _, s := range []string{trade, beneficiary, asset} {
				if s != "" {
					given++
				}
			}
			if given != 1 {
				return types.ErrInvalidFields.Wrap("give one of --trade, --beneficiary or --asset")
			}
			req := &types.QueryDistributionsRequest{TradeId: trade, Beneficiary: beneficiary, AssetId: asset, Page: page.Request()}
			resp := &types.QueryDistributionsResponse{}
			if _, err := client.Ask(cmd, keeper.PathDistributions, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				printDistributions(w, resp.Distributions)
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&trade, "trade", "", "the distribution of this trade")
	cmd.Flags().StringVar(&beneficiary, "beneficiary", "", "distributions that paid this party")
	cmd.Flags().StringVar(&asset, "asset", "", "distributions of sales of this asset or of products made from it")
	page.Register(cmd)
	return cmd
}

func printDistributions(w io.Writer, ds []*types.Distribution) {
	for _, d := range ds {
		fmt.Fprintf(w, "trade %s\tasset %s\t%s fen\theight %d\t%s\n", d.TradeId, d.AssetId, fen(d.AmountFen), d.Height,
			d.Time.AsTime().UTC().Format(time.RFC3339))
		for _, l := range d.Lines {
			fmt.Fprintf(w, "  %s\t%s\t%s fen\t%s depth %d", kind(l.Kind), l.Beneficiary, fen(l.AmountFen), l.AssetId, l.Depth)
			if l.AuthorizationId != "" {
				fmt.Fprintf(w, "\tunder %s", l.AuthorizationId)
			}
			fmt.Fprintln(w)
		}
	}
}

func earningsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "earnings ADDR",
		Short: "a party's total revenue received (收益) through distributions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAddress("party", args[0]); err != nil {
				return err
			}
			resp := &types.QueryEarningsResponse{}
			if _, err := client.Ask(cmd, keeper.PathEarnings, &types.QueryEarningsRequest{Party: args[0]}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintf(w, "party:\t%s\ntotal:\t%s fen\nlines:\t%d\n", resp.Party, fen(resp.TotalFen), resp.Lines)
			})
		},
	}
}

func fundCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "fund",
		Short: "the public service fund (反哺公共服务): its address, total and the distributions that paid it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			resp := &types.QueryFundResponse{}
			if _, err := client.Ask(cmd, keeper.PathFund, &types.QueryFundRequest{Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintf(w, "address:\t%s\ntotal:\t%s fen\n", resp.Address, fen(resp.TotalFen))
				printDistributions(w, resp.History)
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	page.Register(cmd)
	return cmd
}

func paramsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "params",
		Short: "show the revenue params (收益分配参数)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.Params{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				fmt.Fprintf(w, "public_levy_bps:\t%d\n", p.PublicLevyBps)
				fmt.Fprintf(w, "max_lineage_depth:\t%d\n", p.MaxLineageDepth)
				fmt.Fprintf(w, "max_lines:\t%d\n", p.MaxLines)
			})
		},
	}
}
