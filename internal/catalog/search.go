package catalog

import (
	"openhall/internal/calendar"
	"strings"
	"unicode"
)

// Catalogue search is substring matching over a per-item search text,
// ranked with name hits first. The catalogue is small (names, materials and
// conditions of some ten thousand items), a one-character query must work,
// and Chinese needs no word splitting for substring matching, so no index
// engine is needed; the Searcher interface lets a general engine take over.

// normalizeQuery folds a query the way SearchText folds the text: trimmed,
// lower case, inner white space collapsed, at most 50 characters.
func normalizeQuery(q string) string {
	q = strings.ToLower(strings.Join(strings.FieldsFunc(q, unicode.IsSpace), " "))
	if r := []rune(q); len(r) > 50 {
		q = string(r[:50])
	}
	return q
}

// SearchText is what a search matches against for a guide: its name, its
// conditions and the names of its materials, folded like queries.
func SearchText(g *Guide) string {
	var b strings.Builder
	b.WriteString(g.Name)
	b.WriteString("\n")
	b.WriteString(g.Conditions)
	for _, m := range g.Materials {
		b.WriteString("\n")
		b.WriteString(m.Name)
	}
	return strings.ToLower(b.String())
}

// SearchName is the folded name a search ranks first.
func SearchName(name string) string { return strings.ToLower(name) }

// JoinList stores a list as ",a,b," so that one value is found with a
// substring test of ",a,".
func JoinList[T ~string](xs []T) string {
	if len(xs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(",")
		b.WriteString(string(x))
	}
	b.WriteString(",")
	return b.String()
}

// SplitList reads a list stored by JoinList.
func SplitList[T ~string](s string) []T {
	s = strings.Trim(s, ",")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

// AudienceFlags says whether the audiences include natural persons and
// organisations, the two sides the portal browses by.
func AudienceFlags(as []Audience) (person, legal bool) {
	for _, a := range as {
		if a.IsLegal() {
			legal = true
		} else {
			person = true
		}
	}
	return person, legal
}

// DateText writes a civil date for storage; the zero date is "".
func DateText(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

// ParseDateText reads a date written by DateText.
func ParseDateText(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	return calendar.ParseDate(s)
}
