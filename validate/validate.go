// Package validate holds the field checks every module applies to user
// input: hashes, bounded text, identifiers. They return plain errors that
// name the field; each module wraps them in its own registered error, so
// the code says which module refused and the text says why.
package validate

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// HashLen is the length of a hex sha-256 digest.
const HashLen = 64

// Hash checks a hex-encoded sha-256 digest: 64 lower-case hex digits
// (one spelling per hash, so uniqueness checks cannot be dodged by case).
func Hash(field, s string) error {
	if len(s) != HashLen {
		return fmt.Errorf("%s: want 64 lower-case hex digits (sha-256), got %d characters", field, len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%s: %q is not lower-case hex", field, s)
		}
	}
	return nil
}

// OptionalHash is Hash for a field that may be empty.
func OptionalHash(field, s string) error {
	if s == "" {
		return nil
	}
	return Hash(field, s)
}

// Text checks free text: valid UTF-8 without control characters (newline
// and tab allowed), at most max bytes, and non-blank when required.
func Text(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return fmt.Errorf("%s is required", field)
	case len(s) > max:
		return fmt.Errorf("%s is %d bytes, limit %d", field, len(s), max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not valid UTF-8", field)
	case strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f }):
		return fmt.Errorf("%s has control characters", field)
	}
	return nil
}

// Code checks an identifier-like code (catalogue codes, standard
// references): 1..max bytes of letters, digits and . _ - / :
func Code(field, s string, max int) error {
	if s == "" || len(s) > max {
		return fmt.Errorf("%s: want 1 to %d characters", field, max)
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-/:", c)
		if !ok {
			return fmt.Errorf("%s: %q has %q; use letters, digits and . _ - / :", field, s, c)
		}
	}
	return nil
}
