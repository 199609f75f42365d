package types

import (
	"math/bits"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/validate"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// Field limits of the market.
const (
	MaxAssetIDBytes = 64
	MaxBankRefBytes = 64
	// MaxLicenseSeconds bounds a licence's term (30 years of 366 days), so
	// that block time plus the term stays far from overflow.
	MaxLicenseSeconds = 30 * 366 * 24 * 60 * 60
)

// MaxTime is the latest expiry a message may name.
var MaxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// Id prefixes: listings "l-<n>", trades "t-<n>", bids "b-<n>",
// withdrawals "w-<n>", n from 1.
const (
	ListingIDPrefix    = "l-"
	TradeIDPrefix      = "t-"
	BidIDPrefix        = "b-"
	WithdrawalIDPrefix = "w-"
)

// ListingID formats the id of listing n.
func ListingID(n uint64) string { return ListingIDPrefix + strconv.FormatUint(n, 10) }

// TradeID formats the id of trade n.
func TradeID(n uint64) string { return TradeIDPrefix + strconv.FormatUint(n, 10) }

// BidID formats the id of bid n.
func BidID(n uint64) string { return BidIDPrefix + strconv.FormatUint(n, 10) }

// WithdrawalID formats the id of withdrawal n.
func WithdrawalID(n uint64) string { return WithdrawalIDPrefix + strconv.FormatUint(n, 10) }

// ParseID returns the number of an id with the given prefix ("l-7" → 7).
// One spelling per id: a decimal number from 1 without leading zeros.
func ParseID(field, s, prefix string) (uint64, error) {
	num, ok := strings.CutPrefix(s, prefix)
	if !ok || num == "" || num[0] == '0' || len(num) > 20 {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, prefix)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, ErrInvalidID.Wrapf("%s: %q: want %s<n>, n from 1", field, s, prefix)
	}
	return n, nil
}

// ParseAddress normalises an address field to its canonical EIP-55 form.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidFields.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// ValidateAssetID checks an asset id's form (the registry owns its
// meaning).
func ValidateAssetID(field, s string) error {
	if err := validate.Code(field, s, MaxAssetIDBytes); err != nil {
		return ErrInvalidFields.Wrap(err.Error())
	}
	return nil
}

// ValidateBankRef checks a bank reference: an identifier-like code.
func ValidateBankRef(s string) error {
	if err := validate.Code("bank_ref", s, MaxBankRefBytes); err != nil {
		return ErrInvalidFields.Wrap(err.Error())
	}
	return nil
}

// Add returns a+b, or ErrOverflow naming what overflowed.
func Add(what string, a, b uint64) (uint64, error) {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return 0, ErrOverflow.Wrapf("%s: %d + %d does not fit in 64 bits", what, a, b)
	}
	return s, nil
}

// Mul returns a*b, or ErrOverflow naming what overflowed.
func Mul(what string, a, b uint64) (uint64, error) {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return 0, ErrOverflow.Wrapf("%s: %d × %d does not fit in 64 bits", what, a, b)
	}
	return lo, nil
}

// Expiry checks a required expiry timestamp and returns it.
func Expiry(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, ErrInvalidFields.Wrapf("%s is required", field)
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, ErrInvalidFields.Wrapf("%s: %v", field, err)
	}
	t := ts.AsTime()
	if t.Unix() <= 0 || t.After(MaxTime) {
		return time.Time{}, ErrInvalidFields.Wrapf("%s: %s is outside 1970 to %s", field, t.Format(time.RFC3339), MaxTime.Format("2006"))
	}
	return t, nil
}

// ---------------------------------------------------------------------------
// Names: the short lower-case spellings used by the CLI and events.

func enumName(s, prefix string) string { return strings.ToLower(strings.TrimPrefix(s, prefix)) }

func parseEnum(values map[string]int32, prefix, field, s, want string) (int32, error) {
	v, ok := values[prefix+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, ErrInvalidFields.Wrapf("%s %q: want %s", field, s, want)
	}
	return v, nil
}

// KindName is "transfer" or "license".
func KindName(k ListingKind) string { return enumName(k.String(), "LISTING_KIND_") }

// ParseKind is the inverse of KindName.
func ParseKind(s string) (ListingKind, error) {
	v, err := parseEnum(ListingKind_value, "LISTING_KIND_", "kind", s, "transfer or license")
	return ListingKind(v), err
}

// ListingStatusName is "open", "sold_out", "cancelled" or "expired".
func ListingStatusName(s ListingStatus) string { return enumName(s.String(), "LISTING_STATUS_") }

// ParseListingStatus is the inverse of ListingStatusName.
func ParseListingStatus(s string) (ListingStatus, error) {
	v, err := parseEnum(ListingStatus_value, "LISTING_STATUS_", "status", s, "open, sold_out, cancelled or expired")
	return ListingStatus(v), err
}

// BidStatusName is "open", "accepted", "cancelled" or "expired".
func BidStatusName(s BidStatus) string { return enumName(s.String(), "BID_STATUS_") }

