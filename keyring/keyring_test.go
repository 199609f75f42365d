package keyring

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestMain(m *testing.M) {
	// Production uses keystore.StandardScryptN (256 MB, ~1 s per key);
	// the tests only need the format, not the strength.
	scryptN = 1 << 4
	os.Exit(m.Run())
}

const testPass = "correct horse battery staple"

func constPass(p string) PassphraseFunc {
	return func(string, bool) (string, error) { return p, nil }
}

// failPass fails the test if a passphrase is asked.
func failPass(t *testing.T) PassphraseFunc {
	return func(prompt string, _ bool) (string, error) {
		t.Helper()
		t.Errorf("unexpected passphrase request %q", prompt)
		return "", errors.New("no passphrase in this test")
	}
}

func newKeyring(t *testing.T, backend, home string, pass PassphraseFunc) Keyring {
	t.Helper()
	kr, err := New(backend, home, pass)
	if err != nil {
		t.Fatalf("New(%q): %v", backend, err)
	}
	return kr
}

var backends = []string{BackendFile, BackendTest}

func TestAddListGetDelete(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			home := t.TempDir()
			kr := newKeyring(t, backend, home, constPass(testPass))
			if kr.Backend() != backend {
				t.Fatalf("Backend() = %q", kr.Backend())
			}

			infos, err := kr.List()
			if err != nil || len(infos) != 0 {
				t.Fatalf("List on empty keyring = %v, %v", infos, err)
			}

			bob, bobKey, err := kr.Add("bob")
			if err != nil {
				t.Fatalf("Add(bob): %v", err)
			}
			alice, _, err := kr.Add("alice")
			if err != nil {
				t.Fatalf("Add(alice): %v", err)
			}
			if bob.Name != "bob" || bob.Backend != backend || bob.Address != crypto.PubkeyToAddress(bobKey.PublicKey) {
				t.Fatalf("Add returned %+v", bob)
			}
			if alice.Address == bob.Address {
				t.Fatal("two generated keys share an address")
			}

			infos, err = kr.List()
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != 2 || infos[0] != alice || infos[1] != bob {
				t.Fatalf("List = %+v, want [alice bob]", infos)
			}

			for _, query := range []string{
				"bob",
				bob.Address.Hex(),
				strings.ToLower(bob.Address.Hex()),
				"0X" + strings.ToUpper(bob.Address.Hex()[2:]),
			} {
				got, err := kr.Get(query)
				if err != nil || got != bob {
					t.Errorf("Get(%q) = %+v, %v; want %+v", query, got, err, bob)
				}
			}

			priv, err := kr.PrivateKey(bob.Address.Hex())
			if err != nil {
				t.Fatalf("PrivateKey: %v", err)
			}
			if !priv.Equal(bobKey) {
				t.Fatal("PrivateKey returned a different key")
			}

			dir := filepath.Join(home, "keyring-"+backend)
			checkMode(t, dir, 0o700)
			for _, name := range []string{"alice", "bob"} {
				checkMode(t, filepath.Join(dir, name+".json"), 0o600)
			}
			data, err := os.ReadFile(filepath.Join(dir, "bob.json"))
			if err != nil {
				t.Fatal(err)
			}
			secret := hex.EncodeToString(crypto.FromECDSA(bobKey))
			switch backend {
			case BackendFile:
				if strings.Contains(string(data), secret) {
					t.Error("file backend stores the private key in clear")
				}
				if _, err := keystore.DecryptKey(data, testPass); err != nil {
					t.Errorf("file is not a keystore JSON: %v", err)
				}
			case BackendTest:
				var f map[string]string
				if err := json.Unmarshal(data, &f); err != nil {
					t.Fatal(err)
				}
				want := map[string]string{"name": "bob", "address": bob.Address.Hex(), "private_key": secret, "warning": TestKeyWarning}
				for k, v := range want {
					if f[k] != v {
						t.Errorf("test key file %s = %q, want %q", k, f[k], v)
					}
				}
			}

			if err := kr.Delete("bob"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := kr.Get("bob"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after Delete: %v, want ErrNotFound", err)
			}
			if _, err := kr.Get(bob.Address.Hex()); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(address) after Delete: %v, want ErrNotFound", err)
			}
			err = kr.Delete("bob")
			if !errors.Is(err, ErrNotFound) || err.Error() != `key "bob" not found` {
				t.Errorf("second Delete: %v", err)
			}
			if infos, _ := kr.List(); len(infos) != 1 || infos[0] != alice {
				t.Errorf("List after Delete = %+v", infos)
			}
		})
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}

