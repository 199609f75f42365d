package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/audit"
	"github.com/datarights/datarights/client"
)

// auditFlags are the flags of audit verify and audit bundle.
type auditFlags struct {
	nodes     []string
	trustHash string
	cfg       audit.Config
	opts      audit.Options
}

func (f *auditFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.nodes, client.FlagNode, nil, "CometBFT RPC address; the first is the primary, the others witnesses (repeat the flag)")
	fl.StringVar(&f.cfg.ChainID, client.FlagChainID, "", "chain id (default: the genesis file's)")
	fl.StringVar(&f.cfg.GenesisFile, "genesis", "", "trust root: the chain's genesis file (its validators must have signed header 1)")
	fl.Int64Var(&f.cfg.TrustHeight, "trust-height", 0, "trust root: a header height you trust")
	fl.StringVar(&f.trustHash, "trust-hash", "", "trust root: the hash of header --trust-height (64 hex digits)")
	fl.DurationVar(&f.cfg.TrustingPeriod, "trusting-period", audit.DefaultTrustingPeriod, "how old the trusted header may be")
	fl.StringVar(&f.cfg.HomeDir, "light-dir", "", "directory for the light client's trusted headers (default: in memory)")
	fl.BoolVar(&f.opts.Trace, "trace", false, "also verify the provenance trace's nodes and edges")
	fl.StringVar(&f.opts.Direction, "direction", "both", "trace direction: up, down or both")
	fl.Uint32Var(&f.opts.Depth, "depth", 0, "trace depth (0: the chain's default)")
}

// config is the audit configuration the flags describe.
func (f *auditFlags) config(needNodes bool) (audit.Config, error) {
	cfg := f.cfg
	if f.trustHash != "" {
		h, err := hex.DecodeString(strings.TrimPrefix(f.trustHash, "0x"))
		if err != nil || len(h) != 32 {
			return cfg, fmt.Errorf("--trust-hash %q: want 64 hex digits", f.trustHash)
		}
		cfg.TrustHash = h
	}
	if needNodes {
		if len(f.nodes) == 0 {
			return cfg, fmt.Errorf("give at least one --%s", client.FlagNode)
		}
		cfg.Primary, cfg.Witnesses = f.nodes[0], f.nodes[1:]
	}
	return cfg, nil
}

func auditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "verify the ledger without trusting any node (light client and Merkle proofs)"}
	cmd.AddCommand(auditVerifyCmd(), auditBundleCmd())
	return cmd
}

func auditVerifyCmd() *cobra.Command {
	var f auditFlags
	var bundlePath string
	cmd := &cobra.Command{
		Use:   "verify [ID]",
		Short: "prove an entity's state (and a tx by its hash) against light-client-verified headers; --bundle: offline",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(bundlePath == "")
			if err != nil {
				return err
			}
			var rep *audit.Report
			if bundlePath != "" {
				b, err := readBundle(bundlePath)
				if err != nil {
					return err
				}
				if len(args) == 1 && args[0] != b.Entity {
					return fmt.Errorf("the bundle is for %s, not %s", b.Entity, args[0])
				}
				if rep, err = audit.VerifyBundle(b, cfg); err != nil {
					return err
				}
			} else {
				if len(args) != 1 {
					return fmt.Errorf("give the ID to verify (or --bundle FILE)")
				}
				if rep, err = audit.Verify(cmd.Context(), cfg, args[0], f.opts); err != nil {
					return err
				}
			}
			return printReport(cmd, rep)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&bundlePath, "bundle", "", "verify this bundle offline (no network) instead of asking nodes")
	return cmd
}

func auditBundleCmd() *cobra.Command {
	var f auditFlags
	var out string
	cmd := &cobra.Command{
		Use:   "bundle ID --out FILE",
		Short: "verify ID and write everything needed to re-verify it offline (light blocks, proofs, txs)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(true)
			if err != nil {
				return err
			}
			b, err := audit.Bundle(cmd.Context(), cfg, args[0], f.opts)
			if err != nil {
				return err
			}
			bz, err := json.MarshalIndent(b, "", " ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, bz, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d light blocks, %d query answers, %d txs)\n", out, len(b.LightBlocks), len(b.Queries), len(b.Txs))
			return printReport(cmd, b.Report)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&out, "out", "", "bundle file to write")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func readBundle(path string) (*audit.BundleFile, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b audit.BundleFile
	if err := json.Unmarshal(bz, &b); err != nil {
		return nil, fmt.Errorf("bundle %s: %w", path, err)
	}
	return &b, nil
}

// printReport prints the items and the verdict; a FAILED report is an
// error, so the command exits non-zero.
func printReport(cmd *cobra.Command, r *audit.Report) error {
	err := client.Print(cmd, r, func(w io.Writer) {
		fmt.Fprintln(w, "KIND\tWHAT\tVERDICT\tREASON")
		for _, it := range r.Items {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", it.Kind, it.What, it.Verdict, it.Reason)
		}
		fmt.Fprintf(w, "\n%s: %s (state at height %d, app hash %s)\n", r.Entity, r.Verdict, r.Height, r.AppHash)
	})
	if err != nil {
		return err
	}
	if r.Verdict != audit.Verified {
		failed := 0
		for _, it := range r.Items {
			if it.Verdict != audit.Verified {
				failed++
			}
		}
		return fmt.Errorf("audit FAILED: %d of %d checks failed", failed, len(r.Items))
	}
	return nil
}
