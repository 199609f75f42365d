package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/authorization/keeper"
	"github.com/datarights/datarights/x/authorization/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// QueryCmd is `query authorization`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "authorization", Short: "public-data authorisations (公共数据授权运营) and their evaluations"}
	cmd.AddCommand(showCmd(), listCmd(), evaluationsCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func showCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "show one authorisation (公共数据授权运营); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseID("id", args[0]); err != nil {
				return err
			}
			a := &types.Authorization{}
			return client.ShowEntity(cmd, keeper.PathShow, &types.QueryAuthorizationRequest{Id: args[0]}, "authorization", a,
				func(w io.Writer) { printAuthorization(w, a) })
		},
	}
}

func stamp(t *timestamppb.Timestamp) string {
	if t == nil {
		return "-"
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printAuthorization(w io.Writer, a *types.Authorization) {
	fmt.Fprintf(w, "id:\t%s\n", a.Id)
	fmt.Fprintf(w, "status:\t%s\n", types.StatusName(a.Status))
	if a.StatusReason != "" {
		fmt.Fprintf(w, "status reason:\t%s (height %d)\n", a.StatusReason, a.StatusHeight)
	}
	fmt.Fprintf(w, "authoriser:\t%s\n", a.Authoriser)
	fmt.Fprintf(w, "operator:\t%s\n", a.Operator)
	fmt.Fprintf(w, "assets:\t%s\n", strings.Join(a.AssetIds, ","))
	fmt.Fprintf(w, "scope:\t%s\n", rightstypes.Describe(a.Scope))
	fmt.Fprintf(w, "terms hash:\t%s\n", a.TermsHash)
	fmt.Fprintf(w, "standards:\t%s\n", orDash(strings.Join(a.Standards, ",")))
	fmt.Fprintf(w, "term:\t%s", time.Duration(a.TermSeconds)*time.Second)
	if a.ValidFrom != nil {
		fmt.Fprintf(w, " (%s to %s)", stamp(a.ValidFrom), stamp(a.ValidUntil))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "revenue:\toperator %d bps, public service %d bps\n", a.Revenue.GetOperatorShareBps(), a.Revenue.GetPublicServiceShareBps())
	fmt.Fprintf(w, "applied at height:\t%d\n", a.AppliedHeight)
	if a.CoApprovedBy != "" {
		fmt.Fprintf(w, "co-approved by:\t%s\n", a.CoApprovedBy)
	}
	if len(a.OperatorRightIds) > 0 {
		fmt.Fprintf(w, "operator rights:\t%s\n", strings.Join(a.OperatorRightIds, ","))
	}
	if a.LastScore != 0 {
		fmt.Fprintf(w, "last score:\t%d\n", a.LastScore)
	}
	if a.AttestationHash != "" {
		fmt.Fprintf(w, "exit attestation:\t%s\n", a.AttestationHash)
	}
}

func listCmd() *cobra.Command {
	var operator, authoriser, asset, status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "list [--operator ADDR | --authoriser ADDR | --asset ID] [--status STATUS]",
		Short: "list authorisations (公共数据授权运营) by operator, authoriser or asset (or all), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			given := 0
			for _, s := range []string{operator, authoriser, asset} {
				if s != "" {
					given++
				}
			}
			if given > 1 {
				return fmt.Errorf("give one of --operator, --authoriser or --asset")
			}
			req := &types.QueryAuthorizationsRequest{Operator: operator, Authoriser: authoriser, AssetId: asset, Page: page.Request()}
			if status != "" {
				var err error
				if req.Status, err = types.ParseStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryAuthorizationsResponse{}
			if _, err := client.Ask(cmd, keeper.PathList, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tSTATUS\tAUTHORISER\tOPERATOR\tASSETS\tUNTIL")
				for _, a := range resp.Authorizations {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Id, types.StatusName(a.Status), a.Authoriser, a.Operator,
						strings.Join(a.AssetIds, ","), stamp(a.ValidUntil))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&operator, "operator", "", "only authorisations this operator applied for")
	cmd.Flags().StringVar(&authoriser, "authoriser", "", "only authorisations addressed to this department")
	cmd.Flags().StringVar(&asset, "asset", "", "only authorisations covering this asset")
	cmd.Flags().StringVar(&status, "status", "", "applied, pending_co_approval, active, suspended, rejected, terminated, expired or exited")
	page.Register(cmd)
	return cmd
}

func evaluationsCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "evaluations ID",
		Short: "list an authorisation's evaluations (评估), oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseID("id", args[0]); err != nil {
				return err
			}
			resp := &types.QueryEvaluationsResponse{}
			if _, err := client.Ask(cmd, keeper.PathEvaluations, &types.QueryEvaluationsRequest{Id: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "NUMBER\tHEIGHT\tTIME\tEVALUATOR\tSCORE\tREPORT HASH")
				for _, e := range resp.Evaluations {
					fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%d\t%s\n", e.Number, e.Height, stamp(e.Time), e.Evaluator, e.Score, e.ReportHash)
				}
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
		Short: "show the authorised-operation params (授权运营参数)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.Params{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				fmt.Fprintf(w, "evaluation_threshold:\t%d\n", p.EvaluationThreshold)
				fmt.Fprintf(w, "max_assets:\t%d\n", p.MaxAssets)
				fmt.Fprintf(w, "max_term_seconds:\t%d (%s)\n", p.MaxTermSeconds, time.Duration(p.MaxTermSeconds)*time.Second)
				fmt.Fprintf(w, "max_expiries_per_block:\t%d\n", p.MaxExpiriesPerBlock)
			})
		},
	}
}
