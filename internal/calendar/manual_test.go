package calendar

import (
	"testing"
	"time"

	"openhall/internal/apperr"
)

// notice2027 is a schedule as a notice reads (dates made up for the test).
func notice2027() ManualSchedule {
	return ManualSchedule{Year: 2027, Paper: "国务院办公厅关于2027年部分节假日安排的通知",
		Holidays: []HolidayBlock{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}, {Name: "春节", From: "2027-02-06", To: "2027-02-14"},
			{}, {Name: "国庆节", From: "2027-10-01", To: "2027-10-07"}},
		MakeUps: []MakeUpDay{{Date: "2027-02-20", Name: "春节"}, {Date: "2027-09-26", Name: "国庆节"}, {}}}
}

func TestManualSchedule(t *testing.T) {
	s := &Service{now: func() time.Time { return time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC) }}
	sch, err := s.manual(notice2027())
	if err != nil {
		t.Fatal(err)
	}
	if sch.Year != 2027 || len(sch.Days) != 3+9+7+2 || sch.Papers[0] == "" {
		t.Fatalf("schedule: %+v", sch)
	}
	cal, err := New(append(EmbeddedSchedules(), sch), nil)
	if err != nil || cal.Provisional(NewDate(2027, 1, 1), NewDate(2027, 12, 31)) != 0 {
		t.Fatalf("the entered year is official: %v", err)
	}
	if due, _ := cal.AddWorkdays(NewDate(2026, 12, 31), 1); due.String() != "2027-01-04" {
		t.Errorf("the first working day of 2027: %s", due)
	}
	for _, tc := range []struct {
		name  string
		edit  func(m *ManualSchedule)
		field string
	}{
		{"no notice named", func(m *ManualSchedule) { m.Paper = " " }, "paper"},
		{"a year far ahead", func(m *ManualSchedule) { m.Year = 2030 }, "year"},
		{"no holidays", func(m *ManualSchedule) { m.Holidays = nil }, "holidays"},
		{"a block ending before it starts", func(m *ManualSchedule) { m.Holidays[1].To = "2027-02-01" }, "holidays.1.to"},
		{"a block too long", func(m *ManualSchedule) { m.Holidays[1].To = "2027-02-28" }, "holidays.1.to"},
		{"a block in another year", func(m *ManualSchedule) { m.Holidays[3].From = "2028-10-01" }, "holidays.3.from"},
		{"overlapping blocks", func(m *ManualSchedule) {
			m.Holidays[3] = HolidayBlock{Name: "春节补", From: "2027-02-14", To: "2027-02-15"}
		}, "holidays.3.from"},
		{"an unnamed block", func(m *ManualSchedule) { m.Holidays[0].Name = "" }, "holidays.0.name"},
		{"a make-up day on a weekday", func(m *ManualSchedule) { m.MakeUps[0].Date = "2027-02-19" }, "makeups.0.date"},
		{"a make-up day inside a holiday", func(m *ManualSchedule) { m.MakeUps[0].Date = "2027-02-13" }, "makeups.0.date"},
		{"a make-up day twice", func(m *ManualSchedule) { m.MakeUps[1].Date = "2027-02-20" }, "makeups.1.date"},
		{"a bad date", func(m *ManualSchedule) { m.MakeUps[0].Date = "2027-02-30" }, "makeups.0.date"},
	} {
		in := notice2027()
		tc.edit(&in)
		_, err := s.manual(in)
		if apperr.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
	december := notice2027()
	december.Holidays[0] = HolidayBlock{Name: "元旦", From: "2026-12-31", To: "2027-01-02"}
	if _, err := s.manual(december); err != nil {
		t.Errorf("a New Year holiday starting in December: %v", err)
	}
}
