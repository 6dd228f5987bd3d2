package workclock

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/calendar"
)

var cst = time.FixedZone("CST", 8*3600)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, cst) }

func national(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestMeasure covers an ordinary month, the 2026 Spring Festival block
// with its make-up Saturdays (02-14, 02-28), 国庆 with its make-up Saturday
// (10-10; 10-01…10-07 off), and December 2026, when the 2027 schedule is not
// imported: 1 January is 元旦, off by law all the same, and 2–3 January
// the weekend.
func TestMeasure(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name        string
		days        int
		start, now  time.Time
		due         string
		remaining   int
		warning     Warning
		provisional int
	}{
		{"ordinary", 15, at(2026, 3, 10, 10), at(2026, 3, 12, 9), "2026-03-31", 13, WarnNone, 0},
		{"ordinary, last day", 15, at(2026, 3, 10, 10), at(2026, 3, 31, 9), "2026-03-31", 0, WarnYellow, 0},
		{"ordinary, day before", 15, at(2026, 3, 10, 10), at(2026, 3, 30, 9), "2026-03-31", 1, WarnYellow, 0},
		{"ordinary, overdue", 15, at(2026, 3, 10, 10), at(2026, 4, 1, 9), "2026-03-31", -1, WarnRed, 0},
		{"spring festival 5", 5, at(2026, 2, 13, 16), at(2026, 2, 20, 9), "2026-02-27", 4, WarnNone, 0},
		{"spring festival 15", 15, at(2026, 2, 13, 16), at(2026, 2, 24, 9), "2026-03-12", 13, WarnNone, 0},
		{"national day 5", 5, at(2026, 9, 30, 11), at(2026, 10, 9, 9), "2026-10-13", 3, WarnNone, 0}, // 10-08, 10-09 used
		// 12-25, 12-28…12-31, (元旦 01-01, the weekend), 01-04…01-08, 01-11…01-15;
		// on 12-28 two are used.
		{"december", 15, at(2026, 12, 24, 10), at(2026, 12, 28, 9), "2027-01-15", 13, WarnNone, 2027},
		// 12-31, (元旦 01-01, the weekend), 01-04; on 12-31 one is left.
		{"december, 2 days", 2, at(2026, 12, 30, 10), at(2026, 12, 31, 9), "2027-01-04", 1, WarnYellow, 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Measure(cal, tt.days, tt.start, time.Time{}, nil, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if c.Due.String() != tt.due || c.Remaining != tt.remaining || c.Warning != tt.warning || c.Provisional != tt.provisional {
				t.Fatalf("due %s remaining %d warning %q provisional %d; want %s %d %q %d",
					c.Due, c.Remaining, c.Warning, c.Provisional, tt.due, tt.remaining, tt.warning, tt.provisional)
			}
			if strings.Contains(c.Text(), "0001") || strings.Contains(c.Text(), "1970") {
				t.Fatalf("zero date shown: %s", c.Text())
			}
			if tt.provisional != 0 && !strings.Contains(c.Text(), "暂定") {
				t.Fatalf("a provisional due date must say 暂定: %s", c.Text())
			}
		})
	}
}

func TestMetAndPaused(t *testing.T) {
	cal := national(t)
	start := at(2026, 3, 10, 10)
	met, _ := Measure(cal, 2, start, at(2026, 3, 13, 15), nil, at(2026, 4, 1, 9))
	if !met.Met || !met.Overdue || met.Warning != WarnNone || met.Remaining != -1 {
		t.Fatalf("met a day late: %+v", met)
	}
	onTime, _ := Measure(cal, 2, start, at(2026, 3, 12, 15), nil, at(2026, 4, 1, 9))
	if onTime.Overdue || !strings.Contains(onTime.Text(), "按期") {
		t.Fatalf("met on the due day: %+v %s", onTime, onTime.Text())
	}
	// An appeal from Thursday 03-12 to Tuesday 03-17 takes 03-13, 03-16
	// and 03-17 out: a 5-day period due 03-17 moves to 03-20.
	paused, _ := Measure(cal, 5, start, time.Time{}, []Span{{at(2026, 3, 12, 9), at(2026, 3, 17, 16)}}, at(2026, 3, 18, 9))
	if paused.Due.String() != "2026-03-20" || paused.Consumed != 3 {
		t.Fatalf("after a pause: due %s consumed %d", paused.Due, paused.Consumed)
	}
	open, _ := Measure(cal, 5, start, time.Time{}, []Span{{From: at(2026, 3, 12, 9)}}, at(2026, 3, 30, 9))
	if !open.Paused || open.Overdue || open.Warning != WarnNone {
		t.Fatalf("a paused clock is neither overdue nor warned: %+v", open)
	}
}

