package search

import "strings"

// Highlight splits s into spans, marking every occurrence of a term. Terms
// are matched on the normalised text; since Normalize maps rune for rune,
// the spans are cut from s as written.
func Highlight(s string, terms []string) []Span {
	rs := []rune(s)
	marks := markRunes([]rune(Normalize(s)), terms)
	return spans(rs, marks)
}

// markRunes flags the runes of text that belong to an occurrence of a term.
func markRunes(text []rune, terms []string) []bool {
	marks := make([]bool, len(text))
	for _, t := range terms {
		tr := []rune(t)
		for i := 0; i+len(tr) <= len(text); i++ {
			if equalRunes(text[i:i+len(tr)], tr) {
				for j := range tr {
					marks[i+j] = true
				}
			}
		}
	}
	return marks
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func spans(rs []rune, marks []bool) []Span {
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

// Snippet returns about n runes of text around the first occurrence of any
// term, with the terms marked; without an occurrence, the text's start.
func Snippet(text string, terms []string, n int) []Span {
	text = strings.Join(strings.Fields(text), " ")
	rs := []rune(text)
	marks := markRunes(rs, terms)
	first := 0
	for i, m := range marks {
		if m {
			first = i
			break
		}
	}
	from := max(first-n/3, 0)
	to := min(from+n, len(rs))
	out := spans(rs[from:to], marks[from:to])
	if from > 0 {
		out = append([]Span{{Text: "…"}}, out...)
	}
	if to < len(rs) {
		out = append(out, Span{Text: "…"})
	}
	return out
}
