package sqlite

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/publicity"
)

// PublicityStore implements publicity.Store: the register's rows, and an
// FTS5 table keyed by each row's sort key that maps grams to rows.
type PublicityStore struct{ db *DB }

// Publicity returns the 双公示 register store.
func (db *DB) Publicity() *PublicityStore { return &PublicityStore{db} }

const entryColumns = `e.id, e.key, e.kind, e.department_id, e.number, coalesce(e.source, ''), e.title, e.holder_kind, e.holder_name,
	e.credit_code, e.decided_on, e.valid_from, e.valid_to, e.content, e.basis, e.penalty_kinds, e.fine_fen, coalesce(e.power_id, 0),
	e.benchmark_seq, e.outside_reason, e.status, e.status_reason, e.status_on, e.published_on, e.public_until, e.created_by,
	e.created_at, e.updated_at, d.name, r.path`

const entryFrom = ` FROM publicity_entries e JOIN departments d ON d.id = e.department_id JOIN regions r ON r.id = d.region_id`

// CreateEntry inserts an entry with its sort key and grams. Its id is
// taken first, so that the key (which holds it) goes in with the row.
func (s *PublicityStore) CreateEntry(ctx context.Context, e *publicity.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM publicity_entries`).Scan(&e.ID); err != nil {
			return mapError(err)
		}
		e.Key = publicity.SortKey(e.DecidedOn, e.ID)
		_, err := q.ExecContext(ctx, `INSERT INTO publicity_entries (id, key, kind, department_id, number, source, title,
			holder_kind, holder_name, credit_code, decided_on, valid_from, valid_to, content, basis, penalty_kinds, fine_fen,
			power_id, benchmark_seq, outside_reason, status, status_reason, status_on, published_on, public_until, text,
			created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{e.ID, e.Key, e.Kind, e.DepartmentID, e.Number, nullText(e.Source)}, entryValues(e)...)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该决定已在公示目录中（文号“%s”）", e.Number)
		}
		if err != nil {
			return mapError(err)
		}
		return s.putGrams(ctx, e)
	})
}

// entryValues are the columns from title to updated_at.
func entryValues(e *publicity.Entry) []any {
	return []any{e.Title, e.HolderKind, e.HolderName, e.CreditCode, dateText(e.DecidedOn), dateText(e.ValidFrom),
		dateText(e.ValidTo), e.Content, e.Basis, strings.Join(e.PenaltyKinds, "、"), e.FineFen, nullInt(e.PowerID), e.BenchmarkSeq,
		e.OutsideReason, e.Status, e.StatusReason, dateText(e.StatusOn), dateText(e.PublishedOn), dateText(e.PublicUntil),
		publicity.Text(e), e.CreatedBy, micro(e.CreatedAt), micro(e.UpdatedAt)}
}

func (s *PublicityStore) putGrams(ctx context.Context, e *publicity.Entry) error {
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO publicity_grams (rowid, grams) VALUES (?, ?)`,
		e.Key, strings.Join(publicity.Grams(e), " "))
	return mapError(err)
}

// UpdateEntry saves an entry; its grams follow its text.
func (s *PublicityStore) UpdateEntry(ctx context.Context, e *publicity.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM publicity_grams WHERE rowid = ?`, e.Key); err != nil {
			return mapError(err)
		}
		e.Key = publicity.SortKey(e.DecidedOn, e.ID)
		_, err := q.ExecContext(ctx, `UPDATE publicity_entries SET key = ?, number = ?, title = ?, holder_kind = ?, holder_name = ?,
			credit_code = ?, decided_on = ?, valid_from = ?, valid_to = ?, content = ?, basis = ?, penalty_kinds = ?, fine_fen = ?,
			power_id = ?, benchmark_seq = ?, outside_reason = ?, status = ?, status_reason = ?, status_on = ?, published_on = ?,
			public_until = ?, text = ?, created_by = ?, created_at = ?, updated_at = ? WHERE id = ?`,
			append(append([]any{e.Key, e.Number}, entryValues(e)...), e.ID)...)
		if err != nil {
			return mapError(err)
		}
		return s.putGrams(ctx, e)
	})
}

// FindEntry returns one entry.
func (s *PublicityStore) FindEntry(ctx context.Context, id int64) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.id = ?`, id))
	return e, notFound(err, "公示信息不存在")
}

// FindEntryBySource returns the entry of a case.
func (s *PublicityStore) FindEntryBySource(ctx context.Context, source string) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.source = ?`, source))
	return e, notFound(err, "公示信息不存在")
}

// FindEntryByNumber returns a department's entry with a decision number.
func (s *PublicityStore) FindEntryByNumber(ctx context.Context, deptID int64, kind publicity.Kind, number string) (*publicity.Entry, error) {
	e, err := scanEntry(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+entryColumns+entryFrom+
		` WHERE e.department_id = ? AND e.kind = ? AND e.number = ?`, deptID, kind, number))
	return e, notFound(err, "公示信息不存在")
}

