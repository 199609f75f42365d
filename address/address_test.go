package address_test

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datarights/datarights/address"
)

// EIP-55's own test vectors.
var eip55 = []string{
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
	"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
	"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
}

func TestParseCanonical(t *testing.T) {
	key, err := crypto.ToECDSA(func() []byte { h := sha256.Sum256([]byte("address test")); return h[:] }())
	if err != nil {
		t.Fatal(err)
	}
	fromKey := address.FromKey(key)
	for _, s := range append(eip55, fromKey, "0x1111111111111111111111111111111111111111") {
		a, err := address.Parse(s)
		if err != nil {
			t.Errorf("Parse(%s): %v", s, err)
			continue
		}
		if a.Hex() != s {
			t.Errorf("Parse(%s).Hex() = %s", s, a.Hex())
		}
		if n, err := address.Normalize(s); err != nil || n != s {
			t.Errorf("Normalize(%s) = %s, %v", s, n, err)
		}
		if got := address.FromBytes(address.Bytes(s)); got != s {
			t.Errorf("FromBytes(Bytes(%s)) = %s", s, got)
		}
	}
	if fromKey != crypto.PubkeyToAddress(key.PublicKey).Hex() {
		t.Errorf("FromKey = %s", fromKey)
	}
}

func TestParseUncheckedCases(t *testing.T) {
	for _, canonical := range eip55 {
		body := canonical[2:]
		for _, s := range []string{
			"0x" + strings.ToLower(body),
			"0x" + strings.ToUpper(body),
			"0X" + strings.ToLower(body),
			"0X" + strings.ToUpper(body),
		} {
			n, err := address.Normalize(s)
			if err != nil {
				t.Errorf("Normalize(%s): %v", s, err)
				continue
			}
			if n != canonical {
				t.Errorf("Normalize(%s) = %s, want %s", s, n, canonical)
			}
		}
	}
}

func TestParseBadChecksum(t *testing.T) {
	for _, canonical := range eip55 {
		// Flip the case of each letter in turn: every flip breaks the
		// checksum (and leaves the spelling mixed-case).
		for i := 2; i < len(canonical); i++ {
			c := canonical[i]
			var flipped byte
			switch {
			case c >= 'a' && c <= 'f':
				flipped = c - 'a' + 'A'
			case c >= 'A' && c <= 'F':
				flipped = c - 'A' + 'a'
			default:
				continue
			}
			s := canonical[:i] + string(flipped) + canonical[i+1:]
			if strings.ToLower(s) == s || strings.ToUpper(s[2:]) == s[2:] {
				continue // the flip made it single-case: no checksum to check
			}
			_, err := address.Parse(s)
			if !errors.Is(err, address.ErrInvalid) {
				t.Errorf("Parse(%s) = %v, want a checksum error", s, err)
				continue
			}
			if !strings.Contains(err.Error(), "checksum") || !strings.Contains(err.Error(), canonical) {
				t.Errorf("Parse(%s) error %q does not suggest %s", s, err, canonical)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := eip55[0]
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"0x only", "0x"},
		{"no 0x", good[2:]},
		{"no 0x, 42 hex digits", "00" + good[2:]},
		{"0y prefix", "0y" + good[2:]},
		{"x0 prefix", "x0" + good[2:]},
		{"39 hex digits", good[:41]},
		{"41 hex digits", good + "0"},
		{"21 bytes", good + "00"},
		{"non-hex digit", good[:41] + "g"},
		{"leading space", " " + good[:41]},
		{"trailing newline", good[:41] + "\n"},
		{"0x0x", "0x0x" + good[4:]},
		{"zero address", "0x0000000000000000000000000000000000000000"},
		{"zero address, 0X", "0X0000000000000000000000000000000000000000"},
		{"non-ASCII", "0x" + strings.Repeat("٣", 40)},
	}
	for _, tc := range tests {
		if a, err := address.Parse(tc.s); !errors.Is(err, address.ErrInvalid) {
			t.Errorf("%s: Parse(%q) = %s, %v; want ErrInvalid", tc.name, tc.s, a.Hex(), err)
		}
		if _, err := address.Normalize(tc.s); !errors.Is(err, address.ErrInvalid) {
			t.Errorf("%s: Normalize(%q) = %v; want ErrInvalid", tc.name, tc.s, err)
		}
	}
}

func TestBytesPanicsOnMalformed(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatalf("Bytes of a malformed address did not panic")
		}
	}()
	address.Bytes("0x1234")
}
