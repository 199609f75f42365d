package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/loadgen"
	"github.com/datarights/datarights/loadgen/benchnet"
	"github.com/datarights/datarights/loadgen/report"
	"github.com/datarights/datarights/server"
)

// benchCmd runs a load test on a fresh loopback network.
func benchCmd() *cobra.Command {
	var o benchnet.Options
	var c loadgen.Config
	var engine, dir string
	var keep bool
	var spamRate, spamQueries float64
	cmd := &cobra.Command{
		Use:   "bench --workload usage|mixed|identity|kvstore [--validators N] [--duration D] [--rate R]",
		Short: "load-test a fresh loopback network: committed tx/s, latency, node CPU and memory (progress on stderr, a JSON line on stdout)",
		Long: `bench creates a fresh network in --dir (a temporary directory by default),
with --parties enterprise signers in genesis, sets up what the workload needs,
pre-signs the whole workload, sends it for --duration (flat out, or at --rate
tx/s) and measures what was committed from the blocks themselves. With
--workload kvstore it runs CometBFT's kvstore example app instead (--cometbft
names the binary, built from this module's go.mod) with the same consensus
settings and key=value txs of --tx-bytes bytes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := loadgen.CheckWorkload(c.Workload); err != nil {
				return err
			}
			if c.Workload == loadgen.KVStore {
				engine = "kvstore"
			}
			if dir == "" {
				d, err := os.MkdirTemp("", "datarights-bench-")
				if err != nil {
					return err
				}
				dir = d
				if !keep {
					defer os.RemoveAll(d)
				}
			}
			o.Dir = dir
			nw, err := startBenchNet(ctx, engine, &o)
			if err != nil {
				return err
			}
			defer nw.Stop()
			c.Endpoints, c.PIDs, c.Admin, c.Keys = nw.Endpoints(), nw.PIDs(), nw.Admin, nw.Keys
			c.Progress = cmd.ErrOrStderr()
			spam := startBenchSpam(ctx, &c, spamRate, spamQueries)
			res, err := loadgen.Run(ctx, c)
			if err != nil {
				return err
			}
			if err := spam(cmd.ErrOrStderr()); err != nil {
				return err
			}
			res.Validators, res.Engine = o.Validators, engine
			return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Workload, "workload", loadgen.Usage, "usage, mixed, identity or kvstore")
	f.IntVar(&o.Validators, "validators", 1, "validator nodes on loopback")
	f.IntVar(&o.Parties, "parties", 400, "enterprise signers created in genesis")
	f.DurationVar(&c.Duration, "duration", 30*time.Second, "how long to send")
	f.Float64Var(&c.Rate, "rate", 0, "offered tx/s (0: flat out)")
	f.Float64Var(&c.MaxRate, "max-rate", 8000, "a flat-out run pre-signs duration × this many txs")
	f.IntVar(&c.Workers, "workers", 8, "concurrent send streams")
	f.IntVar(&c.Batch, "batch", 50, "txs per JSON-RPC batch")
	f.IntVar(&c.TxBytes, "tx-bytes", 300, "size of a kvstore tx")
	f.DurationVar(&c.Drain, "drain", 30*time.Second, "how long to wait after sending for acked txs to commit")
	f.DurationVar(&o.TimeoutCommit, "timeout-commit", time.Second, "consensus.timeout_commit")
	f.IntVar(&o.MempoolSize, "mempool-size", 50000, "mempool.size in txs (both apps)")
	f.Int64Var(&o.BlockMaxBytes, "block-max-bytes", server.DefaultBlockMaxBytes, "genesis block.max_bytes (both apps)")
	f.IntVar(&o.StartingPort, "starting-port", 27600, "node i listens on P+10i (p2p) and P+10i+1 (rpc)")
	f.StringVar(&o.PprofAddr, "pprof", "", "node 0's pprof listen address (e.g. 127.0.0.1:6060)")
	f.StringVar(&o.Binary, "cometbft", "", "the cometbft binary, for --workload kvstore")
	f.StringVar(&dir, "dir", "", "directory for the nodes' homes (default: a temporary one, removed after)")
	f.BoolVar(&keep, "keep", false, "keep the temporary directory")
	f.Float64Var(&spamRate, "spam-rate", 0, "also send this many invalid-signature txs a second to node 0 while the load sends (its figures on stderr)")
	f.Float64Var(&spamQueries, "spam-queries", 0, "also send this many maximum-size queries a second to node 0 while the load sends")
	engine = "datarights"
	cmd.AddCommand(benchReportCmd())
	return cmd
}

// benchReportCmd turns a file of bench result lines into the comparisons
// table, the results JSON and the chart.
func benchReportCmd() *cobra.Command {
	var in, jsonOut, svgOut, machine, command string
	cmd := &cobra.Command{
		Use:   "report --in RESULTS.jsonl [--json FILE] [--svg FILE]",
		Short: "print the table of bench result lines (ours vs kvstore) and write the results JSON and an SVG chart",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			runs, err := report.Read(in)
			if err != nil {
				return err
			}
			rep := &report.Report{Date: time.Now().UTC().Format(time.RFC3339), Machine: machine, Command: command,
				Runs: runs, Comparisons: report.Compare(runs)}
			if rep.Comparisons == nil {
				rep.Comparisons = []report.Comparison{}
			}
			if jsonOut != "" {
				b, err := json.MarshalIndent(rep, "", "  ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(jsonOut, append(b, '\n'), 0o644); err != nil {
					return err
				}
			}
			if svgOut != "" {
				f, err := os.Create(svgOut)
				if err != nil {
					return err
				}
				report.SVG(f, "Committed tx/s: datarights vs CometBFT kvstore ("+rep.Date[:10]+")", rep.Comparisons)
				if err := f.Close(); err != nil {
					return err
				}
			}
			report.Table(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "file of bench result lines")
	cmd.Flags().StringVar(&jsonOut, "json", "", "write the results JSON here")
	cmd.Flags().StringVar(&svgOut, "svg", "", "write the chart here")
	cmd.Flags().StringVar(&machine, "machine", "", "machine description for the JSON")
	cmd.Flags().StringVar(&command, "command", "", "the command that produced the results, for the JSON")
	_ = cmd.MarkFlagRequired("in")
	return cmd
}

func startBenchNet(ctx context.Context, engine string, o *benchnet.Options) (*benchnet.Network, error) {
	if engine == "kvstore" {
		if o.Binary == "" {
			return nil, fmt.Errorf("--workload kvstore needs --cometbft BINARY (go build -o BIN github.com/cometbft/cometbft/cmd/cometbft)")
		}
		return benchnet.KVStore(ctx, *o)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	o.Binary = self
	if o.Parties < 1 {
		return nil, fmt.Errorf("--parties must be at least 1")
	}
	o.Dir = filepath.Clean(o.Dir)
	return benchnet.Datarights(ctx, *o)
}

// startBenchSpam starts loadgen.Spam beside the run once it sends, for the
// run's duration, when a spam rate is set; the function it returns waits
// for the spam and prints its figures as a JSON line prefixed "spam: ".
func startBenchSpam(ctx context.Context, c *loadgen.Config, rate, queries float64) func(io.Writer) error {
	if rate <= 0 && queries <= 0 {
		return func(io.Writer) error { return nil }
	}
	signers := make([]string, len(c.Keys))
	for i, k := range c.Keys {
		signers[i] = address.FromKey(k)
	}
	type outcome struct {
		res *loadgen.SpamResult
		err error
	}
	done := make(chan outcome, 1)
	sc := loadgen.SpamConfig{Endpoint: c.Endpoints[0], TxRate: rate, QueryRate: queries, Duration: c.Duration, Signers: signers}
	c.Progress = loadgen.SendingWriter(c.Progress, func() {
		go func() {
			r, err := loadgen.Spam(ctx, sc)
			done <- outcome{r, err}
		}()
	})
	return func(w io.Writer) error {
		o := <-done
		if o.err != nil {
			return fmt.Errorf("spam: %w", o.err)
		}
		b, err := json.Marshal(o.res)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "spam: %s\n", b)
		return err
	}
}
