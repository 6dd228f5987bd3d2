package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskIDNumber masks an ID number for display: an 18-character number keeps
// its first 6 and last 4 characters (110105********002X). Any other input
// keeps at most its first and last character, and only when it has at least
// 4, so that nothing short is shown whole. Surrounding white space is kept;
// the result always has as many characters (runes) as s.
func MaskIDNumber(s string) string { return maskFixed(s, 18, 6, 4) }

// MaskCreditCode masks a credit code for display like MaskIDNumber: an
// 18-character code keeps its first 6 and last 4 characters
// (913501********0Y43), anything else at most its first and last.
func MaskCreditCode(s string) string { return maskFixed(s, 18, 6, 4) }

// MaskMobile masks a mobile number for display: a number CheckMobile accepts
// keeps its first 3 and last 4 digits and any prefix and separators as they
// were (138****5678, +86 138-****-5678). Any other input keeps at most its
// first and last character, as MaskIDNumber does.
func MaskMobile(s string) string {
	if CheckMobile(s) != nil {
		return maskFixed(s, -1, 0, 0)
	}
	b := []byte(s)
	seen := 0 // digits seen from the end; the last 11 are the number
	for i := len(b) - 1; i >= 0; i-- {
		if isDigit(b[i]) {
			if seen >= 4 && seen < 8 {
				b[i] = '*'
			}
			seen++
		}
	}
	return string(b)
}

// MaskName masks a personal name for display: the first character stays and
// every other becomes '*' (张三 → 张*, 欧阳娜娜 → 欧***, Alice → A****). A
// one-character name becomes "*". Surrounding white space is kept.
func MaskName(s string) string {
	lead, core, trail := splitSpace(s)
	switch utf8.RuneCountInString(core) {
	case 0:
		return s
	case 1:
		return lead + "*" + trail
	}
	return lead + maskRunes(core, 1, 0) + trail
}

// maskFixed masks the trimmed core of s: when it has exactly full runes it
// keeps head and tail of them, otherwise at most the first and the last.
func maskFixed(s string, full, head, tail int) string {
	lead, core, trail := splitSpace(s)
	n := utf8.RuneCountInString(core)
	if n != full {
		head, tail = 0, 0
		if n >= 4 {
			head, tail = 1, 1
		}
	}
	return lead + maskRunes(core, head, tail) + trail
}

// splitSpace splits s into leading white space, the rest, and trailing white
// space.
func splitSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeftFunc(s, unicode.IsSpace)
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRightFunc(core, unicode.IsSpace)
	return lead, trimmed, core[len(trimmed):]
}

// maskRunes keeps the first head and last tail runes of s and replaces every
// other rune by '*'. Kept runes are copied byte for byte, so even invalid
// UTF-8 keeps its rune count.
func maskRunes(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; s != ""; i++ {
		_, size := utf8.DecodeRuneInString(s)
		if i < head || i >= n-tail {
			b.WriteString(s[:size])
		} else {
			b.WriteByte('*')
		}
		s = s[size:]
	}
	return b.String()
}
