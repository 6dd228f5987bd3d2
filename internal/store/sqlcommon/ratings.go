package sqlcommon

import (
	"openhall/internal/rating"
)

// RatingColumns are the columns ScanRating reads, in its order.
const RatingColumns = `id, rkey, subject, COALESCE(case_id, 0), case_number, COALESCE(visit_id, 0), stage, number, COALESCE(first_id, 0),
	level, indicators, channel, anonymous, COALESCE(rater_user_id, 0), rater_kind, comment, is_default, excluded, region_path,
	region_code, department_id, department, window_id, staff_id, item_code, item_name, instant, source, at`

// ScanRating reads RatingColumns.
func ScanRating(r Scanner) (*rating.Rating, error) {
	var x rating.Rating
	var ind string
	var stage, level int
	err := r.Scan(&x.ID, &x.Key, &x.Subject, &x.CaseID, &x.CaseNumber, &x.VisitID, &stage, &x.Number, &x.FirstID, &level, &ind,
		&x.Channel, &x.Anonymous, &x.RaterUserID, &x.RaterKind, &x.Comment, &x.Default, &x.Excluded, &x.RegionPath, &x.RegionCode,
		&x.DepartmentID, &x.Department, &x.WindowID, &x.StaffID, &x.ItemCode, &x.ItemName, &x.Instant, &x.Source, Time(&x.At))
	if err != nil {
		return nil, err
	}
	x.Stage, x.Level, x.Indicators = rating.Stage(stage), rating.Level(level), rating.DecodeIndicators(ind)
	return &x, nil
}

// FoldColumns are the columns ScanFolded reads: what a rating is counted by.
const FoldColumns = `id, excluded, region_path, department_id, window_id, staff_id, item_code, level, is_default, at`

// ScanFolded reads FoldColumns.
func ScanFolded(r Scanner) (*rating.Rating, error) {
	var x rating.Rating
	var level int
	err := r.Scan(&x.ID, &x.Excluded, &x.RegionPath, &x.DepartmentID, &x.WindowID, &x.StaffID, &x.ItemCode, &level, &x.Default, Time(&x.At))
	x.Level = rating.Level(level)
	return &x, err
}

// RatingTail is the query of the ratings not folded yet, counted one by one
// with the filter of a figure (its where clause in w), in the columns of
// the counts: the dimension's key, level, is_default and n. notExcluded is
// the backend's test of the excluded column; from and to its values of the
// period's China midnights.
func RatingTail(w *Where, f rating.FigureFilter, key, notExcluded string, from, to any) string {
	return `SELECT ` + key + ` AS k, level, is_default, 1 AS n FROM ratings
		WHERE id > (SELECT folded_id FROM rating_fold) AND ` + notExcluded + ` AND ` + RatingCountWhere(w, f, "at", from, to)
}

// RatingWhere is the WHERE clause of a rating list.
func RatingWhere(d Dialect, f rating.Filter) *Where {
	w := NewWhere(d)
	for _, c := range []struct {
		col string
		id  int64
	}{{"case_id", f.CaseID}, {"visit_id", f.VisitID}, {"rater_user_id", f.RaterUserID}, {"first_id", f.FirstID}} {
		if c.id != 0 {
			w.Add(c.col+" = ?", c.id)
		}
	}
	if f.OwnerUserID != 0 {
		w.Add("(rater_user_id = ? OR anonymous = ? AND channel IN (?, ?) AND case_id IN (SELECT id FROM cases WHERE applicant_user_id = ?))",
			f.OwnerUserID, true, rating.ChannelPC, rating.ChannelMobile, f.OwnerUserID)
	}
	if f.RegionPrefix != "" {
		w.Add(w.Prefix("region_path", f.RegionPrefix))
	}
	if len(f.DepartmentIDs) > 0 {
		w.Add(w.In("department_id", f.DepartmentIDs))
	}
	if !f.From.IsZero() {
		w.Add("at >= ?", w.Time(f.From))
	}
	if !f.To.IsZero() {
		w.Add("at < ?", w.Time(f.To))
	}
	return w
}

// RatingCountWhere is the condition of the period [from, to) of column
// with a figure filter's region and departments, its arguments added to w.
func RatingCountWhere(w *Where, f rating.FigureFilter, column string, from, to any) string {
	sub := &Where{d: w.d, Args: w.Args}
	sub.Add(column+" >= ? AND "+column+" < ?", from, to)
	if f.RegionPrefix != "" {
		sub.Add(sub.Prefix("region_path", f.RegionPrefix))
	}
	if len(f.DepartmentIDs) > 0 {
		sub.Add(sub.In("department_id", f.DepartmentIDs))
	}
	w.Args = sub.Args
	return sub.SQL()
}

// ScanLevelCount reads one group of summed rating counts.
func ScanLevelCount(r Scanner) (rating.LevelCount, error) {
	var c rating.LevelCount
	var level int
	err := r.Scan(&c.Key, &level, &c.Default, &c.N)
	c.Level = rating.Level(level)
	return c, err
}

// VisitColumns are the columns ScanVisit reads.
const VisitColumns = `id, region_path, region_code, department_id, department, window_id, window_name, staff_id, phone, case_number, created_at`

// ScanVisit reads VisitColumns.
func ScanVisit(r Scanner) (*rating.Visit, error) {
	var v rating.Visit
	return &v, r.Scan(&v.ID, &v.Target.RegionPath, &v.Target.RegionCode, &v.Target.DepartmentID, &v.Target.Department,
		&v.Target.WindowID, &v.WindowName, &v.Target.StaffID, &v.Phone, &v.CaseNumber, Time(&v.CreatedAt))
}

// LimitsColumns are the columns ScanLimits reads.
const LimitsColumns = `region_id, region_path, callback_days, rectify_days, default_days, updated_at, updated_by`

// ScanLimits reads LimitsColumns.
func ScanLimits(r Scanner) (*rating.Limits, error) {
	var l rating.Limits
	return &l, r.Scan(&l.RegionID, &l.RegionPath, &l.CallbackDays, &l.RectifyDays, &l.DefaultDays, Time(&l.UpdatedAt), &l.UpdatedBy)
}
