package types

import (
	"fmt"
	"strings"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015) is 18
// characters from a 31-character alphabet (digits and capitals without I, O,
// S, V, Z). Positions 9-17 embed the organisation code (GB 11714) with its
// own check character; position 18 checks the whole. Both checks are
// enforced: a typo in a code is caught before it reaches the ledger.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccAuthorities are the registration authority codes of GB 32100 (first
// character): 1 institutional staffing, 2 foreign affairs, 3 justice,
// 4 culture, 5 civil affairs, 6 tourism, 7 religion, 8 trade unions,
// 9 market regulation, A military staffing, N agriculture, Y others.
const usccAuthorities = "123456789ANY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are GB 11714's weights for the 8 body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

func usccValue(c byte) int {
	for i := 0; i < len(usccAlphabet); i++ {
		if usccAlphabet[i] == c {
			return i
		}
	}
	return -1
}

// orgValue is GB 11714's value of a character: digits 0-9, letters A=10...
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// USCCCheckChar computes the 18th character of a code from its first 17.
func USCCCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("want 17 characters, got %d", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue(first17[i])
		if v < 0 {
			return 0, fmt.Errorf("character %q at position %d is not allowed", first17[i], i+1)
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

// OrgCheckChar computes GB 11714's check character (position 17 of a USCC)
// from the 8 organisation code characters before it.
func OrgCheckChar(body8 string) (byte, error) {
	if len(body8) != 8 {
		return 0, fmt.Errorf("want 8 characters, got %d", len(body8))
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := orgValue(body8[i])
		if v < 0 {
			return 0, fmt.Errorf("character %q is not allowed in an organisation code", body8[i])
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// ValidateOrgCode checks a unified social credit code: length, alphabet, the
// six-digit region code, and both check characters.
func ValidateOrgCode(code string) error {
	if len(code) != 18 {
		return ErrInvalidOrgCode.Wrapf("%q has %d characters, want 18", code, len(code))
	}
	if !strings.ContainsRune(usccAuthorities, rune(code[0])) {
		return ErrInvalidOrgCode.Wrapf("%q: %q is not a registration authority code (want one of %s)", code, code[0], usccAuthorities)
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return ErrInvalidOrgCode.Wrapf("%q: positions 3-8 must be a region code of digits", code)
		}
	}
	want, err := USCCCheckChar(code[:17])
	if err != nil {
		return ErrInvalidOrgCode.Wrapf("%q: %v", code, err)
	}
	if code[17] != want {
		return ErrInvalidOrgCode.Wrapf("%q: check character is %c, want %c", code, code[17], want)
	}
	orgWant, err := OrgCheckChar(code[8:16])
	if err != nil {
		return ErrInvalidOrgCode.Wrapf("%q: %v", code, err)
	}
	if code[16] != orgWant {
		return ErrInvalidOrgCode.Wrapf("%q: organisation code check character is %c, want %c", code, code[16], orgWant)
	}
	return nil
}

// BuildOrgCode assembles a valid code from its parts: the two-character
// registration authority and type ("11" is a government organ, "91" an
// enterprise), the six-digit region code ("511900" is Bazhong) and the
// eight-character organisation body; it adds both check characters. Local
// networks and tests use it to make codes that pass validation.
func BuildOrgCode(authority, region, body string) (string, error) {
	if len(authority) != 2 || len(region) != 6 || len(body) != 8 {
		return "", ErrInvalidOrgCode.Wrap("want a 2-character authority, 6-digit region and 8-character body")
	}
	orgCheck, err := OrgCheckChar(body)
	if err != nil {
		return "", ErrInvalidOrgCode.Wrap(err.Error())
	}
	first17 := authority + region + body + string(orgCheck)
	check, err := USCCCheckChar(first17)
	if err != nil {
		return "", ErrInvalidOrgCode.Wrap(err.Error())
	}
	code := first17 + string(check)
	return code, ValidateOrgCode(code)
}
