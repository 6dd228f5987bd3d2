package pii

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// text is what the byte scanners accept, so that they run on a string
// without allocating and on a []byte while masking.
type text interface{ ~string | ~[]byte }

// Byte classes, looked up in one table on the hot paths of Redact.
const (
	classDigit = 1 << iota
	classLetter
	classSep
)

var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c|0x20] = classLetter, classLetter
	}
	t[' '], t['-'] = classSep, classSep
	return t
}()

func isDigit(c byte) bool { return byteClass[c]&classDigit != 0 }

func isAlnum(c byte) bool { return byteClass[c]&(classDigit|classLetter) != 0 }

// isSep reports whether c is one of the separators a mobile number may
// contain: a space or a hyphen.
func isSep(c byte) bool { return byteClass[c]&classSep != 0 }

// asciiUpper upper-cases ASCII letters and leaves every other byte alone (so
// invalid UTF-8 is not rewritten, unlike strings.ToUpper). It allocates only
// when there is a lower-case letter.
func asciiUpper(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'a' || s[i] > 'z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// digitsValue parses a run of ASCII digits that the caller has validated.
func digitsValue[T text](t T) int {
	n := 0
	for i := 0; i < len(t); i++ {
		n = n*10 + int(t[i]-'0')
	}
	return n
}

// invalid returns an apperr.Invalid error with a formatted safe message.
func invalid(format string, args ...any) error {
	return apperr.New(apperr.Invalid, format, args...)
}

// showRune renders a character for an error message: itself when it is
// visible, else its code point, so that a message never carries control
// characters or broken encoding.
func showRune(r rune) string {
	if r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return string(r)
	}
	return fmt.Sprintf("U+%04X", r)
}
