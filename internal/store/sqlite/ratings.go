package sqlite

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/rating"
)

// RatingsStore implements rating.Store.
type RatingsStore struct{ db *DB }

// Ratings returns the ratings store.
func (db *DB) Ratings() *RatingsStore { return &RatingsStore{db} }

const ratingColumns = `id, rkey, subject, IFNULL(case_id, 0), case_number, IFNULL(visit_id, 0), stage, number, IFNULL(first_id, 0),
	level, indicators, channel, anonymous, IFNULL(rater_user_id, 0), rater_kind, comment, is_default, excluded, region_path,
	region_code, department_id, department, window_id, staff_id, item_code, item_name, instant, source, at`

// ratingChunk bounds the rows of one INSERT (SQLite's variable limit).
const ratingChunk = 500

// textType is the type keys are cast to.
const textType = "TEXT"

// CreateRatings inserts ratings with ids taken in the writer's
// transaction (which holds the write lock), in statements of up to 500
// rows, and adds them to the per-day counts.
func (s *RatingsStore) CreateRatings(ctx context.Context, rs []*rating.Rating) error {
	if len(rs) == 0 {
		return nil
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var next int64
		if err := s.db.q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM ratings`).Scan(&next); err != nil {
			return mapError(err)
		}
		for start := 0; start < len(rs); start += ratingChunk {
			chunk := rs[start:min(start+ratingChunk, len(rs))]
			for i, r := range chunk {
				r.ID = next + int64(start+i)
			}
			if err := s.insertRatings(ctx, chunk); err != nil {
				return err
			}
		}
		return s.addCounts(ctx, rating.CountsOf(rs, 1))
	})
}

func (s *RatingsStore) insertRatings(ctx context.Context, rs []*rating.Rating) error {
	args := make([]any, 0, 29*len(rs))
	for _, r := range rs {
		args = append(args, r.ID, r.Key, r.Subject, nullable(r.CaseID), r.CaseNumber, nullable(r.VisitID), r.Stage, r.Number,
			nullable(r.FirstID), r.Level, rating.EncodeIndicators(r.Indicators), r.Channel, boolInt(r.Anonymous), nullable(r.RaterUserID),
			r.RaterKind, r.Comment, boolInt(r.Default), boolInt(r.Excluded), r.RegionPath, r.RegionCode, r.DepartmentID, r.Department,
			r.WindowID, r.StaffID, r.ItemCode, r.ItemName, boolInt(r.Instant), r.Source, micro(r.At))
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO ratings (`+strings.ReplaceAll(ratingInsertColumns, "\n", " ")+`) VALUES `+tuples(len(rs), 29), args...)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "评价已存在")
	}
	return mapError(err)
}

const ratingInsertColumns = `id, rkey, subject, case_id, case_number, visit_id, stage, number, first_id, level, indicators, channel,
	anonymous, rater_user_id, rater_kind, comment, is_default, excluded, region_path, region_code, department_id, department,
	window_id, staff_id, item_code, item_name, instant, source, at`

// countChunk bounds the count rows of one upsert.
const countChunk = 1000

// addCounts adds count rows (negative to take away), in statements of up
// to countChunk rows.
func (s *RatingsStore) addCounts(ctx context.Context, rows []rating.CountRow) error {
	for _, t := range []struct {
		table string
		rows  []rating.CountRow
	}{{"rating_counts", rows}, {"rating_counts_month", rating.MonthsOf(rows)}} {
		for start := 0; start < len(t.rows); start += countChunk {
			if err := s.upsertCounts(ctx, t.table, t.rows[start:min(start+countChunk, len(t.rows))]); err != nil {
				return err
			}
		}
	}
	return nil
}

// upsertCounts adds count rows in one statement.
func (s *RatingsStore) upsertCounts(ctx context.Context, table string, rows []rating.CountRow) error {
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, 0, 9*len(rows))
	for _, c := range rows {
		args = append(args, c.Day, c.RegionPath, c.DepartmentID, c.WindowID, c.StaffID, c.ItemCode, c.Level, boolInt(c.Default), c.N)
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO `+table+` (day, region_path, department_id, window_id, staff_id,
		item_code, level, is_default, n) VALUES `+tuples(len(rows), 9)+`
		ON CONFLICT (day, region_path, department_id, window_id, staff_id, item_code, level, is_default)
		DO UPDATE SET n = n + excluded.n`, args...)
	return mapError(err)
}

// FindRatingByID returns one rating.
func (s *RatingsStore) FindRatingByID(ctx context.Context, id int64) (*rating.Rating, error) {
	r, err := scanRating(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE id = ?`, id))
	return r, notFound(err, "评价不存在")
}

