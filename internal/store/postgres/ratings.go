package postgres

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

// RatingsStore implements rating.Store.
type RatingsStore struct{ db *DB }

// Ratings returns the ratings store.
func (db *DB) Ratings() *RatingsStore { return &RatingsStore{db} }

const ratingColumns = sqlcommon.RatingColumns

const ratingInsertColumns = `id, rkey, subject, case_id, case_number, visit_id, stage, number, first_id, level, indicators, channel,
	anonymous, rater_user_id, rater_kind, comment, is_default, excluded, region_path, region_code, department_id, department,
	window_id, staff_id, item_code, item_name, instant, source, at`

// ratingChunk bounds the rows of one INSERT.
const ratingChunk = 500

// textType is the type keys are cast to.
const textType = "text"

// tuples is "($1, …), ($k, …)": rows groups of cols placeholders, numbered
// from $1, for a multi-row INSERT whose only arguments they are.
func tuples(rows, cols int) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(r*cols+c+1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// CreateRatings takes ids from the sequence and inserts ratings in
// statements of up to 500 rows. They are counted one by one until
// FoldCounts folds them: the fold's barrier, held shared from before the
// ids are taken until the commit, tells the fold which ids are final.
func (s *RatingsStore) CreateRatings(ctx context.Context, rs []*rating.Rating) error {
	if len(rs) == 0 {
		return nil
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1, 0)`, foldBarrier); err != nil {
			return mapError(err)
		}
		rows, err := s.db.q(ctx).Query(ctx, `SELECT nextval(pg_get_serial_sequence('ratings', 'id')) FROM generate_series(1, $1)`, len(rs))
		ids, err := collect(rows, err, func(r pgx.Row) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return err
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for i, r := range rs {
			r.ID = ids[i]
		}
		for start := 0; start < len(rs); start += ratingChunk {
			if err := s.insertRatings(ctx, rs[start:min(start+ratingChunk, len(rs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *RatingsStore) insertRatings(ctx context.Context, rs []*rating.Rating) error {
	args := make([]any, 0, 29*len(rs))
	for _, r := range rs {
		args = append(args, r.ID, r.Key, r.Subject, nullable(r.CaseID), r.CaseNumber, nullable(r.VisitID), int(r.Stage), r.Number,
			nullable(r.FirstID), int(r.Level), rating.EncodeIndicators(r.Indicators), string(r.Channel), r.Anonymous, nullable(r.RaterUserID),
			r.RaterKind, r.Comment, r.Default, r.Excluded, r.RegionPath, r.RegionCode, r.DepartmentID, r.Department,
			r.WindowID, r.StaffID, r.ItemCode, r.ItemName, r.Instant, r.Source, r.At)
	}
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO ratings (`+ratingInsertColumns+`) VALUES `+tuples(len(rs), 29), args...)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "评价已存在")
	}
	return mapError(err)
}

// countChunk bounds the count rows of one upsert.
const countChunk = 1000

// addCounts adds count rows (negative to take away), in the rows' order
// (so that concurrent transactions lock shared rows in the same order), in
// statements of up to countChunk rows.
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
		args = append(args, c.Day, c.RegionPath, c.DepartmentID, c.WindowID, c.StaffID, c.ItemCode, int(c.Level), c.Default, c.N)
	}
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO `+table+` (day, region_path, department_id, window_id, staff_id,
		item_code, level, is_default, n) VALUES `+tuples(len(rows), 9)+`
		ON CONFLICT (day, region_path, department_id, window_id, staff_id, item_code, level, is_default)
		DO UPDATE SET n = `+table+`.n + excluded.n`, args...)
	return mapError(err)
}

// FindRatingByID returns one rating.
func (s *RatingsStore) FindRatingByID(ctx context.Context, id int64) (*rating.Rating, error) {
	r, err := scanRating(s.db.q(ctx).QueryRow(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE id = $1`, id))
	return r, notFound(err, "评价不存在")
}

// FindRatings lists ratings newest first with the total.
func (s *RatingsStore) FindRatings(ctx context.Context, f rating.Filter) ([]*rating.Rating, int, error) {
	w := sqlcommon.RatingWhere(dialect, f)
	q := s.db.q(ctx)
	var total int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM ratings WHERE `+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	cond := w.SQL()
	page := ` LIMIT ` + w.Arg(limit) + ` OFFSET ` + w.Arg(f.Offset)
	rows, err := q.Query(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE `+cond+` ORDER BY at DESC, id DESC`+page, w.Args...)
	list, err := collect(rows, err, scanRating)
	return list, total, err
}

