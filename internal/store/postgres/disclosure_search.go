package postgres

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/disclosure/search"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

// SearchStore implements search.Store: the entries with their normalised
// texts, and the change log the nodes' in-memory indexes follow.
type SearchStore struct{ db *DB }

// Search returns the search store.
func (db *DB) Search() *SearchStore { return &SearchStore{db: db} }

// PutSearchEntry replaces the entry of e's kind and ref and logs the change.
func (s *SearchStore) PutSearchEntry(ctx context.Context, e *search.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.Exec(ctx, `DELETE FROM search_entries WHERE kind = $1 AND ref = $2`, e.Kind, e.Ref); err != nil {
			return mapError(err)
		}
		_, err := q.Exec(ctx, `INSERT INTO search_entries (id, kind, ref, scope, category, topic, validity, year, date,
			title, number, url, text, title_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			e.Key, e.Kind, e.Ref, e.Scope, e.Category, e.Topic, e.Validity, e.Year, e.Date.String(), e.Title, e.Number,
			e.URL, e.Text, e.TitleText())
		if err != nil {
			return mapError(err)
		}
		return s.log(ctx, e.Kind, e.Ref)
	})
}

func (s *SearchStore) log(ctx context.Context, kind string, ref int64) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO search_log (kind, ref) VALUES ($1, $2)`, kind, ref)
	return mapError(err)
}

// DeleteSearchEntry removes an entry and logs the change.
func (s *SearchStore) DeleteSearchEntry(ctx context.Context, kind string, ref int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `DELETE FROM search_entries WHERE kind = $1 AND ref = $2`, kind, ref); err != nil {
			return mapError(err)
		}
		return s.log(ctx, kind, ref)
	})
}

const searchColumns = `id, kind, ref, scope, category, topic, validity, year, date, title, number, url`

// LoadSearchEntries reads entries in key order, with their texts.
func (s *SearchStore) LoadSearchEntries(ctx context.Context, after int64, limit int) ([]*search.Entry, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+searchColumns+`, text FROM search_entries WHERE id > $1 ORDER BY id LIMIT $2`,
		after, limit)
	return scanAll(rows, err, scanSearchEntry)
}

// FindSearchEntry returns one entry with its text.
func (s *SearchStore) FindSearchEntry(ctx context.Context, kind string, ref int64) (*search.Entry, error) {
	row := s.db.q(ctx).QueryRow(ctx, `SELECT `+searchColumns+`, text FROM search_entries WHERE kind = $1 AND ref = $2`, kind, ref)
	e, err := scanSearchEntry(row)
	return e, notFound(err, "检索条目不存在")
}

// SearchChanges lists logged changes after a seq.
func (s *SearchStore) SearchChanges(ctx context.Context, after int64, limit int) ([]search.Change, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT seq, kind, ref FROM search_log WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	return scanAll(rows, err, func(r pgx.Row) (search.Change, error) {
		var c search.Change
		return c, r.Scan(&c.Seq, &c.Kind, &c.Ref)
	})
}

// SearchLogHead is the last logged seq.
func (s *SearchStore) SearchLogHead(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM search_log`).Scan(&n)
	return n, mapError(err)
}

// MatchSearchTerms reports which terms each entry's text holds.
func (s *SearchStore) MatchSearchTerms(ctx context.Context, keys []int64, terms []string) (map[int64]uint64, error) {
	out := map[int64]uint64{}
	if len(keys) == 0 || len(terms) == 0 {
		return out, nil
	}
	// The texts are searched as bytes: strpos counts characters up to a
	// match, which through a long law took twice as long; on short texts
	// the two cost about the same (a look at a text's first characters
	// before the whole cost more than it saved).
	args := append([]any{keys}, anySlice(terms)...)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, `+holdsBits(terms, 2, "textsend(text)")+` FROM search_entries WHERE id = ANY($1)`, args...)
	list, err := scanAll(rows, err, func(r pgx.Row) ([2]int64, error) {
		var v [2]int64
		return v, r.Scan(&v[0], &v[1])
	})
	for _, v := range list {
		if v[1] != 0 {
			out[v[0]] = uint64(v[1])
		}
	}
	return out, mapError(err)
}

func anySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// SearchPage reads the page's entries, each with an excerpt of its body
// (the text after the title and number lines) around needle, and which of
// terms its text holds.
func (s *SearchStore) SearchPage(ctx context.Context, keys []int64, needle string, runes int, terms []string) ([]*search.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	// The text is read as bytes (textsend), the needle found in its body
	// with position and a piece cut around it by bytes; Go trims the piece
	// to whole characters. Character functions (strpos, substr) count
	// through the text: even limited to a body's first 1,500 characters
	// they cost more than reading a whole law as bytes, and several times
	// more on the short texts that fill most pages. The OFFSET 0 fences
	// keep the planner from copying an expression into each of its uses.
	args := append([]any{keys, needle, sqlcommon.ExcerptBefore * utf8.UTFMax, (sqlcommon.ExcerptBefore + runes) * utf8.UTFMax},
		anySlice(terms)...)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+searchColumns+`, substr(t, greatest(1, position(textsend($2::text) IN t) - $3), $4),
			`+holdsBits(terms, 5, "w")+`
		FROM (SELECT *, substr(w, octet_length(title_text) + 2) AS t
			FROM (SELECT *, textsend(text) AS w FROM search_entries WHERE id = ANY($1) OFFSET 0) AS a OFFSET 0) AS e`, args...)
	return scanAll(rows, err, func(r pgx.Row) (*search.Entry, error) { return scanExcerpt(r, needle, runes) })
}

// holdsBits is an expression that sets bit i when the bytes in column
// holds terms[i], which is parameter $first+i.
func holdsBits(terms []string, first int, column string) string {
	if len(terms) == 0 {
		return "0"
	}
	bits := make([]string, len(terms))
	for i := range terms {
		bits[i] = "(CASE WHEN position(textsend($" + strconv.Itoa(first+i) + "::text) IN " + column + ") > 0 THEN " +
			strconv.FormatInt(1<<i, 10) + " ELSE 0 END)"
	}
	return strings.Join(bits, " + ")
}

// scanExcerpt scans an entry with its excerpt, cut from a piece of the
// body's bytes.
func scanExcerpt(r pgx.Row, needle string, runes int) (*search.Entry, error) {
	var e search.Entry
	var date string
	var piece []byte
	var holds int64
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &piece, &holds)
	e.Date, e.Text, e.Holds = textDate(date), sqlcommon.Excerpt(piece, needle, runes), uint64(holds)
	return &e, err
}

func scanSearchEntry(r pgx.Row) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &e.Text)
	e.Date = textDate(date)
	return &e, err
}
