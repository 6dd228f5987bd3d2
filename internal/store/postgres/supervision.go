package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/cases"
	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
)

// SupervisionStore implements supervision.Store. The evaluator reads a
// watched case's events and procedure from its progress row (the compact
// history every change of the case rewrites), joined by number.
type SupervisionStore struct {
	db    *DB
	procs *cases.ProcedureCache
}

// Supervision returns the supervision store.
func (db *DB) Supervision() *SupervisionStore {
	return &SupervisionStore{db: db, procs: &cases.ProcedureCache{}}
}

// MarkCase marks a changed case due for evaluation: one upsert, queued in
// a transaction to go with its next statement or its commit.
func (s *SupervisionStore) MarkCase(ctx context.Context, m supervision.Mark) error {
	return s.db.write(ctx, nil, `INSERT INTO supervision_watch (case_id, number, region_path, department_id, item_code,
		item_name, status, version, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, version = excluded.version, next_at = excluded.next_at`,
		m.CaseID, m.Number, m.RegionPath, m.DeptID, m.ItemCode, m.ItemName, m.Status, m.Version, m.At)
}

// watchColumns are what the evaluator reads of a watch row.
const watchColumns = `w.case_id, w.number, w.rev, w.version, w.evaluated, w.done, w.state, w.next_at, w.summary`

func scanWatched(sc pgx.Row, extra ...any) (*supervision.Watched, error) {
	w := &supervision.Watched{}
	var evaluated int
	var next *time.Time
	err := sc.Scan(append([]any{&w.CaseID, &w.Number, &w.Rev, &w.Version, &evaluated, &w.Done, &w.State, &next, &w.Summary}, extra...)...)
	w.NextAt, w.Evaluated = tz(next), evaluated == w.Version
	return w, err
}

func tz(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// DueCases lists the cases whose evaluation is due, with their histories.
func (s *SupervisionStore) DueCases(ctx context.Context, now time.Time, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.next_at <= $1 ORDER BY w.next_at LIMIT $2`, now, limit)
}

// CasesBetween lists watched cases in id order.
func (s *SupervisionStore) CasesBetween(ctx context.Context, after, upTo int64, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.case_id > $1 AND w.case_id <= $2 ORDER BY w.case_id LIMIT $3`, after, upTo, limit)
}

