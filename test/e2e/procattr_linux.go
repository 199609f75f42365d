package e2e

import "syscall"

// nodeProcAttr puts a node in its own process group (a ^C to `go test`
// does not reach it directly) and has the kernel SIGKILL it if the test
// binary dies without running its cleanups (e.g. on a -timeout panic).
func nodeProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
