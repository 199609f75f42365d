package types_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/datarights/datarights/x/identity/types"
)

// Real, published unified social credit codes.
var validCodes = []string{
	"914403001922038216",
	"9144030071526726XG",
	"91330100799655058B",
}

const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func TestValidateOrgCodeAcceptsKnownCodes(t *testing.T) {
	for _, code := range validCodes {
		if err := types.ValidateOrgCode(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
		// Both check characters are what the helpers compute.
		if c, err := types.USCCCheckChar(code[:17]); err != nil || c != code[17] {
			t.Errorf("%s: USCCCheckChar = %q, %v", code, c, err)
		}
		if c, err := types.OrgCheckChar(code[8:16]); err != nil || c != code[16] {
			t.Errorf("%s: OrgCheckChar = %q, %v", code, c, err)
		}
	}
}

// Every single-character change of a valid code is caught: the final check
// is mod 31 (prime) with weights that are all non-zero mod 31, so no one
// substitution within the alphabet keeps the sum, and characters outside it
// are refused outright.
func TestValidateOrgCodeRejectsEverySingleChange(t *testing.T) {
	replacements := alphabet + "IOSVZ" + "abxy" + "-* \x00"
	for _, code := range validCodes {
		for i := 0; i < len(code); i++ {
			for _, r := range []byte(replacements) {
				if r == code[i] {
					continue
				}
				bad := code[:i] + string(r) + code[i+1:]
				if err := types.ValidateOrgCode(bad); !errors.Is(err, types.ErrInvalidOrgCode) {
					t.Fatalf("%s (position %d of %s changed to %q) accepted: %v", bad, i+1, code, r, err)
				}
			}
		}
	}
}

func TestValidateOrgCodeRejects(t *testing.T) {
	code := validCodes[1] // 9144030071526726XG
	cases := []struct {
		name, code string
	}{
		{"empty", ""},
		{"17 characters", code[:17]},
		{"19 characters", code + "0"},
		{"valid code with a leading space", " " + code[:17]},
		{"lower case", strings.ToLower(code)},
		{"lower-case check character", code[:17] + "g"},
		{"letter in the region code", code[:2] + "A" + code[3:]},
		{"transposed characters", code[:3] + code[4:5] + code[3:4] + code[5:]},
		{"full-width digits", "９" + code[1:]},
	}
	for _, forbidden := range "IOSVZ" {
		// A forbidden letter in the organisation body: the organisation
		// check alone would accept some of them, the USCC alphabet must not.
		cases = append(cases, struct{ name, code string }{"forbidden letter " + string(forbidden), code[:8] + string(forbidden) + code[9:]})
		cases = append(cases, struct{ name, code string }{"forbidden check letter " + string(forbidden), code[:17] + string(forbidden)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := types.ValidateOrgCode(tc.code); !errors.Is(err, types.ErrInvalidOrgCode) {
				t.Fatalf("%q: %v, want ErrInvalidOrgCode", tc.code, err)
			}
		})
	}
}

// A forbidden letter is refused even where the check characters have been
// recomputed around it, so the code is otherwise consistent.
func TestValidateOrgCodeForbiddenLettersWithRecomputedChecks(t *testing.T) {
	for _, forbidden := range "IOSVZ" {
		body := "MA6" + string(forbidden) + "1234"
		orgCheck, err := types.OrgCheckChar(body)
		if err != nil {
			t.Fatal(err)
		}
		first17 := "91511900" + body + string(orgCheck)
		if _, err := types.USCCCheckChar(first17); err == nil {
			t.Errorf("USCCCheckChar accepted %q", first17)
		}
		for _, last := range alphabet {
			if err := types.ValidateOrgCode(first17 + string(last)); err == nil {
				t.Fatalf("%s accepted", first17+string(last))
			}
		}
	}
}

func TestCheckCharHelpers(t *testing.T) {
	if _, err := types.USCCCheckChar("123"); err == nil {
		t.Error("USCCCheckChar accepted 3 characters")
	}
	if _, err := types.OrgCheckChar("1234567"); err == nil {
		t.Error("OrgCheckChar accepted 7 characters")
	}
	if _, err := types.OrgCheckChar("1234567-"); err == nil {
		t.Error("OrgCheckChar accepted a hyphen")
	}
	// Organisation checks: 11-(sum mod 11), with 10 -> X and 11 -> 0.
	for body, want := range map[string]byte{"71526726": 'X', "19220382": '1', "79965505": '8'} {
		if c, err := types.OrgCheckChar(body); err != nil || c != want {
			t.Errorf("OrgCheckChar(%s) = %q, %v; want %q", body, c, err, want)
		}
	}
}

func TestValidateOrgCodeFor(t *testing.T) {
	code := validCodes[0]
	cases := []struct {
		kind types.PartyKind
		code string
		ok   bool
	}{
		{types.PartyKind_PARTY_KIND_DEPARTMENT, code, true},
		{types.PartyKind_PARTY_KIND_ENTERPRISE, code, true},
		{types.PartyKind_PARTY_KIND_INSTITUTION, code, true},
		{types.PartyKind_PARTY_KIND_ENTERPRISE, "", false},
		{types.PartyKind_PARTY_KIND_INDIVIDUAL, "", true},
		{types.PartyKind_PARTY_KIND_INDIVIDUAL, code, false},
	}
	for _, tc := range cases {
		err := types.ValidateOrgCodeFor(tc.kind, tc.code)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, types.ErrInvalidOrgCode)) {
			t.Errorf("%v %q: %v", tc.kind, tc.code, err)
		}
	}
}

// TestOrgCodeAuthority: both check characters of an all-zero code pass, but
// "0" is no registration authority, so the code is refused.
func TestOrgCodeAuthority(t *testing.T) {
	if err := types.ValidateOrgCode("000000000000000000"); !errors.Is(err, types.ErrInvalidOrgCode) {
		t.Fatalf("all-zero code: got %v, want ErrInvalidOrgCode", err)
	}
	for _, a := range "123456789ANY" {
		code, err := types.BuildOrgCode(string(a)+"1", "511900", "MA000001")
		if err != nil {
			t.Fatalf("authority %c: %v", a, err)
		}
		if err := types.ValidateOrgCode(code); err != nil {
			t.Fatalf("authority %c: %v", a, err)
		}
	}
}
