package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchCases returns random starts in 2007–2026 with their +n (n in 1..60)
// working-day results, computed before the timer starts.
func benchCases(b *testing.B, c *Calendar) (starts, ends []Date, ns []int) {
	r := rand.New(rand.NewPCG(1, 1))
	first := NewDate(2007, 1, 1)
	span := NewDate(2026, 10, 1).Sub(first) // leave room for +60 before 2027
	for range 4096 {
		d, n := first.AddDays(r.IntN(span)), 1+r.IntN(60)
		e, err := c.AddWorkdays(d, n)
		if err != nil {
			b.Fatal(err)
		}
		starts, ends, ns = append(starts, d), append(ends, e), append(ns, n)
	}
	return starts, ends, ns
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := embeddedCalendar(b)
	starts, _, ns := benchCases(b, c)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i & 4095
		if _, err := c.AddWorkdays(starts[k], ns[k]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	c := embeddedCalendar(b)
	starts, ends, _ := benchCases(b, c)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i & 4095
		if _, err := c.WorkdaysBetween(starts[k], ends[k]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkIsWorkday(b *testing.B) {
	c := embeddedCalendar(b)
	starts, _, _ := benchCases(b, c)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.IsWorkday(starts[i&4095]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkNew measures building a calendar from already-parsed schedules.
func BenchmarkNew(b *testing.B) {
	ss := EmbeddedSchedules()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ss, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddWorkingDuration(b *testing.B) {
	c, oh := embeddedCalendar(b), DefaultOfficeHours()
	starts, _, ns := benchCases(b, c)
	times := make([]time.Time, len(starts))
	durs := make([]time.Duration, len(starts))
	for k := range starts {
		times[k] = starts[k].Time().Add(10*time.Hour + 17*time.Minute)
		durs[k] = time.Duration(ns[k]) * time.Hour
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i & 4095
		if _, err := c.AddWorkingDuration(times[k], durs[k], oh); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
