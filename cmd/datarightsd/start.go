package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/server"
)

func startCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "start",
		Short: "run the node: CometBFT and the app in one process, until SIGINT or SIGTERM",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := client.Home(cmd)
			conf, err := server.LoadCometConfig(home)
			if err != nil {
				return err
			}
			logger, err := server.NewLogger(conf)
			if err != nil {
				return err
			}
			if err := server.ValidateGenesis(server.GenesisFile(home)); err != nil {
				return err
			}
			n, err := server.Start(cmd.Context(), home, logger)
			if err != nil {
				return err
			}
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
			select {
			case s := <-sig:
				logger.Info("stopping", "signal", s.String())
			case <-n.Halted:
				logger.Info("stopping: halt_height reached (app.toml); swap the binary, set halt_height = 0 and start again")
			}
			return n.Stop()
		},
	}
}
