// Package address parses and formats account addresses: 20-byte
// Ethereum-style addresses derived from secp256k1 keys, written as EIP-55
// mixed-case hex ("0x5aAe...").
//
// State and events always hold the canonical EIP-55 form, so two spellings
// of one address can never become two parties.
package address

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// ErrInvalid is returned for anything that is not a 0x-prefixed 40-hex-digit
// address.
var ErrInvalid = errors.New("invalid address")

// Parse accepts a 0x-prefixed hex address in any letter case. A mixed-case
// address must carry a correct EIP-55 checksum (it catches typos); all-lower
// and all-upper spellings carry no checksum and are accepted.
func Parse(s string) (common.Address, error) {
	if !wellFormed(s) {
		return common.Address{}, fmt.Errorf("%w %q: want 0x followed by 40 hex digits", ErrInvalid, s)
	}
	a := common.HexToAddress(s)
	body := s[2:]
	if hasLower(body) && hasUpper(body) && a.Hex()[2:] != body {
		return common.Address{}, fmt.Errorf("%w %q: bad EIP-55 checksum (did you mean %s?)", ErrInvalid, s, a.Hex())
	}
	if a == (common.Address{}) {
		return common.Address{}, fmt.Errorf("%w: the zero address", ErrInvalid)
	}
	return a, nil
}

// Normalize returns the canonical EIP-55 spelling of s.
func Normalize(s string) (string, error) {
	a, err := Parse(s)
	if err != nil {
		return "", err
	}
	return a.Hex(), nil
}

// FromKey is the address of a private key.
func FromKey(k *ecdsa.PrivateKey) string { return crypto.PubkeyToAddress(k.PublicKey).Hex() }

// Bytes returns the 20 bytes of a canonical address; it panics on a
// malformed one, so call it only on addresses that were Normalized. It
// does not check the EIP-55 checksum again (a Keccak hash per call, and
// state keys are built from addresses on every read): Normalize did.
func Bytes(canonical string) []byte {
	if !wellFormed(canonical) {
		panic(fmt.Errorf("%w %q: want 0x followed by 40 hex digits", ErrInvalid, canonical))
	}
	return common.HexToAddress(canonical).Bytes()
}

// wellFormed reports whether s is 0x followed by 40 hex digits.
func wellFormed(s string) bool {
	return len(s) == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && common.IsHexAddress(s)
}

func hasLower(s string) bool {
	for _, c := range s {
		if c >= 'a' && c <= 'f' {
			return true
		}
	}
	return false
}

func hasUpper(s string) bool {
	for _, c := range s {
		if c >= 'A' && c <= 'F' {
			return true
		}
	}
	return false
}

// FromBytes formats 20 raw bytes as a canonical address.
func FromBytes(b []byte) string { return common.BytesToAddress(b).Hex() }
