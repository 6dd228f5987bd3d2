package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/store/sqlcommon"
)

// CalendarStore implements calendar.Store.
type CalendarStore struct{ db *DB }

// Calendar returns the calendar store.
func (db *DB) Calendar() *CalendarStore { return &CalendarStore{db} }

// FindSchedules lists imported schedules by year.
func (s *CalendarStore) FindSchedules(ctx context.Context) ([]*calendar.StoredSchedule, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, sqlcommon.ScheduleSelect)
	return collect(rows, err, shared(sqlcommon.ScanSchedule))
}

// PutSchedule stores or replaces a year.
func (s *CalendarStore) PutSchedule(ctx context.Context, st *calendar.StoredSchedule) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO calendar_schedules (year, data, source, imported_by, imported_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET data = excluded.data, source = excluded.source,
			imported_by = excluded.imported_by, imported_at = excluded.imported_at`,
			st.Year, string(st.Data), st.Source, st.ImportedBy, micro(st.ImportedAt))
		return mapError(err)
	})
}

var overrideSelect = sqlcommon.OverrideSelect("o.date")

// FindOverrides lists every override.
func (s *CalendarStore) FindOverrides(ctx context.Context) ([]*calendar.StoredOverride, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, overrideSelect+` ORDER BY o.date, r.path`)
	return collect(rows, err, scanOverride)
}

// FindOverrideByID returns one override.
func (s *CalendarStore) FindOverrideByID(ctx context.Context, id int64) (*calendar.StoredOverride, error) {
	o, err := scanOverride(s.db.q(ctx).QueryRowContext(ctx, overrideSelect+` WHERE o.id = ?`, id))
	return o, notFound(err, "工作日历调整不存在")
}

var scanOverride = shared(sqlcommon.ScanOverride)

// CreateOverride inserts an override.
func (s *CalendarStore) CreateOverride(ctx context.Context, o *calendar.StoredOverride) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO calendar_overrides (region_id, date, is_off_day, name, created_at)
			VALUES (?, ?, ?, ?, ?)`, o.RegionID, o.Date.String(), boolInt(o.IsOffDay), o.Name, micro(o.CreatedAt))
		if isUnique(err) {
			return apperr.Field("date", "该区域在 "+o.Date.String()+" 已有调整")
		}
		if err != nil {
			return mapError(err)
		}
		o.ID, err = res.LastInsertId()
		return err
	})
}

// DeleteOverride removes an override.
func (s *CalendarStore) DeleteOverride(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM calendar_overrides WHERE id = ?`, id)
		return mapError(err)
	})
}

// Version is the number every change of the stored calendar raises.
func (s *CalendarStore) Version(ctx context.Context) (int64, error) {
	var v string
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'calendar.version'`).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, mapError(err)
	}
	return strconv.ParseInt(v, 10, 64)
}

// BumpVersion raises the version, inside the caller's transaction.
func (s *CalendarStore) BumpVersion(ctx context.Context) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('calendar.version', '1')
			ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)`)
		return mapError(err)
	})
}
