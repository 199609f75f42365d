package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/query"
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
		Short: "show one party; with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := types.ParseAddress("address", args[0])
			if err != nil {
				return err
			}
			node, err := client.Connect(cmd)
			if err != nil {
				return err
			}
			res, err := node.Query(cmd.Context(), cmd, app.PathParty, &types.QueryPartyRequest{Address: addr})
			if err != nil {
				if res != nil && res.Proven {
					fmt.Fprintln(cmd.ErrOrStderr(), res.ProofNote)
				}
				cmd.SilenceUsage = true
				return err
			}
			p := &types.Party{}
			if err := proto.Unmarshal(res.Value, p); err != nil {
				return fmt.Errorf("decode party: %w", err)
			}
			out := struct {
				Party  json.RawMessage `json:"party"`
				Height int64           `json:"height"`
				Proven bool            `json:"proven"`
				Proof  string          `json:"proof,omitempty"`
			}{client.RawJSON(p), res.Height, res.Proven, res.ProofNote}
			return client.Print(cmd, out, func(w io.Writer) {
				printParty(w, p)
				fmt.Fprintf(w, "height:\t%d\n", res.Height)
				if res.Proven {
					fmt.Fprintf(w, "proof:\tVERIFIED: %s\n", res.ProofNote)
				}
			})
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
	var limit uint32
	var pageKey []byte
	cmd := &cobra.Command{
		Use:   "parties [--kind KIND | --role ROLE]",
		Short: "list parties, one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &types.QueryPartiesRequest{Page: &query.PageRequest{Key: pageKey, Limit: limit}}
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
			node, err := client.Connect(cmd)
			if err != nil {
				return err
			}
			res, err := node.Query(cmd.Context(), cmd, app.PathParties, req)
			if err != nil {
				cmd.SilenceUsage = true
				return err
			}
			resp := &types.QueryPartiesResponse{}
			if err := proto.Unmarshal(res.Value, resp); err != nil {
				return fmt.Errorf("decode parties: %w", err)
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ADDRESS\tNAME\tKIND\tROLES\tSTATUS")
				for _, p := range resp.Parties {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", p.Address, p.Name, types.KindName(p.Kind), roles(p), types.StatusName(p.Status))
				}
				if k := resp.GetPage().GetNextKey(); len(k) > 0 {
					fmt.Fprintf(w, "\nnext page:\t--page-key %X\n", k)
				}
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: department, enterprise, institution, individual")
	cmd.Flags().StringVar(&role, "role", "", "only this role: data_admin, auditor, operator, exchange, assessor")
	cmd.Flags().Uint32Var(&limit, "limit", 0, fmt.Sprintf("page size (default %d, at most %d)", query.DefaultLimit, query.MaxLimit))
	cmd.Flags().BytesHexVar(&pageKey, "page-key", nil, "the next-page key a previous page printed")
	return cmd
}
