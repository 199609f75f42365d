//go:build unix && !linux

package e2e

import "syscall"

// nodeProcAttr puts a node in its own process group. Without Linux's
// Pdeathsig, a node can outlive a test binary that dies without running its
// cleanups.
func nodeProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