func TestDuplicates(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			kr := newKeyring(t, backend, t.TempDir(), constPass(testPass))
			key, _ := crypto.GenerateKey()
			other, _ := crypto.GenerateKey()
			if _, err := kr.ImportKey("alice", key); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				desc string
				run  func() error
			}{
				{"Add same name", func() error { _, _, err := kr.Add("alice"); return err }},
				{"Add same name other case", func() error { _, _, err := kr.Add("ALICE"); return err }},
				{"ImportKey same name", func() error { _, err := kr.ImportKey("alice", other); return err }},
				{"ImportKey same address", func() error { _, err := kr.ImportKey("bob", key); return err }},
			}
			for _, tt := range tests {
				if err := tt.run(); !errors.Is(err, ErrExists) {
					t.Errorf("%s: error %v, want ErrExists", tt.desc, err)
				}
			}
			if infos, _ := kr.List(); len(infos) != 1 {
				t.Errorf("List = %+v, want only alice", infos)
			}
		})
	}
}

func TestWrongPassphrase(t *testing.T) {
	home := t.TempDir()
	info, _, err := newKeyring(t, BackendFile, home, constPass(testPass)).Add("alice")
	if err != nil {
		t.Fatal(err)
	}

	// Listing and lookups never need the passphrase.
	noPass := newKeyring(t, BackendFile, home, failPass(t))
	if infos, err := noPass.List(); err != nil || len(infos) != 1 || infos[0] != info {
		t.Errorf("List = %+v, %v", infos, err)
	}
	if got, err := noPass.Get(info.Address.Hex()); err != nil || got != info {
		t.Errorf("Get = %+v, %v", got, err)
	}

	wrong := newKeyring(t, BackendFile, home, constPass("not the passphrase"))
	_, err = wrong.PrivateKey("alice")
	if !errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), `wrong passphrase for key "alice"`) {
		t.Errorf("PrivateKey with wrong passphrase: %v", err)
	}
	if _, err := wrong.Export("alice"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Export with wrong passphrase: %v", err)
	}
}

func TestPassphraseErrors(t *testing.T) {
	home := t.TempDir()
	if _, _, err := newKeyring(t, BackendFile, home, constPass("")).Add("alice"); err == nil || !strings.Contains(err.Error(), "empty passphrase") {
		t.Errorf("Add with empty passphrase: %v", err)
	}
	if _, _, err := newKeyring(t, BackendFile, home, nil).Add("alice"); err == nil {
		t.Error("Add without passphrase source succeeded")
	}
	failing := func(string, bool) (string, error) { return "", errors.New("prompt cancelled") }
	if _, _, err := newKeyring(t, BackendFile, home, failing).Add("alice"); err == nil || !strings.Contains(err.Error(), "prompt cancelled") {
		t.Errorf("Add with failing passphrase source: %v", err)
	}
	if infos, _ := newKeyring(t, BackendFile, home, nil).List(); len(infos) != 0 {
		t.Errorf("failed Adds left keys behind: %+v", infos)
	}
	// Nothing else (temporary files) is left behind either.
	if entries, _ := os.ReadDir(filepath.Join(home, "keyring-file")); len(entries) != 0 {
		t.Errorf("keyring directory not empty: %v", entries)
	}
}

