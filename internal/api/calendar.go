package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// registerCalendarRoutes serves the working-day calendar. Reading and the
// two calculations are public; importing a year's schedule needs a global
// system administrator, adjusting a region's calendar that region's.
func (s *Server) registerCalendarRoutes() {
	s.handle("GET /api/v1/calendar", s.handleCalendar)
	s.handle("GET /api/v1/calendar/add-workdays", s.handleAddWorkdays)
	s.handle("GET /api/v1/calendar/workdays-between", s.handleWorkdaysBetween)
	s.handle("POST /api/v1/calendar/schedules", s.handleScheduleImport)
	s.handle("POST /api/v1/calendar/notices", s.handleScheduleEnter)
	s.handle("POST /api/v1/calendar/overrides", s.handleOverrideCreate)
	s.handle("DELETE /api/v1/calendar/overrides/{id}", deleteOne(func(ctx context.Context, a *identity.Actor, id int64) error {
		return s.svc.Calendar.DeleteOverride(ctx, a, id)
	}))
}

// calendarJSON is what the calendar knows: the years with official data
// and the region adjustments.
type calendarJSON struct {
	Years     []int          `json:"years"`
	Overrides []overrideJSON `json:"overrides"`
}

// overrideJSON is a region's adjustment of one day.
type overrideJSON struct {
	ID         int64         `json:"id"`
	RegionID   int64         `json:"region_id"`
	RegionName string        `json:"region_name,omitempty"`
	Date       calendar.Date `json:"date"`
	IsOffDay   bool          `json:"is_off_day"`
	Name       string        `json:"name"`
	CreatedAt  time.Time     `json:"created_at"`
}

func toOverride(o *calendar.StoredOverride) overrideJSON {
	return overrideJSON{ID: o.ID, RegionID: o.RegionID, RegionName: o.RegionName, Date: o.Date, IsOffDay: o.IsOffDay,
		Name: o.Name, CreatedAt: o.CreatedAt}
}

// addWorkdaysJSON answers GET /api/v1/calendar/add-workdays.
type addWorkdaysJSON struct {
	Date         calendar.Date `json:"date"`
	N            int           `json:"n"`
	Due          calendar.Date `json:"due"`
	Weekday      string        `json:"weekday"`
	WeekdayLabel string        `json:"weekday_label"`
	// ProvisionalYear: the count passed through a year whose holiday
	// schedule is not imported; due is then provisional (暂定).
	ProvisionalYear int `json:"provisional_year,omitempty"`
}

// workdaysBetweenJSON answers GET /api/v1/calendar/workdays-between.
type workdaysBetweenJSON struct {
	From     calendar.Date `json:"from"`
	To       calendar.Date `json:"to"`
	Workdays int           `json:"workdays"`
	// ProvisionalYear: as in addWorkdaysJSON.
	ProvisionalYear int `json:"provisional_year,omitempty"`
}

// scheduleRequest is the body of POST /api/v1/calendar/schedules: the
// content of a holiday-cn JSON file or of an ICS calendar, as a string.
type scheduleRequest struct {
	Format string `json:"format"`
	Name   string `json:"name"`
	Year   int    `json:"year"`
	Data   string `json:"data"`
}

// scheduleJSON is an imported year's schedule.
type scheduleJSON struct {
	Year   int               `json:"year"`
	Papers []string          `json:"papers"`
	Days   []scheduleDayJSON `json:"days"`
}

// scheduleDayJSON is a holiday or make-up working day of a schedule.
type scheduleDayJSON struct {
	Date     calendar.Date `json:"date"`
	Name     string        `json:"name"`
	IsOffDay bool          `json:"is_off_day"`
}

func toSchedule(sch calendar.Schedule) scheduleJSON {
	out := scheduleJSON{Year: sch.Year, Papers: append([]string{}, sch.Papers...), Days: []scheduleDayJSON{}}
	for _, d := range sch.Days {
		out.Days = append(out.Days, scheduleDayJSON{Date: d.Date, Name: d.Name, IsOffDay: d.IsOffDay})
	}
	return out
}

