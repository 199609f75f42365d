package keyring

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Names of the supported keyring backends, as accepted by New.
const (
	// BackendFile stores every key encrypted with a passphrase in the Web3
	// Secret Storage format (go-ethereum keystore v3) under <home>/keyring-file.
	BackendFile = "file"
	// BackendTest stores every key unencrypted under <home>/keyring-test. It is
	// meant for local test networks only.
	BackendTest = "test"
)

// TestKeyWarning is the warning stored in every key file of the test backend.
const TestKeyWarning = "UNENCRYPTED TEST KEY - for local networks only"

// Sentinel errors. They are always returned wrapped with the key name or
// address, e.g. `key "alice" not found`; test them with errors.Is.
var (
	// ErrNotFound reports that no key has the requested name or address.
	ErrNotFound = errors.New("not found")
	// ErrExists reports that a key with the same name or address already exists.
	ErrExists = errors.New("already exists")
	// ErrWrongPassphrase reports that a key could not be decrypted with the
	// passphrase given.
	ErrWrongPassphrase = errors.New("wrong passphrase")
)

// Scrypt parameters used to encrypt keys. They are variables only so that
// the tests of this package can make encryption cheap; production always
// uses the go-ethereum standard parameters.
var (
	scryptN = keystore.StandardScryptN
	scryptP = keystore.StandardScryptP
)

// maxKeyFileSize bounds the size of the files read by the keyring: a key
// file is a few hundred bytes.
const maxKeyFileSize = 1 << 20

// Info describes a stored key. It never contains secret material.
type Info struct {
	// Name is the local name of the key (its file name without ".json").
	Name string `json:"name"`
	// Address is the account address derived from the key's public key.
	Address common.Address `json:"address"`
	// Backend is the backend holding the key (BackendFile or BackendTest).
	Backend string `json:"backend"`
}

// MarshalJSON encodes the Info with the address in its EIP-55 checksummed
// form, as it is shown to users everywhere else.
func (i Info) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name    string `json:"name"`
		Address string `json:"address"`
		Backend string `json:"backend"`
	}{i.Name, i.Address.Hex(), i.Backend})
}

// PassphraseFunc returns the passphrase for a key. prompt describes what the
// passphrase is for; confirm is true when a new secret is being created (a
// new key or an export), in which case an interactive implementation should
// ask twice.
type PassphraseFunc func(prompt string, confirm bool) (string, error)

// Keyring stores the secp256k1 account keys of a node operator.
type Keyring interface {
	// Backend returns the name of the backend (BackendFile or BackendTest).
	Backend() string
	// Add generates and stores a new key. It fails with ErrExists if the
	// name is taken.
	Add(name string) (Info, *ecdsa.PrivateKey, error)
	// ImportKey stores an existing private key. It fails with ErrExists if
	// the name or the address is already in the keyring.
	ImportKey(name string, key *ecdsa.PrivateKey) (Info, error)
	// ImportFile stores the key found in the file at path, which holds
	// either a Web3 Secret Storage JSON (decrypted with a passphrase from the
	// PassphraseFunc) or a hex-encoded private key (optional 0x prefix).
	ImportFile(name, path string) (Info, error)
	// Export returns the key as a Web3 Secret Storage JSON, encrypted with
	// a new passphrase obtained from the PassphraseFunc.
	Export(name string) ([]byte, error)
	// List returns all keys, sorted by name.
	List() ([]Info, error)
	// Get returns the key with the given name, or with the given 0x-prefixed
	// address (compared case-insensitively).
	Get(nameOrAddress string) (Info, error)
	// PrivateKey returns the private key with the given name or address,
	// decrypting it if needed.
	PrivateKey(nameOrAddress string) (*ecdsa.PrivateKey, error)
	// Delete removes the key with the given name.
	Delete(name string) error
}

