package workclock

import (
	"time"

	"openhall/internal/calendar"
)

// At is when the clock turns w (zero: it does not).
func (t Turns) At(w Warning) time.Time {
	if w == WarnRed {
		return t.Red
	}
	return t.Yellow
}

// Timer is when the reminder of one warning of a clock's run looks at the
// clock.
type Timer struct {
	Warning Warning // yellow or red
	At      time.Time
}

// Timers are the reminder timers of the current run of clock c, paused by
// pauses, as of now: one at the moment it will turn yellow (none for a
// clock yellow from its start) and one at the moment it will turn red, on
// cal. A clock not started, met or paused now has none. While a moment is
// provisional its timer runs a day from now at the latest, and looks again
// daily (CheckAt).
func Timers(cal *calendar.Calendar, c Clock, pauses []Span, now time.Time) ([]Timer, error) {
	if !c.Started || c.Met {
		return nil, nil
	}
	turns, err := Next(cal, c.Days, c.Start, pauses)
	if err != nil {
		return nil, err
	}
	var out []Timer
	for _, w := range []Warning{WarnYellow, WarnRed} {
		if at := turns.At(w); !at.IsZero() {
			out = append(out, Timer{Warning: w, At: CheckAt(at, turns.Provisional, now)})
		}
	}
	return out, nil
}

// Again is when the timer of warning w of clock c, having run before the
// clock showed it (the calendar moved the turn, or it is provisional),
// looks again: at the turn as cal now counts it, a minute from now at the
// earliest, and daily while provisional. Zero: the clock no longer turns w.
func Again(cal *calendar.Calendar, c Clock, pauses []Span, w Warning, now time.Time) (time.Time, error) {
	turns, err := Next(cal, c.Days, c.Start, pauses)
	if err != nil {
		return time.Time{}, err
	}
	at := turns.At(w)
	if at.IsZero() {
		return at, nil
	}
	return CheckAt(maxTime(at, now.Add(time.Minute)), turns.Provisional, now), nil
}

// CheckAt is when a timer for a turn at at runs: then, or, while the turn
// is provisional (reaches a year whose holiday schedule is not imported),
// a day from now at the latest and again daily, so that it follows the
// schedule once imported, whichever way that moves the turn.
func CheckAt(at time.Time, provisional int, now time.Time) time.Time {
	if provisional != 0 && at.After(now.Add(24*time.Hour)) {
		return now.Add(24 * time.Hour)
	}
	return at
}

// Step is what a reminder's timer does when it runs.
type Step int

// Steps.
const (
	// StepNone: nothing. The clock was met, is paused or started again
	// (another run, with timers of its own), or is red already when the
	// timer is the yellow one (the red timer tells).
	StepNone Step = iota
	// StepLater: the clock does not show the warning yet; the timer sets
	// itself again (Again).
	StepLater
	// StepTell: the clock shows the warning; whoever must act is told.
	StepTell
)

// Remind says what the timer of warning w does on finding the clock as c
// is now; sameRun reports whether the clock is still on the timer's run.
func (c Clock) Remind(sameRun bool, w Warning) Step {
	switch {
	case !c.Started || c.Met || c.Paused || !sameRun:
		return StepNone
	case c.Warning.Rank() < w.Rank():
		return StepLater
	case c.Warning != w:
		return StepNone
	}
	return StepTell
}
