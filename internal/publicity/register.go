package publicity

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/calendar"
	"openhall/internal/disclosure/search"
)

// The register's search matches like the portal's one box: every query
// term must be a substring of the entry's text (number, item or violation,
// party, credit code, department), normalised the same way (search.
// Normalize). The stores index each entry's one- and two-character grams
// and two filter tokens, and read matches newest decision first, stopping
// after the page.

// Text is the normalised text an entry is searched in.
func Text(e *Entry) string {
	return search.Normalize(strings.Join([]string{e.Number, e.Title, e.HolderName, e.CreditCode, e.DeptName}, "\n"))
}

// Grams are the grams and filter tokens the stores index for an entry: its
// text's one- and two-character grams and the trigrams of its runs of
// digits (see digitTrigrams).
func Grams(e *Entry) []string {
	text := Text(e)
	return append(append(search.Grams(text), digitTrigrams(text)...), kindToken(e.Kind), deptToken(e.DepartmentID))
}

// digitTrigrams are tokens for the three-digit substrings of the runs of
// digits in s, in order. Credit codes
// and decision numbers are mostly digits, whose 100 bigrams each occur in a
// large share of the register; a trigram occurs in few entries, so a number
// is found by a few short lists instead of long ones.
func digitTrigrams(s string) []string {
	seen := map[string]bool{}
	var out []string
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			run = 0
			continue
		}
		if run++; run >= 3 {
			if g := "z3" + s[i-2:i+1]; !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// Filter tokens are ASCII and longer than any gram, so no gram equals one.
func kindToken(k Kind) string   { return "zzk" + string(k) }
func deptToken(id int64) string { return "zzd" + strconv.FormatInt(id, 10) }

// termGrams are the grams a term adds to a query: its first bigrams (a
// name's distinctive part is its start; its end, 有限公司 and the like, is in
// most entries and would only lengthen the lists the stores intersect); or,
// when it holds runs of digits, the trigrams at its end instead (a credit
// code's or a decision number's serial digits are its rare part).
func termGrams(t string) []string {
	if tri := digitTrigrams(t); len(tri) >= 2 {
		return tri[max(0, len(tri)-maxTermGrams):]
	}
	bs := bigrams(t)
	return bs[:min(len(bs), maxTermGrams)]
}

// maxTermGrams bounds the grams one term adds to a query; the substring
// check confirms every candidate.
const maxTermGrams = 4

// bigrams returns a term's gram: itself when it has one or two runes, else
// its distinct bigrams of indexable runes.
func bigrams(t string) []string {
	all := search.Grams(t)
	if utf8.RuneCountInString(t) <= 2 {
		if len(all) > 0 {
			return all[len(all)-1:] // the whole term (a bigram, or the unigram)
		}
		return nil
	}
	var out []string
	for _, g := range all {
		if utf8.RuneCountInString(g) == 2 {
			out = append(out, g)
		}
	}
	return out
}

// Search is a search of the public register.
type Search struct {
	Q            string
	Kind         Kind
	DepartmentID int64
	Before       int64 // the cursor of the next page; 0 = the newest
	Limit        int   // 1–100; default 20
}

// Page is one page of results and the cursor of the next (0 = last page).
type Page struct {
	Terms   []string
	Entries []*Entry
	Next    int64
}

// Search answers a public search, newest decision first.
func (s *Service) Search(ctx context.Context, q Search) (*Page, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	sq := PlanQuery(q, s.today())
	sq.Limit = q.Limit + 1
	es, err := s.d.Store.SearchRegister(ctx, sq)
	if err != nil {
		return nil, err
	}
	p := &Page{Terms: sq.Terms, Entries: es}
	if len(es) > q.Limit {
		p.Entries = es[:q.Limit]
		p.Next = p.Entries[q.Limit-1].Key
	}
	return p, nil
}

// PlanQuery turns a search into the store's query.
func PlanQuery(q Search, today calendar.Date) Query {
	sq := Query{Terms: search.ParseQuery(q.Q), Kind: q.Kind, DepartmentID: q.DepartmentID, Today: today, Before: q.Before}
	for _, t := range sq.Terms {
		sq.Grams = append(sq.Grams, termGrams(t)...)
	}
	if q.Kind != "" {
		sq.Grams = append(sq.Grams, kindToken(q.Kind))
	}
	if q.DepartmentID != 0 {
		sq.Grams = append(sq.Grams, deptToken(q.DepartmentID))
	}
	return sq
}

// MaxDownload bounds a download of search results.
const MaxDownload = 10000

// Download collects up to MaxDownload results of a search, for the .xlsx
// and JSON downloads.
func (s *Service) Download(ctx context.Context, q Search) ([]*Entry, error) {
	var out []*Entry
	q.Limit = 100
	for len(out) < MaxDownload {
		p, err := s.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Entries...)
		if p.Next == 0 {
			break
		}
		q.Before = p.Next
	}
	return out, nil
}

// SortKey orders entries newest decision first when descending: the
// decision's day in the high bits, the entry's id below, so keys are unique.
func SortKey(decided calendar.Date, id int64) int64 {
	days := int64(decided.Sub(calendar.NewDate(1970, 1, 1)))
	return days<<34 | id
}