// ParseBidStatus is the inverse of BidStatusName.
func ParseBidStatus(s string) (BidStatus, error) {
	v, err := parseEnum(BidStatus_value, "BID_STATUS_", "status", s, "open, accepted, cancelled or expired")
	return BidStatus(v), err
}

// WithdrawalStatusName is "requested" or "paid".
func WithdrawalStatusName(s WithdrawalStatus) string {
	return enumName(s.String(), "WITHDRAWAL_STATUS_")
}

// ---------------------------------------------------------------------------
// Stateless checks of each message, shared by the CLI (before signing) and
// the handlers (before anything is read).

// ValidateBasic implements the stateless checks of a deposit.
func (m *MsgDeposit) ValidateBasic() error {
	if _, err := ParseAddress("to", m.To); err != nil {
		return err
	}
	if m.AmountFen == 0 {
		return ErrInvalidFields.Wrap("amount_fen must be positive")
	}
	return ValidateBankRef(m.BankRef)
}

// ValidateBasic implements the stateless checks of a withdrawal request.
func (m *MsgRequestWithdrawal) ValidateBasic() error {
	if m.AmountFen == 0 {
		return ErrInvalidFields.Wrap("amount_fen must be positive")
	}
	return nil
}

// ValidateBasic implements the stateless checks of a payout.
func (m *MsgWithdraw) ValidateBasic() error {
	if _, err := ParseID("withdrawal_id", m.WithdrawalId, WithdrawalIDPrefix); err != nil {
		return err
	}
	return ValidateBankRef(m.BankRef)
}

// ValidateBasic implements the stateless checks of a listing. A transfer
// sells the right itself: one unit, no licence terms. A licence listing
// names the scope and term of each licence.
func (m *MsgList) ValidateBasic() error {
	if _, err := rightstypes.ParseRightID("right_id", m.RightId); err != nil {
		return err
	}
	if m.PriceFen == 0 {
		return ErrInvalidFields.Wrap("price_fen must be positive")
	}
	if m.Quantity == 0 {
		return ErrInvalidFields.Wrap("quantity must be positive")
	}
	switch m.Kind {
	case ListingKind_LISTING_KIND_TRANSFER:
		if m.Quantity != 1 || m.Scope != nil || m.LicenseSeconds != 0 {
			return ErrInvalidFields.Wrap("a transfer listing sells the right itself: quantity 1, no scope, no license_seconds")
		}
	case ListingKind_LISTING_KIND_LICENSE:
		if _, err := rightstypes.NormalizeScope(m.Scope); err != nil {
			return err
		}
		if err := licenseSeconds(m.LicenseSeconds); err != nil {
			return err
		}
	default:
		return ErrInvalidFields.Wrap("kind: transfer or license")
	}
	_, err := Expiry("expires", m.Expires)
	return err
}

func licenseSeconds(s int64) error {
	if s <= 0 || s > MaxLicenseSeconds {
		return ErrInvalidFields.Wrapf("license_seconds %d: want 1 to %d (30 years)", s, MaxLicenseSeconds)
	}
	return nil
}

// ValidateBasic implements the stateless checks of a listing cancellation.
func (m *MsgCancelListing) ValidateBasic() error {
	_, err := ParseID("listing_id", m.ListingId, ListingIDPrefix)
	return err
}

// ValidateBasic implements the stateless checks of a purchase.
func (m *MsgBuy) ValidateBasic() error {
	if _, err := ParseID("listing_id", m.ListingId, ListingIDPrefix); err != nil {
		return err
	}
	if m.Quantity == 0 {
		return ErrInvalidFields.Wrap("quantity must be positive")
	}
	if m.MaxPriceFen == 0 {
		return ErrInvalidFields.Wrap("max_price_fen must be positive")
	}
	return nil
}

// ValidateBasic implements the stateless checks of a bid.
func (m *MsgBid) ValidateBasic() error {
	if err := ValidateAssetID("asset_id", m.AssetId); err != nil {
		return err
	}
	if _, err := rightstypes.NormalizeScope(m.Scope); err != nil {
		return err
	}
	if err := licenseSeconds(m.LicenseSeconds); err != nil {
		return err
	}
	if m.PriceFen == 0 {
		return ErrInvalidFields.Wrap("price_fen must be positive")
	}
	_, err := Expiry("expires", m.Expires)
	return err
}

// ValidateBasic implements the stateless checks of a bid acceptance.
func (m *MsgAcceptBid) ValidateBasic() error {
	if _, err := ParseID("bid_id", m.BidId, BidIDPrefix); err != nil {
		return err
	}
	_, err := rightstypes.ParseRightID("right_id", m.RightId)
	return err
}

// ValidateBasic implements the stateless checks of a bid cancellation.
func (m *MsgCancelBid) ValidateBasic() error {
	_, err := ParseID("bid_id", m.BidId, BidIDPrefix)
	return err
}
