package search

import (
	"strings"
	"unicode/utf8"
)

// excerptBefore is how many characters of a result's excerpt come before
// the needle.
const excerptBefore = 40

// body is an entry's text after its title and number lines: what excerpts
// are cut from.
func body(text string) string {
	for range 2 {
		_, text, _ = strings.Cut(text, "\n")
	}
	return text
}

// excerpt returns up to runes characters of body, starting excerptBefore
// characters before needle's first occurrence (the body's start without
// one). Snippet then marks the terms in it and trims it for display.
func excerpt(body, needle string, runes int) string {
	from := 0
	if at := strings.Index(body, needle); at > 0 {
		from = back(body, at, excerptBefore)
	}
	return body[from:on(body, from, runes)]
}

// back is the byte offset n characters before at in s (0 at the most).
func back(s string, at, n int) int {
	for k := 0; k < n && at > 0; k++ {
		at--
		for at > 0 && !utf8.RuneStart(s[at]) {
			at--
		}
	}
	return at
}

// on is the byte offset n characters after at in s (len(s) at the most).
func on(s string, at, n int) int {
	for k := 0; k < n && at < len(s); k++ {
		at++
		for at < len(s) && !utf8.RuneStart(s[at]) {
			at++
		}
	}
	return at
}
