package sqlcommon

import (
	"openhall/internal/calendar"
)

// ScheduleSelect reads every imported schedule, by year.
const ScheduleSelect = `SELECT year, data, source, imported_by, imported_at FROM calendar_schedules ORDER BY year`

// ScanSchedule reads a row of ScheduleSelect.
func ScanSchedule(r Scanner) (*calendar.StoredSchedule, error) {
	var st calendar.StoredSchedule
	var data string
	err := r.Scan(&st.Year, &data, &st.Source, &st.ImportedBy, Time(&st.ImportedAt))
	st.Data = []byte(data)
	return &st, err
}

// OverrideSelect reads overrides, their date given as YYYY-MM-DD text by
// the backend's expression date for the column o.date.
func OverrideSelect(date string) string {
	return `SELECT o.id, o.region_id, r.path, r.name, ` + date + `, o.is_off_day, o.name, o.created_at
	FROM calendar_overrides o JOIN regions r ON r.id = o.region_id`
}

// ScanOverride reads a row of OverrideSelect.
func ScanOverride(r Scanner) (*calendar.StoredOverride, error) {
	var o calendar.StoredOverride
	var date string
	if err := r.Scan(&o.ID, &o.RegionID, &o.RegionPath, &o.RegionName, &date, &o.IsOffDay, &o.Name, Time(&o.CreatedAt)); err != nil {
		return nil, err
	}
	d, err := calendar.ParseDate(date)
	if err != nil {
		return nil, err
	}
	o.Date = d
	return &o, nil
}
