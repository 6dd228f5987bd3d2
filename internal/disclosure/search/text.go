package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize folds s for matching, rune for rune, so that a position in the
// result is a position in s: full-width ASCII and the ideographic space
// become half-width, letters become lower case, and the brackets people type
// around a document number's year ([2017], (2017), 【2017】, ［2017］) become
// the official 〔〕. Nothing is removed, so snippets cut from the normalised
// text still read like the original.
func Normalize(s string) string {
	if !folds(s) {
		return s // most titles and excerpts: no copy
	}
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	normalizeYearBrackets(rs)
	return string(rs)
}

// folds reports whether Normalize changes s: a rune that folds, a bracket
// that may open a 文号's year, or a byte that is not valid UTF-8 (which
// the rune conversion replaces).
func folds(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || fold(r) != r || (r < 0x3020 && strings.ContainsRune(openBrackets, r)) {
			return true
		}
	}
	return false
}

// fold maps one rune to its matching form.
func fold(r rune) rune {
	switch {
	case r >= '\u4E00' && r <= '\u9FFF': // CJK ideographs have no case
		return r
	case r == '\u3000':
		return ' '
	case r >= '\uFF01' && r <= '\uFF5E': // full-width ASCII block
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// openBrackets and closeBrackets are the brackets users put around the year
// of a 文号; the official form is 〔〕 (GB/T 9704).
const (
	openBrackets  = "[(【〔［（〖{｛"
	closeBrackets = "])】〕］）〗}｝"
)

// normalizeYearBrackets rewrites an open bracket, four digits and a close
// bracket as 〔dddd〕 in place.
func normalizeYearBrackets(rs []rune) {
	for i := 0; i+5 < len(rs); i++ {
		if !strings.ContainsRune(openBrackets, rs[i]) || !strings.ContainsRune(closeBrackets, rs[i+5]) {
			continue
		}
		if isDigits(rs[i+1 : i+5]) {
			rs[i], rs[i+5] = '〔', '〕'
		}
	}
}

func isDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// indexable reports whether r takes part in grams: letters and digits of
// any script, and the 〔〕 of a 文号's year, which make number look-ups
// selective ("发〔", "〕4"). Other punctuation and spaces separate runs; they
// still match inside a query term, through the substring check.
func indexable(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '〔' || r == '〕'
}

// Grams returns the distinct unigrams and bigrams of the indexable runs of
// the normalised text s, in first-seen order. Every one- or two-character
// substring of s made of indexable runes is a gram, so a one- or
// two-character query matches exactly the texts that contain it.
func Grams(s string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	prev := -1 // byte offset of the previous indexable rune, -1 after a separator
	for i, r := range s {
		if !indexable(r) {
			prev = -1
			continue
		}
		size := utf8.RuneLen(r)
		add(s[i : i+size])
		if prev >= 0 {
			add(s[prev : i+size])
		}
		prev = i
	}
	return out
}

// Query limits: a pasted page of text is cut, not refused, and stays fast.
const (
	maxQueryRunes = 200
	maxTerms      = 8
	maxTermRunes  = 40
)

// ParseQuery splits a query into normalised terms. Terms are separated by
// white space; text in double quotes (ASCII or Chinese) is one term, spaces
// included, matched exactly as written. Terms without any letter or digit
// are dropped: a query of punctuation has no terms.
func ParseQuery(q string) []string {
	var out []string
	for _, t := range parseTerms(q) {
		out = append(out, t.text)
	}
	return out
}

// parsedTerm is a query term and whether it was quoted.
type parsedTerm struct {
	text   string
	quoted bool
}

func parseTerms(q string) []parsedTerm {
	q = Normalize(truncateRunes(q, maxQueryRunes))
	q = strings.NewReplacer("“", `"`, "”", `"`).Replace(q)
	var terms []parsedTerm
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			terms = appendTerm(terms, strings.TrimSpace(part), true)
			continue
		}
		for _, f := range strings.Fields(part) {
			terms = appendTerm(terms, f, false)
		}
	}
	if len(terms) > maxTerms {
		terms = terms[:maxTerms]
	}
	return terms
}

func appendTerm(terms []parsedTerm, t string, quoted bool) []parsedTerm {
	t = strings.TrimFunc(truncateRunes(t, maxTermRunes), func(r rune) bool { return !indexable(r) })
	if !hasWordRune(t) {
		return terms
	}
	for _, x := range terms {
		if x.text == t {
			return terms
		}
	}
	return append(terms, parsedTerm{text: t, quoted: quoted})
}

// hasWordRune reports whether t has a letter or digit: a term of brackets
// alone says nothing.
func hasWordRune(t string) bool {
	return strings.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
