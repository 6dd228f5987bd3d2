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
		from = at
		for k := 0; k < excerptBefore && from > 0; k++ {
			from--
			for from > 0 && !utf8.RuneStart(body[from]) {
				from--
			}
		}
	}
	to := from
	for k := 0; k < runes && to < len(body); k++ {
		to++
		for to < len(body) && !utf8.RuneStart(body[to]) {
			to++
		}
	}
	return body[from:to]
}