// FindRatings lists ratings newest first with the total.
func (s *RatingsStore) FindRatings(ctx context.Context, f rating.Filter) ([]*rating.Rating, int, error) {
	where, args := ratingWhere(f)
	q := s.db.q(ctx)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE `+where+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limit, f.Offset)...)
	list, err := collect(rows, err, scanRating)
	return list, total, err
}

func ratingWhere(f rating.Filter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.CaseID != 0 {
		add("case_id = ?", f.CaseID)
	}
	if f.VisitID != 0 {
		add("visit_id = ?", f.VisitID)
	}
	if f.RaterUserID != 0 {
		add("rater_user_id = ?", f.RaterUserID)
	}
	if f.FirstID != 0 {
		add("first_id = ?", f.FirstID)
	}
	if f.RegionPrefix != "" {
		add("substr(region_path, 1, ?) = ?", len(f.RegionPrefix))
		args = append(args, f.RegionPrefix)
	}
	if len(f.DepartmentIDs) > 0 {
		where = append(where, "department_id IN ("+placeholders(len(f.DepartmentIDs))+")")
		for _, id := range f.DepartmentIDs {
			args = append(args, id)
		}
	}
	if !f.From.IsZero() {
		add("at >= ?", micro(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", micro(f.To))
	}
	return strings.Join(where, " AND "), args
}

func scanRating(r scanner) (*rating.Rating, error) {
	var x rating.Rating
	var ind string
	var at int64
	err := r.Scan(&x.ID, &x.Key, &x.Subject, &x.CaseID, &x.CaseNumber, &x.VisitID, &x.Stage, &x.Number, &x.FirstID, &x.Level, &ind,
		&x.Channel, &x.Anonymous, &x.RaterUserID, &x.RaterKind, &x.Comment, &x.Default, &x.Excluded, &x.RegionPath, &x.RegionCode,
		&x.DepartmentID, &x.Department, &x.WindowID, &x.StaffID, &x.ItemCode, &x.ItemName, &x.Instant, &x.Source, &at)
	if err != nil {
		return nil, err
	}
	x.Indicators, x.At = rating.DecodeIndicators(ind), fromMicro(at)
	return &x, nil
}

// ExistingKeys returns which keys are stored.
func (s *RatingsStore) ExistingKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(keys); start += ratingChunk {
		chunk := keys[start:min(start+ratingChunk, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT rkey FROM ratings WHERE rkey IN (`+placeholders(len(chunk))+`)`, args...)
		found, err := collect(rows, err, func(r scanner) (string, error) {
			var k string
			return k, r.Scan(&k)
		})
		if err != nil {
			return nil, err
		}
		for _, k := range found {
			out[k] = true
		}
	}
	return out, nil
}

// ExcludeRating marks a rating false or malicious and takes it out of the
// counts.
func (s *RatingsStore) ExcludeRating(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		r, err := s.FindRatingByID(ctx, id)
		if err != nil || r.Excluded {
			return err
		}
		if _, err := s.db.q(ctx).ExecContext(ctx, `UPDATE ratings SET excluded = 1 WHERE id = ?`, id); err != nil {
			return mapError(err)
		}
		return s.addCounts(ctx, rating.CountsOf([]*rating.Rating{r}, -1))
	})
}

