package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/client"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the binary's version, protocol version and CometBFT version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			commit, comet := "unknown", "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						commit = s.Value
					}
				}
				for _, d := range bi.Deps {
					if d.Path == "github.com/cometbft/cometbft" {
						comet = d.Version
					}
				}
			}
			v := map[string]any{
				"version": Version, "app_protocol": app.Version, "cometbft": comet,
				"go": runtime.Version(), "commit": commit,
			}
			return client.Print(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "datarightsd\t%s\n", Version)
				fmt.Fprintf(w, "app protocol\t%d\n", app.Version)
				fmt.Fprintf(w, "cometbft\t%s\n", comet)
				fmt.Fprintf(w, "go\t%s\n", runtime.Version())
				fmt.Fprintf(w, "commit\t%s\n", commit)
			})
		},
	}
}
