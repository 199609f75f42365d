//go:build linux

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAuditorSQLScript runs scripts/auditor-sql.sh: a real PostgreSQL
// server on loopback (Debian's, installed by the script if absent), the
// local network with its auditor node writing events into it through
// CometBFT's PostgreSQL sink, the localnet scenario, and each documented
// SQL query checked against the query CLI. The script exits non-zero on
// any disagreement; the test also checks that every check ran.
func TestAuditorSQLScript(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped under -short")
	}
	for _, tool := range []string{"bash", "curl", "sed", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("scripts/auditor-sql.sh needs %s, not found: %v", tool, err)
		}
	}
	unlock, ok := LockPorts(localnetPort)
	if !ok {
		t.Skipf("another e2e run is using localnet's fixed ports %d-%d", localnetPort, localnetPort+31)
	}
	defer unlock()
	if !PortsFree(localnetPort, len(localnetMonikers)) {
		t.Skipf("localnet's fixed ports %d-%d are busy (a localnet running?): skipping", localnetPort, localnetPort+31)
	}
	root := SourceDir()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	// The script's own scratch directory (under $TMPDIR, reachable by the
	// postgres user the server runs as; t.TempDir's parents are private),
	// removed by the script when it ends.
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", "auditor-sql.sh"))
	cmd.Dir = root
	cmd.WaitDelay = 20 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	text := ansiRe.ReplaceAllString(string(out), "")
	t.Logf("$ scripts/auditor-sql.sh  # %s, %v", time.Since(start).Round(time.Millisecond), exitText(err))
	if err != nil {
		if os.Getenv("CI") == "" && strings.Contains(text, "installing PostgreSQL") && strings.Contains(text, "apt-get") {
			t.Skipf("PostgreSQL could not be installed here:\n%s", text)
		}
		t.Fatalf("scripts/auditor-sql.sh failed:\n%s", text)
	}
	for _, want := range []string{
		"ok: rights granted on a-1", "ok: rights granted on a-3",
		"ok: trades of the hospital (buyer)", "ok: trades of the tourism company (seller)",
		"ok: public service fund total (fen)", "all SQL answers agree with the ledger",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the script's output lacks %q:\n%s", want, text)
		}
	}
}
