package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlight splits s into spans, marking every occurrence of a term. Terms
// are matched on the normalised text; since Normalize maps rune for rune,
// the spans are cut from s as written.
func Highlight(s string, terms []string) []Span {
	norm := Normalize(s)
	if norm == s { // the common case: cut by byte offsets, no rune slices
		return cut(s, occurrences(s, terms), 0, len(s))
	}
	rs := []rune(s)
	return runeSpans(rs, markRunes([]rune(norm), terms))
}

// markRunes flags the runes of text that belong to an occurrence of a term.
func markRunes(text []rune, terms []string) []bool {
	marks := make([]bool, len(text))
	for _, t := range terms {
		tr := []rune(t)
		for i := 0; i+len(tr) <= len(text); i++ {
			if slices.Equal(text[i:i+len(tr)], tr) {
				for j := range tr {
					marks[i+j] = true
				}
			}
		}
	}
	return marks
}

func runeSpans(rs []rune, marks []bool) []Span {
	var out []Span
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || marks[i] != marks[start] {
			out = append(out, Span{Text: string(rs[start:i]), Mark: marks[start]})
			start = i
		}
	}
	return out
}

// span is a byte range [from, to) of a text.
type span struct{ from, to int }

// occurrences returns the byte ranges of every occurrence of every term in
// text (overlapping ones too), merged where they touch or overlap, in
// order. A match of valid UTF-8 always starts on a character boundary.
func occurrences(text string, terms []string) []span {
	var out []span
	for _, t := range terms {
		if t == "" {
			continue
		}
		for at := 0; ; {
			i := strings.Index(text[at:], t)
			if i < 0 {
				break
			}
			out = append(out, span{at + i, at + i + len(t)})
			_, size := utf8.DecodeRuneInString(text[at+i:])
			at += i + size
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.from - b.from })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.from <= merged[n-1].to {
			merged[n-1].to = max(merged[n-1].to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// cut returns text[from:to] as spans, marking the parts within marks.
func cut(text string, marks []span, from, to int) []Span {
	var out []Span
	at := from
	for _, m := range marks {
		s, e := max(m.from, from), min(m.to, to)
		if s >= e {
			continue
		}
		if s > at {
			out = append(out, Span{Text: text[at:s]})
		}
		out = append(out, Span{Text: text[s:e], Mark: true})
		at = e
	}
	if at < to {
		out = append(out, Span{Text: text[at:to]})
	}
	return out
}

// Snippet returns about n runes of text around the first occurrence of any
// term, with the terms marked; without an occurrence, the text's start.
// Runs of white space count as one space.
func Snippet(text string, terms []string, n int) []Span {
	text = collapseSpace(text)
	marks := occurrences(text, terms)
	first := 0
	if len(marks) > 0 {
		first = marks[0].from
	}
	from := first
	for k := 0; k < n/3 && from > 0; k++ { // back n/3 characters
		from--
		for from > 0 && !utf8.RuneStart(text[from]) {
			from--
		}
	}
	to := from
	for k := 0; k < n && to < len(text); k++ { // on n characters
		to++
		for to < len(text) && !utf8.RuneStart(text[to]) {
			to++
		}
	}
	out := cut(text, marks, from, to)
	if from > 0 {
		out = append([]Span{{Text: "…"}}, out...)
	}
	if to < len(text) {
		out = append(out, Span{Text: "…"})
	}
	return out
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without copying
// a text that needs no change. Only ASCII bytes and the lead bytes of the
// few non-ASCII spaces (U+0085 … U+3000: 0xC2, 0xE1, 0xE2, 0xE3) are looked
// at; every other byte of a Chinese text is passed over undecoded.
func collapseSpace(s string) string {
	prevSpace := true // a leading space is dropped
	for i := 0; i < len(s); i++ {
		var space bool
		switch c := s[i]; {
		case c < utf8.RuneSelf:
			space = asciiSpace[c]
			if space && (prevSpace || c != ' ') {
				return strings.Join(strings.Fields(s), " ")
			}
		case c == 0xC2 || (c >= 0xE1 && c <= 0xE3):
			r, _ := utf8.DecodeRuneInString(s[i:])
			if space = unicode.IsSpace(r); space {
				return strings.Join(strings.Fields(s), " ")
			}
		case !utf8.RuneStart(c):
			continue // inside a character: the flag stays as its lead byte set it
		}
		prevSpace = space
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