// FindEntries lists departments' entries newest decision first.
func (s *PublicityStore) FindEntries(ctx context.Context, f publicity.StaffFilter) ([]*publicity.Entry, int, error) {
	cond, args := ` WHERE e.department_id IN (`+placeholders(len(f.DepartmentIDs))+`)`, anySlice(f.DepartmentIDs)
	if len(f.DepartmentIDs) == 0 {
		cond, args = ` WHERE 0 = 1`, nil
	}
	if f.Kind != "" {
		cond, args = cond+` AND e.kind = ?`, append(args, f.Kind)
	}
	var total int
	if err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM publicity_entries e`+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+entryColumns+entryFrom+cond+` ORDER BY e.key DESC LIMIT ? OFFSET ?`,
		append(args, limitOf(f.Limit), f.Offset)...)
	out, err := collect(rows, err, scanEntry)
	return out, total, err
}

// SearchRegister reads public matches newest first: through the grams'
// FTS table in rowid (sort key) order when the query has grams, else down
// the key index; either stops after the page.
func (s *PublicityStore) SearchRegister(ctx context.Context, q publicity.Query) ([]*publicity.Entry, error) {
	where, args := registerWhere(q)
	from := entryFrom
	order := ` ORDER BY e.key DESC`
	if len(q.Grams) > 0 {
		quoted := make([]string, len(q.Grams))
		for i, g := range q.Grams {
			quoted[i] = `"` + g + `"`
		}
		// CROSS JOIN keeps the FTS table the outer loop, read in rowid (sort
		// key) order, so that the page stops after the page; the planner
		// would otherwise walk the kind or department index instead.
		from = ` FROM publicity_grams g CROSS JOIN publicity_entries e ON e.key = g.rowid JOIN departments d ON d.id = e.department_id
			JOIN regions r ON r.id = d.region_id`
		where, args = append([]string{"publicity_grams MATCH ?"}, where...), append([]any{strings.Join(quoted, " AND ")}, args...)
		order = ` ORDER BY g.rowid DESC`
		if q.Before != 0 {
			where, args = append(where, "g.rowid < ?"), append(args, q.Before)
		}
	} else if q.Before != 0 {
		where, args = append(where, "e.key < ?"), append(args, q.Before)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+entryColumns+from+` WHERE `+strings.Join(where, " AND ")+order+` LIMIT ?`,
		append(args, q.Limit)...)
	return collect(rows, err, scanEntry)
}

// registerWhere is what a public match must satisfy besides its grams.
func registerWhere(q publicity.Query) ([]string, []any) {
	where := []string{"e.status IN ('published', 'revoked')", "(e.public_until = '' OR e.public_until >= ?)"}
	args := []any{q.Today.String()}
	for _, t := range q.Terms {
		where, args = append(where, "instr(e.text, ?) > 0"), append(args, t)
	}
	if q.Kind != "" {
		where, args = append(where, "e.kind = ?"), append(args, q.Kind)
	}
	if q.DepartmentID != 0 {
		where, args = append(where, "e.department_id = ?"), append(args, q.DepartmentID)
	}
	return where, args
}

// ExpireEntries ends the publication of entries whose period is over.
func (s *PublicityStore) ExpireEntries(ctx context.Context, day calendar.Date) (int, error) {
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE publicity_entries SET status = 'expired', status_on = ?
			WHERE status = 'published' AND public_until <> '' AND public_until < ?`, day.String(), day.String())
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

func scanEntry(r scanner) (*publicity.Entry, error) {
	var e publicity.Entry
	var decided, from, to, statusOn, published, until, kinds string
	var created, updated int64
	err := r.Scan(&e.ID, &e.Key, &e.Kind, &e.DepartmentID, &e.Number, &e.Source, &e.Title, &e.HolderKind, &e.HolderName,
		&e.CreditCode, &decided, &from, &to, &e.Content, &e.Basis, &kinds, &e.FineFen, &e.PowerID, &e.BenchmarkSeq,
		&e.OutsideReason, &e.Status, &e.StatusReason, &statusOn, &published, &until, &e.CreatedBy, &created, &updated,
		&e.DeptName, &e.RegionPath)
	if err != nil {
		return nil, err
	}
	e.DecidedOn, e.ValidFrom, e.ValidTo = textDate(decided), textDate(from), textDate(to)
	e.StatusOn, e.PublishedOn, e.PublicUntil = textDate(statusOn), textDate(published), textDate(until)
	if kinds != "" {
		e.PenaltyKinds = strings.Split(kinds, "、")
	}
	e.CreatedAt, e.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &e, nil
}
