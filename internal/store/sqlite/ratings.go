package sqlite

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

// RatingsStore implements rating.Store.
type RatingsStore struct{ db *DB }

// Ratings returns the ratings store.
func (db *DB) Ratings() *RatingsStore { return &RatingsStore{db} }

const ratingColumns = sqlcommon.RatingColumns

// ratingChunk bounds the rows of one INSERT (SQLite's variable limit).
const ratingChunk = 500

// textType is the type keys are cast to.
const textType = "TEXT"

// CreateRatings inserts ratings with ids taken in the writer's
// transaction (which holds the write lock), in statements of up to 500
// rows. They are counted one by one until FoldCounts folds them: since
// ids are taken under the write lock, they are committed in id order.
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
		return nil
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
	w := sqlcommon.RatingWhere(dialect, f)
	q := s.db.q(ctx)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE `+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	cond := w.SQL()
	page := ` LIMIT ` + w.Arg(limit) + ` OFFSET ` + w.Arg(f.Offset)
	rows, err := q.QueryContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE `+cond+` ORDER BY at DESC, id DESC`+page, w.Args...)
	list, err := collect(rows, err, scanRating)
	return list, total, err
}

var scanRating = shared(sqlcommon.ScanRating)

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

// ExcludeRating marks a rating false or malicious and, once folded, takes
// it out of the counts.
func (s *RatingsStore) ExcludeRating(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		r, err := s.FindRatingByID(ctx, id)
		if err != nil || r.Excluded {
			return err
		}
		folded, err := s.foldedID(ctx)
		if err != nil {
			return err
		}
		if _, err := s.db.q(ctx).ExecContext(ctx, `UPDATE ratings SET excluded = 1 WHERE id = ?`, id); err != nil {
			return mapError(err)
		}
		if r.ID > folded {
			return nil
		}
		return s.addCounts(ctx, rating.CountsOf([]*rating.Rating{r}, -1))
	})
}

// CountRatings sums the counts of a period by a dimension: the monthly
// counts for its whole months, the daily ones for the rest, and the
// ratings not folded yet one by one, all in one statement (one snapshot).
func (s *RatingsStore) CountRatings(ctx context.Context, f rating.FigureFilter) ([]rating.LevelCount, error) {
	col := rating.DimensionColumn(f.By)
	p := rating.PeriodOf(f.From, f.To)
	var parts []string
	w := sqlcommon.NewWhere(dialect)
	if p.Months[0] != "" {
		parts = append(parts, `SELECT CAST(`+col+` AS `+textType+`) AS k, level, is_default, n FROM rating_counts_month WHERE `+
			sqlcommon.RatingCountWhere(w, f, "day", p.Months[0], p.Months[1]))
	}
	for _, d := range p.Days {
		parts = append(parts, `SELECT CAST(`+col+` AS `+textType+`) AS k, level, is_default, n FROM rating_counts WHERE `+
			sqlcommon.RatingCountWhere(w, f, "day", d[0], d[1]))
	}
	from, to := rating.DaySpan(f.From, f.To)
	parts = append(parts, sqlcommon.RatingTail(w, f, `CAST(`+col+` AS `+textType+`)`, "excluded = 0", micro(from), micro(to)))
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT k, level, is_default, SUM(n) FROM (`+strings.Join(parts, " UNION ALL ")+
		`) AS c GROUP BY k, level, is_default HAVING SUM(n) <> 0`, w.Args...)
	return collect(rows, err, shared(sqlcommon.ScanLevelCount))
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
	v, err := sqlcommon.ScanVisit(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+sqlcommon.VisitColumns+` FROM rating_visits WHERE id = ?`, id))
	return v, notFound(err, "评价链接无效")
}

// FindLimits returns every region's limits.
func (s *RatingsStore) FindLimits(ctx context.Context) ([]*rating.Limits, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sqlcommon.LimitsColumns+` FROM rating_limits`)
	return collect(rows, err, shared(sqlcommon.ScanLimits))
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
