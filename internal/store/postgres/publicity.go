package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/publicity"

	"github.com/jackc/pgx/v5"
)

// PublicityStore implements publicity.Store: the register's rows keyed by
// their sort keys, with their grams in a GIN-indexed array.
type PublicityStore struct {
	db    *DB
	stats registerStats
}

// Publicity returns the 双公示 register store.
func (db *DB) Publicity() *PublicityStore { return &PublicityStore{db: db} }

const entryColumns = `e.id, e.key, e.kind, e.department_id, e.number, COALESCE(e.source, ''), e.title, e.holder_kind, e.holder_name,
	e.credit_code, e.decided_on, e.valid_from, e.valid_to, e.content, e.basis, e.penalty_kinds, e.fine_fen, COALESCE(e.power_id, 0),
	e.benchmark_seq, e.outside_reason, e.status, e.status_reason, e.status_on, e.published_on, e.public_until, e.created_by,
	e.created_at, e.updated_at, d.name, r.path`

const entryJoins = ` JOIN departments d ON d.id = e.department_id JOIN regions r ON r.id = d.region_id`

const entryFrom = ` FROM publicity_entries e` + entryJoins

// CreateEntry inserts an entry with its sort key and grams. Its id is
// taken first, so that the key (which holds it) goes in with the row.
func (s *PublicityStore) CreateEntry(ctx context.Context, e *publicity.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('publicity_entries', 'id'))`).Scan(&e.ID); err != nil {
			return mapError(err)
		}
		e.Key = publicity.SortKey(e.DecidedOn, e.ID)
		_, err := q.Exec(ctx, `INSERT INTO publicity_entries (id, key, kind, department_id, number, source, title,
			holder_kind, holder_name, credit_code, decided_on, valid_from, valid_to, content, basis, penalty_kinds, fine_fen,
			power_id, benchmark_seq, outside_reason, status, status_reason, status_on, published_on, public_until, text,
			grams, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)`,
			append([]any{e.ID, e.Key, e.Kind, e.DepartmentID, e.Number, nullText(e.Source)}, entryValues(e)...)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该决定已在公示目录中（文号“%s”）", e.Number)
		}
		return mapError(err)
	})
}

// entryValues are the columns from title to updated_at.
func entryValues(e *publicity.Entry) []any {
	return []any{e.Title, e.HolderKind, e.HolderName, e.CreditCode, dateText(e.DecidedOn), dateText(e.ValidFrom),
		dateText(e.ValidTo), e.Content, e.Basis, strings.Join(e.PenaltyKinds, "、"), e.FineFen, nullable(e.PowerID), e.BenchmarkSeq,
		e.OutsideReason, e.Status, e.StatusReason, dateText(e.StatusOn), dateText(e.PublishedOn), dateText(e.PublicUntil),
		publicity.Text(e), publicity.Grams(e), e.CreatedBy, e.CreatedAt, e.UpdatedAt}
}

// UpdateEntry saves an entry; its key and grams follow its date and text.
func (s *PublicityStore) UpdateEntry(ctx context.Context, e *publicity.Entry) error {
	e.Key = publicity.SortKey(e.DecidedOn, e.ID)
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE publicity_entries SET key = $1, number = $2, title = $3, holder_kind = $4, holder_name = $5,
		credit_code = $6, decided_on = $7, valid_from = $8, valid_to = $9, content = $10, basis = $11, penalty_kinds = $12, fine_fen = $13,
		power_id = $14, benchmark_seq = $15, outside_reason = $16, status = $17, status_reason = $18, status_on = $19, published_on = $20,
		public_until = $21, text = $22, grams = $23, created_by = $24, created_at = $25, updated_at = $26 WHERE id = $27`,
		append(append([]any{e.Key, e.Number}, entryValues(e)...), e.ID)...)
	return mapError(err)
}

// FindEntry returns one entry.
func (s *PublicityStore) FindEntry(ctx context.Context, id int64) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRow(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.id = $1`, id))
	return e, notFound(err, "公示信息不存在")
}

// FindEntryBySource returns the entry of a case.
func (s *PublicityStore) FindEntryBySource(ctx context.Context, source string) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRow(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.source = $1`, source))
	return e, notFound(err, "公示信息不存在")
}

