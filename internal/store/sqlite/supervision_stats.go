package sqlite

import (
	"context"
	"encoding/json"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/supervision"
)

const statCounters = `received, accepted, refused, supplemented, decided, on_time, early, used_days, promised_days, yellow, red, orders,
	intake_total, intake_on_time, steps, steps_on_time`

func countArgs(c *supervision.Counts) []any {
	return []any{c.Received, c.Accepted, c.Refused, c.Supplemented, c.Decided, c.OnTime, c.Early, c.UsedDays, c.PromisedDays,
		c.Yellow, c.Red, c.Orders, c.IntakeTotal, c.IntakeOnTime, c.Steps, c.StepsOnTime}
}

func countDest(c *supervision.Counts) []any {
	return []any{&c.Received, &c.Accepted, &c.Refused, &c.Supplemented, &c.Decided, &c.OnTime, &c.Early, &c.UsedDays,
		&c.PromisedDays, &c.Yellow, &c.Red, &c.Orders, &c.IntakeTotal, &c.IntakeOnTime, &c.Steps, &c.StepsOnTime}
}

// statAdd is the upsert adding counts to a month's row.
var statAdd = func() string {
	var sets []string
	for _, c := range strings.Split(statCounters, ",") {
		c = strings.TrimSpace(c)
		sets = append(sets, c+" = "+c+" + excluded."+c)
	}
	return `INSERT INTO supervision_stats (centre_id, month, dim, dim_id, ` + statCounters + `) VALUES (` + placeholders(20) +
		`) ON CONFLICT (centre_id, month, dim, dim_id) DO UPDATE SET ` + strings.Join(sets, ", ")
}()

// AddStats adds counts, one upsert per month and subject after summing.
func (s *SupervisionStore) AddStats(ctx context.Context, ds []supervision.StatDelta) error {
	sums := supervision.SumDeltas(ds)
	if len(sums) == 0 {
		return nil
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		for _, d := range sums {
			args := append([]any{d.CentreID, d.Month, d.Dim, d.DimID}, countArgs(&d.Counts)...)
			if _, err := s.db.q(ctx).ExecContext(ctx, statAdd, args...); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}

// FindStats reads monthly counts.
func (s *SupervisionStore) FindStats(ctx context.Context, f supervision.StatFilter) ([]supervision.StatRow, error) {
	where, args := []string{"1 = 1"}, []any{}
	if len(f.CentreIDs) > 0 {
		where, args = append(where, "centre_id IN ("+placeholders(len(f.CentreIDs))+")"), append(args, int64Args(f.CentreIDs)...)
	}
	if len(f.Months) > 0 {
		where = append(where, "month IN ("+placeholders(len(f.Months))+")")
		for _, m := range f.Months {
			args = append(args, m)
		}
	}
	if f.Dim != "" {
		where, args = append(where, "dim = ?"), append(args, f.Dim)
	}
	if f.DimID != 0 {
		where, args = append(where, "dim_id = ?"), append(args, f.DimID)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT centre_id, month, dim, dim_id, `+statCounters+` FROM supervision_stats
		WHERE `+strings.Join(where, " AND ")+` ORDER BY month, dim, dim_id`, args...)
	return collect(rows, err, func(sc scanner) (supervision.StatRow, error) {
		var r supervision.StatRow
		return r, sc.Scan(append([]any{&r.CentreID, &r.Month, &r.Dim, &r.DimID}, countDest(&r.Counts)...)...)
	})
}

// FindRules returns a centre's rules.
func (s *SupervisionStore) FindRules(ctx context.Context, centreID int64) (*supervision.Rules, error) {
	var r supervision.Rules
	var policy string
	var at int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT centre_id, yellow_percent, yellow_days, reason_min_runes, backfill_minutes, policy,
		updated_by, updated_at FROM supervision_rules WHERE centre_id = ?`, centreID).Scan(&r.CentreID, &r.YellowPercent, &r.YellowDays,
		&r.ReasonMinRunes, &r.BackfillMinutes, &policy, &r.UpdatedBy, &at)
	if err != nil {
		return nil, notFound(err, "该服务中心未设置监察规则")
	}
	r.UpdatedAt = fromMicro(at)
	return &r, json.Unmarshal([]byte(policy), &r.Policy)
}

// PutRules stores a centre's rules.
func (s *SupervisionStore) PutRules(ctx context.Context, r *supervision.Rules) error {
	policy, err := json.Marshal(r.Policy)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO supervision_rules (centre_id, yellow_percent, yellow_days, reason_min_runes,
			backfill_minutes, policy, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (centre_id) DO UPDATE SET
			yellow_percent = excluded.yellow_percent, yellow_days = excluded.yellow_days, reason_min_runes = excluded.reason_min_runes,
			backfill_minutes = excluded.backfill_minutes, policy = excluded.policy, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, r.CentreID, r.YellowPercent, r.YellowDays, r.ReasonMinRunes, r.BackfillMinutes,
			string(policy), r.UpdatedBy, micro(r.UpdatedAt))
		return mapError(err)
	})
}

