package supervision

import (
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// Input is one case as the evaluator sees it: its procedure and events, how
// far earlier evaluations got, and the cards they left in force.
type Input struct {
	CaseID    int64
	Number    string
	Procedure *cases.Procedure // shared and read-only
	Events    []cases.Event
	Done      int         // events already evaluated
	Open      []OpenCard  // cards in force after the last evaluation
	Pending   []Judgement // provisional judgements waiting for the holiday schedule
	Extras    *Extras     // loaded only when new events need them (fees)
	Rules     Rules
	Calendar  *calendar.Calendar
	Hours     calendar.OfficeHours
	Online    bool // the item is handled online (是否网办)
	Now       time.Time
}

// OpenCard is a card in force, as the watch row keeps it between
// evaluations.
type OpenCard struct {
	Subject     string `json:"s"`
	Colour      Colour `json:"c"`
	Provisional int    `json:"p,omitempty"`
}

// Extras are the parts of a case the events do not carry.
type Extras struct {
	Form      map[string]string
	FeeDueFen int64
}

// Clearance ends a card in force: its cause ended at At.
type Clearance struct {
	Subject   string
	Colour    Colour
	At        time.Time
	Outcome   string
	UserID    int64
	UserLabel string
}

// Output is what an evaluation found.
type Output struct {
	Arisen    []Card      // new cards (some already cleared again: a yellow overtaken by red)
	Cleared   []Clearance // cards in force whose cause ended
	Reflagged []OpenCard  // cards in force whose provisional year changed
	Tallies   []Tally     // counts for the evaluation figures
	Open      []OpenCard  // cards in force now
	Pending   []Judgement // provisional judgements still waiting
	Next      time.Time   // when a threshold is crossed next; zero: only an event can change anything
	Summary   Summary
	Done      int  // events evaluated
	Finished  bool // closed and nothing pending: the case needs no more watching
}

// Summary is where the case stands, for the workbench and its lists.
type Summary struct {
	Status      cases.Status
	PromisedDue calendar.Date // zero when the promised clock is not running
	Provisional int           // the due date is provisional (暂定)
	Colour      Colour        // the highest card in force
	Paused      bool          // suspended: 特别程序, or back with the applicant
	Overdue     bool          // past the promised limit
	IntakeLate  bool          // the first review is past its five working days
	SubmittedAt time.Time
	AcceptedAt  time.Time
	IntakeUser  int64   // who accepted (or refused) it at the window
	Depts       []int64 // the departments of its branches
}

// evaluator runs one evaluation.
type evaluator struct {
	in   Input
	c    *cases.Case
	open map[string]OpenCard // by subject+colour
	out  Output
}

func openKey(subject string, c Colour) string { return subject + "#" + c.Code() }

// Evaluate derives a case's cards, counts and next timer from its events.
// It is a pure function of its input: evaluating again from the same point
// gives the same result, and evaluating event by event gives the same cards
// as evaluating all at once.
func Evaluate(in Input) (Output, error) {
	e := &evaluator{in: in, c: &cases.Case{ID: in.CaseID, Number: in.Number, Procedure: *in.Procedure}, open: map[string]OpenCard{}}
	for _, o := range in.Open {
		e.open[openKey(o.Subject, o.Colour)] = o
	}
	done := min(max(in.Done, 0), len(in.Events))
	for _, ev := range in.Events[:done] {
		e.c.Apply(ev)
	}
	prev := time.Time{}
	if done > 0 {
		prev = in.Events[done-1].At
	}
	for _, ev := range in.Events[done:] {
		if err := e.step(ev, prev); err != nil {
			return Output{}, err
		}
		prev = ev.At
	}
	return e.finish(prev)
}

// step evaluates one new event: cards that arose before it, the event's
// own counts and findings, and the cards it ended.
func (e *evaluator) step(ev cases.Event, prev time.Time) error {
	before, err := e.subjects(ev.At)
	if err != nil {
		return err
	}
	e.rise(before, prev, ev.At)
	snapshot := *e.c // the case just before the event, for the findings
	e.c.Apply(ev)
	after, err := e.subjects(ev.At)
	if err != nil {
		return err
	}
	t, prov := e.tallyEvent(&snapshot, ev, before)
	e.out.Tallies = append(e.out.Tallies, t...)
	if prov != 0 {
		e.out.Pending = append(e.out.Pending, Judgement{Seq: ev.Seq, Tallies: t, Provisional: prov})
	}
	e.facts(&snapshot, ev)
	e.settle(before, after, &ev, ev.At)
	return nil
}

// finish evaluates the case at now and sets the timer and summary.
func (e *evaluator) finish(prev time.Time) (Output, error) {
	now := e.in.Now
	if now.Before(prev) {
		now = prev
	}
	cur, err := e.subjects(now)
	if err != nil {
		return Output{}, err
	}
	e.rise(cur, prev, now)
	e.settle(cur, cur, nil, now)
	e.reflag(cur)
	if err := e.recheck(); err != nil {
		return Output{}, err
	}
	e.out.Next = e.next(cur, now)
	e.summarise(cur)
	e.out.Done = len(e.in.Events)
	for _, o := range e.open {
		e.out.Open = append(e.out.Open, o)
	}
	sortOpen(e.out.Open)
	e.out.Finished = e.c.Status == cases.StatusClosed && len(e.out.Pending) == 0
	return e.out, nil
}

// openColour is the highest colour in force for a subject.
func (e *evaluator) openColour(subject string) Colour {
	switch {
	case e.isOpen(subject, Red):
		return Red
	case e.isOpen(subject, Yellow):
		return Yellow
	}
	return None
}

func (e *evaluator) isOpen(subject string, c Colour) bool {
	_, ok := e.open[openKey(subject, c)]
	return ok
}

// rise raises the cards of subjects whose colour went up since the last
// evaluation point lo, each at the moment its threshold was crossed; a
// yellow card overtaken by red clears then.
func (e *evaluator) rise(ss []subject, lo, hi time.Time) {
	for _, s := range ss {
		have := e.openColour(s.key)
		if !s.known || s.colour <= have {
			continue
		}
		var redAt time.Time
		for col := have + 1; col <= s.colour; col++ {
			at := e.crossing(s.key, col, lo, hi)
			e.raise(s, col, at, s.clock.Provisional)
			if col == Red {
				redAt = at
			}
		}
		if !redAt.IsZero() && e.isOpen(s.key, Yellow) {
			e.clear(s.key, Yellow, redAt, "升级为红牌", nil, s.dept)
		}
	}
}

// raise records a new card in force.
func (e *evaluator) raise(s subject, col Colour, at time.Time, prov int) {
	e.out.Arisen = append(e.out.Arisen, Card{CaseID: e.in.CaseID, CaseNumber: e.in.Number, Subject: s.key, Rule: ruleCode(s.rule, col),
		Kind: s.kind, Colour: col, AroseAt: at, Provisional: prov, RegionPath: e.c.Procedure.RegionPath, DeptID: s.dept,
		DeptName: s.deptName, Role: s.role, Detail: clockDetail(s, col)})
	e.open[openKey(s.key, col)] = OpenCard{Subject: s.key, Colour: col, Provisional: prov}
	e.out.Tallies = append(e.out.Tallies, cardTally(at, s.dept, col))
}

// clear ends a card in force; ev is the event that ended its cause, if
// any, whose actor the card then names (counted for them under dept's
// centre).
func (e *evaluator) clear(subject string, col Colour, at time.Time, outcome string, ev *cases.Event, dept int64) {
	key := openKey(subject, col)
	if _, ok := e.open[key]; !ok {
		return
	}
	delete(e.open, key)
	cl := Clearance{Subject: subject, Colour: col, At: at, Outcome: outcome}
	if ev != nil && ev.ActorID != 0 {
		cl.UserID, cl.UserLabel = ev.ActorID, ev.ActorLabel
		e.out.Tallies = append(e.out.Tallies, Tally{At: at, User: ev.ActorID, Home: dept, Counts: cardCounts(col)})
	}
	// A card raised in this evaluation clears on its own record.
	for i := range e.out.Arisen {
		a := &e.out.Arisen[i]
		if a.Subject == subject && a.Colour == col && a.ClearedAt.IsZero() {
			a.ClearedAt, a.Outcome, a.UserID, a.UserLabel = cl.At, cl.Outcome, cl.UserID, cl.UserLabel
			return
		}
	}
	e.out.Cleared = append(e.out.Cleared, cl)
}

// settle clears the cards whose cause ended: the subject is gone after the
// event (the step was passed, the case closed, the intake answered) or its
// colour fell (an approved extension, or a recalculation on a changed
// calendar). A colour that rose at the event itself rises at its time.
func (e *evaluator) settle(before, after []subject, ev *cases.Event, at time.Time) {
	now := map[string]subject{}
	for _, s := range after {
		now[s.key] = s
	}
	prior := map[string]subject{}
	for _, s := range before {
		prior[s.key] = s
	}
	for _, o := range e.sortedOpen() {
		s, present := now[o.Subject]
		switch {
		case !present && ev != nil:
			e.clear(o.Subject, o.Colour, at, endedOutcome(prior[o.Subject], o.Colour, ev), ev, prior[o.Subject].dept)
		case present && s.known && s.colour < o.Colour:
			e.clear(o.Subject, o.Colour, at, droppedOutcome(ev), ev, s.dept)
		}
	}
	if ev != nil {
		e.rise(after, at, at)
	}
}

// reflag updates the provisional year of the cards in force when a new
// holiday schedule made their judgement official (or changed it).
func (e *evaluator) reflag(cur []subject) {
	for _, s := range cur {
		for _, col := range []Colour{Yellow, Red} {
			key := openKey(s.key, col)
			o, ok := e.open[key]
			if ok && s.known && o.Provisional != s.clock.Provisional {
				o.Provisional = s.clock.Provisional
				e.open[key] = o
				e.out.Reflagged = append(e.out.Reflagged, o)
			}
		}
	}
}

// crossing finds when subject first reached colour want in (lo, hi]: the
// colour of a subject only grows between two events, so a binary search
// finds it, over days for limits in days, then over minutes where the
// colour rose during a day rather than at its midnight (the intake period
// ends with the office hours of its last day, 行政许可法第三十二条). A subject
// already at want just after lo rose at lo.
func (e *evaluator) crossing(key string, want Colour, lo, hi time.Time) time.Time {
	reached := func(t time.Time) bool {
		ss, err := e.subjects(t)
		if err != nil {
			return true
		}
		for _, s := range ss {
			if s.key == key {
				return s.known && s.colour >= want
			}
		}
		return false
	}
	if lo.IsZero() || !lo.Before(hi) || reached(lo) {
		if lo.IsZero() {
			return hi
		}
		return lo
	}
	a, b := lo, hi // reached(a) false, reached(b) true
	if e.dayClock(key) {
		a, b = e.crossingDay(reached, lo, hi)
		if !reached(b.Add(-time.Minute)) {
			return b // rose at midnight (or in hi's last minute)
		}
	}
	for b.Sub(a) > time.Minute {
		mid := a.Add(b.Sub(a) / 2).Truncate(time.Minute)
		if !mid.After(a) {
			mid = a.Add(time.Minute)
		}
		if reached(mid) {
			b = mid
		} else {
			a = mid
		}
	}
	return b
}

// dayClock reports whether a subject's limit counts days: its colour
// changes at midnight (China Standard Time) between two events, or else
// within the day found by crossingDay.
func (e *evaluator) dayClock(key string) bool {
	if key == keyCase {
		return e.c.Procedure.Promised.Unit != calendar.UnitHour
	}
	ss, err := e.subjects(e.in.Now)
	if err != nil {
		return false
	}
	for _, s := range ss {
		if s.key == key {
			return s.clock.Limit.Unit != calendar.UnitHour
		}
	}
	return false
}

// crossingDay narrows (lo, hi] by a binary search over the midnights in it
// to the day in which reached first holds: it returns a, not reached, and
// b, the first midnight reached, or hi when no midnight is.
func (e *evaluator) crossingDay(reached func(time.Time) bool, lo, hi time.Time) (time.Time, time.Time) {
	first := calendar.DateOf(lo).AddDays(1)
	days := calendar.DateOf(hi).Sub(first) // candidates first … first+days
	if days < 0 {
		return lo, hi
	}
	if !reached(first.AddDays(days).Time()) {
		return first.AddDays(days).Time(), hi
	}
	a, b := -1, days // reached(first+b) true, reached(first+a) false (a = -1: lo)
	for b-a > 1 {
		mid := (a + b) / 2
		if reached(first.AddDays(mid).Time()) {
			b = mid
		} else {
			a = mid
		}
	}
	if a < 0 {
		return lo, first.AddDays(b).Time()
	}
	return first.AddDays(a).Time(), first.AddDays(b).Time()
}
