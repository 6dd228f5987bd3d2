package storetest

import (
	"context"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

const schedule2027 = `{"year":2027,"papers":[],"days":[
 {"name":"元旦","date":"2027-01-01","isOffDay":true},
 {"name":"元旦","date":"2027-01-04","isOffDay":true},
 {"name":"元旦","date":"2027-01-09","isOffDay":false}]}`

func TestCalendar(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		ctx, sys := context.Background(), identity.SystemActor()
		cal := calendar.NewService(sv.Stores.Calendar, sv.Org, sv.Stores, sv.Audit, nil)
		if err := cal.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		d := calendar.NewDate(2026, 12, 31)
		// Without the 2027 notice, 1 January is off all the same (元旦, by
		// law); Monday 4 January is provisionally a working day.
		if got, err := cal.National().AddWorkdays(d, 1); err != nil || got.String() != "2027-01-04" ||
			cal.National().Provisional(d, got) != 2027 {
			t.Fatalf("2026-12-31 + 1 without 2027 data = %v, %v; want provisional 2027-01-04", got, err)
		}
		if _, err := cal.ImportSchedule(ctx, sys, "json", "2027.json", 0, []byte(schedule2027)); err != nil {
			t.Fatal(err)
		}
		stored, err := sv.Stores.Calendar.FindSchedules(ctx)
		if err != nil || len(stored) != 1 || stored[0].Year != 2027 {
			t.Fatalf("stored schedules: %+v %v", stored, err)
		}
		// 2026-12-31 is a Thursday; 2027-01-01 (Fri) and 01-04 (Mon) are off.
		if got, err := cal.National().AddWorkdays(d, 1); err != nil || got.String() != "2027-01-05" || cal.National().Provisional(d, got) != 0 {
			t.Fatalf("2026-12-31 + 1 = %v, %v; want 2027-01-05", got, err)
		}
		if _, err := cal.ImportSchedule(ctx, sys, "json", "bad.json", 0, []byte(`{"year":2027,`)); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("broken file: %v", err)
		}
		overrides(t, sv, tr, cal)
		// A fresh service over the same database sees what was stored.
		again := calendar.NewService(sv.Stores.Calendar, sv.Org, sv.Stores, sv.Audit, nil)
		if err := again.Reload(ctx); err != nil || !again.National().Covers(2027) {
			t.Fatalf("reload: %v", err)
		}
	})
}

func overrides(t *testing.T, sv *Services, tr *Tree, cal *calendar.Service) {
	ctx, sys := context.Background(), identity.SystemActor()
	// 2026-04-20 is a Monday: the county takes it off (a local holiday).
	o, err := cal.AddOverride(ctx, sys, calendar.OverrideInput{RegionID: tr.County.ID, Date: "2026-04-20", IsOffDay: true, Name: "地方节日"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cal.AddOverride(ctx, sys, calendar.OverrideInput{RegionID: tr.County.ID, Date: "2026-04-20", IsOffDay: true, Name: "重复"}); apperr.FieldsOf(err)["date"] == "" {
		t.Fatalf("duplicate override: %v", err)
	}
	fri := calendar.NewDate(2026, 4, 17)
	village, _ := cal.ForRegion(tr.Village.Path)
	other, _ := cal.ForRegion(tr.OtherCounty.Path)
	if got, _ := village.AddWorkdays(fri, 1); got.String() != "2026-04-21" {
		t.Fatalf("village under the county inherits the day off: %v", got)
	}
	if got, _ := other.AddWorkdays(fri, 1); got.String() != "2026-04-20" {
		t.Fatalf("another county keeps working: %v", got)
	}
	found, err := sv.Stores.Calendar.FindOverrideByID(ctx, o.ID)
	if err != nil || found.RegionPath != tr.County.Path || !found.IsOffDay || found.Date != o.Date {
		t.Fatalf("find override: %+v %v", found, err)
	}
	_, outsider := Staff(t, sv, "caladmin", identity.RoleSysAdmin, &tr.OtherCounty.ID, nil)
	if err := cal.DeleteOverride(ctx, outsider, o.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another county's admin deleting: %v", err)
	}
	if err := cal.DeleteOverride(ctx, sys, o.ID); err != nil {
		t.Fatal(err)
	}
	village, _ = cal.ForRegion(tr.Village.Path)
	if got, _ := village.AddWorkdays(fri, 1); got.String() != "2026-04-20" {
		t.Fatalf("after deleting the override: %v", got)
	}
	if list, _ := cal.Overrides(ctx); len(list) != 0 {
		t.Fatalf("overrides left: %d", len(list))
	}
}
