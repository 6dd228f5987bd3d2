package sqlite

import (
	"context"

	"openhall/internal/disclosure/search"
)

// SearchStore implements search.Store: the entries with their normalised
// texts, and the change log the nodes' in-memory indexes follow.
type SearchStore struct{ db *DB }

// Search returns the search store.
func (db *DB) Search() *SearchStore { return &SearchStore{db} }

// PutSearchEntry replaces the entry of e's kind and ref and logs the change.
func (s *SearchStore) PutSearchEntry(ctx context.Context, e *search.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM search_entries WHERE kind = ? AND ref = ?`, e.Kind, e.Ref); err != nil {
			return mapError(err)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO search_entries (id, kind, ref, scope, category, topic, validity, year, date, title,
			number, url, text, title_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Key, e.Kind, e.Ref, e.Scope, e.Category, e.Topic, e.Validity, e.Year, e.Date.String(), e.Title, e.Number,
			e.URL, e.Text, e.TitleText())
		if err != nil {
			return mapError(err)
		}
		return s.log(ctx, e.Kind, e.Ref)
	})
}

func (s *SearchStore) log(ctx context.Context, kind string, ref int64) error {
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO search_log (kind, ref) VALUES (?, ?)`, kind, ref)
	return mapError(err)
}

// DeleteSearchEntry removes an entry and logs the change.
func (s *SearchStore) DeleteSearchEntry(ctx context.Context, kind string, ref int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM search_entries WHERE kind = ? AND ref = ?`, kind, ref); err != nil {
			return mapError(err)
		}
		return s.log(ctx, kind, ref)
	})
}

const searchColumns = `id, kind, ref, scope, category, topic, validity, year, date, title, number, url`

// LoadSearchEntries reads entries in key order, with their texts.
func (s *SearchStore) LoadSearchEntries(ctx context.Context, after int64, limit int) ([]*search.Entry, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+searchColumns+`, text FROM search_entries WHERE id > ? ORDER BY id LIMIT ?`,
		after, limit)
	return collect(rows, err, scanSearchEntry)
}

// FindSearchEntry returns one entry with its text.
func (s *SearchStore) FindSearchEntry(ctx context.Context, kind string, ref int64) (*search.Entry, error) {
	row := s.db.q(ctx).QueryRowContext(ctx, `SELECT `+searchColumns+`, text FROM search_entries WHERE kind = ? AND ref = ?`, kind, ref)
	e, err := scanSearchEntry(row)
	if err != nil {
		return nil, notFound(err, "检索条目不存在")
	}
	return e, nil
}

// SearchChanges lists logged changes after a seq.
func (s *SearchStore) SearchChanges(ctx context.Context, after int64, limit int) ([]search.Change, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT seq, kind, ref FROM search_log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	return collect(rows, err, func(r scanner) (search.Change, error) {
		var c search.Change
		return c, r.Scan(&c.Seq, &c.Kind, &c.Ref)
	})
}

// SearchLogHead is the last logged seq.
func (s *SearchStore) SearchLogHead(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM search_log`).Scan(&n)
	return n, mapError(err)
}

func scanSearchEntry(r scanner) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &e.Text)
	e.Date = textDate(date)
	return &e, err
}
