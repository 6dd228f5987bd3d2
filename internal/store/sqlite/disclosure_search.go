package sqlite

import (
	"context"
	"strings"

	"openhall/internal/disclosure/search"
)

// SearchStore implements search.Store on FTS5: two contentless tables map
// each gram to the rowids (sort keys) of the entries holding it.
type SearchStore struct{ db *DB }

// Search returns the search store.
func (db *DB) Search() *SearchStore { return &SearchStore{db} }

// PutSearchEntry replaces the entry of e's kind and ref.
func (s *SearchStore) PutSearchEntry(ctx context.Context, e *search.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.DeleteSearchEntry(ctx, e.Kind, e.Ref); err != nil {
			return err
		}
		q := s.db.q(ctx)
		_, err := q.ExecContext(ctx, `INSERT INTO search_entries (id, kind, ref, scope, category, topic, validity, year, date, title,
			number, url, text, title_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Key, e.Kind, e.Ref, e.Scope, e.Category, e.Topic, e.Validity, e.Year, e.Date.String(), e.Title, e.Number,
			e.URL, e.Text, e.TitleText)
		if err != nil {
			return mapError(err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO search_grams (rowid, grams) VALUES (?, ?)`, e.Key, strings.Join(e.Grams, " ")); err != nil {
			return mapError(err)
		}
		_, err = q.ExecContext(ctx, `INSERT INTO search_title_grams (rowid, grams) VALUES (?, ?)`, e.Key, strings.Join(e.TitleGrams, " "))
		return mapError(err)
	})
}

// DeleteSearchEntry removes an entry and its grams.
func (s *SearchStore) DeleteSearchEntry(ctx context.Context, kind string, ref int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		for _, stmt := range []string{
			`DELETE FROM search_grams WHERE rowid IN (SELECT id FROM search_entries WHERE kind = ? AND ref = ?)`,
			`DELETE FROM search_title_grams WHERE rowid IN (SELECT id FROM search_entries WHERE kind = ? AND ref = ?)`,
			`DELETE FROM search_entries WHERE kind = ? AND ref = ?`,
		} {
			if _, err := q.ExecContext(ctx, stmt, kind, ref); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}

const searchColumns = `e.id, e.kind, e.ref, e.scope, e.category, e.topic, e.validity, e.year, e.date, e.title, e.number,
	e.url, e.text, e.title_text`

// FindSearchEntries answers a plan, newest first.
func (s *SearchStore) FindSearchEntries(ctx context.Context, p search.Plan) ([]*search.Entry, error) {
	from, args := searchFrom(p)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+searchColumns+from+` ORDER BY g.rowid DESC LIMIT ? OFFSET ?`,
		append(args, p.Limit, p.Offset)...)
	return collect(rows, err, scanSearchEntry)
}

// CountSearchEntries counts the matches of a plan, stopping at max.
func (s *SearchStore) CountSearchEntries(ctx context.Context, p search.Plan, max int) (int, error) {
	from, args := searchFrom(p)
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1`+from+` LIMIT ?)`, append(args, max)...).Scan(&n)
	return n, mapError(err)
}

// searchFrom builds the FROM and WHERE of a plan: the FTS5 match on the
// grams (and filter tokens), the substring checks and the exact filters.
func searchFrom(p search.Plan) (string, []any) {
	table, text := "search_grams", "e.text"
	if p.Tier == search.TierTitle {
		table, text = "search_title_grams", "e.title_text"
	}
	quoted := make([]string, len(p.Grams))
	for i, g := range p.Grams {
		quoted[i] = `"` + g + `"`
	}
	where, args := []string{table + " MATCH ?"}, []any{strings.Join(quoted, " AND ")}
	for _, v := range p.Verify {
		where, args = append(where, "instr("+text+", ?) > 0"), append(args, v)
	}
	if p.Tier == search.TierNotTitle {
		var all []string
		for _, t := range p.Terms {
			all, args = append(all, "instr(e.title_text, ?) > 0"), append(args, t)
		}
		where = append(where, "NOT ("+strings.Join(all, " AND ")+")")
	}
	w, a := searchFilter(p.Filter)
	return ` FROM ` + table + ` g JOIN search_entries e ON e.id = g.rowid WHERE ` + strings.Join(append(where, w...), " AND "), append(args, a...)
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

func scanSearchEntry(r scanner) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &e.Text, &e.TitleText)
	e.Date = textDate(date)
	return &e, err
}

// SearchIndexSize reports the bytes the search tables take (entries with
// their texts, the two gram indexes), for benchmarks and operators.
func (s *SearchStore) SearchIndexSize(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT CASE
			WHEN name LIKE 'search_title_grams%' THEN 'title_grams'
			WHEN name LIKE 'search_grams%' THEN 'grams'
			WHEN name LIKE '%search_entries%' THEN 'entries'
			ELSE 'other' END, sum(pgsize) FROM dbstat GROUP BY 1`)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, mapError(err)
		}
		out[k] = n
	}
	return out, mapError(rows.Err())
}

// mergePages bounds the work of one maintenance step, so that it never
// holds the single writer for long.
const mergePages = 2000

// MaintainSearch merges the FTS5 segments that indexing leaves behind (each
// transaction adds small ones; queries read every segment of a gram), at
// most mergePages pages of each index per call. It reports whether more
// work remains.
func (s *SearchStore) MaintainSearch(ctx context.Context) (bool, error) {
	more := false
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		for _, table := range []string{"search_grams", "search_title_grams"} {
			var before, after int64
			if err := q.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
				return mapError(err)
			}
			// A negative page count merges segments of any level, not
			// only levels that reached the automerge threshold.
			if _, err := q.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`, rank) VALUES ('merge', ?)`, -mergePages); err != nil {
				return mapError(err)
			}
			if err := q.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
				return mapError(err)
			}
			// FTS5 documents a change count of 2 or more as "merged something".
			more = more || after-before >= 2
		}
		return nil
	})
	return more, err
}
