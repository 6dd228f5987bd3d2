package opendata

import "strings"

// The catalogue search finds datasets whose search text holds the query as
// a substring. Both stores index every dataset by the distinct pairs of
// adjacent characters (bigrams) of its search text — an FTS table on
// SQLite, a table of (gram, dataset) rows on PostgreSQL — so a query of two or more
// characters reads only the datasets holding all its bigrams, and a longer
// query is then checked as a substring among those few.

// maxQueryGrams bounds the grams a query looks up; the substring check
// covers the rest.
const maxQueryGrams = 8

// SearchGrams are the distinct bigrams of a dataset's search text, in
// order of first appearance.
func SearchGrams(text string) []string {
	r := []rune(text)
	seen := make(map[string]bool, len(r))
	var out []string
	for i := 0; i+1 < len(r); i++ {
		g := string(r[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// QueryGrams are the bigrams a search for q looks up (q lower-cased as the
// search text is): none for a query of one character, which is found by
// the substring check alone.
func QueryGrams(q string) []string {
	g := SearchGrams(strings.ToLower(strings.TrimSpace(q)))
	return g[:min(len(g), maxQueryGrams)]
}

// QueryNeedsCheck reports whether matching q's grams is not yet proof
// that the search text holds q: q is longer than one bigram, or shorter.
func QueryNeedsCheck(q string) bool {
	return len([]rune(strings.TrimSpace(q))) != 2
}
