package postgres

import (
	"context"
	"sort"
	"time"

	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
)

// SaveEvaluations writes evaluations in one transaction: the watch rows
// (guarded by their revisions, in case order) in one round trip, then the
// cleared and new cards and the summed counts of the written cases.
func (s *SupervisionStore) SaveEvaluations(ctx context.Context, evs []*supervision.Evaluated) (int, error) {
	var todo []*supervision.Evaluated
	for _, e := range evs {
		if !e.Unchanged {
			todo = append(todo, e)
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].CaseID < todo[j].CaseID })
	written := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		written = 0
		for _, e := range evs {
			e.Written = false
		}
		ok, err := s.saveWatches(ctx, todo)
		if err != nil {
			return err
		}
		var cards []*supervision.Card
		var stats []supervision.StatDelta
		b := &pgx.Batch{}
		for i, e := range todo {
			if !ok[i] {
				continue
			}
			written++
			e.Written = true
			queueClears(b, e)
			for k := range e.Out.Arisen {
				cards = append(cards, &e.Out.Arisen[k])
			}
			for k := range e.Extra {
				cards = append(cards, &e.Extra[k])
			}
			stats = append(stats, e.Stats...)
			if e.Refusal != nil {
				queueRefusal(b, *e.Refusal)
			}
		}
		if err := s.sendBatch(ctx, b); err != nil {
			return err
		}
		if err := s.insertCards(ctx, cards, true); err != nil {
			return err
		}
		return s.AddStats(ctx, stats)
	})
	return written, err
}

// saveWatches writes the watch rows and reports which were written: a row
// another evaluation wrote meanwhile (its revision moved) is not. A closed
// case with nothing pending is dropped; a case marked again meanwhile stays
// due.
func (s *SupervisionStore) saveWatches(ctx context.Context, evs []*supervision.Evaluated) ([]bool, error) {
	b := &pgx.Batch{}
	for _, e := range evs {
		if e.Out.Finished {
			b.Queue(`DELETE FROM supervision_watch WHERE case_id = $1 AND rev = $2 AND version <= $3`, e.CaseID, e.Rev, e.Version)
			continue
		}
		r := &e.Row
		b.Queue(`UPDATE supervision_watch SET rev = rev + 1, done = $1, evaluated = $2, state = $3,
			next_at = CASE WHEN version > $2 THEN next_at ELSE $4 END, depts = $5, submitted_at = $6, accepted_at = $7,
			promised_due = $8, provisional = $9, colour = $10, paused = $11, overdue = $12, intake_late = $13, intake_user = $14,
			window_id = $15, summary = $18 WHERE case_id = $16 AND rev = $17`, e.Out.Done, e.Version, e.State, nullTime(e.Out.Next),
			supervision.DeptList(r.Depts), nullTime(r.SubmittedAt), nullTime(r.AcceptedAt), r.PromisedDue, r.Provisional, r.Colour,
			r.Paused, r.Overdue, r.IntakeLate, r.IntakeUser, r.WindowID, e.CaseID, e.Rev, e.Summary)
	}
	ok := make([]bool, len(evs))
	if len(evs) == 0 {
		return ok, nil
	}
	tx, _ := TxFromContext(ctx)
	res := tx.SendBatch(ctx, b)
	for i := range evs {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return nil, mapError(err)
		}
		ok[i] = tag.RowsAffected() > 0
	}
	return ok, mapError(res.Close())
}

// queueClears queues the ending of the cards whose cause ended and the new
// provisional year of those whose judgement changed.
func queueClears(b *pgx.Batch, e *supervision.Evaluated) {
	for _, cl := range e.Out.Cleared {
		b.Queue(`UPDATE supervision_cards SET cleared_at = $1, outcome = $2,
			user_id = CASE WHEN $3 <> 0 THEN $3 ELSE user_id END, user_label = CASE WHEN $3 <> 0 THEN $4 ELSE user_label END
			WHERE case_id = $5 AND subject = $6 AND colour = $7 AND cleared_at IS NULL`, cl.At, cl.Outcome, cl.UserID, cl.UserLabel,
			e.CaseID, cl.Subject, cl.Colour)
	}
	for _, o := range e.Out.Reflagged {
		b.Queue(`UPDATE supervision_cards SET provisional = $1 WHERE case_id = $2 AND subject = $3 AND colour = $4
			AND cleared_at IS NULL`, o.Provisional, e.CaseID, o.Subject, o.Colour)
	}
}

const refusalInsert = `INSERT INTO supervision_refusals (applicant_key, item_code, case_id, number, refused_at, department_id,
	department_name, region_path, user_id, user_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`

func queueRefusal(b *pgx.Batch, r supervision.RefusalNote) {
	b.Queue(refusalInsert, r.Key, r.ItemCode, r.CaseID, r.Number, r.RefusedAt, r.DeptID, r.DeptName, r.RegionPath, r.UserID, r.UserLabel)
}

// AddRefusal remembers a 不予受理.
func (s *SupervisionStore) AddRefusal(ctx context.Context, r supervision.RefusalNote) error {
	_, err := s.db.q(ctx).Exec(ctx, refusalInsert, r.Key, r.ItemCode, r.CaseID, r.Number, r.RefusedAt, r.DeptID, r.DeptName,
		r.RegionPath, r.UserID, r.UserLabel)
	return mapError(err)
}

// FindRefusals lists an applicant's refusals for an item since a time.
func (s *SupervisionStore) FindRefusals(ctx context.Context, key, item string, since time.Time) ([]supervision.RefusalNote, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT applicant_key, item_code, case_id, number, refused_at, department_id,
		department_name, region_path, user_id, user_label FROM supervision_refusals WHERE applicant_key = $1 AND item_code = $2
		AND refused_at >= $3 ORDER BY refused_at`, key, item, since)
	return collect(rows, err, func(sc pgx.Row) (supervision.RefusalNote, error) {
		var r supervision.RefusalNote
		err := sc.Scan(&r.Key, &r.ItemCode, &r.CaseID, &r.Number, &r.RefusedAt, &r.DeptID, &r.DeptName, &r.RegionPath, &r.UserID, &r.UserLabel)
		r.RefusedAt = r.RefusedAt.UTC()
		return r, err
	})
}

// StaffWith lists the enabled staff holding role on a scope that covers the
// region and department: a grant on the region or one above it, for the
// department or for every department.
func (s *SupervisionStore) StaffWith(ctx context.Context, role, regionPath string, dept int64) ([]int64, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
		LEFT JOIN regions r ON r.id = g.region_id WHERE g.role = $1 AND NOT u.disabled
		AND (g.region_id IS NULL OR left($2, length(r.path)) = r.path)
		AND (g.department_id IS NULL OR g.department_id = $3) ORDER BY g.user_id`, role, regionPath, dept)
	return collect(rows, err, func(sc pgx.Row) (int64, error) {
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
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, name || '（' || username || '）' FROM users WHERE id = ANY($1)`, ids)
	type pair struct {
		id    int64
		label string
	}
	list, err := collect(rows, err, func(sc pgx.Row) (pair, error) {
		var p pair
		return p, sc.Scan(&p.id, &p.label)
	})
	for _, p := range list {
		out[p.id] = p.label
	}
	return out, err
}
