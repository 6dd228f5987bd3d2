package search

import (
	"hash/fnv"
	"strconv"
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
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	normalizeYearBrackets(rs)
	return string(rs)
}

// fold maps one rune to its matching form.
func fold(r rune) rune {
	switch {
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

// termGrams returns the grams a document must contain to possibly contain
// term: the term itself when it is one indexable rune, else some of its
// bigrams. exact is true when containing those grams already means
// containing term.
//
// A long term does not need all its bigrams: the substring check confirms
// every candidate. Bigrams of digits alone (20, 01, 17 — years and numbers)
// and the grams of a year's opening bracket hold most of a catalogue and
// only slow the intersection, so they are left out when the
// term has others, and at most maxTermGrams are kept, spread over the term.
func termGrams(term string) (grams []string, exact bool) {
	n := utf8.RuneCountInString(term)
	all := Grams(term)
	if n == 1 {
		return all, len(all) == 1
	}
	var words, digits []string
	for _, g := range all {
		switch {
		case utf8.RuneCountInString(g) != 2, strings.ContainsRune(g, '〔'):
			// "发〔" ends most issuers and "〔2" opens every year of this
			// century: they select nothing. "7〕" and "〕4" do.
		case isDigitString(g):
			digits = append(digits, g)
		default:
			words = append(words, g)
		}
	}
	if len(words) == 0 {
		words = digits
	}
	exact = n == 2 && len(words) == 1
	return spread(words, maxTermGrams), exact
}

// maxTermGrams bounds the grams one term adds to a query.
const maxTermGrams = 6

func isDigitString(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// spread keeps at most n of xs, evenly spaced, first and last included.
func spread(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	out := make([]string, n)
	for i := range out {
		out[i] = xs[i*(len(xs)-1)/(n-1)]
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
// included. Every term must occur in a matching document, as written
// (substring match), so a term is also a phrase. Terms without any letter
// or digit are dropped: a query of punctuation has no terms.
func ParseQuery(q string) []string {
	q = Normalize(truncateRunes(q, maxQueryRunes))
	q = strings.NewReplacer("“", `"`, "”", `"`).Replace(q)
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			terms = appendTerm(terms, strings.TrimSpace(part))
			continue
		}
		for _, f := range strings.Fields(part) {
			terms = appendTerm(terms, f)
		}
	}
	if len(terms) > maxTerms {
		terms = terms[:maxTerms]
	}
	return terms
}

func appendTerm(terms []string, t string) []string {
	t = strings.TrimFunc(truncateRunes(t, maxTermRunes), func(r rune) bool { return !indexable(r) })
	if !hasWordRune(t) {
		return terms
	}
	for _, x := range terms {
		if x == t {
			return terms
		}
	}
	return append(terms, t)
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

// filterToken turns a filter value into a token no gram can equal: grams
// are at most two runes, filter tokens are longer and ASCII.
func filterToken(field byte, value string) string {
	h := fnv.New32a()
	h.Write([]byte(value))
	return "zz" + string(field) + strconv.FormatUint(uint64(h.Sum32()), 36)
}
