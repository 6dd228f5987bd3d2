package search

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/calendar"
)

// Entry is an item as stored: display fields, the normalised texts the
// substring checks run on, and the grams the index holds.
type Entry struct {
	Key       int64 // sort key, unique: newest first is Key descending
	Kind      string
	Ref       int64
	Scope     int64
	Category  string
	Topic     string
	Validity  string
	Year      int
	Date      calendar.Date
	Title     string
	Number    string
	URL       string
	Text      string // normalised: title, number, summary, body, extra, one per line
	TitleText string // normalised: title and number

	Grams      []string // grams of Text and the filter tokens
	TitleGrams []string // grams of TitleText and the filter tokens
}

// Tier selects which part of the hits a Plan asks for.
type Tier int

// Tiers.
const (
	TierAll      Tier = iota // every hit
	TierTitle                // hits with every term in the title text
	TierNotTitle             // the other hits
)

// Plan is a search as the store runs it; both backends must answer a Plan
// with the same rows in the same order (Key descending).
type Plan struct {
	Tier   Tier
	Grams  []string // all present in Grams (TierAll, TierNotTitle) or TitleGrams (TierTitle)
	Verify []string // each a substring of Text (TierAll, TierNotTitle) or TitleText (TierTitle)
	Terms  []string // TierNotTitle: not every one a substring of TitleText
	Filter Filter   // exact column checks behind the filter tokens
	Offset int
	Limit  int
	// Count is how many items match, as counted before the page is read
	// (at most MaxCount+1); a store may choose its access path by it.
	Count int
}

// Filter holds the exact values the filter tokens stand for.
type Filter struct {
	Kind     string
	Scope    int64
	Category string
	Topic    string
	Validity string
	Year     int
}

// Store keeps entries; methods join the transaction in ctx.
type Store interface {
	PutSearchEntry(ctx context.Context, e *Entry) error // replaces the entry with the same kind and ref
	DeleteSearchEntry(ctx context.Context, kind string, ref int64) error
	FindSearchEntries(ctx context.Context, p Plan) ([]*Entry, error) // Key descending; Grams not filled
	CountSearchEntries(ctx context.Context, p Plan, max int) (int, error)
}

// Engine is the Searcher over a Store.
type Engine struct{ store Store }

// NewEngine returns an Engine.
func NewEngine(s Store) *Engine { return &Engine{store: s} }

// Index stores or replaces d.
func (e *Engine) Index(ctx context.Context, d Doc) error {
	en, err := entryOf(d)
	if err != nil {
		return err
	}
	return e.store.PutSearchEntry(ctx, en)
}

// Remove drops an item; removing one that is not indexed is not an error.
func (e *Engine) Remove(ctx context.Context, kind string, ref int64) error {
	return e.store.DeleteSearchEntry(ctx, kind, ref)
}

// SortKey orders items newest first when descending: the date in the high
// bits, then the kind and the ref, so that keys are unique.
func SortKey(kind string, ref int64, d calendar.Date) (int64, error) {
	code, ok := kindCodes[kind]
	if !ok || ref <= 0 || ref >= 1<<28 {
		return 0, fmt.Errorf("%w %q (ref %d)", ErrUnknownKind, kind, ref)
	}
	days := int64(d.Sub(calendar.NewDate(1970, 1, 1)))
	return days<<32 | code<<28 | ref, nil
}

func entryOf(d Doc) (*Entry, error) {
	key, err := SortKey(d.Kind, d.Ref, d.Date)
	if err != nil {
		return nil, err
	}
	title := Normalize(d.Title + "\n" + d.Number)
	text := title + "\n" + Normalize(strings.Join([]string{d.Summary, d.Body, d.Extra}, "\n"))
	f := Filter{Kind: d.Kind, Scope: d.Scope, Category: d.Category, Topic: d.Topic, Validity: d.Validity, Year: d.Date.Year()}
	tokens := f.tokens()
	return &Entry{Key: key, Kind: d.Kind, Ref: d.Ref, Scope: d.Scope, Category: d.Category, Topic: d.Topic,
		Validity: d.Validity, Year: d.Date.Year(), Date: d.Date, Title: d.Title, Number: d.Number,
		URL: d.URL, Text: text, TitleText: title,
		Grams: append(Grams(text), tokens...), TitleGrams: append(Grams(title), tokens...)}, nil
}

