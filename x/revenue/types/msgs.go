package types

import (
	"strings"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datarights/datarights/address"
)

// Field limits of the revenue module.
const (
	// MaxShares bounds the beneficiaries of one policy.
	MaxShares = 16
	// TotalBps is the whole of an amount in basis points.
	TotalBps = 10_000
	// MaxIDBytes bounds asset and trade ids (they are key parts with a
	// one-byte length).
	MaxIDBytes = 64
)

// FundAddress is the public service fund (反哺公共服务): the EIP-55 address
// of the first 20 bytes of keccak256("datarights/public-service-fund").
// No key signs for it; it only receives, and its total is queryable.
var FundAddress = address.FromBytes(crypto.Keccak256([]byte("datarights/public-service-fund"))[:20])

// ParseAddress normalises an address field to its canonical EIP-55 form.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidFields.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// CheckID checks an asset or trade id's length: non-empty, at most
// MaxIDBytes.
func CheckID(field, id string) error {
	if id == "" || len(id) > MaxIDBytes {
		return ErrInvalidFields.Wrapf("%s %q: want 1 to %d bytes", field, id, MaxIDBytes)
	}
	return nil
}

// ValidateBasic checks a policy without state: an asset id, at most
// MaxShares shares each to a distinct valid address with 1 to 10,000 bps,
// and shares plus upstream at most 10,000 bps. Beneficiary addresses are
// compared in canonical form.
func (m *MsgSetPolicy) ValidateBasic() error {
	if err := CheckID("asset_id", m.GetAssetId()); err != nil {
		return err
	}
	if n := len(m.GetShares()); n > MaxShares {
		return ErrTooManyShares.Wrapf("%d shares; at most %d", n, MaxShares)
	}
	seen := make(map[string]bool, len(m.GetShares()))
	total := uint64(m.GetUpstreamBps())
	for i, s := range m.GetShares() {
		b, err := ParseAddress("shares["+itoa(i)+"].beneficiary", s.GetBeneficiary())
		if err != nil {
			return err
		}
		if seen[b] {
			return ErrDuplicateBeneficiary.Wrapf("%s", b)
		}
		seen[b] = true
		if s.GetBps() == 0 {
			return ErrInvalidFields.Wrapf("shares[%d] to %s: bps must be at least 1", i, b)
		}
		total += uint64(s.GetBps())
	}
	if total > TotalBps {
		return ErrBpsTooHigh.Wrapf("shares and upstream sum to %d bps", total)
	}
	return nil
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// KindName is the short lower-case spelling of a line kind used by events
// and the CLI: "public_levy", "operator", "public_service",
// "policy_share", "holder" or "remainder".
func KindName(k LineKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "LINE_KIND_"))
}
