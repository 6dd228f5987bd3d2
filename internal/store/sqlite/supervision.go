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

const watchColumns = `w.case_id, w.number, w.rev, w.version, w.done, w.state, IFNULL(w.next_at, 0), w.region_path, w.department_id,
	w.item_code, w.item_name, w.status, w.depts, w.submitted_at, w.accepted_at, w.promised_due, w.provisional, w.colour, w.paused,
	w.overdue, w.intake_late, w.intake_user, w.window_id, w.evaluated`

// watchScan reads watchColumns.
type watchScan struct {
	w                         supervision.Watched
	next, submitted, accepted int64
	depts                     string
	paused, overdue, late     int
	evaluated                 int
}

func (ws *watchScan) dest() []any {
	w, r := &ws.w, &ws.w.Row
	return []any{&w.CaseID, &w.Number, &w.Rev, &w.Version, &w.Done, &w.State, &ws.next, &r.RegionPath, &r.DeptID, &r.ItemCode,
		&r.ItemName, &r.Status, &ws.depts, &ws.submitted, &ws.accepted, &r.PromisedDue, &r.Provisional, &r.Colour, &ws.paused,
		&ws.overdue, &ws.late, &r.IntakeUser, &r.WindowID, &ws.evaluated}
}

func (ws *watchScan) finish() *supervision.Watched {
	w := &ws.w
	w.NextAt = fromMicro(ws.next)
	r := &w.Row
	r.CaseID, r.Number, r.Depts = w.CaseID, w.Number, supervision.ParseDeptList(ws.depts)
	r.SubmittedAt, r.AcceptedAt = fromMicro(ws.submitted), fromMicro(ws.accepted)
	r.Paused, r.Overdue, r.IntakeLate, r.Evaluated = ws.paused != 0, ws.overdue != 0, ws.late != 0, ws.evaluated == w.Version
	return w
}

// DueCases lists the cases whose evaluation is due, with their histories.
func (s *SupervisionStore) DueCases(ctx context.Context, now time.Time, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.next_at <= ? ORDER BY w.next_at LIMIT ?`, micro(now), limit)
}

// CasesAfter lists watched cases in id order.
func (s *SupervisionStore) CasesAfter(ctx context.Context, after int64, limit int) ([]*supervision.Watched, error) {
	return s.watched(ctx, `w.case_id > ? ORDER BY w.case_id LIMIT ?`, after, limit)
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
		var ws watchScan
		var found bool
		var key, evs sql.RawBytes
		if err := rows.Scan(append(ws.dest(), &found, &key, &evs)...); err != nil {
			return nil, mapError(err)
		}
		w := ws.finish()
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
		var proc []byte
		err := s.db.read.QueryRowContext(ctx, `SELECT procedure FROM cases WHERE id = ?`, w.CaseID).Scan(&proc)
		return proc, mapError(err)
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
