package pii

import (
	"errors"
	"testing"
	"time"

	"openhall/internal/apperr"
)

// The reference implementations below follow the standards' formulas rather
// than the package's tables, so that the two check each other.

// refIDCheck computes the GB 11643-1999 check character with the ISO 7064
// MOD 11-2 weights W_i = 2^(18-i) mod 11 and check value (12 − S mod 11) mod 11.
func refIDCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for k := 0; k < 17-i; k++ {
			w = w * 2 % 11
		}
		sum += int(first17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// refCreditCheck computes the GB 32100-2015 check character with the
// weights W_i = 3^(i-1) mod 31 and C18 = 31 − (S mod 31), 31 written as 0.
func refCreditCheck(first17 string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := -1
		for k := 0; k < len(alphabet); k++ {
			if alphabet[k] == first17[i] {
				v = k
			}
		}
		sum += v * w
		w = w * 3 % 31
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return alphabet[c]
}

// validID completes 17 digits with their check character.
func validID(first17 string) string { return first17 + string(refIDCheck(first17)) }

// validCredit completes 17 characters with their check character.
func validCredit(first17 string) string { return first17 + string(refCreditCheck(first17)) }

// wantInvalid fails unless err is an *apperr.Error with Code Invalid and
// exactly the message want.
func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *apperr.Error %q", err, want)
	}
	if e.Code != apperr.Invalid || e.Message != want {
		t.Fatalf("error = %s %q, want invalid %q", e.Code, e.Message, want)
	}
}

// assertNilOrInvalid fails unless err is nil or an Invalid *apperr.Error.
func assertNilOrInvalid(t *testing.T, err error) {
	t.Helper()
	if err != nil && !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("error %v is not an Invalid *apperr.Error", err)
	}
}

// setNow fixes the clock for one test.
func setNow(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// acceptedSubstring returns a substring of s that CheckIDNumber or
// CheckMobile accepts and whose digits are not part of longer runs of
// digits: it starts at '+' or at a digit not preceded by a digit, and ends
// at X/x or at a digit not followed by a digit. It returns "" if there is
// none. Such substrings contain only digits, spaces, hyphens, '+' and X,
// and at most 18 digits, so the scan of each start stops early; the checks,
// which allocate on failure, run only on substrings of a possible length.
func acceptedSubstring(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '+' && (!isDigit(s[i]) || (i > 0 && isDigit(s[i-1]))) {
			continue
		}
		if sub := acceptedFrom(s, i); sub != "" {
			return sub
		}
	}
	return ""
}

// acceptedFrom returns the first accepted substring starting at i, or "".
func acceptedFrom(s string, i int) string {
	n := 0 // digits and Xs so far
	for j := i + 1; j <= len(s) && n <= 18; j++ {
		c := s[j-1]
		if !isDigit(c) && !isSep(c) && c != '+' && c|0x20 != 'x' {
			break
		}
		if isDigit(c) || c|0x20 == 'x' {
			n++
		}
		if isDigit(c) && j < len(s) && isDigit(s[j]) {
			continue
		}
		if (n == 18 && CheckIDNumber(s[i:j]) == nil) || ((n == 11 || n == 13 || n == 15) && CheckMobile(s[i:j]) == nil) {
			return s[i:j]
		}
	}
	return ""
}
