package postgres

import (
	"context"
	"strings"

	"openhall/internal/disclosure/search"

	"github.com/jackc/pgx/v5"
)

// SearchStore implements search.Store with GIN indexes over the entries'
// gram arrays; the rows are keyed by their sort keys like SQLite's.
type SearchStore struct{ db *DB }

// Search returns the search store.
func (db *DB) Search() *SearchStore { return &SearchStore{db} }

// PutSearchEntry replaces the entry of e's kind and ref.
func (s *SearchStore) PutSearchEntry(ctx context.Context, e *search.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.DeleteSearchEntry(ctx, e.Kind, e.Ref); err != nil {
			return err
		}
		_, err := s.db.r(ctx).exec(ctx, `INSERT INTO search_entries (id, kind, ref, scope, category, topic, validity, year, date,
			title, number, number_key, url, text, title_text, grams, title_grams)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Key, e.Kind, e.Ref, e.Scope, e.Category, e.Topic, e.Validity, e.Year, e.Date.String(), e.Title, e.Number,
			e.NumberKey, e.URL, e.Text, e.TitleText, e.Grams, e.TitleGrams)
		return mapError(err)
	})
}

// DeleteSearchEntry removes an entry.
func (s *SearchStore) DeleteSearchEntry(ctx context.Context, kind string, ref int64) error {
	_, err := s.db.r(ctx).exec(ctx, `DELETE FROM search_entries WHERE kind = ? AND ref = ?`, kind, ref)
	return mapError(err)
}

const searchColumns = `e.id, e.kind, e.ref, e.scope, e.category, e.topic, e.validity, e.year, e.date, e.title, e.number,
	e.number_key, e.url, e.text, e.title_text`

// FindSearchEntries answers a plan, newest first.
func (s *SearchStore) FindSearchEntries(ctx context.Context, p search.Plan) ([]*search.Entry, error) {
	from, args := searchFrom(p)
	rows, err := s.db.r(ctx).rows(ctx, `SELECT `+searchColumns+from+` ORDER BY e.id DESC LIMIT ? OFFSET ?`,
		append(args, p.Limit, p.Offset)...)
	return scanAll(rows, err, scanSearchEntry)
}

// CountSearchEntries counts the matches of a plan, stopping at max.
func (s *SearchStore) CountSearchEntries(ctx context.Context, p search.Plan, max int) (int, error) {
	from, args := searchFrom(p)
	var n int
	err := s.db.r(ctx).row(ctx, `SELECT count(*) FROM (SELECT 1`+from+` LIMIT ?) AS hits`, append(args, max)...).Scan(&n)
	return n, mapError(err)
}

// searchFrom builds the FROM and WHERE of a plan: containment of the grams
// (and filter tokens), the substring checks and the exact filters.
func searchFrom(p search.Plan) (string, []any) {
	grams, text := "e.grams", "e.text"
	if p.Tier == search.TierTitle {
		grams, text = "e.title_grams", "e.title_text"
	}
	where, args := []string{grams + " @> ?::text[]"}, []any{p.Grams}
	for _, v := range p.Verify {
		where, args = append(where, "strpos("+text+", ?) > 0"), append(args, v)
	}
	if p.Tier == search.TierNotTitle {
		var all []string
		for _, t := range p.Terms {
			all, args = append(all, "strpos(e.title_text, ?) > 0"), append(args, t)
		}
		where = append(where, "NOT ("+strings.Join(all, " AND ")+")")
	}
	w, a := searchFilter(p.Filter)
	return ` FROM search_entries e WHERE ` + strings.Join(append(where, w...), " AND "), append(args, a...)
}

// searchFilter is the exact check behind the filter tokens.
func searchFilter(f search.Filter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.Kind != "" {
		add("e.kind = ?", f.Kind)
	}
	if f.Scope != 0 {
		add("e.scope = ?", f.Scope)
	}
	if f.Category != "" {
		add("e.category = ?", f.Category)
	}
	if f.Topic != "" {
		add("e.topic = ?", f.Topic)
	}
	if f.Validity != "" {
		add("e.validity = ?", f.Validity)
	}
	if f.Year != 0 {
		add("e.year = ?", f.Year)
	}
	return where, args
}

func scanSearchEntry(r pgx.Row) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.NumberKey, &e.URL, &e.Text, &e.TitleText)
	e.Date = textDate(date)
	return &e, err
}