// tokens returns the filter tokens of an entry (every field set) or of a
// query (only the fields it filters on).
func (f Filter) tokens() []string {
	var out []string
	if f.Kind != "" {
		out = append(out, filterToken('k', f.Kind))
	}
	if f.Scope != 0 {
		out = append(out, filterToken('s', fmt.Sprint(f.Scope)))
	}
	if f.Category != "" {
		out = append(out, filterToken('c', f.Category))
	}
	if f.Topic != "" {
		out = append(out, filterToken('t', f.Topic))
	}
	if f.Validity != "" {
		out = append(out, filterToken('v', f.Validity))
	}
	if f.Year != 0 {
		out = append(out, filterToken('y', fmt.Sprint(f.Year)))
	}
	return out
}

// Search runs q.
func (e *Engine) Search(ctx context.Context, q Query) (*Result, error) {
	if q.Limit <= 0 || q.Limit > 50 {
		q.Limit = 20
	}
	q.Offset = min(max(q.Offset, 0), MaxCount)
	res := &Result{Terms: ParseQuery(q.Text)}
	if len(res.Terms) == 0 {
		return res, nil
	}
	base := planFor(res.Terms, q)
	var err error
	if q.Sort == ByDate {
		err = e.searchByDate(ctx, base, q, res)
	} else {
		err = e.searchByRelevance(ctx, base, q, res)
	}
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// planFor builds the TierAll plan of the terms and filters.
func planFor(terms []string, q Query) Plan {
	f := Filter{Kind: q.Kind, Scope: q.Scope, Category: q.Category, Topic: q.Topic, Validity: q.Validity, Year: q.Year}
	p := Plan{Tier: TierAll, Terms: terms, Filter: f, Limit: q.Limit}
	seen := map[string]bool{}
	for _, t := range terms {
		grams, exact := termGrams(t)
		for _, g := range grams {
			if !seen[g] {
				seen[g] = true
				p.Grams = append(p.Grams, g)
			}
		}
		if !exact {
			p.Verify = append(p.Verify, t)
		}
	}
	p.Grams = append(p.Grams, f.tokens()...)
	return p
}

func (e *Engine) searchByDate(ctx context.Context, p Plan, q Query, res *Result) error {
	n, err := e.store.CountSearchEntries(ctx, p, MaxCount+1)
	if err != nil || n == 0 {
		return err
	}
	res.Total, res.Capped = min(n, MaxCount), n > MaxCount
	p.Offset, p.Count = q.Offset, n
	entries, err := e.store.FindSearchEntries(ctx, p)
	res.Hits = hitsOf(entries, res.Terms)
	return err
}

// searchByRelevance pages through the title tier, then the rest.
func (e *Engine) searchByRelevance(ctx context.Context, p Plan, q Query, res *Result) error {
	n, err := e.store.CountSearchEntries(ctx, p, MaxCount+1)
	if err != nil || n == 0 {
		return err
	}
	res.Total, res.Capped = min(n, MaxCount), n > MaxCount
	title := titlePlan(p)
	nTitle, err := e.store.CountSearchEntries(ctx, title, MaxCount+1)
	if err != nil {
		return err
	}
	var entries []*Entry
	if q.Offset < nTitle {
		title.Offset, title.Count = q.Offset, nTitle
		if entries, err = e.store.FindSearchEntries(ctx, title); err != nil {
			return err
		}
	}
	if need := q.Limit - len(entries); need > 0 && n > nTitle {
		rest := p
		rest.Tier, rest.Offset, rest.Limit, rest.Count = TierNotTitle, max(q.Offset-nTitle, 0), need, n-nTitle
		more, err := e.store.FindSearchEntries(ctx, rest)
		if err != nil {
			return err
		}
		entries = append(entries, more...)
	}
	res.Hits = hitsOf(entries, res.Terms)
	return nil
}

// titlePlan narrows p to items whose title text holds every term.
func titlePlan(p Plan) Plan {
	t := p
	t.Tier, t.Verify = TierTitle, nil
	for _, term := range p.Terms {
		if _, exact := termGrams(term); !exact {
			t.Verify = append(t.Verify, term)
		}
	}
	return t
}

func hitsOf(entries []*Entry, terms []string) []Hit {
	hits := make([]Hit, 0, len(entries))
	for _, en := range entries {
		hits = append(hits, Hit{Kind: en.Kind, Ref: en.Ref, Scope: en.Scope, Title: Highlight(en.Title, terms),
			Number: en.Number, Category: en.Category, Validity: en.Validity, Date: en.Date, URL: en.URL,
			Snippet: Snippet(bodyOf(en), terms, snippetRunes), InTitle: containsAll(en.TitleText, terms)})
	}
	return hits
}

// bodyOf is the part of an entry's text after the title and number lines.
func bodyOf(en *Entry) string {
	return strings.TrimPrefix(en.Text, en.TitleText+"\n")
}

func containsAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// snippetRunes is the length of a result's text excerpt.
const snippetRunes = 120
