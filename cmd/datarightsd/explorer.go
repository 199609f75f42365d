package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/audit"
	"github.com/datarights/datarights/explorer"
)

func explorerCmd() *cobra.Command {
	var f auditFlags
	var listen string
	cmd := &cobra.Command{
		Use:   "explorer",
		Short: "serve the auditor's web view (审计浏览器): search, entity pages with history and provenance graph, verify, city dashboard",
		Long: `explorer serves a small web app for auditors over the ledger that --node
serves: search by id or party address, an entity page with its state,
history and provenance graph (lineage plus rights), a verify button that
runs the checks of "audit verify" (trusting no node: give a trust root with
--genesis or --trust-height and --trust-hash; the first --node is the
primary, the others are witnesses), and a city dashboard. Chinese by
default; ?lang=en switches to English.`,
		Example: `  datarightsd explorer --node tcp://127.0.0.1:26601 --node tcp://127.0.0.1:26611 \
     --genesis .localnet/bigdata/config/genesis.json --listen 127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config(true)
			if err != nil {
				return err
			}
			nodes := f.nodes
			var verifier explorer.Verifier
			if cfg.GenesisFile != "" || cfg.TrustHeight != 0 {
				verifier = auditVerifier{cfg: cfg, opts: f.opts}
			}
			logger := log.New(cmd.ErrOrStderr(), "explorer: ", log.LstdFlags)
			srv, err := explorer.New(explorer.Config{Nodes: nodes, Verifier: verifier, Log: logger})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-ctx.Done()
				shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = hs.Shutdown(shut)
			}()
			fmt.Fprintf(cmd.OutOrStdout(), "explorer listening on http://%s (nodes %v)\n", ln.Addr(), nodes)
			if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "address to serve HTTP on")
	return cmd
}

// auditVerifier is the verify button: audit.Verify with the explorer's
// trust root, nodes and options, its report shown as a verdict.
type auditVerifier struct {
	cfg  audit.Config
	opts audit.Options
}

func (v auditVerifier) Verify(ctx context.Context, id string) (*explorer.Verdict, error) {
	r, err := audit.Verify(ctx, v.cfg, id, v.opts)
	if err != nil {
		return nil, err
	}
	out := &explorer.Verdict{Entity: r.Entity, Height: r.Height, AppHash: r.AppHash, Verdict: r.Verdict}
	for _, it := range r.Items {
		out.Items = append(out.Items, explorer.VerdictItem{Kind: it.Kind, What: it.What, Verdict: it.Verdict, Reason: it.Reason})
	}
	return out, nil
}
