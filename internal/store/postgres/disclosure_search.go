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

// denseAt is the number of matches from which a page is read by walking
// the sort key backwards and filtering, instead of collecting every match
// from the GIN index and sorting: with that many matches the first page
// lies within a short walk.
const denseAt = 300

// Planner settings per access path. The planner's guesses for array
// containment are poor (a LIMIT makes it prefer a sequential scan that
// detoasts every row's grams), and the engine knows the match count before
// it reads a page, so each query names its path.
var (
	bitmapOnly = []string{"enable_seqscan", "enable_indexscan"}                      // GIN bitmap, then the heap
	keyWalk    = []string{"enable_seqscan", "enable_bitmapscan"}                     // primary key backwards, filtered
	allPaths   = []string{"enable_seqscan", "enable_indexscan", "enable_bitmapscan"} // reset afterwards
)

// FindSearchEntries answers a plan, newest first.
func (s *SearchStore) FindSearchEntries(ctx context.Context, p search.Plan) ([]*search.Entry, error) {
	from, args := searchFrom(p)
	path := bitmapOnly
	if p.Expected >= denseAt {
		path = keyWalk
	}
	var out []*search.Entry
	err := s.withPath(ctx, path, func(ctx context.Context) error {
		rows, err := s.db.r(ctx).rows(ctx, `SELECT `+searchColumns+from+` ORDER BY e.id DESC LIMIT ? OFFSET ?`,
			append(args, p.Limit, p.Offset)...)
		out, err = scanAll(rows, err, scanSearchEntry)
		return err
	})
	return out, err
}

// CountSearchEntries counts the matches of a plan, stopping at max, from
// the GIN index: the heap is visited only for the counted rows.
func (s *SearchStore) CountSearchEntries(ctx context.Context, p search.Plan, max int) (int, error) {
	from, args := searchFrom(p)
	var n int
	err := s.withPath(ctx, bitmapOnly, func(ctx context.Context) error {
		return mapError(s.db.r(ctx).row(ctx, `SELECT count(*) FROM (SELECT 1`+from+` LIMIT ?) AS hits`, append(args, max)...).Scan(&n))
	})
	return n, err
}

// withPath runs fn in a transaction with the given planner methods off,
// and turns them back on for whatever else shares the transaction. Plans
// are made for each execution (force_custom_plan): a generic plan cached
// for the prepared statement under one path would be reused under another.
func (s *SearchStore) withPath(ctx context.Context, off []string, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.Exec(ctx, setConfig(off, "off", "force_custom_plan")); err != nil {
			return mapError(err)
		}
		err := fn(ctx)
		if _, rerr := q.Exec(ctx, setConfig(allPaths, "on", "auto")); rerr != nil && err == nil {
			err = mapError(rerr)
		}
		return err
	})
}

// setConfig is one statement setting the planner methods to value and the
// plan cache mode, for the rest of the transaction.
func setConfig(methods []string, value, planCache string) string {
	parts := []string{"set_config('plan_cache_mode', '" + planCache + "', true)"}
	for _, m := range methods {
		parts = append(parts, "set_config('"+m+"', '"+value+"', true)")
	}
	return "SELECT " + strings.Join(parts, ", ")
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

// SearchIndexSize reports the bytes the search table and its indexes take,
// for benchmarks and operators.
func (s *SearchStore) SearchIndexSize(ctx context.Context) (map[string]int64, error) {
	var entries, grams, titleGrams, other int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT pg_table_size('search_entries'), pg_relation_size('search_entries_grams'),
		pg_relation_size('search_entries_title_grams'), pg_database_size(current_database())`).Scan(&entries, &grams, &titleGrams, &other)
	return map[string]int64{"entries": entries, "grams": grams, "title_grams": titleGrams,
		"other": other - entries - grams - titleGrams}, mapError(err)
}

// MaintainSearch moves the GIN indexes' pending entries into the main
// index structure (autovacuum does it too, later), so that searches after
// a bulk load do not scan a long pending list. It never has more to do.
func (s *SearchStore) MaintainSearch(ctx context.Context) (bool, error) {
	_, err := s.db.q(ctx).Exec(ctx, `SELECT gin_clean_pending_list('search_entries_grams'),
		gin_clean_pending_list('search_entries_title_grams')`)
	return false, mapError(err)
}
