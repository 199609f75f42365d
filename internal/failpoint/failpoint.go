// Package failpoint crashes the process at a named point of a named height,
// for crash-recovery tests: DATARIGHTS_FAILPOINT=NAME@HEIGHT (for example
// commit/saved@12) makes Hit(NAME, 12) print a line to stderr and kill the
// process with SIGKILL, as a power cut would: no deferred code, no flush.
//
// The points are in the app's Commit, between its writes:
//
//	commit/start   before the state version is saved
//	commit/saved   after the version is saved, before old versions are pruned
//	commit/pruned  after pruning, before the app switches its check state
//	commit/done    after the app's Commit, before CometBFT saves its state
//
// Without the variable Hit does nothing. The variable is read once, at
// start; it is an operator's test switch, not state, so it does not touch
// determinism.
package failpoint

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Env is the environment variable naming the fail point.
const Env = "DATARIGHTS_FAILPOINT"

// Points are the names Hit is called with.
var Points = []string{"commit/start", "commit/saved", "commit/pruned", "commit/done"}

var name, height = parse(os.Getenv(Env))

func parse(v string) (string, int64) {
	n, h, ok := strings.Cut(v, "@")
	if !ok {
		return "", 0
	}
	x, err := strconv.ParseInt(h, 10, 64)
	if err != nil || x < 1 {
		return "", 0
	}
	return n, x
}

// Hit kills the process if p@h is the configured fail point.
func Hit(p string, h int64) {
	if name == "" || p != name || h != height {
		return
	}
	fmt.Fprintf(os.Stderr, "*** failpoint %s@%d: killing the process ***\n", p, h)
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	os.Exit(1) // where SIGKILL is not delivered at once
}
