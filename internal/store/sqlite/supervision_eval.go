package sqlite

import (
	"context"
	"time"

	"openhall/internal/supervision"
)

// SaveEvaluations writes evaluations in the caller's transaction (or its
// own): per case the watch row (guarded by its revision), the new and
// cleared cards; then the counts of all written cases, summed.
func (s *SupervisionStore) SaveEvaluations(ctx context.Context, evs []*supervision.Evaluated) (int, error) {
	written := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		written = 0
		var cards []*supervision.Card
		var stats []supervision.StatDelta
		for _, e := range evs {
			e.Written = false
			if e.Unchanged {
				continue
			}
			ok, err := s.saveWatch(ctx, e)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			written++
			e.Written = true
			if err := s.clearCards(ctx, e); err != nil {
				return err
			}
			for i := range e.Out.Arisen {
				cards = append(cards, &e.Out.Arisen[i])
			}
			for i := range e.Extra {
				cards = append(cards, &e.Extra[i])
			}
			stats = append(stats, e.Stats...)
			if e.Refusal != nil {
				if err := s.AddRefusal(ctx, *e.Refusal); err != nil {
					return err
				}
			}
		}
		if err := s.insertCards(ctx, cards, true); err != nil {
			return err
		}
		return s.AddStats(ctx, stats)
	})
	return written, err
}

// saveWatch writes a case's watch row if no other evaluation was written
// since it was read; a closed case with nothing pending is dropped. A case
// marked again meanwhile stays due.
func (s *SupervisionStore) saveWatch(ctx context.Context, e *supervision.Evaluated) (bool, error) {
	q := s.db.q(ctx)
	if e.Out.Finished {
		res, err := q.ExecContext(ctx, `DELETE FROM supervision_watch WHERE case_id = ? AND rev = ? AND version <= ?`, e.CaseID, e.Rev, e.Version)
		return affected(res, err)
	}
	r := &e.Row
	next := any(nil)
	if !e.Out.Next.IsZero() {
		next = micro(e.Out.Next)
	}
	res, err := q.ExecContext(ctx, `UPDATE supervision_watch SET rev = rev + 1, done = ?, evaluated = ?, state = ?, summary = ?,
		next_at = CASE WHEN version > ? THEN next_at ELSE ? END, depts = ?, submitted_at = ?, accepted_at = ?, promised_due = ?,
		provisional = ?, colour = ?, paused = ?, overdue = ?, intake_late = ?, intake_user = ?, window_id = ?
		WHERE case_id = ? AND rev = ?`, e.Out.Done, e.Version, e.State, e.Summary, e.Version, next, supervision.DeptList(r.Depts),
		micro(r.SubmittedAt), micro(r.AcceptedAt), r.PromisedDue, r.Provisional, r.Colour, boolInt(r.Paused), boolInt(r.Overdue),
		boolInt(r.IntakeLate), r.IntakeUser, r.WindowID, e.CaseID, e.Rev)
	return affected(res, err)
}

func affected(res interface{ RowsAffected() (int64, error) }, err error) (bool, error) {
	if err != nil {
		return false, mapError(err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// clearCards ends the cards whose cause ended, and updates the provisional
// year of those whose judgement changed.
func (s *SupervisionStore) clearCards(ctx context.Context, e *supervision.Evaluated) error {
	q := s.db.q(ctx)
	for _, cl := range e.Out.Cleared {
		_, err := q.ExecContext(ctx, `UPDATE supervision_cards SET cleared_at = ?, outcome = ?,
			user_id = CASE WHEN ? <> 0 THEN ? ELSE user_id END, user_label = CASE WHEN ? <> 0 THEN ? ELSE user_label END
			WHERE case_id = ? AND subject = ? AND colour = ? AND cleared_at = 0`, micro(cl.At), cl.Outcome, cl.UserID, cl.UserID,
			cl.UserID, cl.UserLabel, e.CaseID, cl.Subject, cl.Colour)
		if err != nil {
			return mapError(err)
		}
	}
	for _, o := range e.Out.Reflagged {
		_, err := q.ExecContext(ctx, `UPDATE supervision_cards SET provisional = ? WHERE case_id = ? AND subject = ? AND colour = ?
			AND cleared_at = 0`, o.Provisional, e.CaseID, o.Subject, o.Colour)
		if err != nil {
			return mapError(err)
		}
	}
	return nil
}

// AddRefusal remembers a 不予受理.
func (s *SupervisionStore) AddRefusal(ctx context.Context, r supervision.RefusalNote) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT OR IGNORE INTO supervision_refusals (applicant_key, item_code, case_id, number,
			refused_at, department_id, department_name, region_path, user_id, user_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Key, r.ItemCode, r.CaseID, r.Number, micro(r.RefusedAt), r.DeptID, r.DeptName, r.RegionPath, r.UserID, r.UserLabel)
		return mapError(err)
	})
}

// FindRefusals lists an applicant's refusals for an item since a time.
func (s *SupervisionStore) FindRefusals(ctx context.Context, key, item string, since time.Time) ([]supervision.RefusalNote, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT applicant_key, item_code, case_id, number, refused_at, department_id,
		department_name, region_path, user_id, user_label FROM supervision_refusals WHERE applicant_key = ? AND item_code = ?
		AND refused_at >= ? ORDER BY refused_at`, key, item, micro(since))
	return collect(rows, err, func(sc scanner) (supervision.RefusalNote, error) {
		var r supervision.RefusalNote
		var at int64
		err := sc.Scan(&r.Key, &r.ItemCode, &r.CaseID, &r.Number, &at, &r.DeptID, &r.DeptName, &r.RegionPath, &r.UserID, &r.UserLabel)
		r.RefusedAt = fromMicro(at)
		return r, err
	})
}

// StaffWith lists the enabled staff holding role on a scope that covers the
// region and department: a grant on the region or one above it, for the
// department or for every department.
func (s *SupervisionStore) StaffWith(ctx context.Context, role, regionPath string, dept int64) ([]int64, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
		LEFT JOIN regions r ON r.id = g.region_id WHERE g.role = ? AND u.disabled = 0
		AND (g.region_id IS NULL OR substr(?, 1, length(r.path)) = r.path)
		AND (g.department_id IS NULL OR g.department_id = ?) ORDER BY g.user_id`, role, regionPath, dept)
	return collect(rows, err, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
}

// UserLabels names users "姓名（用户名）".
func (s *SupervisionStore) UserLabels(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, name || '（' || username || '）' FROM users WHERE id IN (`+
		placeholders(len(ids))+`)`, int64Args(ids)...)
	list, err := collect(rows, err, func(sc scanner) ([2]any, error) {
		var id int64
		var label string
		err := sc.Scan(&id, &label)
		return [2]any{id, label}, err
	})
	for _, l := range list {
		out[l[0].(int64)] = l[1].(string)
	}
	return out, err
}
