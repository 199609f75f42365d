package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/identity/keeper"
	"github.com/datarights/datarights/x/identity/types"
)

// QueryCmd is `query identity`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "identity", Short: "parties (主体), roles and agents"}
	cmd.AddCommand(partyCmd(), partiesCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func partyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "party ADDRESS",
		Short: "show one party (主体); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := types.ParseAddress("address", args[0])
			if err != nil {
				return err
			}
			p := &types.Party{}
			return client.ShowEntity(cmd, keeper.PathParty, &types.QueryPartyRequest{Address: addr}, "party", p, func(w io.Writer) { printParty(w, p) })
		},
	}
}

func printParty(w io.Writer, p *types.Party) {
	fmt.Fprintf(w, "address:\t%s\n", p.Address)
	fmt.Fprintf(w, "name:\t%s\n", p.Name)
	fmt.Fprintf(w, "kind:\t%s\n", types.KindName(p.Kind))
	if p.OrgCode != "" {
		fmt.Fprintf(w, "org code:\t%s\n", p.OrgCode)
	}
	fmt.Fprintf(w, "roles:\t%s\n", roles(p))
	fmt.Fprintf(w, "status:\t%s\n", types.StatusName(p.Status))
	if p.StatusReason != "" {
		fmt.Fprintf(w, "status reason:\t%s (height %d)\n", p.StatusReason, p.StatusHeight)
	}
	if p.RegisteredBy != "" {
		fmt.Fprintf(w, "registered by:\t%s at height %d\n", p.RegisteredBy, p.RegisteredHeight)
	}
	for _, a := range p.Agents {
		fmt.Fprintf(w, "agent:\t%s\n", a)
	}
	if v := p.Validator; v != nil {
		fmt.Fprintf(w, "validator power:\t%d\n", v.Power)
	}
}

func roles(p *types.Party) string {
	var rs []string
	for _, r := range p.Roles {
		rs = append(rs, types.RoleName(r))
	}
	if len(rs) == 0 {
		return "-"
	}
	return strings.Join(rs, ",")
}

func partiesCmd() *cobra.Command {
	var kind, role string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "parties [--kind KIND | --role ROLE]",
		Short: "list parties (主体), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &types.QueryPartiesRequest{Page: page.Request()}
			var err error
			if kind != "" {
				if req.Kind, err = types.ParseKind(kind); err != nil {
					return err
				}
			}
			if role != "" {
				if req.Role, err = types.ParseRole(role); err != nil {
					return err
				}
			}
			resp := &types.QueryPartiesResponse{}
			if _, err := client.Ask(cmd, keeper.PathParties, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ADDRESS\tNAME\tKIND\tROLES\tSTATUS")
				for _, p := range resp.Parties {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", p.Address, p.Name, types.KindName(p.Kind), roles(p), types.StatusName(p.Status))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: department, enterprise, institution, individual")
	cmd.Flags().StringVar(&role, "role", "", "only this role: data_admin, auditor, operator, exchange, assessor")
	page.Register(cmd)
	return cmd
}