func TestNotStarted(t *testing.T) {
	c, err := Measure(national(t), 5, time.Time{}, time.Time{}, nil, at(2026, 3, 1, 9))
	if err != nil || c.Known() || c.Text() != "尚未开始计时" {
		t.Fatalf("%+v %v", c, err)
	}
}

// TestMetBeforeUnscheduledYear: a period due in 2027, whose holiday
// schedule is not imported, met in December 2026 was met on time whatever
// that schedule says, and is not shown as 暂定 (“导入后自动更正”); one met
// in 2027 still is.
func TestMetBeforeUnscheduledYear(t *testing.T) {
	cal := national(t)
	// 15 working days from 12-24: 12-25, 12-28…12-31, then 01-04…01-08 and
	// 01-11…01-15 (1 January is 元旦, off by law; 2–3 January the weekend).
	start := at(2026, 12, 24, 10)
	c, err := Measure(cal, 15, start, at(2026, 12, 28, 9), nil, at(2026, 12, 29, 9))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Met || c.Provisional != 2027 || c.Text() != "已按期完成（2027-01-15 到期）" {
		t.Fatalf("met in 2026: %+v %q", c, c.Text())
	}
	c, err = Measure(cal, 15, start, at(2027, 1, 5, 9), nil, at(2027, 1, 6, 9))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Met || !strings.Contains(c.Text(), "暂定") {
		t.Fatalf("met in 2027: %+v %q", c, c.Text())
	}
}

// TestNext: the moments a clock turns yellow and red, on an ordinary
// stretch, across the 2026 Spring Festival block (02-15…02-23 off, 02-14
// and 02-28 make-up Saturdays), after a pause, and in December 2026
// without the 2027 schedule (暂定; 01-01 is 元旦, off by law all the same,
// 01-02 and 01-03 the weekend); Measure agrees with each moment: not yet
// an instant before, from it on.
func TestNext(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name        string
		days        int
		start       time.Time
		pauses      []Span
		yellow, red string // dates; "" for no yellow turn
		provisional int
	}{
		{"ordinary 5", 5, at(2026, 3, 10, 10), nil, "2026-03-16", "2026-03-18", 0},
		{"ordinary 15", 15, at(2026, 3, 10, 10), nil, "2026-03-30", "2026-04-01", 0},
		{"ordinary 2, over a weekend", 2, at(2026, 3, 13, 10), nil, "2026-03-16", "2026-03-18", 0},
		{"one day warns from its start", 1, at(2026, 3, 10, 10), nil, "", "2026-03-12", 0},
		{"spring festival 5, red on a make-up saturday", 5, at(2026, 2, 13, 16), nil, "2026-02-26", "2026-02-28", 0},
		{"spring festival 2, due on a make-up saturday, red on the holiday after", 2, at(2026, 2, 12, 10), nil, "2026-02-13", "2026-02-15", 0},
		{"after a pause, due friday", 5, at(2026, 3, 10, 10), []Span{{at(2026, 3, 12, 9), at(2026, 3, 17, 16)}}, "2026-03-19", "2026-03-21", 0},
		// 12-30, 12-31, 01-04, 01-05, 01-06: one left on 01-05, due 01-06.
		{"december 5", 5, at(2026, 12, 29, 10), nil, "2027-01-05", "2027-01-07", 2027},
		// 12-31, 01-04: one left on 12-31, due Monday 01-04, red Tuesday.
		{"december 2", 2, at(2026, 12, 30, 10), nil, "2026-12-31", "2027-01-05", 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Next(cal, tt.days, tt.start, tt.pauses)
			if err != nil {
				t.Fatal(err)
			}
			yellow := ""
			if !got.Yellow.IsZero() {
				yellow = calendar.DateOf(got.Yellow).String()
			}
			if yellow != tt.yellow || calendar.DateOf(got.Red).String() != tt.red || got.Provisional != tt.provisional {
				t.Fatalf("yellow %s red %s (暂定 %d); want %s %s (%d)", yellow, calendar.DateOf(got.Red), got.Provisional, tt.yellow, tt.red, tt.provisional)
			}
			warning := func(now time.Time) Warning {
				c, err := Measure(cal, tt.days, tt.start, time.Time{}, tt.pauses, now)
				if err != nil {
					t.Fatal(err)
				}
				return c.Warning
			}
			if got.Yellow.IsZero() {
				if w := warning(tt.start); w != WarnYellow {
					t.Fatalf("at its start the clock is %q, want yellow", w)
				}
			} else if warning(got.Yellow.Add(-time.Nanosecond)) != WarnNone || warning(got.Yellow) != WarnYellow {
				t.Fatalf("Measure disagrees at the yellow turn %s", got.Yellow)
			}
			if warning(got.Red.Add(-time.Nanosecond)) != WarnYellow || warning(got.Red) != WarnRed {
				t.Fatalf("Measure disagrees at the red turn %s", got.Red)
			}
		})
	}
	if open, err := Next(cal, 5, at(2026, 3, 10, 10), []Span{{From: at(2026, 3, 12, 9)}}); err != nil || open.Known() {
		t.Fatalf("a paused clock has no turns: %+v %v", open, err)
	}
}

