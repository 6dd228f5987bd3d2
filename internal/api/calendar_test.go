package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

type addWorkdaysJSON struct {
	Date         string `json:"date"`
	N            int    `json:"n"`
	Due          string `json:"due"`
	Weekday      string `json:"weekday"`
	WeekdayLabel string `json:"weekday_label"`
	Provisional  int    `json:"provisional_year"`
}

type overrideJSON struct {
	ID       int64  `json:"id"`
	RegionID int64  `json:"region_id"`
	Date     string `json:"date"`
	IsOffDay bool   `json:"is_off_day"`
	Name     string `json:"name"`
}

type calendarJSON struct {
	Years     []int          `json:"years"`
	Overrides []overrideJSON `json:"overrides"`
}

// schedule2027 is a made-up holiday-cn file for a year the program does not ship.
const schedule2027 = `{"year": 2027, "papers": [], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": false}]}`

func TestCalendarAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		a.Staff(t, "countyadmin", "sysadmin", &a.Tree.County.ID, nil)
		root, county, anon := login(t, a, "root"), login(t, a, "countyadmin"), anonymous(t, a)
		due := func(query string) string {
			t.Helper()
			var out addWorkdaysJSON
			anon.call("GET", "/api/v1/calendar/add-workdays?"+query, nil, http.StatusOK, &out)
			return out.Due
		}

		t.Run("AddWorkdays", func(t *testing.T) {
			var out addWorkdaysJSON
			anon.call("GET", "/api/v1/calendar/add-workdays?date=2026-02-13&n=1", nil, http.StatusOK, &out)
			want := addWorkdaysJSON{Date: "2026-02-13", N: 1, Due: "2026-02-14", Weekday: "saturday", WeekdayLabel: "星期六"}
			if out != want { // 2026-02-14 is the Spring Festival make-up Saturday
				t.Fatalf("got %+v, want %+v", out, want)
			}
			// Into 2027, whose schedule is not imported: a provisional answer,
			// with 1 January off as 元旦 is by law.
			var prov addWorkdaysJSON
			anon.call("GET", "/api/v1/calendar/add-workdays?date=2026-12-31&n=1", nil, http.StatusOK, &prov)
			if prov.Due != "2027-01-04" || prov.Provisional != 2027 {
				t.Fatalf("provisional: %+v", prov)
			}
			e := anon.fail("GET", "/api/v1/calendar/add-workdays?date=2099-03-02&n=1", nil, http.StatusUnprocessableEntity)
			if e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, "2099") {
				t.Fatalf("year without data: %+v", e)
			}
		})

		t.Run("WorkdaysBetween", func(t *testing.T) {
			var out struct {
				From, To string
				Workdays int
			}
			anon.call("GET", "/api/v1/calendar/workdays-between?from=2026-02-13&to=2026-02-24", nil, http.StatusOK, &out)
			if out.From != "2026-02-13" || out.To != "2026-02-24" || out.Workdays != 2 {
				t.Fatalf("got %+v, want 2 working days (the make-up Saturday and the 24th)", out)
			}
			e := anon.fail("GET", "/api/v1/calendar/workdays-between?from=2026-02-13&to=2131-01-01", nil, http.StatusUnprocessableEntity)
			if e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, "2131") {
				t.Fatalf("range into years without data: %+v", e)
			}
		})

		t.Run("RegionOverride", func(t *testing.T) {
			var o overrideJSON
			county.call("POST", "/api/v1/calendar/overrides", map[string]any{"region_id": a.Tree.County.ID, "date": "2026-02-14",
				"is_off_day": true, "name": "区级调休取消"}, http.StatusCreated, &o)
			if o.ID == 0 || o.Date != "2026-02-14" || !o.IsOffDay {
				t.Fatalf("override %+v", o)
			}
			for region, want := range map[int64]string{a.Tree.County.ID: "2026-02-24", a.Tree.Village.ID: "2026-02-24", a.Tree.OtherCounty.ID: "2026-02-14"} {
				if got := due(fmt.Sprintf("date=2026-02-13&n=1&region_id=%d", region)); got != want {
					t.Errorf("region %d: due %s, want %s", region, got, want)
				}
			}
			if got := due("date=2026-02-13&n=1"); got != "2026-02-14" {
				t.Errorf("national calendar changed by a region override: %s", got)
			}
			var cal calendarJSON
			anon.call("GET", "/api/v1/calendar", nil, http.StatusOK, &cal)
			if len(cal.Overrides) != 1 || cal.Overrides[0].ID != o.ID || !slices.Contains(cal.Years, 2026) {
				t.Fatalf("calendar %+v", cal)
			}
			county.call("DELETE", fmt.Sprintf("/api/v1/calendar/overrides/%d", o.ID), nil, http.StatusNoContent, nil)
			if got := due(fmt.Sprintf("date=2026-02-13&n=1&region_id=%d", a.Tree.County.ID)); got != "2026-02-14" {
				t.Errorf("after deleting the override: due %s", got)
			}
		})

		t.Run("ScheduleImport", func(t *testing.T) {
			var sch struct {
				Year int `json:"year"`
				Days []struct {
					Date     string `json:"date"`
					IsOffDay bool   `json:"is_off_day"`
				} `json:"days"`
			}
			root.call("POST", "/api/v1/calendar/schedules", map[string]any{"format": "json", "name": "2027.json", "data": schedule2027},
				http.StatusCreated, &sch)
			if sch.Year != 2027 || len(sch.Days) != 3 {
				t.Fatalf("imported %+v", sch)
			}
			if got := due("date=2027-02-05&n=1"); got != "2027-02-07" { // the 6th is off, the 7th a make-up Sunday
				t.Fatalf("2027-02-05 + 1 = %s, want 2027-02-07", got)
			}
			e := root.fail("POST", "/api/v1/calendar/schedules", map[string]any{"format": "ics", "data": "BEGIN:VCALENDAR"}, http.StatusUnprocessableEntity)
			wantFields(t, e, "year")
		})
	})
}