// FindEntryByNumber returns a department's entry with a decision number.
func (s *PublicityStore) FindEntryByNumber(ctx context.Context, deptID int64, kind publicity.Kind, number string) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRow(ctx, `SELECT `+entryColumns+entryFrom+
		` WHERE e.department_id = $1 AND e.kind = $2 AND e.number = $3`, deptID, kind, number))
	return e, notFound(err, "公示信息不存在")
}

// FindEntries lists departments' entries newest decision first.
func (s *PublicityStore) FindEntries(ctx context.Context, f publicity.StaffFilter) ([]*publicity.Entry, int, error) {
	w := &where{}
	w.add("e.department_id = ANY(?)", f.DepartmentIDs)
	if f.Kind != "" {
		w.add("e.kind = ?", f.Kind)
	}
	cond := ` WHERE ` + w.sql()
	var total int
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*) FROM publicity_entries e`+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+entryColumns+entryFrom+cond+` ORDER BY e.key DESC`+page, w.args...)
	out, err := collect(rows, err, scanEntry)
	return out, total, err
}

// registerWindow is how many of the newest entries a search first reads by
// walking the key index backwards, checking its terms as substrings. A
// common term fills a page from them; a rarer one goes to the GIN index of
// the grams, which then has few matches to sort.
const registerWindow = 3000

// registerWindowColumns are what the window passes on: every column but the grams.
const registerWindowColumns = `id, key, kind, department_id, number, source, title, holder_kind, holder_name, credit_code, decided_on,
	valid_from, valid_to, content, basis, penalty_kinds, fine_fen, power_id, benchmark_seq, outside_reason, status, status_reason,
	status_on, published_on, public_until, text, created_by, created_at, updated_at`

// windowShare is the share of entries holding a query's rarest gram from
// which the newest rows are read first: below it, matches are too few for
// the window to fill a page, and the GIN index answers at once.
const windowShare = 0.01

// SearchRegister reads public matches newest first: from the newest rows
// when the grams are common and those rows hold a whole page, else through
// the grams' GIN index. Both give the same answer.
func (s *PublicityStore) SearchRegister(ctx context.Context, q publicity.Query) ([]*publicity.Entry, error) {
	if len(q.Grams) == 0 {
		w := &where{}
		return s.page(ctx, w, entryFrom+registerWhere(w, q), q.Limit)
	}
	share, err := s.stats.share(ctx, s.db.q(ctx), q.Grams)
	if err != nil {
		return nil, err
	}
	var out []*publicity.Entry
	if share >= windowShare {
		w := &where{}
		window := `(SELECT ` + registerWindowColumns + ` FROM publicity_entries WHERE key < ` + w.arg(before(q)) +
			` ORDER BY key DESC LIMIT ` + strconv.Itoa(registerWindow) + `) e`
		out, err = s.page(ctx, w, ` FROM `+window+entryJoins+registerWhere(w, q), q.Limit)
		if err != nil || len(out) == q.Limit {
			return out, err
		}
	}
	err = s.withPath(ctx, func(ctx context.Context) error {
		w := &where{}
		from := entryFrom + registerWhere(w, q)
		out, err = s.page(ctx, w, from+` AND e.grams @> `+w.arg(q.Grams), q.Limit)
		return err
	})
	return out, err
}

// page reads up to limit entries from a FROM-and-WHERE whose arguments w
// numbered, newest first.
func (s *PublicityStore) page(ctx context.Context, w *where, from string, limit int) ([]*publicity.Entry, error) {
	query := `SELECT ` + entryColumns + from + ` ORDER BY e.key DESC LIMIT ` + w.arg(limit)
	rows, err := s.db.q(ctx).Query(ctx, query, w.args...)
	return collect(rows, err, scanEntry)
}

// withPath runs fn in a read transaction that makes the planner use the
// GIN index: its guesses for array containment under a LIMIT are poor (it
// may walk the key index for a rare gram).
func (s *PublicityStore) withPath(ctx context.Context, fn func(context.Context) error) error {
	if _, inTx := TxFromContext(ctx); inTx {
		return fn(ctx)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
			set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)`); err != nil {
			return mapError(err)
		}
		return fn(ctx)
	})
}

