package cli_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/governance/cli"
	"github.com/datarights/datarights/x/governance/types"
)

// run executes `tx governance ARGS...` up to the point of sending. Every
// case here is refused before a key is loaded or a node is dialled.
func run(args ...string) error {
	cmd := cli.TxCmd()
	cmd.SetArgs(append(args, "--from", "nobody", "--node", "tcp://127.0.0.1:1"))
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return cmd.Execute()
}

var (
	addr   = address.FromBytes(bytes.Repeat([]byte{0xab}, 20))
	key    = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	code   = "91330100799655058B"
	titled = []string{"--title", "t"}
)

func propose(args ...string) []string { return append(append([]string{"propose"}, args...), titled...) }

func TestTxInputIsCheckedBeforeSending(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secp := write("secp.json", `{"pub_key": {"type": "tendermint/PubKeySecp256k1", "value": "`+key+`"}}`)
	short := write("short.json", `{"type": "tendermint/PubKeyEd25519", "value": "AAAA"}`)
	junk := write("junk.json", `not json`)
	add := []string{"add-department", "--address", addr, "--name", "department of statistics", "--org-code", code, "--pub-key", key}
	cases := []struct {
		name string
		args []string
		want error
	}{
		{"add: bad address", propose(append(slices.Clone(add), "--address", "0x12")...), types.ErrInvalidAction},
		{"add: bad org code", propose(append(slices.Clone(add), "--org-code", code[:17]+"0")...), types.ErrInvalidAction},
		{"add: power 0", propose(append(slices.Clone(add), "--power", "0")...), types.ErrInvalidAction},
		{"add: bad role", propose(append(slices.Clone(add), "--roles", "auditor,king")...), types.ErrInvalidAction},
		{"add: role twice", propose(append(slices.Clone(add), "--roles", "auditor,auditor")...), types.ErrInvalidAction},
		{"add: key not base64", propose(append(slices.Clone(add), "--pub-key", "%%%")...), types.ErrInvalidAction},
		{"add: 31-byte key", propose(append(slices.Clone(add), "--pub-key", base64.StdEncoding.EncodeToString(make([]byte, 31)))...), types.ErrInvalidAction},
		{"add: secp256k1 key file", propose(append(slices.Clone(add[:len(add)-2]), "--validator-key", secp)...), types.ErrInvalidAction},
		{"add: short key file", propose(append(slices.Clone(add[:len(add)-2]), "--validator-key", short)...), types.ErrInvalidAction},
		{"add: not a key file", propose(append(slices.Clone(add[:len(add)-2]), "--validator-key", junk)...), types.ErrInvalidAction},
		{"remove: bad address", propose("remove-department", "dept-1"), types.ErrInvalidAction},
		{"set power: negative", propose("set-power", addr, "--power", "-3"), types.ErrInvalidAction},
		{"grant: bad role", propose("grant-role", addr, "--role", "admin"), types.ErrInvalidAction},
		{"revoke: bad address", propose("revoke-role", "0xabc", "--role", "auditor"), types.ErrInvalidAction},
		{"params: unknown module", propose("set-params", "--module", "identity", "--params-json", "{}"), types.ErrInvalidParams},
		{"params: unknown field", propose("set-params", "--module", "registry", "--params-json", `{"notice_period": 1}`), types.ErrInvalidParams},
		{"params: not JSON", propose("set-params", "--module", "rights", "--params-json", `max_depth=3`), types.ErrInvalidParams},
		{"params: revenue out of bounds", propose("set-params", "--module", "revenue", "--params-json", `{"public_levy_bps": 10001, "max_lineage_depth": 4, "max_lines": 64}`), types.ErrInvalidParams},
		{"params: out of bounds", propose("set-params", "--module", "governance", "--params-json", `{"voting_period_seconds": 1, "max_closings_per_block": 1}`), types.ErrInvalidParams},
		{"params: missing fields", propose("set-params", "--module", "authorization", "--params-json", `{"evaluation_threshold": 50}`), types.ErrInvalidParams},
		{"freeze: bad id", propose("freeze-asset", "asset-1", "--reason", "r"), types.ErrInvalidAction},
		{"unfreeze: blank reason", propose("unfreeze-asset", "a-1", "--reason", " "), types.ErrInvalidAction},
		{"title on two lines", []string{"propose", "freeze-asset", "a-1", "--reason", "r", "--title", "a\nb"}, types.ErrInvalidProposal},
		{"vote: bad option", []string{"vote", "p-1", "maybe"}, types.ErrInvalidVote},
		{"vote: bad id", []string{"vote", "1", "yes"}, types.ErrInvalidID},
	}
	for _, c := range cases {
		if err := run(c.args...); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	// Flags cobra itself requires.
	for _, args := range [][]string{
		{"propose", "freeze-asset", "a-1", "--reason", "r"},                             // no --title
		propose("add-department", "--address", addr, "--name", "n", "--org-code", code), // no key
		propose(append(slices.Clone(add), "--validator-key", secp)...),                  // both keys
		propose("set-power", addr),                                                      // no --power
	} {
		if err := run(args...); err == nil || errors.Is(err, types.ErrInvalidAction) {
			t.Errorf("%v: error %v, want a flag error", args, err)
		}
	}
}

// Input that passes every check reaches the keyring, which has no key
// "nobody": the proposal would have been sent.
func TestValidInputReachesTheKeyring(t *testing.T) {
	dir := t.TempDir()
	pv := filepath.Join(dir, "priv_validator_key.json")
	content := `{"address": "ABCD", "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "` + key +
		`"}, "priv_key": {"type": "tendermint/PrivKeyEd25519", "value": "secret"}}`
	if err := os.WriteFile(pv, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	show := filepath.Join(dir, "show.json")
	if err := os.WriteFile(show, []byte(`{"type":"tendermint/PubKeyEd25519","value":"`+key+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	for _, args := range [][]string{
		propose("add-department", "--address", strings.ToLower(addr), "--name", "n", "--org-code", strings.ToLower(code), "--validator-key", pv, "--roles", "auditor, assessor"),
		propose("add-department", "--address", addr, "--name", "n", "--org-code", code, "--validator-key", show),
		propose("add-department", "--address", addr, "--name", "n", "--org-code", code, "--pub-key", key, "--power", "3"),
		propose("remove-department", addr),
		propose("set-power", addr, "--power", "20"),
		propose("grant-role", addr, "--role", "exchange"),
		propose("revoke-role", addr, "--role", "data_admin"),
		propose("set-params", "--module", "registry", "--params-json", `{"notice_period_seconds": "259200", "max_certifications_per_block": 1000}`),
		propose("set-params", "--module", "authorization", "--params-json", `{"evaluation_threshold": 50, "max_assets": 10, "max_term_seconds": 86400, "max_expiries_per_block": 5}`),
		propose("set-params", "--module", "market", "--params-json", `{"max_quantity": "500", "max_expiries_per_block": 20}`),
		propose("set-params", "--module", "revenue", "--params-json", `{"public_levy_bps": 1500, "max_lineage_depth": 4, "max_lines": 64}`),
		propose("freeze-asset", "a-1", "--reason", "leak"),
		propose("unfreeze-asset", "a-1", "--reason", "cleared", "--description", "the audit found nothing"),
		{"vote", "p-1", "YES"},
	} {
		root := &cobra.Command{Use: "datarightsd", SilenceUsage: true}
		client.AddPersistentFlags(root) // --home and --keyring-backend, which SendTx reads
		root.AddCommand(cli.TxCmd())
		root.SetArgs(append(append([]string{"governance"}, args...), "--from", "nobody", "--node", "tcp://127.0.0.1:1", "--home", home, "--keyring-backend", "test"))
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		err := root.Execute()
		if err == nil || !strings.Contains(err.Error(), "--from nobody") {
			t.Errorf("%v: error %v, want the keyring to miss the key", args, err)
		}
	}
}

func TestCommands(t *testing.T) {
	chinese := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
	}
	tx := cli.TxCmd()
	var names []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			names = append(names, sub.CommandPath())
			if !chinese(sub.Short) {
				t.Errorf("%s: Short %q has no Chinese term", sub.CommandPath(), sub.Short)
			}
			if !sub.HasSubCommands() {
				if sub.Flags().Lookup("from") == nil {
					t.Errorf("%s has no --from", sub.CommandPath())
				}
				if sub.Name() != "vote" && sub.Flags().Lookup("title") == nil {
					t.Errorf("%s has no --title", sub.CommandPath())
				}
			}
			walk(sub)
		}
	}
	walk(tx)
	want := "governance propose,governance propose add-department,governance propose freeze-asset,governance propose grant-role," +
		"governance propose remove-department,governance propose revoke-role,governance propose set-params,governance propose set-power," +
		"governance propose unfreeze-asset,governance vote"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("tx commands\n got %s\nwant %s", got, want)
	}
	var qs []string
	for _, c := range cli.QueryCmd().Commands() {
		qs = append(qs, c.Name())
		if c.Flags().Lookup("prove") == nil {
			t.Errorf("%s has no --prove", c.Name())
		}
		if !chinese(c.Short) {
			t.Errorf("query %s: Short %q has no Chinese term", c.Name(), c.Short)
		}
	}
	if strings.Join(qs, ",") != "departments,params,proposal,proposals,votes" {
		t.Errorf("query commands %v", qs)
	}
}