const reportColumns = `id, centre_id, period, frozen_at, frozen_by, by_label, data`

func scanReport(sc scanner) (*supervision.Report, error) {
	var r supervision.Report
	var at int64
	var data string
	err := sc.Scan(&r.ID, &r.CentreID, &r.Period, &at, &r.FrozenBy, &r.ByLabel, &data)
	r.FrozenAt, r.Data = fromMicro(at), []byte(data)
	return &r, err
}

// FindReport returns a frozen period.
func (s *SupervisionStore) FindReport(ctx context.Context, centreID int64, period string) (*supervision.Report, error) {
	r, err := scanReport(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+reportColumns+` FROM supervision_reports
		WHERE centre_id = ? AND period = ?`, centreID, period))
	return r, notFound(err, "该考核期尚未关闭")
}

// CreateReport freezes a period.
func (s *SupervisionStore) CreateReport(ctx context.Context, r *supervision.Report) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO supervision_reports (centre_id, period, frozen_at, frozen_by, by_label, data)
			VALUES (?, ?, ?, ?, ?, ?)`, r.CentreID, r.Period, micro(r.FrozenAt), r.FrozenBy, r.ByLabel, string(r.Data))
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该考核期已经关闭，考核结果不再改变")
		}
		if err != nil {
			return mapError(err)
		}
		r.ID, err = res.LastInsertId()
		return err
	})
}

// FindReports lists a centre's frozen periods, newest first.
func (s *SupervisionStore) FindReports(ctx context.Context, centreID int64) ([]*supervision.Report, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, centre_id, period, frozen_at, frozen_by, by_label, '' FROM supervision_reports
		WHERE centre_id = ? ORDER BY frozen_at DESC`, centreID)
	return collect(rows, err, scanReport)
}

// PutHead publishes the audit head of a day (the first publication of a
// day stands).
func (s *SupervisionStore) PutHead(ctx context.Context, h supervision.PublishedHead) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT OR IGNORE INTO supervision_heads (date, seq, hash, published_at) VALUES (?, ?, ?, ?)`,
			h.Date, h.Seq, h.Hash, micro(h.PublishedAt))
		return mapError(err)
	})
}

// FindHeads lists published heads, newest first.
func (s *SupervisionStore) FindHeads(ctx context.Context, limit int) ([]supervision.PublishedHead, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT date, seq, hash, published_at FROM supervision_heads ORDER BY date DESC LIMIT ?`, limit)
	return collect(rows, err, func(sc scanner) (supervision.PublishedHead, error) {
		var h supervision.PublishedHead
		var at int64
		err := sc.Scan(&h.Date, &h.Seq, &h.Hash, &at)
		h.PublishedAt = fromMicro(at)
		return h, err
	})
}

// ReplaceStats replaces every monthly count.
func (s *SupervisionStore) ReplaceStats(ctx context.Context, ds []supervision.StatDelta) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM supervision_stats`); err != nil {
			return mapError(err)
		}
		return s.AddStats(ctx, ds)
	})
}

// ExtraTallies counts the 督办 issued and the cards entered by hand or
// found on other cases (不予受理 followed by an acceptance).
func (s *SupervisionStore) ExtraTallies(ctx context.Context) ([]supervision.Tally, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT issued_at, department_id, 0, 0 FROM supervision_orders
		UNION ALL SELECT arose_at, department_id, user_id, colour FROM supervision_cards WHERE manual = 1 OR kind = '01'`)
	return collect(rows, err, func(sc scanner) (supervision.Tally, error) {
		var at, dept, user int64
		var colour supervision.Colour
		if err := sc.Scan(&at, &dept, &user, &colour); err != nil {
			return supervision.Tally{}, err
		}
		return supervision.ExtraTally(fromMicro(at), dept, user, colour), nil
	})
}