func TestTestBackendNeverAsksPassphrase(t *testing.T) {
	kr := newKeyring(t, BackendTest, t.TempDir(), failPass(t))
	info, key, err := kr.Add("alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.ImportKey("bob", mustKey(t)); err != nil {
		t.Fatal(err)
	}
	got, err := kr.PrivateKey("alice")
	if err != nil || !got.Equal(key) {
		t.Fatalf("PrivateKey: %v", err)
	}
	if _, err := kr.Get(info.Address.Hex()); err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete("alice"); err != nil {
		t.Fatal(err)
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestExportImport(t *testing.T) {
	for _, src := range backends {
		for _, dst := range backends {
			t.Run(src+"_to_"+dst, func(t *testing.T) {
				srcHome, dstHome := t.TempDir(), t.TempDir()
				from := newKeyring(t, src, srcHome, constPass(testPass))
				info, key, err := from.Add("alice")
				if err != nil {
					t.Fatal(err)
				}
				var confirmed bool
				exportPass := func(prompt string, confirm bool) (string, error) {
					if strings.Contains(prompt, "export") {
						confirmed = confirm
						return "export passphrase", nil
					}
					return testPass, nil
				}
				from = newKeyring(t, src, srcHome, exportPass)
				data, err := from.Export("alice")
				if err != nil {
					t.Fatalf("Export: %v", err)
				}
				if !confirmed {
					t.Error("Export did not ask for a confirmed passphrase")
				}
				exported, err := keystore.DecryptKey(data, "export passphrase")
				if err != nil || exported.Address != info.Address {
					t.Fatalf("exported JSON: %v", err)
				}
				file := filepath.Join(t.TempDir(), "alice.json")
				if err := os.WriteFile(file, data, 0o600); err != nil {
					t.Fatal(err)
				}

				// Wrong passphrase for the imported file.
				to := newKeyring(t, dst, dstHome, constPass(testPass))
				if _, err := to.ImportFile("imported", file); !errors.Is(err, ErrWrongPassphrase) {
					t.Errorf("ImportFile with wrong passphrase: %v", err)
				}

				importPass := func(prompt string, _ bool) (string, error) {
					if prompt == "passphrase of the imported key file" {
						return "export passphrase", nil
					}
					return testPass, nil
				}
				to = newKeyring(t, dst, dstHome, importPass)
				got, err := to.ImportFile("imported", file)
				if err != nil {
					t.Fatalf("ImportFile: %v", err)
				}
				if got.Address != info.Address || got.Name != "imported" || got.Backend != dst {
					t.Fatalf("imported %+v, want address %s", got, info.Address.Hex())
				}
				priv, err := to.PrivateKey("imported")
				if err != nil || !priv.Equal(key) {
					t.Fatalf("imported private key differs: %v", err)
				}
				if _, err := to.ImportFile("again", file); !errors.Is(err, ErrExists) {
					t.Errorf("second import of the same key: %v, want ErrExists", err)
				}
			})
		}
	}
}

func TestImportHexFile(t *testing.T) {
	key := mustKey(t)
	want := crypto.PubkeyToAddress(key.PublicKey)
	h := hex.EncodeToString(crypto.FromECDSA(key))
	tests := []struct {
		desc    string
		content string
		ok      bool
	}{
		{"plain", h, true},
		{"0x prefix", "0x" + h, true},
		{"0X prefix upper case", "0X" + strings.ToUpper(h), true},
		{"surrounding whitespace", "\n  " + h + " \r\n\n", true},
		{"too short", h[:62], false},
		{"not hex", strings.Repeat("zz", 32), false},
		{"zero key", strings.Repeat("0", 64), false},
		{"garbage JSON", `{"foo": 1}`, false},
		{"empty", "", false},
	}
	for _, backend := range backends {
		for _, tt := range tests {
			t.Run(backend+"/"+tt.desc, func(t *testing.T) {
				kr := newKeyring(t, backend, t.TempDir(), constPass(testPass))
				file := filepath.Join(t.TempDir(), "key.txt")
				if err := os.WriteFile(file, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
				info, err := kr.ImportFile("imported", file)
				if !tt.ok {
					if err == nil {
						t.Fatal("import succeeded")
					}
					if len(tt.content) >= 32 && strings.Contains(err.Error(), tt.content[:32]) {
						t.Errorf("error message leaks the file content: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("ImportFile: %v", err)
				}
				if info.Address != want {
					t.Fatalf("imported address %s, want %s", info.Address.Hex(), want.Hex())
				}
			})
		}
	}
	kr := newKeyring(t, BackendTest, t.TempDir(), nil)
	if _, err := kr.ImportFile("x", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("import of a missing file succeeded")
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"alice", true},
		{"Dept.Health_2-ops", true},
		{"a", true},
		{strings.Repeat("a", 64), true},
		{"0x-team", true},
		{"0xfeedme", true}, // not all hex after 0x
		{"", false},
		{strings.Repeat("a", 65), false},
		{".hidden", false},
		{"-flag", false},
		{"a/b", false},
		{"../etc", false},
		{"a b", false},
		{"é", false},
		{"a\x00", false},
		{"0x", false},
		{"0xabc", false},
		{"0X1234567890abcdef1234567890ABCDEF12345678", false},
		{"1234567890abcdef1234567890abcdef12345678", false},
	}
	for _, tt := range tests {
		err := ValidateName(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	for _, backend := range backends {
		kr := newKeyring(t, backend, t.TempDir(), constPass(testPass))
		for _, tt := range tests {
			if tt.ok {
				continue
			}
			if _, _, err := kr.Add(tt.name); err == nil || errors.Is(err, ErrExists) {
				t.Errorf("%s: Add(%q) = %v, want a validation error", backend, tt.name, err)
			}
		}
		if infos, _ := kr.List(); len(infos) != 0 {
			t.Errorf("%s: invalid names were stored: %+v", backend, infos)
		}
	}
}

func TestGetInvalid(t *testing.T) {
	kr := newKeyring(t, BackendTest, t.TempDir(), nil)
	if _, _, err := kr.Add("alice"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "0x1234", "../keyring-test/alice", "carol", "0x0000000000000000000000000000000000000001"} {
		if _, err := kr.Get(q); err == nil {
			t.Errorf("Get(%q) succeeded", q)
		}
	}
	if _, err := kr.Get("carol"); !errors.Is(err, ErrNotFound) || err.Error() != `key "carol" not found` {
		t.Errorf("Get(carol) = %v", err)
	}
}

func TestCorruptTestKey(t *testing.T) {
	home := t.TempDir()
	kr := newKeyring(t, BackendTest, home, nil)
	if _, _, err := kr.Add("alice"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "keyring-test", "alice.json")
	var f testKeyFile
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	f.Address = common.Address{1}.Hex()
	data, _ = json.Marshal(f)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.PrivateKey("alice"); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("PrivateKey of a tampered file: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	_, err := New("os", t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), `"os"`) || !strings.Contains(err.Error(), "file") || !strings.Contains(err.Error(), "test") {
		t.Errorf("New(os) = %v", err)
	}
	if _, err := New(BackendTest, "", nil); err == nil {
		t.Error("New with empty home succeeded")
	}
}

func TestInfoJSON(t *testing.T) {
	key := mustKey(t)
	info := Info{Name: "alice", Address: crypto.PubkeyToAddress(key.PublicKey), Backend: BackendTest}
	data, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"address":"`+info.Address.Hex()+`"`) {
		t.Errorf("Info JSON %s does not use the EIP-55 address", data)
	}
	var back Info
	if err := json.Unmarshal(data, &back); err != nil || back != info {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func TestPassphraseSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fileTests := []struct {
		content, want string
		ok            bool
	}{
		{"secret\n", "secret", true},
		{"secret", "secret", true},
		{"with spaces \r\nsecond line\n", "with spaces ", true},
		{"", "", false},
		{"\nsecret\n", "", false},
	}
	for i, tt := range fileTests {
		got, err := PassphraseFromFile(write("pass"+string(rune('a'+i)), tt.content))("p", false)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("PassphraseFromFile(%q) = %q, %v", tt.content, got, err)
		}
	}
	if _, err := PassphraseFromFile(filepath.Join(dir, "missing"))("p", false); err == nil {
		t.Error("missing passphrase file accepted")
	}

	t.Setenv(EnvPassphrase, "from env")
	t.Setenv("OTHER_PASS", "")
	if got, err := PassphraseFromEnv("")("p", true); err != nil || got != "from env" {
		t.Errorf("PassphraseFromEnv default = %q, %v", got, err)
	}
	if _, err := PassphraseFromEnv("OTHER_PASS")("p", true); err == nil {
		t.Error("empty environment variable accepted")
	}

	// DefaultPassphrase: the file wins over the environment.
	if got, _ := DefaultPassphrase(write("f", "from file\n"))("p", false); got != "from file" {
		t.Errorf("DefaultPassphrase(file) = %q", got)
	}
	if got, _ := DefaultPassphrase("")("p", false); got != "from env" {
		t.Errorf("DefaultPassphrase(env) = %q", got)
	}
	t.Setenv(EnvPassphrase, "")
	if !isTerminal(os.Stdin) {
		_, err := DefaultPassphrase("")("p", false)
		if err == nil || err.Error() != "no passphrase: use --passphrase-file or DATARIGHTS_KEYRING_PASSPHRASE" {
			t.Errorf("DefaultPassphrase without source = %v", err)
		}
	}
}

func TestPromptPassphrase(t *testing.T) {
	tests := []struct {
		desc    string
		input   string
		confirm bool
		want    string
		ok      bool
	}{
		{"single", "secret\n", false, "secret", true},
		{"CRLF", "secret\r\n", false, "secret", true},
		{"no newline", "secret", false, "secret", true},
		{"confirmed", "secret\nsecret\n", true, "secret", true},
		{"mismatch", "secret\nsecrte\n", true, "", false},
		{"missing confirmation", "secret\n", true, "", false},
		{"no input", "", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, err := w.WriteString(tt.input); err != nil {
				t.Fatal(err)
			}
			w.Close()
			var out strings.Builder
			got, err := PromptPassphrase(r, &out)("passphrase for key \"alice\"", tt.confirm)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("got %q, %v", got, err)
			}
			if !strings.HasPrefix(out.String(), `Passphrase for key "alice": `) {
				t.Errorf("prompt output %q", out.String())
			}
			if tt.confirm && tt.ok && !strings.Contains(out.String(), "Repeat") {
				t.Errorf("no confirmation prompt in %q", out.String())
			}
		})
	}
}
