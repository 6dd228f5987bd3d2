package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/cases"
	"openhall/internal/supervision"
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

// MarkCase marks a changed case due for evaluation: one upsert.
func (s *SupervisionStore) MarkCase(ctx context.Context, m supervision.Mark) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO supervision_watch (case_id, number, region_path, department_id, item_code,
			item_name, status, version, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, version = excluded.version, next_at = excluded.next_at`,
			m.CaseID, m.Number, m.RegionPath, m.DeptID, m.ItemCode, m.ItemName, m.Status, m.Version, micro(m.At))
		return mapError(err)
	})
}

// watchColumns are what the evaluator reads of a watch row.
const watchColumns = `w.case_id, w.number, w.rev, w.version, w.evaluated, w.done, w.state, IFNULL(w.next_at, 0), w.summary`

func scanWatched(sc scanner, extra ...any) (*supervision.Watched, error) {
	w := &supervision.Watched{}
	var evaluated, next int64
	err := sc.Scan(append([]any{&w.CaseID, &w.Number, &w.Rev, &w.Version, &evaluated, &w.Done, &w.State, &next, &w.Summary}, extra...)...)
	w.NextAt, w.Evaluated = fromMicro(next), evaluated == int64(w.Version)
	return w, err
}

// DueCases lists the cases whose evaluation is due, with their histories.
func (s *SupervisionStore) DueCases(ctx context.Context, now time.Time, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.next_at <= ? ORDER BY w.next_at LIMIT ?`, micro(now), limit)
}

// CasesBetween lists watched cases in id order.
func (s *SupervisionStore) CasesBetween(ctx context.Context, after, upTo int64, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.case_id > ? AND w.case_id <= ? ORDER BY w.case_id LIMIT ?`, after, upTo, limit)
}

// WatchRange is the lowest and highest id of the watched cases.
func (s *SupervisionStore) WatchRange(ctx context.Context) (int64, int64, error) {
	var lo, hi int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT IFNULL(MIN(case_id), 0), IFNULL(MAX(case_id), 0) FROM supervision_watch`).Scan(&lo, &hi)
	return lo, hi, mapError(err)
}

func (s *SupervisionStore) watched(ctx context.Context, where string, args ...any) ([]*supervision.Watched, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+watchColumns+`, p.case_id IS NOT NULL, p.procedure_key, p.events
		FROM supervision_watch w LEFT JOIN case_progress p ON p.number = w.number WHERE `+where, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.Watched
	var legacy []*supervision.Watched
	for rows.Next() {
		var found bool
		var key, evs sql.RawBytes
		w, err := scanWatched(rows, &found, &key, &evs)
		if err != nil {
			return nil, mapError(err)
		}
		if !found {
			legacy = append(legacy, w)
		} else if err := s.history(ctx, w, string(key), evs); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	rows.Close()
	return out, s.legacyHistories(ctx, legacy)
}

// history decodes a progress row's events and procedure into w.
func (s *SupervisionStore) history(ctx context.Context, w *supervision.Watched, key string, evs []byte) error {
	var err error
	if w.Events, err = cases.DecodeEvents(evs); err != nil {
		return fmt.Errorf("events of case %d: %w", w.CaseID, err)
	}
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
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, form, fee_due, applicant FROM cases WHERE id IN (`+placeholders(len(ids))+`)`,
		int64Args(ids)...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := map[int64]supervision.CaseExtra{}
	for rows.Next() {
		var id int64
		var form, app string
		var x supervision.CaseExtra
		if err := rows.Scan(&id, &form, &x.FeeDueFen, &app); err != nil {
			return nil, mapError(err)
		}
		if err := firstErr(json.Unmarshal([]byte(form), &x.Form), json.Unmarshal([]byte(app), &x.Applicant)); err != nil {
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
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO supervision_watch (case_id, number, region_path, department_id, item_code,
			item_name, status, version, next_at) SELECT id, number, region_path, department_id, item_code, item_name, status, version, 0
			FROM cases c WHERE status IN ('submitted', 'supplement', 'review', 'correction') AND number IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM supervision_watch w WHERE w.case_id = c.id)`)
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// scopeWhere is the SQL condition of a scope on rows with region_path,
// department_id and (when depts is not "") a department list column.
func scopeWhere(sc supervision.Scope, prefix, depts string) (string, []any) {
	if len(sc.Areas) == 0 {
		return "0 = 1", nil
	}
	var ors []string
	var args []any
	for _, a := range sc.Areas {
		cond := prefix + "region_path >= ? AND " + prefix + "region_path < ?"
		args = append(args, a.RegionPath, a.RegionPath+"\U0010FFFF")
		if a.DeptID != 0 {
			if depts != "" {
				cond += " AND (" + prefix + "department_id = ? OR " + prefix + depts + " LIKE ?)"
				args = append(args, a.DeptID, fmt.Sprintf("%%,%d,%%", a.DeptID))
			} else {
				cond += " AND " + prefix + "department_id = ?"
				args = append(args, a.DeptID)
			}
		}
		ors = append(ors, "("+cond+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// AllHistories lists submitted cases with their histories, in id order.
func (s *SupervisionStore) AllHistories(ctx context.Context, after int64, limit int) ([]*supervision.Watched, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT c.id, IFNULL(c.number, ''), p.procedure_key, p.events FROM cases c
		JOIN case_progress p ON p.number = c.number WHERE c.id > ? AND c.status <> 'draft' ORDER BY c.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.Watched
	for rows.Next() {
		w := &supervision.Watched{State: "{}"}
		var key, evs sql.RawBytes
		if err := rows.Scan(&w.CaseID, &w.Number, &key, &evs); err != nil {
			return nil, mapError(err)
		}
		if err := s.history(ctx, w, string(key), evs); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, mapError(rows.Err())
}