// WatchRange is the lowest and highest id of the watched cases.
func (s *SupervisionStore) WatchRange(ctx context.Context) (int64, int64, error) {
	var lo, hi int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT COALESCE(MIN(case_id), 0), COALESCE(MAX(case_id), 0) FROM supervision_watch`).Scan(&lo, &hi)
	return lo, hi, mapError(err)
}

func (s *SupervisionStore) watched(ctx context.Context, where string, args ...any) ([]*supervision.Watched, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+watchColumns+`, p.case_id IS NOT NULL, p.procedure_key, p.events
		FROM supervision_watch w LEFT JOIN case_progress p ON p.number = w.number WHERE `+where, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out, legacy []*supervision.Watched
	keys := map[*supervision.Watched][]byte{}
	for rows.Next() {
		var found bool
		var key, evs []byte
		w, err := scanWatched(rows, &found, &key, &evs)
		if err != nil {
			return nil, mapError(err)
		}
		if !found {
			legacy = append(legacy, w)
		} else if w.Events, err = cases.DecodeEvents(evs); err != nil {
			return nil, fmt.Errorf("events of case %d: %w", w.CaseID, err)
		}
		keys[w] = key
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	rows.Close()
	for _, w := range out {
		if len(keys[w]) > 0 {
			if err := s.procedure(ctx, w, string(keys[w])); err != nil {
				return nil, err
			}
		}
	}
	return out, s.legacyHistories(ctx, legacy)
}

// procedure decodes a case's procedure, once per distinct procedure.
func (s *SupervisionStore) procedure(ctx context.Context, w *supervision.Watched, key string) error {
	p := new(cases.Procedure)
	load := func() ([]byte, error) {
		return s.db.Cases().storedProcedure(ctx, []byte(key), w.CaseID)
	}
	if err := s.procs.DecodeKeyed(key, load, p); err != nil {
		return fmt.Errorf("procedure of case %d: %w", w.CaseID, err)
	}
	w.Procedure = p
	return nil
}

// legacyHistories loads cases filed before progress rows existed.
func (s *SupervisionStore) legacyHistories(ctx context.Context, ws []*supervision.Watched) error {
	for _, w := range ws {
		c, err := s.db.Cases().LoadCase(ctx, w.CaseID, false)
		if err != nil {
			return err
		}
		w.Events, w.Procedure = c.Events, &c.Procedure
	}
	return nil
}

// CaseExtras reads the form, fee and applicant of cases.
func (s *SupervisionStore) CaseExtras(ctx context.Context, ids []int64) (map[int64]supervision.CaseExtra, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, form, fee_due, applicant FROM cases WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := map[int64]supervision.CaseExtra{}
	for rows.Next() {
		var id int64
		var form, app []byte
		var x supervision.CaseExtra
		if err := rows.Scan(&id, &form, &x.FeeDueFen, &app); err != nil {
			return nil, mapError(err)
		}
		if err := firstErr(json.Unmarshal(form, &x.Form), json.Unmarshal(app, &x.Applicant)); err != nil {
			return nil, fmt.Errorf("case %d: %w", id, err)
		}
		if x.Form == nil {
			x.Form = map[string]string{}
		}
		out[id] = x
	}
	return out, mapError(rows.Err())
}

// WatchOpenCases watches the open cases that are not watched yet.
func (s *SupervisionStore) WatchOpenCases(ctx context.Context) (int, error) {
	tag, err := s.db.q(ctx).Exec(ctx, `INSERT INTO supervision_watch (case_id, number, region_path, department_id, item_code,
		item_name, status, version, next_at) SELECT id, number, region_path, department_id, item_code, item_name, status, version,
		'1970-01-01T00:00:00Z' FROM cases c WHERE status IN ('submitted', 'supplement', 'review', 'correction') AND number IS NOT NULL
		ON CONFLICT (case_id) DO NOTHING`)
	if err != nil {
		return 0, mapError(err)
	}
	return int(tag.RowsAffected()), nil
}

// addScope adds a scope's condition on rows with region_path,
// department_id and (when depts is not "") a department list column.
func addScope(w *where, sc supervision.Scope, prefix, depts string) {
	if len(sc.Areas) == 0 {
		w.add("FALSE")
		return
	}
	var ors []string
	for _, a := range sc.Areas {
		cond := prefix + "region_path LIKE " + w.arg(likePrefix(a.RegionPath))
		if a.DeptID != 0 {
			if depts != "" {
				cond += " AND (" + prefix + "department_id = " + w.arg(a.DeptID) + " OR " + prefix + depts + " LIKE " +
					w.arg(fmt.Sprintf("%%,%d,%%", a.DeptID)) + ")"
			} else {
				cond += " AND " + prefix + "department_id = " + w.arg(a.DeptID)
			}
		}
		ors = append(ors, "("+cond+")")
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

// sendBatch runs queued statements in one round trip.
func (s *SupervisionStore) sendBatch(ctx context.Context, b *pgx.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	if tx, ok := TxFromContext(ctx); ok {
		return mapError(tx.SendBatch(ctx, b).Close())
	}
	return mapError(s.db.pool.SendBatch(ctx, b).Close())
}

// AllHistories lists submitted cases with their histories, in id order.
func (s *SupervisionStore) AllHistories(ctx context.Context, after int64, limit int) ([]*supervision.Watched, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT c.id, COALESCE(c.number, ''), p.procedure_key, p.events FROM cases c
		JOIN case_progress p ON p.number = c.number WHERE c.id > $1 AND c.status <> 'draft' ORDER BY c.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.Watched
	keys := map[*supervision.Watched][]byte{}
	for rows.Next() {
		w := &supervision.Watched{State: "{}"}
		var key, evs []byte
		if err := rows.Scan(&w.CaseID, &w.Number, &key, &evs); err != nil {
			return nil, mapError(err)
		}
		if w.Events, err = cases.DecodeEvents(evs); err != nil {
			return nil, fmt.Errorf("events of case %d: %w", w.CaseID, err)
		}
		keys[w] = key
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	rows.Close()
	for _, w := range out {
		if err := s.procedure(ctx, w, string(keys[w])); err != nil {
			return nil, err
		}
	}
	return out, nil
}
