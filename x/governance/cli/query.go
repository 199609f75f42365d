package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/governance/keeper"
	"github.com/datarights/datarights/x/governance/types"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// QueryCmd is `query governance`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "governance", Short: "proposals, votes, the departments and every module's params (治理)"}
	cmd.AddCommand(proposalCmd(), proposalsCmd(), votesCmd(), departmentsCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func proposalCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "proposal ID",
		Short: "show one proposal (提案); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseProposalID("proposal id", args[0]); err != nil {
				return err
			}
			p := &types.Proposal{}
			return client.ShowEntity(cmd, keeper.PathProposal, &types.QueryProposalRequest{Id: args[0]}, "proposal", p,
				func(w io.Writer) { printProposal(w, p) })
		},
	}
}

// printProposal writes a proposal as key/value lines, leaving out unset
// fields.
func printProposal(w io.Writer, p *types.Proposal) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s:\t%s\n", k, v)
		}
	}
	line("id", p.Id)
	line("title", p.Title)
	line("status", statusText(p))
	line("action", types.Describe(p.Action))
	line("proposer", p.Proposer)
	line("submitted at height", fmt.Sprint(p.SubmittedHeight))
	line("voting ends", ts(p.VotingEnds))
	line("tally", tallyText(p.Tally))
	if p.DecidedHeight != 0 {
		line("decided at height", fmt.Sprint(p.DecidedHeight))
	}
	line("result", p.Result)
	line("description", p.Description)
}

// statusText is the status, saying so when a proposal still voting has in
// fact passed and awaits the end of its block.
func statusText(p *types.Proposal) string {
	s := types.StatusName(p.Status)
	if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING && p.DecidedHeight != 0 {
		s = fmt.Sprintf("passed at height %d, executing at the end of the block", p.DecidedHeight)
	}
	return s
}

func tallyText(t *types.Tally) string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf("%d yes, %d no, %d abstain of %d departments", t.Yes, t.No, t.Abstain, t.Departments)
}

func ts(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func proposalsCmd() *cobra.Command {
	var status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "proposals [--status voting|executed|rejected|failed]",
		Short: "list proposals (提案) in submission order, one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &types.QueryProposalsRequest{Page: page.Request()}
			if status != "" {
				var err error
				if req.Status, err = types.ParseStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryProposalsResponse{}
			if _, err := client.Ask(cmd, keeper.PathProposals, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tSTATUS\tACTION\tYES/NO/ABSTAIN OF\tVOTING ENDS\tPROPOSER\tTITLE")
				for _, p := range resp.Proposals {
					st := types.StatusName(p.Status)
					if p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING && p.DecidedHeight != 0 {
						st = "passed"
					}
					t := p.GetTally()
					fmt.Fprintf(w, "%s\t%s\t%s\t%d/%d/%d of %d\t%s\t%s\t%s\n", p.Id, st, types.ActionName(p.Action),
						t.GetYes(), t.GetNo(), t.GetAbstain(), t.GetDepartments(), ts(p.VotingEnds), p.Proposer, p.Title)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only this status: voting, executed, rejected, failed")
	page.Register(cmd)
	return cmd
}

func votesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "votes ID",
		Short: "list the departments' current votes (表决) on a proposal",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseProposalID("proposal id", args[0]); err != nil {
				return err
			}
			resp := &types.QueryVotesResponse{}
			if _, err := client.Ask(cmd, keeper.PathVotes, &types.QueryVotesRequest{ProposalId: args[0]}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "DEPARTMENT\tOPTION\tHEIGHT")
				for _, v := range resp.Votes {
					fmt.Fprintf(w, "%s\t%s\t%d\n", v.Department, types.OptionName(v.Option), v.Height)
				}
			})
		},
	}
}

func departmentsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "departments",
		Short: "list the departments (部门) that vote, which are the validators",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			resp := &types.QueryDepartmentsResponse{}
			if _, err := client.Ask(cmd, keeper.PathDepartments, &types.QueryDepartmentsRequest{}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ADDRESS\tNAME\tPOWER\tROLES")
				var total int64
				for _, d := range resp.Departments {
					total += d.GetValidator().GetPower()
					fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", d.Address, d.Name, d.GetValidator().GetPower(), roleNames(d.Roles))
				}
				fmt.Fprintf(w, "\n%d departments, total power %d; a proposal passes with more than two thirds of the departments\n", len(resp.Departments), total)
			})
		},
	}
}

func roleNames(rs []idtypes.Role) string {
	if len(rs) == 0 {
		return "-"
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = idtypes.RoleName(r)
	}
	return strings.Join(names, ",")
}

func paramsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "params",
		Short: "show every module's params (参数), as set-params proposals change them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.AllParams{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				secs := func(n int64) string { return fmt.Sprintf("%s (%d seconds)", time.Duration(n)*time.Second, n) }
				r, rt, g, a := p.GetRegistry(), p.GetRights(), p.GetGovernance(), p.GetAuthorization()
				fmt.Fprintf(w, "registry notice_period_seconds:\t%s\n", secs(r.GetNoticePeriodSeconds()))
				fmt.Fprintf(w, "registry max_certifications_per_block:\t%d\n", r.GetMaxCertificationsPerBlock())
				fmt.Fprintf(w, "rights max_depth:\t%d\n", rt.GetMaxDepth())
				fmt.Fprintf(w, "rights max_cascade:\t%d\n", rt.GetMaxCascade())
				fmt.Fprintf(w, "rights max_expiries_per_block:\t%d\n", rt.GetMaxExpiriesPerBlock())
				fmt.Fprintf(w, "governance voting_period_seconds:\t%s\n", secs(g.GetVotingPeriodSeconds()))
				fmt.Fprintf(w, "governance max_closings_per_block:\t%d\n", g.GetMaxClosingsPerBlock())
				fmt.Fprintf(w, "authorization evaluation_threshold:\t%d\n", a.GetEvaluationThreshold())
				fmt.Fprintf(w, "authorization max_assets:\t%d\n", a.GetMaxAssets())
				fmt.Fprintf(w, "authorization max_term_seconds:\t%s\n", secs(a.GetMaxTermSeconds()))
				fmt.Fprintf(w, "authorization max_expiries_per_block:\t%d\n", a.GetMaxExpiriesPerBlock())
				m, rv := p.GetMarket(), p.GetRevenue()
				fmt.Fprintf(w, "market max_quantity:\t%d\n", m.GetMaxQuantity())
				fmt.Fprintf(w, "market max_expiries_per_block:\t%d\n", m.GetMaxExpiriesPerBlock())
				fmt.Fprintf(w, "revenue public_levy_bps:\t%d\n", rv.GetPublicLevyBps())
				fmt.Fprintf(w, "revenue max_lineage_depth:\t%d\n", rv.GetMaxLineageDepth())
				fmt.Fprintf(w, "revenue max_lines:\t%d\n", rv.GetMaxLines())
			})
		},
	}
}
