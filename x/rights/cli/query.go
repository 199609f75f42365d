package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/rights/keeper"
	"github.com/datarights/datarights/x/rights/types"
)

// QueryCmd is `query rights`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rights", Short: "data rights (持有权, 加工使用权, 经营权), requests and usage"}
	cmd.AddCommand(rightCmd(), listCmd(), childrenCmd(), chainCmd(), requestsCmd(), usageCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func rightCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "right ID",
		Short: "show one right (数据权利); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseRightID("id", args[0]); err != nil {
				return err
			}
			r := &types.Right{}
			return client.ShowEntity(cmd, keeper.PathRight, &types.QueryRightRequest{Id: args[0]}, "right", r, func(w io.Writer) { printRight(w, r) })
		},
	}
}

func printRight(w io.Writer, r *types.Right) {
	fmt.Fprintf(w, "id:\t%s\n", r.Id)
	fmt.Fprintf(w, "asset:\t%s\n", r.AssetId)
	fmt.Fprintf(w, "kind:\t%s (%s)\n", types.KindName(r.Kind), types.KindTerm(r.Kind))
	fmt.Fprintf(w, "holder:\t%s\n", r.Holder)
	if r.ParentId != "" {
		fmt.Fprintf(w, "granted by:\t%s from %s at height %d\n", r.Grantor, r.ParentId, r.GrantedHeight)
	} else {
		fmt.Fprintf(w, "root right:\tminted at height %d\n", r.GrantedHeight)
	}
	if r.AuthorizationId != "" {
		fmt.Fprintf(w, "authorisation:\t%s\n", r.AuthorizationId)
	}
	fmt.Fprintf(w, "scope:\t%s\n", types.Describe(r.Scope))
	fmt.Fprintf(w, "flags:\t%s\n", flags(r))
	fmt.Fprintf(w, "valid:\t%s\n", term(r))
	fmt.Fprintf(w, "status:\t%s\n", types.StatusName(r.Status))
	if r.StatusReason != "" {
		fmt.Fprintf(w, "status reason:\t%s (height %d)\n", r.StatusReason, r.StatusHeight)
	}
	fmt.Fprintf(w, "depth:\t%d\n", r.Depth)
}

func flags(r *types.Right) string {
	var fs []string
	for _, f := range []struct {
		on   bool
		name string
	}{{r.Exclusive, "exclusive"}, {r.Transferable, "transferable"}, {r.Sublicensable, "sublicensable"}} {
		if f.on {
			fs = append(fs, f.name)
		}
	}
	if len(fs) == 0 {
		return "-"
	}
	return strings.Join(fs, ",")
}

func stamp(t *timestamppb.Timestamp) string {
	if t == nil {
		return "-"
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func term(r *types.Right) string {
	if r.ValidUntil == nil {
		return "from " + stamp(r.ValidFrom) + ", no end"
	}
	return stamp(r.ValidFrom) + " to " + stamp(r.ValidUntil)
}

func printRights(w io.Writer, rs []*types.Right) {
	fmt.Fprintln(w, "ID\tASSET\tKIND\tHOLDER\tPARENT\tSTATUS\tUNTIL\tSCOPE")
	for _, r := range rs {
		parent := r.ParentId
		if parent == "" {
			parent = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Id, r.AssetId, types.KindName(r.Kind), r.Holder, parent,
			types.StatusName(r.Status), stamp(r.ValidUntil), types.Describe(r.Scope))
	}
}

func listCmd() *cobra.Command {
	var holder, asset, kind, status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "list [--holder ADDR | --asset ID] [--kind KIND] [--status STATUS]",
		Short: "list rights (数据权利) by holder or by asset (or all), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &types.QueryRightsRequest{Holder: holder, AssetId: asset, Page: page.Request()}
			var err error
			if holder != "" && asset != "" {
				return fmt.Errorf("give --holder or --asset, not both")
			}
			if kind != "" {
				if req.Kind, err = types.ParseKind(kind); err != nil {
					return err
				}
			}
			if status != "" {
				if req.Status, err = types.ParseStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryRightsResponse{}
			if _, err := client.Ask(cmd, keeper.PathList, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) { printRights(w, resp.Rights); client.PrintNextPage(w, resp.Page) })
		},
	}
	cmd.Flags().StringVar(&holder, "holder", "", "only rights this party holds")
	cmd.Flags().StringVar(&asset, "asset", "", "only rights on this asset")
	cmd.Flags().StringVar(&kind, "kind", "", "holding, use or operation")
	cmd.Flags().StringVar(&status, "status", "", "active, pending_approval, suspended, revoked, expired or exited")
	page.Register(cmd)
	return cmd
}

func childrenCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "children ID",
		Short: "list the rights granted from a right (转授权)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			resp := &types.QueryRightsResponse{}
			if _, err := client.Ask(cmd, keeper.PathChildren, &types.QueryChildrenRequest{Id: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) { printRights(w, resp.Rights); client.PrintNextPage(w, resp.Page) })
		},
	}
	page.Register(cmd)
	return cmd
}

func chainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "chain ID",
		Short: "show the chain of custody (权属链) from a right up to its root right, as a tree",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			resp := &types.QueryChainResponse{}
			if _, err := client.Ask(cmd, keeper.PathChain, &types.QueryChainRequest{Id: args[0]}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) { printChain(w, resp.Rights) })
		},
	}
}

// printChain prints a chain (the right first, its root last) as a tree
// from the root down, one level of indentation per grant.
func printChain(w io.Writer, chain []*types.Right) {
	for level := 0; level < len(chain); level++ {
		r := chain[len(chain)-1-level]
		prefix := ""
		if level > 0 {
			prefix = strings.Repeat("    ", level-1) + "└── "
		}
		fmt.Fprintf(w, "%s%s %s (%s) held by %s [%s; %s; %s]\n", prefix, r.Id, types.KindName(r.Kind), types.KindTerm(r.Kind),
			r.Holder, types.StatusName(r.Status), types.Describe(r.Scope), term(r))
	}
}

func requestsCmd() *cobra.Command {
	var requester, holder, status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "requests [--requester ADDR | --holder ADDR] [--status pending|approved|rejected]",
		Short: "list right requests (数据共享申请) made by or addressed to a party",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if requester != "" && holder != "" {
				return fmt.Errorf("give --requester or --holder, not both")
			}
			req := &types.QueryRequestsRequest{Requester: requester, Holder: holder, Page: page.Request()}
			if status != "" {
				var err error
				if req.Status, err = types.ParseRequestStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryRequestsResponse{}
			if _, err := client.Ask(cmd, keeper.PathRequests, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tASSET\tREQUESTER\tHOLDER\tPURPOSE\tSTATUS\tRIGHT/REASON")
				for _, q := range resp.Requests {
					out := q.RightId + q.Reason
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.Id, q.AssetId, q.Requester, q.Holder, q.Purpose, types.RequestStatusName(q.Status), out)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&requester, "requester", "", "requests this party made")
	cmd.Flags().StringVar(&holder, "holder", "", "requests addressed to this party")
	cmd.Flags().StringVar(&status, "status", "", "pending, approved or rejected")
	page.Register(cmd)
	return cmd
}

func usageCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "usage RIGHT|ASSET",
		Short: "list the uses recorded (使用记录) under a right, or of open public data (an asset id), oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			resp := &types.QueryUsageResponse{}
			if _, err := client.Ask(cmd, keeper.PathUsage, &types.QueryUsageRequest{RightId: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "HEIGHT\tTIME\tUSER\tPURPOSE\tOPERATION\tRESULT HASH\tTX")
				for _, u := range resp.Usage {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Height, stamp(u.Time), u.User, u.Purpose, types.OperationName(u.Operation), u.ResultHash, u.TxHash)
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
		Short: "show the rights module's params (权利参数)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.Params{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				fmt.Fprintf(w, "max_depth:\t%d\n", p.MaxDepth)
				fmt.Fprintf(w, "max_cascade:\t%d\n", p.MaxCascade)
				fmt.Fprintf(w, "max_expiries_per_block:\t%d\n", p.MaxExpiriesPerBlock)
			})
		},
	}
}
