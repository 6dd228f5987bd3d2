package pii

import (
	"strings"
	"unicode/utf8"
)

// creditAlphabet is the GB 32100-2015 character set: digits and the capital
// letters without I, O, Z, S and V. A character's value is its index.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100-2015 weights 3^(i-1) mod 31 of positions
// 1–17.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValue maps a byte to its value in creditAlphabet, or -1. Lower-case
// letters map like their capitals, for Redact, which does not normalise.
var creditValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(creditAlphabet); i++ {
		c := creditAlphabet[i]
		t[c] = int8(i)
		if c >= 'A' {
			t[c|0x20] = int8(i)
		}
	}
	return t
}()

// NormalizeCreditCode trims surrounding white space and upper-cases ASCII
// letters. It does not validate.
func NormalizeCreditCode(s string) string {
	return asciiUpper(strings.TrimSpace(s))
}

// CheckCreditCode reports whether s, once normalised, is a valid 统一社会信用代码
// under GB 32100-2015: 18 characters of the code's alphabet, positions 3–8
// (the administrative division code) digits only, and the right check
// character in position 18.
//
// Positions 1 (登记管理部门码: 1 机构编制, 5 民政, 9 工商, Y 其他, and others
// used by other registries) and 2 (机构类别码) accept any character of the
// alphabet: the lists of registries and categories change more often than
// the standard, and the check character already catches typing errors.
// The error is an *apperr.Error with Code Invalid and a message naming the
// first problem found.
func CheckCreditCode(s string) error {
	s = NormalizeCreditCode(s)
	if err := checkCreditShape(s); err != nil {
		return err
	}
	if want := creditCheckChar(s[:17]); s[17] != want {
		return invalid("统一社会信用代码校验位应为 %c，实际为 %c", want, s[17])
	}
	return nil
}

// checkCreditShape checks the length and each character in its position.
func checkCreditShape(s string) error {
	if s == "" {
		return invalid("统一社会信用代码不能为空")
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		return invalid("统一社会信用代码应为 18 位，当前为 %d 位", n)
	}
	pos := 0
	for _, r := range s {
		pos++
		if err := checkCreditRune(pos, r); err != nil {
			return err
		}
	}
	return nil
}

// checkCreditRune checks the character r at 1-based position pos.
func checkCreditRune(pos int, r rune) error {
	if pos >= 3 && pos <= 8 {
		if r < '0' || r > '9' {
			return invalid("统一社会信用代码第 %d 位应为数字（第 3–8 位是行政区划码），实际为“%s”", pos, showRune(r))
		}
		return nil
	}
	if r >= utf8.RuneSelf || creditValue[r] < 0 || (r >= 'a' && r <= 'z') {
		return invalid("统一社会信用代码第 %d 位“%s”不是有效字符（只能是数字或除 I、O、S、V、Z 以外的大写字母）", pos, showRune(r))
	}
	return nil
}

// creditCheckChar computes the check character of 17 characters of the
// alphabet (either case).
func creditCheckChar[T text](first17 T) byte {
	sum := 0
	for i, w := range creditWeights {
		sum += int(creditValue[first17[i]]) * w
	}
	return creditAlphabet[(31-sum%31)%31]
}

// creditValid reports without allocating whether t is exactly a valid credit
// code, accepting lower-case letters. Redact uses it.
func creditValid[T text](t T) bool {
	if len(t) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		if creditValue[t[i]] < 0 || (i >= 2 && i < 8 && !isDigit(t[i])) {
			return false
		}
	}
	return creditValue[t[17]] == creditValue[creditCheckChar(t)]
}

// CreditCheckChar returns the GB 32100-2015 check character for the first 17
// characters of a credit code (lower-case letters are accepted). It is meant
// for generating test and demo data; it checks only that first17 is 17
// characters of the code's alphabet, not that positions 3–8 are digits.
func CreditCheckChar(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != 17 {
		return 0, invalid("统一社会信用代码前 17 位应为 17 个字符，当前为 %d 个", n)
	}
	for i := 0; i < len(first17); i++ {
		if creditValue[first17[i]] < 0 {
			return 0, invalid("统一社会信用代码前 17 位第 %d 位不是有效字符", i+1)
		}
	}
	return creditCheckChar(first17), nil
}