// overrideRequest is the body of POST /api/v1/calendar/overrides.
type overrideRequest struct {
	RegionID int64  `json:"region_id"`
	Date     string `json:"date"`
	IsOffDay bool   `json:"is_off_day"`
	Name     string `json:"name"`
}

func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) error {
	overrides, err := s.svc.Calendar.Overrides(r.Context())
	if err != nil {
		return err
	}
	years := s.svc.Calendar.National().Years()
	return writeJSON(w, http.StatusOK, calendarJSON{Years: years, Overrides: listOf(overrides, toOverride).Items})
}

func (s *Server) handleAddWorkdays(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	from, n, regionID := q.date("date"), q.requiredInt("n", 0, 3650), q.id("region_id")
	if err := q.err(); err != nil {
		return err
	}
	cal, err := s.calendarFor(r.Context(), regionID)
	if err != nil {
		return err
	}
	due, err := cal.AddWorkdays(from, n)
	if err != nil {
		return invalidf(err)
	}
	wd := due.Weekday()
	return writeJSON(w, http.StatusOK, addWorkdaysJSON{Date: from, N: n, Due: due, Weekday: strings.ToLower(wd.String()),
		WeekdayLabel: weekdayLabels[wd], ProvisionalYear: cal.Provisional(from, due)})
}

var weekdayLabels = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func (s *Server) handleWorkdaysBetween(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	from, to, regionID := q.date("from"), q.date("to"), q.id("region_id")
	if err := q.err(); err != nil {
		return err
	}
	cal, err := s.calendarFor(r.Context(), regionID)
	if err != nil {
		return err
	}
	n, err := cal.WorkdaysBetween(from, to)
	if err != nil {
		return invalidf(err)
	}
	return writeJSON(w, http.StatusOK, workdaysBetweenJSON{From: from, To: to, Workdays: n, ProvisionalYear: cal.Provisional(from, to)})
}

// calendarFor returns the national calendar, or a region's with the
// adjustments of the region and its ancestors.
func (s *Server) calendarFor(ctx context.Context, regionID *int64) (*calendar.Calendar, error) {
	if regionID == nil {
		return s.svc.Calendar.National(), nil
	}
	cal, err := s.svc.Calendar.ForRegionID(ctx, *regionID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("region_id", "所选区域不存在")
	}
	return cal, err
}

func (s *Server) handleScheduleImport(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in scheduleRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	sch, err := s.svc.Calendar.ImportSchedule(r.Context(), a, strings.ToLower(in.Format), in.Name, in.Year, []byte(in.Data))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSchedule(sch))
}

func (s *Server) handleOverrideCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in overrideRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.svc.Calendar.AddOverride(r.Context(), a, calendar.OverrideInput{RegionID: in.RegionID, Date: in.Date,
		IsOffDay: in.IsOffDay, Name: in.Name})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toOverride(o))
}

// noticeRequest is a year's State Council notice typed in: its holidays as
// blocks of days off and its make-up working days.
type noticeRequest struct {
	Year     int    `json:"year"`
	Paper    string `json:"paper"`
	Holidays []struct {
		Name string `json:"name"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"holidays"`
	MakeUps []struct {
		Date string `json:"date"`
		Name string `json:"name"`
	} `json:"makeups"`
}

// handleScheduleEnter stores a year's schedule entered from the notice.
func (s *Server) handleScheduleEnter(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in noticeRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	m := calendar.ManualSchedule{Year: in.Year, Paper: in.Paper}
	for _, h := range in.Holidays {
		m.Holidays = append(m.Holidays, calendar.HolidayBlock{Name: h.Name, From: h.From, To: h.To})
	}
	for _, d := range in.MakeUps {
		m.MakeUps = append(m.MakeUps, calendar.MakeUpDay{Date: d.Date, Name: d.Name})
	}
	sch, err := s.svc.Calendar.EnterSchedule(r.Context(), a, m)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSchedule(sch))
}