func before(q publicity.Query) int64 {
	if q.Before == 0 {
		return 1 << 62
	}
	return q.Before
}

// registerWhere is the WHERE clause a public match must satisfy besides
// its grams, its arguments numbered in w.
func registerWhere(w *where, q publicity.Query) string {
	w.add("e.status IN ('published', 'revoked')")
	w.add("(e.public_until = '' OR e.public_until >= ?)", q.Today.String())
	for _, t := range q.Terms {
		w.add("strpos(e.text, ?) > 0", t)
	}
	if q.Kind != "" {
		w.add("e.kind = ?", q.Kind)
	}
	if q.DepartmentID != 0 {
		w.add("e.department_id = ?", q.DepartmentID)
	}
	if q.Before != 0 {
		w.add("e.key < ?", q.Before)
	}
	return ` WHERE ` + w.sql()
}

// ExpireEntries ends the publication of entries whose period is over.
func (s *PublicityStore) ExpireEntries(ctx context.Context, day calendar.Date) (int, error) {
	tag, err := s.db.q(ctx).Exec(ctx, `UPDATE publicity_entries SET status = 'expired', status_on = $1
		WHERE status = 'published' AND public_until <> '' AND public_until < $2`, day.String(), day.String())
	if err != nil {
		return 0, mapError(err)
	}
	return int(tag.RowsAffected()), nil
}

func scanEntry(r pgx.Row) (*publicity.Entry, error) {
	var e publicity.Entry
	var decided, from, to, statusOn, published, until, kinds string
	err := r.Scan(&e.ID, &e.Key, &e.Kind, &e.DepartmentID, &e.Number, &e.Source, &e.Title, &e.HolderKind, &e.HolderName,
		&e.CreditCode, &decided, &from, &to, &e.Content, &e.Basis, &kinds, &e.FineFen, &e.PowerID, &e.BenchmarkSeq,
		&e.OutsideReason, &e.Status, &e.StatusReason, &statusOn, &published, &until, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt,
		&e.DeptName, &e.RegionPath)
	if err != nil {
		return nil, err
	}
	e.DecidedOn, e.ValidFrom, e.ValidTo = textDate(decided), textDate(from), textDate(to)
	e.StatusOn, e.PublishedOn, e.PublicUntil = textDate(statusOn), textDate(published), textDate(until)
	if kinds != "" {
		e.PenaltyKinds = strings.Split(kinds, "、")
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

// registerStatsTTL is how long a node keeps the gram statistics it read.
const registerStatsTTL = 5 * time.Minute

// registerStats caches the frequencies of the most common grams of the
// register that ANALYZE keeps (pg_stats.most_common_elems) and the
// frequency below which every other gram lies.
type registerStats struct {
	mu    sync.Mutex
	at    time.Time
	freq  map[string]float64
	floor float64
}

// share estimates the share of entries holding the rarest of grams; 1 when
// the table has no statistics yet (every path is then tried in turn).
func (r *registerStats) share(ctx context.Context, q querier, grams []string) (float64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.freq == nil || time.Since(r.at) > registerStatsTTL {
		if err := r.load(ctx, q); err != nil {
			return 0, err
		}
	}
	if len(r.freq) == 0 {
		return 1, nil
	}
	d := 1.0
	for _, g := range grams {
		f, ok := r.freq[g]
		if !ok {
			f = r.floor
		}
		d = min(d, f)
	}
	return d, nil
}

func (r *registerStats) load(ctx context.Context, q querier) error {
	var elems []string
	var freqs []float64
	err := q.QueryRow(ctx, `SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats
		WHERE schemaname = current_schema() AND tablename = 'publicity_entries' AND attname = 'grams'`).Scan(&elems, &freqs)
	r.freq, r.floor, r.at = map[string]float64{}, 0, time.Now()
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return mapError(err)
	}
	for i, e := range elems {
		r.freq[e] = freqs[i]
	}
	// After the element frequencies come the minimum, the maximum and the
	// null share; grams not listed are rarer than the minimum.
	if len(freqs) > len(elems) {
		r.floor = freqs[len(elems)]
	}
	return nil
}