// New opens the keyring of the given backend rooted at the home directory.
// The directory is created when the first key is stored. pass supplies the
// passphrases of the file backend. The test backend stores keys without
// passphrase and calls pass only for the operations that handle an
// encrypted file: Export, and ImportFile of a Web3 Secret Storage JSON; pass
// may be nil for it.
func New(backend, home string, pass PassphraseFunc) (Keyring, error) {
	if home == "" {
		return nil, errors.New("keyring: empty home directory")
	}
	var c codec
	switch backend {
	case BackendFile:
		c = fileCodec{pass: pass}
	case BackendTest:
		c = testCodec{}
	default:
		return nil, fmt.Errorf("unknown keyring backend %q (valid backends: %s, %s)", backend, BackendFile, BackendTest)
	}
	return &keyring{
		backend: backend,
		dir:     filepath.Join(home, "keyring-"+backend),
		codec:   c,
		pass:    pass,
	}, nil
}

// ValidateName checks that name can be used as a key name: 1 to 64
// characters among [A-Za-z0-9._-], not starting with '.' or '-', and not
// looking like a hex address (so that names and addresses never collide in
// Get).
func ValidateName(name string) error {
	if name == "" {
		return errors.New("key name must not be empty")
	}
	if len(name) > 64 {
		return fmt.Errorf("invalid key name %q: longer than 64 characters", name)
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return fmt.Errorf("invalid key name %q: only letters, digits, '.', '_' and '-' are allowed", name)
		}
	}
	if name[0] == '.' || name[0] == '-' {
		return fmt.Errorf("invalid key name %q: must not start with %q", name, name[0])
	}
	if looksLikeAddress(name) {
		return fmt.Errorf("invalid key name %q: looks like an address", name)
	}
	return nil
}

// looksLikeAddress reports whether s is "0x" followed by hex digits only, or
// is exactly 40 hex digits.
func looksLikeAddress(s string) bool {
	if has0x(s) {
		return isHex(s[2:])
	}
	return len(s) == 2*common.AddressLength && isHex(s)
}

func has0x(s string) bool {
	return len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// codec converts keys to and from the on-disk format of one backend.
type codec interface {
	// encode serialises key, which will be stored under name.
	encode(name string, key *ecdsa.PrivateKey) ([]byte, error)
	// address extracts the address from a stored file without any secret.
	address(data []byte) (common.Address, error)
	// decode recovers the private key stored under name.
	decode(name string, data []byte) (*ecdsa.PrivateKey, error)
}

type keyring struct {
	backend string
	dir     string
	codec   codec
	// pass is also used by the test backend, but only to decrypt an
	// imported Web3 Secret Storage file and to encrypt an export.
	pass PassphraseFunc
}

func (k *keyring) Backend() string { return k.backend }

func (k *keyring) path(name string) string { return filepath.Join(k.dir, name+".json") }

// names returns the names of the stored keys, in directory order.
func (k *keyring) names() ([]string, error) {
	entries, err := os.ReadDir(k.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading keyring: %w", err)
	}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() || ValidateName(name) != nil {
			continue // temporary files, editor backups, foreign files
		}
		names = append(names, name)
	}
	return names, nil
}

// read returns the stored file of the key with exactly this name. Names
// are compared exactly, even on case-insensitive file systems.
func (k *keyring) read(name string) ([]byte, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	names, err := k.names()
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if n == name {
			return readLimited(k.path(name))
		}
	}
	return nil, fmt.Errorf("key %q %w", name, ErrNotFound)
}

func (k *keyring) info(name string, data []byte) (Info, error) {
	addr, err := k.codec.address(data)
	if err != nil {
		return Info{}, fmt.Errorf("key file %s: %w", k.path(name), err)
	}
	return Info{Name: name, Address: addr, Backend: k.backend}, nil
}

