package keyring

// The two on-disk formats: Web3 Secret Storage (file backend) and the
// labelled unencrypted test format (test backend).

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// encryptKey asks for a new passphrase and encrypts key in the Web3 Secret
// Storage format.
func encryptKey(key *ecdsa.PrivateKey, pass PassphraseFunc, prompt string) ([]byte, error) {
	passphrase, err := pass(prompt, true)
	if err != nil {
		return nil, err
	}
	if passphrase == "" {
		return nil, errors.New("empty passphrase not allowed")
	}
	// keystore.Key.Id is a github.com/google/uuid UUID, i.e. a [16]byte:
	// fill it with a random (version 4) UUID.
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	k.Id = id
	out, err := keystore.EncryptKey(k, passphrase, scryptN, scryptP)
	if err != nil {
		return nil, fmt.Errorf("encrypting key: %w", err)
	}
	return out, nil
}

var errNoAddress = errors.New("no address field")

// keystoreAddress reads the clear-text address field of a Web3 Secret
// Storage JSON.
func keystoreAddress(data []byte) (common.Address, error) {
	var v struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return common.Address{}, fmt.Errorf("not a Web3 Secret Storage JSON: %w", err)
	}
	if v.Address == "" {
		return common.Address{}, errNoAddress
	}
	if !common.IsHexAddress(v.Address) {
		return common.Address{}, fmt.Errorf("invalid address field %q", v.Address)
	}
	return common.HexToAddress(v.Address), nil
}

// fileCodec stores keys encrypted in the Web3 Secret Storage format.
type fileCodec struct{ pass PassphraseFunc }

func (c fileCodec) passFunc() (PassphraseFunc, error) {
	if c.pass == nil {
		return nil, errors.New("the file keyring needs a passphrase but none is configured")
	}
	return c.pass, nil
}

func (c fileCodec) encode(name string, key *ecdsa.PrivateKey) ([]byte, error) {
	pass, err := c.passFunc()
	if err != nil {
		return nil, err
	}
	return encryptKey(key, pass, fmt.Sprintf("passphrase to encrypt key %q", name))
}

func (c fileCodec) address(data []byte) (common.Address, error) {
	return keystoreAddress(data)
}

func (c fileCodec) decode(name string, data []byte) (*ecdsa.PrivateKey, error) {
	pass, err := c.passFunc()
	if err != nil {
		return nil, err
	}
	passphrase, err := pass(fmt.Sprintf("passphrase for key %q", name), false)
	if err != nil {
		return nil, err
	}
	key, err := keystore.DecryptKey(data, passphrase)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, fmt.Errorf("%w for key %q", ErrWrongPassphrase, name)
	}
	if err != nil {
		return nil, fmt.Errorf("decrypting key %q: %w", name, err)
	}
	return key.PrivateKey, nil
}

// testKeyFile is the on-disk format of the test backend.
type testKeyFile struct {
	Name       string `json:"name"`
	Address    string `json:"address"`
	PrivateKey string `json:"private_key"`
	Warning    string `json:"warning"`
}

// testCodec stores keys unencrypted.
type testCodec struct{}

func (testCodec) encode(name string, key *ecdsa.PrivateKey) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	err := enc.Encode(testKeyFile{
		Name:       name,
		Address:    crypto.PubkeyToAddress(key.PublicKey).Hex(),
		PrivateKey: hex.EncodeToString(crypto.FromECDSA(key)),
		Warning:    TestKeyWarning,
	})
	return buf.Bytes(), err
}

func (testCodec) parse(data []byte) (testKeyFile, common.Address, error) {
	var f testKeyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return f, common.Address{}, fmt.Errorf("not a test key file: %w", err)
	}
	if !common.IsHexAddress(f.Address) {
		return f, common.Address{}, fmt.Errorf("invalid address field %q", f.Address)
	}
	return f, common.HexToAddress(f.Address), nil
}

func (c testCodec) address(data []byte) (common.Address, error) {
	_, addr, err := c.parse(data)
	return addr, err
}

func (c testCodec) decode(name string, data []byte) (*ecdsa.PrivateKey, error) {
	f, _, err := c.parse(data)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(f.PrivateKey, "0x"))
	if err != nil {
		return nil, fmt.Errorf("key %q: invalid private key: %w", name, err)
	}
	return key, nil
}
