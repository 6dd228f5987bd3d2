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
	out := make([]span, 0, 8)
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
	from := back(text, max(firstIndex(text, terms), 0), n/3)
	to := on(text, from, n)
	out := cut(text, marksWithin(text, terms, from, to), from, to)
	if from > 0 {
		out = append([]Span{{Text: "…"}}, out...)
	}
	if to < len(text) {
		out = append(out, Span{Text: "…"})
	}
	return out
}

// firstIndex is the byte offset of the first occurrence of any term, -1
// if none occurs.
func firstIndex(text string, terms []string) int {
	first := -1
	for _, t := range terms {
		if t == "" {
			continue
		}
		if i := strings.Index(text, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

// marksWithin returns the occurrences of terms that overlap text[from:to],
// where from is at or before the first occurrence: it looks only from
// there to where an occurrence starting before to ends.
func marksWithin(text string, terms []string, from, to int) []span {
	longest := 0
	for _, t := range terms {
		longest = max(longest, len(t))
	}
	hi := min(to+longest-1, len(text))
	if from >= hi {
		return nil
	}
	marks := occurrences(text[from:hi], terms)
	for i := range marks {
		marks[i].from, marks[i].to = marks[i].from+from, marks[i].to+from
	}
	return marks
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without copying
// a text that needs no change and in one pass over the bytes of one that
// does. Bytes that cannot start a space (see spaceLead) are passed over in
// runs, undecoded; only the lead bytes of the few non-ASCII spaces are
// decoded.
func collapseSpace(s string) string {
	if collapsed(s) {
		return s
	}
	out := make([]byte, 0, len(s))
	gap := false // a space is due before the next non-space
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && spaceLead[s[j]] == 0 {
			j++
		}
		if j == i { // s[i] may start a space
			if n := spaceAt(s, i); n > 0 {
				gap, i = len(out) > 0, i+n
				continue
			}
			j++
		}
		if gap {
			out, gap = append(out, ' '), false
		}
		out, i = append(out, s[i:j]...), j
	}
	return string(out)
}

// collapsed reports whether s has no leading, trailing or repeated space
// and no space other than ' '.
func collapsed(s string) bool {
	prevSpace := true // a leading space is a change
	for i := 0; i < len(s); i++ {
		switch spaceLead[s[i]] {
		case 0:
			prevSpace = false
		case spaceASCII:
			if prevSpace || s[i] != ' ' {
				return false
			}
			prevSpace = true
		default:
			if spaceAt(s, i) > 0 {
				return false
			}
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// spaceAt is the length in bytes of the white-space character at s[i], 0
// if there is none there.
func spaceAt(s string, i int) int {
	switch spaceLead[s[i]] {
	case spaceASCII:
		return 1
	case spaceMaybe:
		if r, n := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
			return n
		}
	}
	return 0
}

// Kinds of byte in spaceLead.
const (
	spaceASCII = 1 // an ASCII space
	spaceMaybe = 2 // the lead byte of some non-ASCII spaces (U+0085 … U+3000)
)

// spaceLead marks the bytes a white-space character (as unicode.IsSpace
// reports) can start with; every other byte, including every byte inside
// a character, is 0.
var spaceLead = func() (t [256]uint8) {
	for _, c := range "\t\n\v\f\r " {
		t[c] = spaceASCII
	}
	for _, c := range []byte{0xC2, 0xE1, 0xE2, 0xE3} {
		t[c] = spaceMaybe
	}
	return t
}()
