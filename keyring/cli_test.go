package keyring

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"
)

// cliEnv runs the keys commands against one test keyring.
type cliEnv struct {
	t    *testing.T
	home string
	pass PassphraseFunc
}

func newCLIEnv(t *testing.T) *cliEnv {
	return &cliEnv{t: t, home: t.TempDir(), pass: constPass(testPass)}
}

// run executes `keys args...` with output format output and the given
// standard input, and returns what was written to standard output.
func (e *cliEnv) run(output, stdin string, args ...string) (string, error) {
	e.t.Helper()
	flags := func(cmd *cobra.Command) (Keyring, string, error) {
		kr, err := New(BackendTest, e.home, e.pass)
		return kr, output, err
	}
	cmd := Commands(flags)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func (e *cliEnv) mustRun(output string, args ...string) string {
	e.t.Helper()
	out, err := e.run(output, "", args...)
	if err != nil {
		e.t.Fatalf("keys %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func (e *cliEnv) keyring() Keyring {
	kr, err := New(BackendTest, e.home, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return kr
}

func TestCLIAddShowList(t *testing.T) {
	e := newCLIEnv(t)

	out := e.mustRun("text", "add", "bob")
	bob, err := e.keyring().Get("bob")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"bob", bob.Address.Hex(), "unencrypted test key"} {
		if !strings.Contains(out, want) {
			t.Errorf("add output %q lacks %q", out, want)
		}
	}

	out = e.mustRun("json", "add", "alice")
	var added map[string]string
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatalf("add JSON %q: %v", out, err)
	}
	alice, err := e.keyring().Get("alice")
	if err != nil {
		t.Fatal(err)
	}
	if added["name"] != "alice" || added["address"] != alice.Address.Hex() || added["backend"] != BackendTest || added["warning"] != TestKeyWarning {
		t.Errorf("add JSON = %v", added)
	}

	// Text list: header and one aligned row per key, sorted by name.
	out = e.mustRun("", "list")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("list output %q", out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "NAME ADDRESS BACKEND" {
		t.Errorf("list header %q", lines[0])
	}
	for i, info := range []Info{alice, bob} {
		if f := strings.Fields(lines[i+1]); len(f) != 3 || f[0] != info.Name || f[1] != info.Address.Hex() || f[2] != BackendTest {
			t.Errorf("list row %d = %q", i, lines[i+1])
		}
	}
	col := strings.Index(lines[0], "ADDRESS")
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l[col:], "0x") {
			t.Errorf("list columns not aligned:\n%s", out)
		}
	}

	out = e.mustRun("json", "list")
	var list []map[string]string
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("list JSON %q: %v", out, err)
	}
	if len(list) != 2 || list[0]["name"] != "alice" || list[1]["address"] != bob.Address.Hex() {
		t.Errorf("list JSON = %v", list)
	}

	tests := []struct {
		desc   string
		output string
		args   []string
		check  func(out string) bool
	}{
		{"text", "text", []string{"show", "bob"}, func(out string) bool {
			return strings.Contains(out, "name:    bob\n") && strings.Contains(out, "address: "+bob.Address.Hex()+"\n")
		}},
		{"by address", "text", []string{"show", strings.ToLower(bob.Address.Hex())}, func(out string) bool {
			return strings.Contains(out, "name:    bob\n")
		}},
		{"address only", "text", []string{"show", "bob", "--address"}, func(out string) bool {
			return out == bob.Address.Hex()+"\n"
		}},
		{"address only json", "json", []string{"show", "--address", "bob"}, func(out string) bool {
			return out == bob.Address.Hex()+"\n"
		}},
		{"json", "json", []string{"show", "bob"}, func(out string) bool {
			var v map[string]string
			return json.Unmarshal([]byte(out), &v) == nil && v["name"] == "bob" && v["address"] == bob.Address.Hex()
		}},
	}
	for _, tt := range tests {
		out := e.mustRun(tt.output, tt.args...)
		if !tt.check(out) {
			t.Errorf("show %s: output %q", tt.desc, out)
		}
	}
}

func TestCLIEmptyList(t *testing.T) {
	e := newCLIEnv(t)
	if out := e.mustRun("json", "list"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list JSON = %q", out)
	}
	if out := e.mustRun("text", "list"); !strings.Contains(out, "no keys") {
		t.Errorf("empty list text = %q", out)
	}
}