var scanRating = shared(sqlcommon.ScanRating)

// ExistingKeys returns which keys are stored.
func (s *RatingsStore) ExistingKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT rkey FROM ratings WHERE rkey = ANY($1)`, keys)
	found, err := collect(rows, err, func(r pgx.Row) (string, error) {
		var k string
		return k, r.Scan(&k)
	})
	out := map[string]bool{}
	for _, k := range found {
		out[k] = true
	}
	return out, err
}

// ExcludeRating marks a rating false or malicious and, once folded, takes
// it out of the counts. The fold's row is locked first, as the fold locks
// it.
func (s *RatingsStore) ExcludeRating(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		folded, err := s.lockFold(ctx)
		if err != nil {
			return err
		}
		r, err := scanRating(s.db.q(ctx).QueryRow(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(err, "评价不存在")
		}
		if r.Excluded {
			return nil
		}
		if _, err := s.db.q(ctx).Exec(ctx, `UPDATE ratings SET excluded = true WHERE id = $1`, id); err != nil {
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
	parts = append(parts, sqlcommon.RatingTail(w, f, `CAST(`+col+` AS `+textType+`)`, "NOT excluded", from, to))
	rows, err := s.db.q(ctx).Query(ctx, `SELECT k, level, is_default, SUM(n) FROM (`+strings.Join(parts, " UNION ALL ")+
		`) AS c GROUP BY k, level, is_default HAVING SUM(n) <> 0`, w.Args...)
	return collect(rows, err, shared(sqlcommon.ScanLevelCount))
}

// CreateVisit inserts a visit.
func (s *RatingsStore) CreateVisit(ctx context.Context, v *rating.Visit) error {
	t := v.Target
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO rating_visits (region_path, region_code, department_id, department, window_id,
		window_name, staff_id, phone, case_number, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		t.RegionPath, t.RegionCode, t.DepartmentID, t.Department, t.WindowID, v.WindowName, t.StaffID, v.Phone, v.CaseNumber, v.CreatedAt).Scan(&v.ID)
	return mapError(err)
}

// FindVisitByID returns one visit.
func (s *RatingsStore) FindVisitByID(ctx context.Context, id int64) (*rating.Visit, error) {
	v, err := sqlcommon.ScanVisit(s.db.q(ctx).QueryRow(ctx, `SELECT `+sqlcommon.VisitColumns+` FROM rating_visits WHERE id = $1`, id))
	return v, notFound(err, "评价链接无效")
}

// FindLimits returns every region's limits.
func (s *RatingsStore) FindLimits(ctx context.Context) ([]*rating.Limits, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.LimitsColumns+` FROM rating_limits`)
	return collect(rows, err, shared(sqlcommon.ScanLimits))
}

// PutLimits creates or replaces a region's limits.
func (s *RatingsStore) PutLimits(ctx context.Context, l *rating.Limits) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO rating_limits (region_id, region_path, callback_days, rectify_days,
		default_days, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (region_id) DO UPDATE SET region_path = excluded.region_path, callback_days = excluded.callback_days,
		rectify_days = excluded.rectify_days, default_days = excluded.default_days, updated_at = excluded.updated_at,
		updated_by = excluded.updated_by`, l.RegionID, l.RegionPath, l.CallbackDays, l.RectifyDays, l.DefaultDays, l.UpdatedAt, l.UpdatedBy)
	return mapError(err)
}

// DepartmentStaff lists who holds one of roles in a department, or over
// the region at regionPath (a grant on it or on a region above it).
func (s *RatingsStore) DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	return departmentStaff(ctx, s.db, deptID, regionPath, roles)
}

func departmentStaff(ctx context.Context, db *DB, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	q := `SELECT DISTINCT g.user_id FROM role_grants g WHERE g.role = ANY($1) AND g.department_id = $2 ORDER BY g.user_id`
	var arg any = deptID
	if deptID == 0 {
		q = `SELECT DISTINCT g.user_id FROM role_grants g JOIN regions r ON r.id = g.region_id
			WHERE g.role = ANY($1) AND g.department_id IS NULL AND starts_with($2::text, r.path) ORDER BY g.user_id`
		arg = regionPath
	}
	rows, err := db.q(ctx).Query(ctx, q, roleStrings(roles), arg)
	return collect(rows, err, func(r pgx.Row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}
