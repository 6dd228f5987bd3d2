package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"openhall/internal/disclosure/search"

	"github.com/jackc/pgx/v5"
)

// SearchStore implements search.Store with GIN indexes over the entries'
// gram arrays; the rows are keyed by their sort keys like SQLite's.
type SearchStore struct {
	db    *DB
	stats gramStats
}

// Search returns the search store.
func (db *DB) Search() *SearchStore { return &SearchStore{db: db} }

// PutSearchEntry replaces the entry of e's kind and ref.
func (s *SearchStore) PutSearchEntry(ctx context.Context, e *search.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.DeleteSearchEntry(ctx, e.Kind, e.Ref); err != nil {
			return err
		}
		_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO search_entries (id, kind, ref, scope, category, topic, validity, year, date,
			title, number, url, text, title_text, grams, title_grams)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			e.Key, e.Kind, e.Ref, e.Scope, e.Category, e.Topic, e.Validity, e.Year, e.Date.String(), e.Title, e.Number,
			e.URL, e.Text, e.TitleText, e.Grams, e.TitleGrams)
		return mapError(err)
	})
}

// DeleteSearchEntry removes an entry.
func (s *SearchStore) DeleteSearchEntry(ctx context.Context, kind string, ref int64) error {
	_, err := s.db.q(ctx).Exec(ctx, `DELETE FROM search_entries WHERE kind = $1 AND ref = $2`, kind, ref)
	return mapError(err)
}

const searchColumns = `e.id, e.kind, e.ref, e.scope, e.category, e.topic, e.validity, e.year, e.date, e.title, e.number,
	e.url, e.text, e.title_text`

// window is how many of the newest entries a search may read by walking
// the primary key (the sort key) backwards. For a common gram that is far
// cheaper than the GIN index, which collects every match (a gram in most
// entries costs ~20 ms per 200,000); for a rarer one the index is cheaper,
// as the walk visits a heap page per entry. The planner's estimate of the
// share of entries holding the grams decides (densityFor).
const window = 4000

// Shares from which the window serves a count (up to max, about 200
// matches) and a page (about 20).
const (
	countWindowAt = 0.2
	pageWindowAt  = 0.02
)

// pageWindowCount is the number of matches below which a page always comes
// from the index: a few matches are rarely all among the newest entries,
// whatever the grams' shares say.
const pageWindowCount = 100

// Planner settings of the index path: the planner's guesses for array
// containment under a LIMIT are poor (it may walk the primary key for a
// rare gram, or scan the table).
var (
	bitmapOnly = []string{"enable_seqscan", "enable_indexscan"}
	allPaths   = []string{"enable_seqscan", "enable_indexscan", "enable_bitmapscan"}
)

// newest is the window as a relation, without the gram arrays.
var newest = fmt.Sprintf(`(SELECT %s FROM search_entries ORDER BY id DESC LIMIT %d)`,
	strings.ReplaceAll(searchColumns, "e.", ""), window)

// FindSearchEntries answers a plan, newest first: from the window when the
// grams are common and it holds the whole page, else from the GIN index.
func (s *SearchStore) FindSearchEntries(ctx context.Context, p search.Plan) ([]*search.Entry, error) {
	d, err := s.densityFor(ctx, p)
	if err != nil {
		return nil, err
	}
	if d >= pageWindowAt && p.Count >= pageWindowCount && p.Offset+p.Limit <= window {
		from, args := windowFrom(p)
		if out, err := s.page(ctx, from, append(args, p.Limit, p.Offset)); err != nil || len(out) == p.Limit {
			return out, err
		}
	}
	var out []*search.Entry
	err = s.withPath(ctx, bitmapOnly, func(ctx context.Context) error {
		from, args := idsFrom(p) // pages inside: its rows are the page
		out, err = s.page(ctx, from, append(args, p.Limit, 0))
		return err
	})
	return out, err
}

// page reads entries newest first; args end with the limit and offset.
func (s *SearchStore) page(ctx context.Context, from string, args []any) ([]*search.Entry, error) {
	n := len(args)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+searchColumns+from+fmt.Sprintf(` ORDER BY e.id DESC LIMIT $%d OFFSET $%d`, n-1, n), args...)
	return scanAll(rows, err, scanSearchEntry)
}

// idsFrom picks the page's ids from the GIN index first and reads the rows
// of those ids only, so that sorting every match never drags along its
// text (a law's runs to hundreds of kilobytes).
func idsFrom(p search.Plan) (string, []any) {
	from, args := searchFrom(p)
	n := len(args)
	return ` FROM search_entries e WHERE e.id IN (SELECT e.id` + from + fmt.Sprintf(` ORDER BY e.id DESC LIMIT $%d OFFSET $%d)`, n+1, n+2),
		append(args, p.Limit, p.Offset)
}

