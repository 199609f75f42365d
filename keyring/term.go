package keyring

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// readPassword reads one line from the terminal f without echo. If the
// process is interrupted while waiting for the input, the terminal state is
// restored before the process dies, so that the shell does not stay
// without echo.
func readPassword(f *os.File) ([]byte, error) {
	fd := int(f.Fd())
	old, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			_ = term.Restore(fd, old)
			signal.Stop(sigs)
			// Die of the signal as we would have without the handler.
			if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
				return
			}
			os.Exit(130)
		case <-done:
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(done)
	}()
	return term.ReadPassword(fd)
}
