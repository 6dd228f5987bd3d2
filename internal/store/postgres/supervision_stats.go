package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
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
	var sets, ph []string
	for i, c := range strings.Split(statCounters, ",") {
		c = strings.TrimSpace(c)
		sets = append(sets, c+" = supervision_stats."+c+" + excluded."+c)
		ph = append(ph, fmt.Sprintf("$%d", i+5))
	}
	return `INSERT INTO supervision_stats (centre_id, month, dim, dim_id, ` + statCounters + `) VALUES ($1, $2, $3, $4, ` +
		strings.Join(ph, ", ") + `) ON CONFLICT (centre_id, month, dim, dim_id) DO UPDATE SET ` + strings.Join(sets, ", ")
}()

// AddStats adds counts, one upsert per month and subject after summing, in
// key order so that concurrent writers lock rows in the same order.
func (s *SupervisionStore) AddStats(ctx context.Context, ds []supervision.StatDelta) error {
	sums := supervision.SumDeltas(ds)
	b := &pgx.Batch{}
	for _, d := range sums {
		b.Queue(statAdd, append([]any{d.CentreID, d.Month, d.Dim, d.DimID}, countArgs(&d.Counts)...)...)
	}
	return s.sendBatch(ctx, b)
}

// FindStats reads monthly counts.
func (s *SupervisionStore) FindStats(ctx context.Context, f supervision.StatFilter) ([]supervision.StatRow, error) {
	w := newWhere()
	if len(f.CentreIDs) > 0 {
		w.add("centre_id = ANY(?)", f.CentreIDs)
	}
	if len(f.Months) > 0 {
		w.add("month = ANY(?)", f.Months)
	}
	if f.Dim != "" {
		w.add("dim = ?", string(f.Dim))
	}
	if f.DimID != 0 {
		w.add("dim_id = ?", f.DimID)
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT centre_id, month, dim, dim_id, `+statCounters+` FROM supervision_stats WHERE `+
		w.sql()+` ORDER BY month, dim, dim_id`, w.args...)
	return collect(rows, err, func(sc pgx.Row) (supervision.StatRow, error) {
		var r supervision.StatRow
		return r, sc.Scan(append([]any{&r.CentreID, &r.Month, &r.Dim, &r.DimID}, countDest(&r.Counts)...)...)
	})
}

// FindRules returns a centre's rules.
func (s *SupervisionStore) FindRules(ctx context.Context, centreID int64) (*supervision.Rules, error) {
	var r supervision.Rules
	var policy string
	err := s.db.q(ctx).QueryRow(ctx, `SELECT centre_id, yellow_percent, yellow_days, reason_min_runes, backfill_minutes, policy,
		updated_by, updated_at FROM supervision_rules WHERE centre_id = $1`, centreID).Scan(&r.CentreID, &r.YellowPercent,
		&r.YellowDays, &r.ReasonMinRunes, &r.BackfillMinutes, &policy, &r.UpdatedBy, &r.UpdatedAt)
	if err != nil {
		return nil, notFound(err, "该服务中心未设置监察规则")
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	return &r, json.Unmarshal([]byte(policy), &r.Policy)
}

// PutRules stores a centre's rules.
func (s *SupervisionStore) PutRules(ctx context.Context, r *supervision.Rules) error {
	policy, err := json.Marshal(r.Policy)
	if err != nil {
		return err
	}
	_, err = s.db.q(ctx).Exec(ctx, `INSERT INTO supervision_rules (centre_id, yellow_percent, yellow_days, reason_min_runes,
		backfill_minutes, policy, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (centre_id) DO UPDATE SET
		yellow_percent = excluded.yellow_percent, yellow_days = excluded.yellow_days, reason_min_runes = excluded.reason_min_runes,
		backfill_minutes = excluded.backfill_minutes, policy = excluded.policy, updated_by = excluded.updated_by,
		updated_at = excluded.updated_at`, r.CentreID, r.YellowPercent, r.YellowDays, r.ReasonMinRunes, r.BackfillMinutes,
		string(policy), r.UpdatedBy, r.UpdatedAt)
	return mapError(err)
}

const reportColumns = `id, centre_id, period, frozen_at, frozen_by, by_label, data`

func scanReport(sc pgx.Row) (*supervision.Report, error) {
	var r supervision.Report
	var data string
	err := sc.Scan(&r.ID, &r.CentreID, &r.Period, &r.FrozenAt, &r.FrozenBy, &r.ByLabel, &data)
	r.FrozenAt, r.Data = r.FrozenAt.UTC(), []byte(data)
	return &r, err
}

// FindReport returns a frozen period.
func (s *SupervisionStore) FindReport(ctx context.Context, centreID int64, period string) (*supervision.Report, error) {
	r, err := scanReport(s.db.q(ctx).QueryRow(ctx, `SELECT `+reportColumns+` FROM supervision_reports WHERE centre_id = $1
		AND period = $2`, centreID, period))
	return r, notFound(err, "该考核期尚未关闭")
}

// CreateReport freezes a period.
func (s *SupervisionStore) CreateReport(ctx context.Context, r *supervision.Report) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO supervision_reports (centre_id, period, frozen_at, frozen_by, by_label, data)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.CentreID, r.Period, r.FrozenAt, r.FrozenBy, r.ByLabel, string(r.Data)).Scan(&r.ID)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "该考核期已经关闭，考核结果不再改变")
	}
	return mapError(err)
}

// FindReports lists a centre's frozen periods, newest first.
func (s *SupervisionStore) FindReports(ctx context.Context, centreID int64) ([]*supervision.Report, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, centre_id, period, frozen_at, frozen_by, by_label, '' FROM supervision_reports
		WHERE centre_id = $1 ORDER BY frozen_at DESC`, centreID)
	return collect(rows, err, scanReport)
}

// PutHead publishes the audit head of a day (the first publication of a
// day stands).
func (s *SupervisionStore) PutHead(ctx context.Context, h supervision.PublishedHead) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO supervision_heads (date, seq, hash, published_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (date) DO NOTHING`, h.Date, h.Seq, h.Hash, h.PublishedAt)
	return mapError(err)
}

// FindHeads lists published heads, newest first.
func (s *SupervisionStore) FindHeads(ctx context.Context, limit int) ([]supervision.PublishedHead, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT date, seq, hash, published_at FROM supervision_heads ORDER BY date DESC LIMIT $1`, limit)
	return collect(rows, err, func(sc pgx.Row) (supervision.PublishedHead, error) {
		var h supervision.PublishedHead
		err := sc.Scan(&h.Date, &h.Seq, &h.Hash, &h.PublishedAt)
		h.PublishedAt = h.PublishedAt.UTC()
		return h, err
	})
}

// ReplaceStats replaces every monthly count.
func (s *SupervisionStore) ReplaceStats(ctx context.Context, ds []supervision.StatDelta) error {
	if _, err := s.db.q(ctx).Exec(ctx, `DELETE FROM supervision_stats`); err != nil {
		return mapError(err)
	}
	return s.AddStats(ctx, ds)
}

// ExtraTallies counts the 督办 issued and the cards entered by hand or
// found on other cases (不予受理 followed by an acceptance).
func (s *SupervisionStore) ExtraTallies(ctx context.Context) ([]supervision.Tally, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT issued_at, department_id, 0::bigint, 0::bigint FROM supervision_orders
		UNION ALL SELECT arose_at, department_id, user_id, colour FROM supervision_cards WHERE manual OR kind = '01'`)
	return collect(rows, err, func(sc pgx.Row) (supervision.Tally, error) {
		var at time.Time
		var dept, user int64
		var colour supervision.Colour
		if err := sc.Scan(&at, &dept, &user, &colour); err != nil {
			return supervision.Tally{}, err
		}
		return supervision.ExtraTally(at, dept, user, colour), nil
	})
}