// CountSearchEntries counts the matches of a plan, stopping at max: in the
// window when the grams are common, else (or when the window holds fewer)
// from the GIN index.
func (s *SearchStore) CountSearchEntries(ctx context.Context, p search.Plan, max int) (int, error) {
	count := func(ctx context.Context, build func(search.Plan) (string, []any)) (int, error) {
		from, args := build(p)
		var n int
		err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*) FROM (SELECT 1`+from+fmt.Sprintf(` LIMIT $%d) AS hits`, len(args)+1),
			append(args, max)...).Scan(&n)
		return n, mapError(err)
	}
	d, err := s.densityFor(ctx, p)
	if err != nil {
		return 0, err
	}
	if d >= countWindowAt {
		if n, err := count(ctx, windowFrom); err != nil || n >= max {
			return n, err
		}
	}
	var n int
	err = s.withPath(ctx, bitmapOnly, func(ctx context.Context) error {
		n, err = count(ctx, searchFrom)
		return err
	})
	return n, err
}

// densityFor estimates the share of entries that may match the plan: the
// share holding its rarest gram, from the planner's statistics of the gram
// arrays. It only chooses the path: both paths give the same answer.
func (s *SearchStore) densityFor(ctx context.Context, p search.Plan) (float64, error) {
	column := "grams"
	if p.Tier == search.TierTitle {
		column = "title_grams"
	}
	freq, floor, err := s.stats.get(ctx, s.db.q(ctx), column)
	if err != nil {
		return 0, err
	}
	d := 1.0
	for _, g := range p.Grams {
		f, ok := freq[g]
		if !ok {
			f = floor
		}
		d = min(d, f)
	}
	return d, nil
}

// statsTTL is how long a node keeps the gram statistics it read.
const statsTTL = 5 * time.Minute

// gramStats caches, per column, the frequencies of the most common grams
// that ANALYZE keeps (pg_stats.most_common_elems) and the frequency below
// which every other gram lies.
type gramStats struct {
	mu    sync.Mutex
	at    time.Time
	freq  map[string]map[string]float64
	floor map[string]float64
}

func (g *gramStats) get(ctx context.Context, q querier, column string) (map[string]float64, float64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if time.Since(g.at) > statsTTL || g.freq == nil {
		if err := g.load(ctx, q); err != nil {
			return nil, 0, err
		}
	}
	return g.freq[column], g.floor[column], nil
}

func (g *gramStats) load(ctx context.Context, q querier) error {
	rows, err := q.Query(ctx, `SELECT attname, most_common_elems::text::text[], most_common_elem_freqs
		FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'search_entries' AND attname IN ('grams', 'title_grams')`)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	g.freq, g.floor, g.at = map[string]map[string]float64{}, map[string]float64{}, time.Now()
	for rows.Next() {
		var column string
		var elems []string
		var freqs []float64
		if err := rows.Scan(&column, &elems, &freqs); err != nil {
			return mapError(err)
		}
		m := make(map[string]float64, len(elems))
		for i, e := range elems {
			m[e] = freqs[i]
		}
		// After the element frequencies come the minimum, the maximum and
		// the null share; grams not listed are rarer than the minimum.
		g.freq[column] = m
		if len(freqs) > len(elems) {
			g.floor[column] = freqs[len(elems)]
		}
	}
	return mapError(rows.Err())
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

// searchFrom builds the FROM and WHERE of a plan over the whole table:
// containment of the grams (and filter tokens) answered by the GIN index,
// the substring checks and the exact filters.
func searchFrom(p search.Plan) (string, []any) {
	grams, text := "e.grams", "e.text"
	if p.Tier == search.TierTitle {
		grams, text = "e.title_grams", "e.title_text"
	}
	w := newWhere()
	w.add(grams+" @> ?::text[]", p.Grams)
	return substringWhere(p, "search_entries", text, w, p.Verify)
}

// windowFrom builds the same over the window, where every term is checked
// as a substring of the text: cheaper per row than reading the row's gram
// array, which is large and stored out of line, and exact all the same.
func windowFrom(p search.Plan) (string, []any) {
	text := "e.text"
	if p.Tier == search.TierTitle {
		text = "e.title_text"
	}
	return substringWhere(p, newest, text, newWhere(), p.Terms)
}

func substringWhere(p search.Plan, rel, text string, w *where, terms []string) (string, []any) {
	for _, v := range terms {
		w.add("strpos("+text+", ?) > 0", v)
	}
	if p.Tier == search.TierNotTitle {
		var all []string
		for _, t := range p.Terms {
			all = append(all, "strpos(e.title_text, "+w.arg(t)+") > 0")
		}
		w.conds = append(w.conds, "NOT ("+strings.Join(all, " AND ")+")")
	}
	searchFilter(p.Filter, w)
	return ` FROM ` + rel + ` e WHERE ` + w.sql(), w.args
}

// searchFilter is the exact check behind the filter tokens.
func searchFilter(f search.Filter, w *where) {
	if f.Kind != "" {
		w.add("e.kind = ?", f.Kind)
	}
	if f.Scope != 0 {
		w.add("e.scope = ?", f.Scope)
	}
	if f.Category != "" {
		w.add("e.category = ?", f.Category)
	}
	if f.Topic != "" {
		w.add("e.topic = ?", f.Topic)
	}
	if f.Validity != "" {
		w.add("e.validity = ?", f.Validity)
	}
	if f.Year != 0 {
		w.add("e.year = ?", f.Year)
	}
}

func scanSearchEntry(r pgx.Row) (*search.Entry, error) {
	var e search.Entry
	var date string
	err := r.Scan(&e.Key, &e.Kind, &e.Ref, &e.Scope, &e.Category, &e.Topic, &e.Validity, &e.Year, &date, &e.Title, &e.Number,
		&e.URL, &e.Text, &e.TitleText)
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
// index structure and refreshes the gram statistics searches choose their
// path by (autovacuum does both too, later), so that searches right after
// a bulk load are as fast as later ones. It never has more to do.
func (s *SearchStore) MaintainSearch(ctx context.Context) (bool, error) {
	_, err := s.db.q(ctx).Exec(ctx, `SELECT gin_clean_pending_list('search_entries_grams'),
		gin_clean_pending_list('search_entries_title_grams')`)
	if err == nil {
		_, err = s.db.q(ctx).Exec(ctx, `ANALYZE search_entries`)
	}
	return false, mapError(err)
}