// CountRatings sums the counts of a period by a dimension: the monthly
// counts for its whole months, the daily ones for the rest.
func (s *RatingsStore) CountRatings(ctx context.Context, f rating.FigureFilter) ([]rating.LevelCount, error) {
	col := rating.DimensionColumn(f.By)
	p := rating.PeriodOf(f.From, f.To)
	var parts []string
	var args []any
	if p.Months[0] != "" {
		where, a := countWhere(f, "day >= ? AND day < ?", p.Months[0], p.Months[1])
		parts, args = append(parts, `SELECT CAST(`+col+` AS `+textType+`) AS k, level, is_default, n FROM rating_counts_month WHERE `+where), append(args, a...)
	}
	for _, d := range p.Days {
		where, a := countWhere(f, "day >= ? AND day < ?", d[0], d[1])
		parts, args = append(parts, `SELECT CAST(`+col+` AS `+textType+`) AS k, level, is_default, n FROM rating_counts WHERE `+where), append(args, a...)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT k, level, is_default, SUM(n) FROM (`+strings.Join(parts, " UNION ALL ")+
		`) AS c GROUP BY k, level, is_default HAVING SUM(n) <> 0`, args...)
	return collect(rows, err, func(r scanner) (rating.LevelCount, error) {
		var c rating.LevelCount
		return c, r.Scan(&c.Key, &c.Level, &c.Default, &c.N)
	})
}

// countWhere adds a figure filter's region and departments to a period.
func countWhere(f rating.FigureFilter, period string, from, to any) (string, []any) {
	where, args := []string{period}, []any{from, to}
	if f.RegionPrefix != "" {
		where, args = append(where, "substr(region_path, 1, ?) = ?"), append(args, len(f.RegionPrefix), f.RegionPrefix)
	}
	if len(f.DepartmentIDs) > 0 {
		where = append(where, "department_id IN ("+placeholders(len(f.DepartmentIDs))+")")
		for _, id := range f.DepartmentIDs {
			args = append(args, id)
		}
	}
	return strings.Join(where, " AND "), args
}

// CreateVisit inserts a visit.
func (s *RatingsStore) CreateVisit(ctx context.Context, v *rating.Visit) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		t := v.Target
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO rating_visits (region_path, region_code, department_id, department,
			window_id, window_name, staff_id, phone, case_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.RegionPath, t.RegionCode, t.DepartmentID, t.Department, t.WindowID, v.WindowName, t.StaffID, v.Phone, v.CaseNumber, micro(v.CreatedAt))
		if err != nil {
			return mapError(err)
		}
		v.ID, err = res.LastInsertId()
		return err
	})
}

// FindVisitByID returns one visit.
func (s *RatingsStore) FindVisitByID(ctx context.Context, id int64) (*rating.Visit, error) {
	var v rating.Visit
	var at int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT id, region_path, region_code, department_id, department, window_id, window_name,
		staff_id, phone, case_number, created_at FROM rating_visits WHERE id = ?`, id).Scan(&v.ID, &v.Target.RegionPath,
		&v.Target.RegionCode, &v.Target.DepartmentID, &v.Target.Department, &v.Target.WindowID, &v.WindowName, &v.Target.StaffID,
		&v.Phone, &v.CaseNumber, &at)
	v.CreatedAt = fromMicro(at)
	return &v, notFound(err, "评价链接无效")
}

// FindLimits returns every region's limits.
func (s *RatingsStore) FindLimits(ctx context.Context) ([]*rating.Limits, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT region_id, region_path, callback_days, rectify_days, default_days,
		updated_at, updated_by FROM rating_limits`)
	return collect(rows, err, func(r scanner) (*rating.Limits, error) {
		var l rating.Limits
		var at int64
		err := r.Scan(&l.RegionID, &l.RegionPath, &l.CallbackDays, &l.RectifyDays, &l.DefaultDays, &at, &l.UpdatedBy)
		l.UpdatedAt = fromMicro(at)
		return &l, err
	})
}

// PutLimits creates or replaces a region's limits.
func (s *RatingsStore) PutLimits(ctx context.Context, l *rating.Limits) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO rating_limits (region_id, region_path, callback_days, rectify_days,
			default_days, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (region_id) DO UPDATE SET region_path = excluded.region_path, callback_days = excluded.callback_days,
			rectify_days = excluded.rectify_days, default_days = excluded.default_days, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`, l.RegionID, l.RegionPath, l.CallbackDays, l.RectifyDays, l.DefaultDays, micro(l.UpdatedAt), l.UpdatedBy)
		return mapError(err)
	})
}

// DepartmentStaff lists who holds one of roles in a department, or over
// the region at regionPath (a grant on it or on a region above it).
func (s *RatingsStore) DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	return departmentStaff(ctx, s.db, deptID, regionPath, roles)
}

func departmentStaff(ctx context.Context, db *DB, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	args := make([]any, 0, len(roles)+2)
	for _, r := range roles {
		args = append(args, string(r))
	}
	q := `SELECT DISTINCT g.user_id FROM role_grants g WHERE g.role IN (` + placeholders(len(roles)) + `) AND g.department_id = ?`
	args = append(args, deptID)
	if deptID == 0 {
		q = `SELECT DISTINCT g.user_id FROM role_grants g JOIN regions r ON r.id = g.region_id
			WHERE g.role IN (` + placeholders(len(roles)) + `) AND g.department_id IS NULL AND substr(?, 1, length(r.path)) = r.path`
		args[len(args)-1] = regionPath
	}
	rows, err := db.q(ctx).QueryContext(ctx, q+` ORDER BY g.user_id`, args...)
	return collect(rows, err, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}