// TestOverdue: a running clock is overdue (red) from the day after its
// due date, a working day or not, as a clock met on that day is late, and
// says so without “0 个工作日” while no working day past it is used: due
// Wednesday → red Thursday; due Friday → red Saturday; due on the last
// working day before National Day 2026 (10-01…10-07 off) → red on 10-01;
// due on its make-up Saturday 10-10 → red Sunday 10-11; and in December
// 2026 without the 2027 schedule (暂定): due on 12-31 → red on 01-01, 元旦,
// off by law all the same; due on Monday 2027-01-04 (01-01 元旦 and the
// weekend skipped) → red Tuesday 01-05, a working day used past it. Next
// agrees with each red turn.
func TestOverdue(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name     string
		days     int
		start    time.Time
		due, red string
		text     string // at the red turn
	}{
		{"due wednesday", 2, at(2026, 3, 9, 10), "2026-03-11", "2026-03-12", "已超期 1 个工作日（2026-03-11 到期）"},
		{"due friday", 2, at(2026, 3, 11, 10), "2026-03-13", "2026-03-14", "已超期（2026-03-13 到期）"},
		{"due before national day", 2, at(2026, 9, 28, 10), "2026-09-30", "2026-10-01", "已超期（2026-09-30 到期）"},
		{"due on its make-up saturday", 3, at(2026, 9, 30, 10), "2026-10-10", "2026-10-11", "已超期（2026-10-10 到期）"},
		{"december, due before 元旦", 2, at(2026, 12, 29, 10), "2026-12-31", "2027-01-01",
			"已超期（2026-12-31 到期）" + calendar.ProvisionalNote(2027)},
		{"december, due in 2027", 2, at(2026, 12, 30, 10), "2027-01-04", "2027-01-05",
			"已超期 1 个工作日（2027-01-04 到期）" + calendar.ProvisionalNote(2027)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			red, err := time.ParseInLocation("2006-01-02", tt.red, cst)
			if err != nil {
				t.Fatal(err)
			}
			before, err := Measure(cal, tt.days, tt.start, time.Time{}, nil, red.Add(-time.Nanosecond))
			if err != nil {
				t.Fatal(err)
			}
			if before.Due.String() != tt.due || before.Overdue || before.Warning != WarnYellow {
				t.Fatalf("on the due day: due %s overdue %v warning %q", before.Due, before.Overdue, before.Warning)
			}
			c, err := Measure(cal, tt.days, tt.start, time.Time{}, nil, red)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Overdue || c.Warning != WarnRed || c.Text() != tt.text {
				t.Fatalf("on %s: overdue %v warning %q %q; want red %q", tt.red, c.Overdue, c.Warning, c.Text(), tt.text)
			}
			if met, _ := Measure(cal, tt.days, tt.start, red, nil, red); !met.Overdue || strings.Contains(met.Text(), " 0 ") {
				t.Fatalf("met on %s: overdue %v %q", tt.red, met.Overdue, met.Text())
			}
			turns, err := Next(cal, tt.days, tt.start, nil)
			if err != nil || !turns.Red.Equal(red) {
				t.Fatalf("Next: red %s, want %s (%v)", turns.Red, red, err)
			}
		})
	}
}

// TestPausedOverdue: a clock paused on the Saturday after its due Friday
// was overdue when its pause began and stays so while paused, also once
// the pause takes working days out; one paused on its due day is not.
func TestPausedOverdue(t *testing.T) {
	cal := national(t)
	start := at(2026, 3, 11, 10) // 2 days: due Friday 03-13
	for _, now := range []time.Time{at(2026, 3, 15, 9), at(2026, 3, 17, 9)} {
		c, err := Measure(cal, 2, start, time.Time{}, []Span{{From: at(2026, 3, 14, 9)}}, now)
		if err != nil || !c.Paused || !c.Overdue || c.Warning != WarnRed {
			t.Fatalf("paused saturday, on %s: %+v %v", hm(now), c, err)
		}
		c, err = Measure(cal, 2, start, time.Time{}, []Span{{From: at(2026, 3, 13, 16)}}, now)
		if err != nil || !c.Paused || c.Overdue || c.Warning != WarnNone {
			t.Fatalf("paused on the due day, on %s: %+v %v", hm(now), c, err)
		}
	}
}
