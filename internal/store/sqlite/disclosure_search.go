package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/disclosure/search"
	"openhall/internal/store/sqlcommon"
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
	return e, notFound(err, "检索条目不存在")
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

// MatchSearchTerms reports which terms each entry's text holds.
func (s *SearchStore) MatchSearchTerms(ctx context.Context, keys []int64, terms []string) (map[int64]uint64, error) {
	out := map[int64]uint64{}
	if len(keys) == 0 || len(terms) == 0 {
		return out, nil
	}
	args := append(anySlice(terms), keyArgs(keys)...)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, `+holdsBits(len(terms), 1, "instr(text, %s)")+` FROM search_entries
		WHERE id IN (`+placeholdersFrom(len(terms)+1, len(keys))+`)`, args...)
	list, err := collect(rows, err, func(r scanner) ([2]int64, error) {
		var v [2]int64
		return v, r.Scan(&v[0], &v[1])
	})
	for _, v := range list {
		if v[1] != 0 {
			out[v[0]] = uint64(v[1])
		}
	}
	return out, err
}

// SearchPage reads the page's entries, each with an excerpt of its body
// (the text after the title and number lines) around needle.
func (s *SearchStore) SearchPage(ctx context.Context, keys []int64, needle string, runes int, terms []string) ([]*search.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	// The excerpt is found and cut in bytes, on the text as a BLOB: TEXT's
	// substr and instr count characters, which over a long law's 30,000
	// was most of a search's time. SQLite looks for the needle in the
	// body's first excerptScan bytes only and then cuts a piece wider than
	// asked (a character is at most 4 bytes); without it there, the whole
	// body comes back and Go, many times faster at it, looks further.
	args := append([]any{needle, sqlcommon.ExcerptBefore * utf8.UTFMax, (sqlcommon.ExcerptBefore + runes) * utf8.UTFMax, excerptScan}, keyArgs(keys)...)
	args = append(args, anySlice(terms)...)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+searchColumns+`, CASE p WHEN 0 THEN substr(t, b) ELSE substr(t, max(b, b + p - 1 - ?2), ?3) END,
			`+holdsBits(len(terms), 5+len(keys), "instr(t, CAST(%s AS BLOB))")+`
		FROM (SELECT *, instr(substr(t, b, ?4), CAST(?1 AS BLOB)) AS p
			FROM (SELECT *, CAST(text AS BLOB) AS t, length(CAST(title_text AS BLOB)) + 2 AS b
				FROM search_entries WHERE id IN (`+placeholdersFrom(5, len(keys))+`)))`, args...)
	return collect(rows, err, func(r scanner) (*search.Entry, error) { return scanExcerpt(r, needle, runes) })
}

// scanExcerpt scans an entry whose text is the piece cut around needle,
// trimming it while the row is current: a whole body (when the needle is
// not near its start) is never copied into a string.
func scanExcerpt(r scanner, needle string, runes int) (*search.Entry, error) {
	var e search.Entry
	var date string
	var piece sql.RawBytes
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &piece, &e.Holds)
	e.Date, e.Text = textDate(date), sqlcommon.Excerpt([]byte(piece), needle, runes)
	return &e, err
}

// excerptScan is how far into a body SQLite looks for the needle.
const excerptScan = 4096

// holdsBits is an expression that sets bit i when in(?first+i), an instr
// expression with %s for the parameter, finds it.
func holdsBits(n, first int, in string) string {
	if n == 0 {
		return "0"
	}
	bits := make([]string, n)
	for i := range bits {
		bits[i] = "((" + fmt.Sprintf(in, "?"+strconv.Itoa(first+i)) + " > 0) << " + strconv.Itoa(i) + ")"
	}
	return strings.Join(bits, " | ")
}

func keyArgs(keys []int64) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

func placeholdersFrom(first, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "?" + strconv.Itoa(first+i)
	}
	return strings.Join(parts, ", ")
}

func scanSearchEntry(r scanner) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &e.Text)
	e.Date = textDate(date)
	return &e, err
}