func TestCLIImportExport(t *testing.T) {
	e := newCLIEnv(t)
	key := mustKey(t)
	addr := crypto.PubkeyToAddress(key.PublicKey)
	file := filepath.Join(t.TempDir(), "key.hex")
	if err := os.WriteFile(file, []byte("0x"+hex.EncodeToString(crypto.FromECDSA(key))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := e.mustRun("text", "import", "carol", file)
	if !strings.Contains(out, addr.Hex()) || !strings.Contains(out, "carol") {
		t.Errorf("import output %q", out)
	}

	// Export to standard output.
	out = e.mustRun("text", "export", "carol")
	exported, err := keystore.DecryptKey([]byte(out), testPass)
	if err != nil || exported.Address != addr {
		t.Fatalf("exported JSON %q: %v", out, err)
	}

	// Export to a file, then import it under another home.
	dest := filepath.Join(t.TempDir(), "carol.json")
	out = e.mustRun("json", "export", "carol", "--out", dest)
	var v map[string]string
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["file"] != dest || v["address"] != addr.Hex() {
		t.Errorf("export --out JSON %q: %v", out, err)
	}
	checkMode(t, dest, 0o600)
	if _, err := e.run("text", "", "export", "carol", "--out", dest); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("export over an existing file: %v", err)
	}

	other := newCLIEnv(t)
	out = other.mustRun("json", "import", "carol2", dest)
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["address"] != addr.Hex() || v["name"] != "carol2" {
		t.Errorf("import JSON %q: %v", out, err)
	}
}

func TestCLIDelete(t *testing.T) {
	e := newCLIEnv(t)
	e.mustRun("text", "add", "alice")
	e.mustRun("text", "add", "bob")
	e.mustRun("text", "add", "carol")

	if _, err := e.run("text", "bob\n", "delete", "alice"); err == nil || !strings.Contains(err.Error(), "not deleted") {
		t.Errorf("delete with wrong confirmation: %v", err)
	}
	if _, err := e.run("text", "", "delete", "alice"); err == nil {
		t.Error("delete without confirmation succeeded")
	}
	if _, err := e.keyring().Get("alice"); err != nil {
		t.Fatalf("alice was deleted without confirmation: %v", err)
	}

	out, err := e.run("text", "alice\n", "delete", "alice")
	if err != nil || !strings.Contains(out, `deleted key "alice"`) {
		t.Errorf("delete with confirmation: %q, %v", out, err)
	}
	bob, _ := e.keyring().Get("bob")
	out = e.mustRun("json", "delete", "--yes", bob.Address.Hex())
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["name"] != "bob" || v["deleted"] != true {
		t.Errorf("delete JSON %q: %v", out, err)
	}
	e.mustRun("text", "delete", "-y", "carol")
	if infos, _ := e.keyring().List(); len(infos) != 0 {
		t.Errorf("keys left: %+v", infos)
	}
}

func TestCLIErrors(t *testing.T) {
	e := newCLIEnv(t)
	e.mustRun("text", "add", "alice")
	tests := []struct {
		desc   string
		output string
		args   []string
		is     error
		substr string
	}{
		{"add without name", "text", []string{"add"}, nil, "accepts 1 arg"},
		{"add two names", "text", []string{"add", "a", "b"}, nil, "accepts 1 arg"},
		{"list with argument", "text", []string{"list", "x"}, nil, "unknown command"},
		{"import without file", "text", []string{"import", "x"}, nil, "accepts 2 arg"},
		{"show without name", "text", []string{"show"}, nil, "accepts 1 arg"},
		{"duplicate add", "text", []string{"add", "alice"}, ErrExists, `key "alice" already exists`},
		{"invalid name", "text", []string{"add", "../x"}, nil, "invalid key name"},
		{"show missing", "text", []string{"show", "bob"}, ErrNotFound, `key "bob" not found`},
		{"delete missing", "text", []string{"delete", "--yes", "bob"}, ErrNotFound, "not found"},
		{"export missing", "text", []string{"export", "bob"}, ErrNotFound, "not found"},
		{"import missing file", "text", []string{"import", "bob", filepath.Join(t.TempDir(), "nope")}, os.ErrNotExist, ""},
		{"bad output format", "yaml", []string{"list"}, nil, "unknown output format"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			out, err := e.run(tt.output, "", tt.args...)
			if err == nil {
				t.Fatalf("succeeded with output %q", out)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q lacks %q", err, tt.substr)
			}
		})
	}

	// The flags function's errors are returned as is.
	boom := errors.New("bad --home")
	cmd := Commands(func(*cobra.Command) (Keyring, string, error) { return nil, "", boom })
	cmd.SetOut(new(bytes.Buffer))
	cmd.SetErr(new(bytes.Buffer))
	cmd.SetArgs([]string{"list"})
	if err := cmd.Execute(); !errors.Is(err, boom) {
		t.Errorf("flags error: %v", err)
	}
}
