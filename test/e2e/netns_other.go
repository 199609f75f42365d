//go:build unix && !linux

package e2e

import (
	"os"
	"testing"
)

const ipTool = "ip"

// NetnsOptions: network namespaces exist on Linux only.
type NetnsOptions struct{ Prefix, Subnet string }

// NetnsAvailable: network namespaces exist on Linux only.
func NetnsAvailable() string { return "network namespaces are Linux only" }

// RequireNetns skips the test (fails under CI=true).
func RequireNetns(t *testing.T) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal("e2e: network namespaces are needed in CI: Linux only")
	}
	t.Skip("e2e: skipped: network namespaces are Linux only")
}

func (nw *Network) setupNetns(NetnsOptions) { nw.t.Fatal("e2e: network namespaces are Linux only") }

// Cut is Linux only.
func (nw *Network) Cut(...int) { nw.t.Fatal("e2e: network namespaces are Linux only") }

// Heal is Linux only.
func (nw *Network) Heal(...int) { nw.t.Fatal("e2e: network namespaces are Linux only") }