func (k *keyring) List() ([]Info, error) {
	names, err := k.names()
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	infos := make([]Info, 0, len(names))
	for _, name := range names {
		data, err := readLimited(k.path(name))
		if err != nil {
			return nil, err
		}
		info, err := k.info(name, data)
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	return infos, nil
}

func (k *keyring) Get(nameOrAddress string) (Info, error) {
	info, _, err := k.lookup(nameOrAddress)
	return info, err
}

// lookup resolves a name or a 0x address to the key's Info and file.
func (k *keyring) lookup(nameOrAddress string) (Info, []byte, error) {
	if has0x(nameOrAddress) && common.IsHexAddress(nameOrAddress) {
		addr := common.HexToAddress(nameOrAddress)
		infos, err := k.List()
		if err != nil {
			return Info{}, nil, err
		}
		for _, info := range infos {
			if info.Address == addr {
				data, err := readLimited(k.path(info.Name))
				return info, data, err
			}
		}
		return Info{}, nil, fmt.Errorf("key with address %s %w", addr.Hex(), ErrNotFound)
	}
	if looksLikeAddress(nameOrAddress) {
		return Info{}, nil, fmt.Errorf("invalid address %q: an address is 0x followed by 40 hex digits", nameOrAddress)
	}
	data, err := k.read(nameOrAddress)
	if err != nil {
		return Info{}, nil, err
	}
	info, err := k.info(nameOrAddress, data)
	return info, data, err
}

func (k *keyring) PrivateKey(nameOrAddress string) (*ecdsa.PrivateKey, error) {
	info, data, err := k.lookup(nameOrAddress)
	if err != nil {
		return nil, err
	}
	key, err := k.codec.decode(info.Name, data)
	if err != nil {
		return nil, err
	}
	if got := crypto.PubkeyToAddress(key.PublicKey); got != info.Address {
		return nil, fmt.Errorf("key file %s is corrupt: it holds the key of %s but claims address %s", k.path(info.Name), got.Hex(), info.Address.Hex())
	}
	return key, nil
}

// checkName validates name and makes sure no key uses it. Names are
// unique case-insensitively so that keyrings behave the same on
// case-insensitive file systems.
func (k *keyring) checkName(name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	names, err := k.names()
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == name {
			return fmt.Errorf("key %q %w", name, ErrExists)
		}
		if strings.EqualFold(n, name) {
			return fmt.Errorf("key %q %w as %q (key names are case-insensitive)", name, ErrExists, n)
		}
	}
	return nil
}

func (k *keyring) checkAddress(addr common.Address) error {
	infos, err := k.List()
	if err != nil {
		return err
	}
	for _, info := range infos {
		if info.Address == addr {
			return fmt.Errorf("key with address %s %w (named %q)", addr.Hex(), ErrExists, info.Name)
		}
	}
	return nil
}

func (k *keyring) Add(name string) (Info, *ecdsa.PrivateKey, error) {
	if err := k.checkName(name); err != nil {
		return Info{}, nil, err
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return Info{}, nil, fmt.Errorf("generating key: %w", err)
	}
	info, err := k.store(name, key)
	if err != nil {
		return Info{}, nil, err
	}
	return info, key, nil
}

func (k *keyring) ImportKey(name string, key *ecdsa.PrivateKey) (Info, error) {
	if err := k.checkName(name); err != nil {
		return Info{}, err
	}
	key, err := normalizeKey(key)
	if err != nil {
		return Info{}, err
	}
	if err := k.checkAddress(crypto.PubkeyToAddress(key.PublicKey)); err != nil {
		return Info{}, err
	}
	return k.store(name, key)
}

// normalizeKey checks that key is a valid secp256k1 private key and returns
// a copy built by go-ethereum's crypto package.
func normalizeKey(key *ecdsa.PrivateKey) (*ecdsa.PrivateKey, error) {
	if key == nil || key.D == nil {
		return nil, errors.New("no private key")
	}
	if key.D.Sign() <= 0 || key.D.BitLen() > 256 {
		return nil, errors.New("invalid secp256k1 private key")
	}
	norm, err := crypto.ToECDSA(common.LeftPadBytes(key.D.Bytes(), 32))
	if err != nil {
		return nil, fmt.Errorf("invalid secp256k1 private key: %w", err)
	}
	if key.X != nil && (key.X.Cmp(norm.X) != 0 || key.Y == nil || key.Y.Cmp(norm.Y) != 0) {
		return nil, errors.New("not a secp256k1 private key")
	}
	return norm, nil
}

