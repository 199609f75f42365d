package types

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	rightstypes "github.com/datarights/datarights/x/rights/types"
)

func TestIDs(t *testing.T) {
	for _, s := range []string{"l-0", "l-01", "l-", "t-1", "l-99999999999999999999999"} {
		if _, err := ParseID("id", s, ListingIDPrefix); !errors.Is(err, ErrInvalidID) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if n, err := ParseID("id", ListingID(42), ListingIDPrefix); err != nil || n != 42 {
		t.Fatalf("%d %v", n, err)
	}
}

func TestValidateBasic(t *testing.T) {
	exp := timestamppb.New(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	sc := &rightstypes.Scope{Operations: []rightstypes.Operation{rightstypes.Operation_OPERATION_QUERY}}
	lic := func(f func(m *MsgList)) *MsgList {
		m := &MsgList{RightId: "r-1", Kind: ListingKind_LISTING_KIND_LICENSE, PriceFen: 1, Quantity: 1, Scope: sc, LicenseSeconds: 60, Expires: exp}
		f(m)
		return m
	}
	for _, tc := range []struct {
		m    interface{ ValidateBasic() error }
		want error
	}{
		{lic(func(*MsgList) {}), nil},
		{lic(func(m *MsgList) { m.PriceFen = 0 }), ErrInvalidFields},
		{lic(func(m *MsgList) { m.Expires = nil }), ErrInvalidFields},
		{lic(func(m *MsgList) { m.Expires = timestamppb.New(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)) }), ErrInvalidFields},
		{lic(func(m *MsgList) { m.LicenseSeconds = MaxLicenseSeconds + 1 }), ErrInvalidFields},
		{lic(func(m *MsgList) { m.Kind = 0 }), ErrInvalidFields},
		{lic(func(m *MsgList) { m.Kind, m.Scope, m.LicenseSeconds = ListingKind_LISTING_KIND_TRANSFER, nil, 0 }), nil},
		{&MsgBuy{ListingId: "l-1", Quantity: 1}, ErrInvalidFields},
		{&MsgBid{AssetId: "a-1", Scope: sc, LicenseSeconds: 60, PriceFen: 1, Expires: exp}, nil},
		{&MsgBid{AssetId: "a 1", Scope: sc, LicenseSeconds: 60, PriceFen: 1, Expires: exp}, ErrInvalidFields},
		{&MsgWithdraw{WithdrawalId: "w-1"}, ErrInvalidFields},
		{&MsgAcceptBid{BidId: "b-1", RightId: "r-1"}, nil},
		{&MsgCancelBid{BidId: "w-1"}, ErrInvalidID},
	} {
		if err := tc.m.ValidateBasic(); (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%v: got %v, want %v", tc.m, err, tc.want)
		}
	}
}
