package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/provenance/keeper"
	"github.com/datarights/datarights/x/provenance/types"
)

// QueryCmd is `query provenance`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "provenance", Short: "an entity's history and the provenance trace of lineage and rights (溯源)"}
	cmd.AddCommand(historyCmd(), traceCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func historyCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "history ID",
		Short: "list what happened (变更历史) to an asset, right, authorisation, listing, trade or party, oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			resp := &types.HistoryResponse{}
			if _, err := client.Ask(cmd, keeper.PathHistory, &types.HistoryRequest{Id: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "HEIGHT\tTIME\tTX\tACTION\tACTOR\tSUMMARY")
				for _, e := range resp.Entries {
					tx := "end-block"
					if e.TxIndex != types.EndBlockTxIndex {
						tx = fmt.Sprintf("%X", e.TxHash)
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Height, e.Time.AsTime().UTC().Format(time.RFC3339), tx, e.Action, dash(e.Actor), e.Summary)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	page.Register(cmd)
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func traceCmd() *cobra.Command {
	var direction string
	var depth, maxNodes uint32
	cmd := &cobra.Command{
		Use:   "trace ID [--direction up|down|both] [--depth N] [--output text|json|dot|prov-json]",
		Short: "trace (溯源) an entity's lineage (数据血缘: inputs up, products down) and the custody of every asset's rights",
		Long: `Trace walks the lineage from ID (an asset, right, authorisation, trade, listing or party)
and adds, for every asset reached, its rights (with parent, holder and authorisation)
and trades. The server caps depth at ` + fmt.Sprint(keeper.MaxDepth) + ` and nodes at ` + fmt.Sprint(keeper.MaxMaxNodes) + `;
a capped trace says TRUNCATED.

--output text is a tree, json the complete trace, dot a Graphviz graph
(datarightsd query provenance trace a-3 -o dot | dot -Tsvg > trace.svg),
prov-json the W3C PROV-JSON document.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, ok := directions[direction]
			if !ok {
				return fmt.Errorf("--direction %q: want up, down or both", direction)
			}
			output, _ := cmd.Flags().GetString(client.FlagOutput)
			if _, ok := outputs[output]; !ok {
				return fmt.Errorf("--output %q: want text, json, dot or prov-json", output)
			}
			t := &types.Trace{}
			req := &types.TraceRequest{Id: args[0], Direction: dir, Depth: depth, MaxNodes: maxNodes}
			if _, err := client.Ask(cmd, keeper.PathTrace, req, t); err != nil {
				return err
			}
			return outputs[output](cmd, t)
		},
	}
	cmd.Flags().StringVar(&direction, "direction", "both", "up (inputs), down (products) or both")
	cmd.Flags().Uint32Var(&depth, "depth", 0, fmt.Sprintf("lineage hops to follow (default %d, at most %d)", keeper.DefaultDepth, keeper.MaxDepth))
	cmd.Flags().Uint32Var(&maxNodes, "max-nodes", 0, fmt.Sprintf("nodes to return (default %d, at most %d)", keeper.DefaultMaxNodes, keeper.MaxMaxNodes))
	return cmd
}

var directions = map[string]types.Direction{
	"up": types.Direction_DIRECTION_UP, "down": types.Direction_DIRECTION_DOWN, "both": types.Direction_DIRECTION_BOTH,
}

var outputs = map[string]func(*cobra.Command, *types.Trace) error{
	"text": func(cmd *cobra.Command, t *types.Trace) error { WriteTree(cmd.OutOrStdout(), t); return nil },
	"":     func(cmd *cobra.Command, t *types.Trace) error { WriteTree(cmd.OutOrStdout(), t); return nil },
	"json": func(cmd *cobra.Command, t *types.Trace) error { return printJSON(cmd, t) },
	"dot":  func(cmd *cobra.Command, t *types.Trace) error { WriteDOT(cmd.OutOrStdout(), t); return nil },
	"prov-json": func(cmd *cobra.Command, t *types.Trace) error {
		return printJSON(cmd, ToPROV(t))
	},
}

func printJSON(cmd *cobra.Command, v any) error {
	bz, err := client.MarshalJSON(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), string(bz))
	return err
}
