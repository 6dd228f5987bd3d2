package pii

import (
	"testing"
	"unicode/utf8"
)

// The fuzz targets check, for any input: no panic; errors are Invalid
// *apperr.Errors; masking keeps the rune count; and for accepted input,
// that normalising keeps it accepted and is idempotent, that the helpers
// agree with the checks, and that masking and Redact leave nothing accepted.

func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", " 110105194912310023", validID("81000019851212001"), "", "X", "1101051949123100X2", "11010520230230002\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckIDNumber(s)
		assertNilOrInvalid(t, err)
		sameRuneCount(t, s, MaskIDNumber(s))
		if err != nil {
			return
		}
		n := NormalizeIDNumber(s)
		if CheckIDNumber(n) != nil || NormalizeIDNumber(n) != n {
			t.Fatalf("%q accepted but its normal form %q is not, or not stable", s, n)
		}
		if c, err := IDCheckChar(n[:17]); err != nil || c != n[17] {
			t.Fatalf("IDCheckChar(%s) = %c, %v", n[:17], c, err)
		}
		if _, err := BirthDateFromID(s); err != nil {
			t.Fatalf("BirthDateFromID(%q): %v", s, err)
		}
		if _, err := GenderFromID(s); err != nil {
			t.Fatalf("GenderFromID(%q): %v", s, err)
		}
		assertHidden(t, s, MaskIDNumber(s))
	})
}

func FuzzCheckCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100m000100y43", "91350100M000100Y44", validCredit("Y1440300000000000"), "", "91I50100M000100Y43", "9135０100M000100Y43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckCreditCode(s)
		assertNilOrInvalid(t, err)
		sameRuneCount(t, s, MaskCreditCode(s))
		if creditValid(s) && err != nil {
			t.Fatalf("Redact's creditValid accepts %q, CheckCreditCode says %v", s, err)
		}
		if err != nil {
			return
		}
		n := NormalizeCreditCode(s)
		if CheckCreditCode(n) != nil || NormalizeCreditCode(n) != n || !creditValid(n) {
			t.Fatalf("%q accepted but its normal form %q is not, or not stable", s, n)
		}
		if c, err := CreditCheckChar(n[:17]); err != nil || c != n[17] {
			t.Fatalf("CreditCheckChar(%s) = %c, %v", n[:17], c, err)
		}
		if CheckCreditCode(MaskCreditCode(s)) == nil || CheckCreditCode(Redact(s)) == nil {
			t.Fatalf("masked %q is still a valid credit code", s)
		}
	})
}

func FuzzCheckMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "8613812345678", "", "+86", "12812345678", "138123456789", "-1-3-8-1-2-3-4-5-6-7-8-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckMobile(s)
		assertNilOrInvalid(t, err)
		sameRuneCount(t, s, MaskMobile(s))
		if err != nil {
			return
		}
		n := NormalizeMobile(s)
		if CheckMobile(n) != nil || NormalizeMobile(n) != n || len(n) != 11 {
			t.Fatalf("%q accepted but its normal form %q is not, or not stable", s, n)
		}
		assertHidden(t, s, MaskMobile(s))
	})
}

func FuzzRedact(f *testing.F) {
	for _, s := range redactSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 { // the invariant check is quadratic
			s = s[:1024]
		}
		checkRedact(t, s)
	})
}

// sameRuneCount fails if masking changed the number of runes.
func sameRuneCount(t *testing.T, in, out string) {
	t.Helper()
	if utf8.RuneCountInString(in) != utf8.RuneCountInString(out) {
		t.Fatalf("mask(%q) = %q: rune count changed", in, out)
	}
}

// assertHidden fails if the masked form or the redacted form of an accepted
// number is still accepted by a check.
func assertHidden(t *testing.T, in, masked string) {
	t.Helper()
	if sub := acceptedSubstring(masked); sub != "" {
		t.Fatalf("mask(%q) = %q still holds %q", in, masked, sub)
	}
	if sub := acceptedSubstring(Redact(in)); sub != "" {
		t.Fatalf("Redact(%q) = %q still holds %q", in, Redact(in), sub)
	}
}
