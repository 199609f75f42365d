package main

import (
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
)

// TestDomainHelpIsBilingual: every domain command under tx and query (a
// module's commands, not the node's own plumbing) shows the official
// Chinese term beside its English help line.
func TestDomainHelpIsBilingual(t *testing.T) {
	root := rootCmd()
	var checked int
	for _, top := range []string{"tx", "query"} {
		cmd, _, err := root.Find([]string{top})
		if err != nil {
			t.Fatal(err)
		}
		for _, module := range cmd.Commands() {
			if !module.HasSubCommands() {
				continue // e.g. query tx: the node's, not a domain command
			}
			walk(module, func(c *cobra.Command) {
				checked++
				if !hasHan(c.Short) {
					t.Errorf("%q: help %q has no Chinese term", c.CommandPath(), c.Short)
				}
			})
		}
	}
	if checked < 50 {
		t.Fatalf("checked %d commands: the walk no longer reaches the domain commands", checked)
	}
}

func walk(c *cobra.Command, f func(*cobra.Command)) {
	if !c.HasSubCommands() {
		f(c)
		return
	}
	for _, s := range c.Commands() {
		walk(s, f)
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}