func (k *keyring) ImportFile(name, path string) (Info, error) {
	if err := k.checkName(name); err != nil {
		return Info{}, err
	}
	data, err := readLimited(path)
	if err != nil {
		return Info{}, err
	}
	key, err := parseKeyFile(path, data, k.pass)
	if err != nil {
		return Info{}, err
	}
	return k.ImportKey(name, key)
}

// parseKeyFile decodes an imported key file: a Web3 Secret Storage JSON or
// a hex private key. Error messages never include the file content.
func parseKeyFile(path string, data []byte, pass PassphraseFunc) (*ecdsa.PrivateKey, error) {
	text := strings.TrimSpace(string(data))
	if strings.HasPrefix(text, "{") {
		if pass == nil {
			return nil, fmt.Errorf("%s is an encrypted key file but the keyring has no passphrase source", path)
		}
		passphrase, err := pass("passphrase of the imported key file", false)
		if err != nil {
			return nil, err
		}
		claimed, err := keystoreAddress([]byte(text))
		if err != nil && !errors.Is(err, errNoAddress) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		key, err := keystore.DecryptKey([]byte(text), passphrase)
		if errors.Is(err, keystore.ErrDecrypt) {
			return nil, fmt.Errorf("%w for imported key file %s", ErrWrongPassphrase, path)
		}
		if err != nil {
			return nil, fmt.Errorf("decrypting %s: %w", path, err)
		}
		if claimed != (common.Address{}) && claimed != key.Address {
			return nil, fmt.Errorf("%s claims address %s but holds the key of %s", path, claimed.Hex(), key.Address.Hex())
		}
		return key.PrivateKey, nil
	}
	text = strings.TrimPrefix(strings.TrimPrefix(text, "0x"), "0X")
	if len(text) != 64 || !isHex(text) {
		return nil, fmt.Errorf("%s is neither a Web3 Secret Storage JSON nor a hex private key (64 hex digits)", path)
	}
	key, err := crypto.HexToECDSA(text)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid private key: %w", path, err)
	}
	return key, nil
}

func (k *keyring) Export(name string) ([]byte, error) {
	if k.pass == nil {
		return nil, errors.New("export needs a passphrase source to encrypt the exported key")
	}
	key, err := k.PrivateKey(name)
	if err != nil {
		return nil, err
	}
	return encryptKey(key, k.pass, "passphrase to encrypt the exported key")
}

func (k *keyring) Delete(name string) error {
	if _, err := k.read(name); err != nil {
		return err
	}
	if err := os.Remove(k.path(name)); err != nil {
		return fmt.Errorf("deleting key %q: %w", name, err)
	}
	syncDir(k.dir)
	return nil
}

// store encodes key and writes it under name without ever replacing an
// existing file: the content goes to a temporary file which is then
// hard-linked to its final name, which fails if that name exists.
func (k *keyring) store(name string, key *ecdsa.PrivateKey) (Info, error) {
	data, err := k.codec.encode(name, key)
	if err != nil {
		return Info{}, err
	}
	if err := os.MkdirAll(k.dir, 0o700); err != nil {
		return Info{}, fmt.Errorf("creating keyring directory: %w", err)
	}
	tmp, err := os.CreateTemp(k.dir, ".tmp-"+name+"-*")
	if err != nil {
		return Info{}, fmt.Errorf("writing key %q: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, data); err != nil {
		return Info{}, fmt.Errorf("writing key %q: %w", name, err)
	}
	if err := os.Link(tmp.Name(), k.path(name)); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Info{}, fmt.Errorf("key %q %w", name, ErrExists)
		}
		return Info{}, fmt.Errorf("writing key %q: %w", name, err)
	}
	syncDir(k.dir)
	return Info{Name: name, Address: crypto.PubkeyToAddress(key.PublicKey), Backend: k.backend}, nil
}

func writeAndClose(f *os.File, data []byte) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a directory entry change to disk, on a best-effort basis.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("%s is too large to be a key file", path)
	}
	return data, nil
}
