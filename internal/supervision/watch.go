package supervision

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"openhall/internal/audit"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

// CaseChanged is the cases service's hook (cases.Watcher): inside the
// transaction of every change of an open case it marks the case due for
// evaluation, one small row. The evaluation itself runs in a job.
func (s *Service) CaseChanged(ctx context.Context, c *cases.Case) error {
	if c.Status == cases.StatusDraft {
		return nil
	}
	p := &c.Procedure
	return s.d.Store.MarkCase(ctx, Mark{CaseID: c.ID, Number: c.Number, RegionPath: p.RegionPath, DeptID: p.DepartmentID,
		ItemCode: p.ItemCode, ItemName: p.ItemName, Status: c.Status, Version: c.Version, At: s.d.Now()})
}

// CalendarChanged is the calendar's hook: inside the transaction of an
// imported schedule or a changed region adjustment it schedules the
// re-evaluation of every watched case (their cards and due dates may
// move, and provisional ones become official).
func (s *Service) CalendarChanged(ctx context.Context) error {
	return s.d.Scheduler.ScheduleReevaluation(ctx)
}

// batchSize is how many cases one evaluation transaction covers.
const batchSize = 500

// EvaluateDue evaluates every case whose evaluation is due: changed since
// the last one, or with a threshold crossed. It returns how many it wrote.
func (s *Service) EvaluateDue(ctx context.Context) (int, error) {
	total := 0
	for {
		batch, err := s.d.Store.DueCases(ctx, s.d.Now(), batchSize)
		if err != nil {
			return total, err
		}
		n, err := s.evaluateBatch(ctx, batch)
		total += n
		if err != nil || len(batch) < batchSize || n == 0 {
			return total, err
		}
	}
}

// ReevaluateAll evaluates every watched case again, as after a calendar
// import. The cases are split by id into as many ranges as there are
// CPUs, each read, evaluated and written batch by batch, so reading one
// range overlaps evaluating another and no mark is needed on each first.
func (s *Service) ReevaluateAll(ctx context.Context) (int, error) {
	s.dir.reset()
	if _, err := s.RedateOrders(ctx); err != nil {
		return 0, err
	}
	lo, hi, err := s.d.Store.WatchRange(ctx)
	if err != nil || hi == 0 {
		return 0, err
	}
	parts := int64(max(runtime.GOMAXPROCS(0), 2))
	width := (hi-lo)/parts + 1
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, parts)
	for p := int64(0); p < parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.reevaluateRange(ctx, lo-1+p*width, min(lo-1+(p+1)*width, hi))
			total.Add(int64(n))
			errs[p] = err
		}()
	}
	wg.Wait()
	return int(total.Load()), errors.Join(errs...)
}

// reevaluateRange evaluates the watched cases with ids in (after, upTo].
func (s *Service) reevaluateRange(ctx context.Context, after, upTo int64) (int, error) {
	total := 0
	for {
		batch, err := s.d.Store.CasesBetween(ctx, after, upTo, 1000)
		if err != nil || len(batch) == 0 {
			return total, err
		}
		n, err := s.evaluateBatch(ctx, batch)
		total += n
		if err != nil {
			return total, err
		}
		after = batch[len(batch)-1].CaseID
	}
}

// WatchOpenCases starts watching the open cases that are not watched
// (cases from before supervision, or inserted behind the service's back).
func (s *Service) WatchOpenCases(ctx context.Context) (int, error) {
	return s.d.Store.WatchOpenCases(ctx)
}

// evaluateBatch evaluates cases in parallel and writes the results in one
// transaction.
func (s *Service) evaluateBatch(ctx context.Context, batch []*Watched) (int, error) {
	if len(batch) == 0 {
		return 0, nil
	}
	now := s.d.Now()
	dir, err := s.dir.get(ctx, now)
	if err != nil {
		return 0, err
	}
	extras, err := s.extrasFor(ctx, batch)
	if err != nil {
		return 0, err
	}
	results := make([]*Evaluated, len(batch))
	errs := make([]error, len(batch))
	s.parallel(len(batch), func(i int) {
		results[i], errs[i] = s.evaluateOne(ctx, batch[i], dir, extras[batch[i].CaseID], now)
	})
	out := make([]*Evaluated, len(batch))
	for i, r := range results {
		if errs[i] != nil {
			// One case that cannot be evaluated (a damaged history, a date
			// far outside the calendar) must not hold up the others: it is
			// logged and looked at again in an hour.
			s.d.Log.Error("evaluate a supervised case", "case", batch[i].CaseID, "err", errs[i])
			r = deferred(batch[i], now.Add(time.Hour))
		}
		out[i] = r
	}
	if err := s.checkRefusals(ctx, batch, out, extras, dir); err != nil {
		return 0, err
	}
	var written int
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if written, err = s.d.Store.SaveEvaluations(ctx, out); err != nil {
			return err
		}
		return s.auditCards(ctx, out)
	})
	if written > 0 {
		s.figures.changed()
	}
	return written, err
}

// parallel runs fn(0) … fn(n-1) on as many goroutines as there are CPUs.
func (s *Service) parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/64, 1))
	if workers == 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// extrasFor loads the form, fee and applicant of the cases whose new
// events need them: payments (the fee check) and acceptances and refusals
// (the 不予受理 check).
func (s *Service) extrasFor(ctx context.Context, batch []*Watched) (map[int64]CaseExtra, error) {
	var ids []int64
	for _, w := range batch {
		for _, ev := range w.Events[min(w.Done, len(w.Events)):] {
			if ev.Kind == cases.EventFeePaid || ev.Kind == cases.EventAccepted || ev.Kind == cases.EventRefused {
				ids = append(ids, w.CaseID)
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.d.Store.CaseExtras(ctx, ids)
}

// evaluateOne evaluates one case and expands its counts.
func (s *Service) evaluateOne(ctx context.Context, w *Watched, dir *directory, extra CaseExtra, now time.Time) (*Evaluated, error) {
	p := w.Procedure
	cal, err := s.d.Calendars.ForRegion(p.RegionPath)
	if err != nil {
		return nil, err
	}
	rules, err := s.rules.get(ctx, dir.deptCentre[p.DepartmentID], now)
	if err != nil {
		return nil, err
	}
	open, pending, err := DecodeState(w.State)
	if err != nil {
		return nil, fmt.Errorf("state of case %d: %w", w.CaseID, err)
	}
	in := Input{CaseID: w.CaseID, Number: w.Number, Procedure: p, Events: w.Events, Done: w.Done, Open: open, Pending: pending,
		Rules: rules, Calendar: cal, Hours: s.d.Hours, Online: s.itemOnline(ctx, p.ItemVersionID), Now: now}
	if extra.Form != nil {
		in.Extras = &Extras{Form: extra.Form, FeeDueFen: extra.FeeDueFen}
	}
	out, err := Evaluate(in)
	if err != nil {
		return nil, err
	}
	ev := &Evaluated{CaseID: w.CaseID, Number: w.Number, Rev: w.Rev, Version: w.Version, Out: out,
		State: EncodeState(out.Open, out.Pending), Row: rowOf(w, out, dir.staffWindow[out.Summary.IntakeUser]), RegionPath: p.RegionPath}
	ev.Summary = EncodeSummary(ev.Row)
	ev.Stats = expand(out.Tallies, dir)
	ev.Unchanged = w.Evaluated && ev.State == w.State && ev.Summary == w.Summary && out.Next.Equal(w.NextAt) && out.Done == w.Done &&
		len(out.Arisen)+len(out.Cleared)+len(out.Reflagged)+len(out.Tallies) == 0 && !out.Finished
	return ev, nil
}

// expand turns tallies into the monthly counts of departments, windows and
// persons, each under the centre of the department concerned.
func expand(ts []Tally, dir *directory) []StatDelta {
	var out []StatDelta
	for _, t := range ts {
		home := t.Dept
		if home == 0 {
			home = t.Home
		}
		month, centre := t.Month(), dir.deptCentre[home]
		if t.Dept != 0 {
			out = append(out, StatDelta{Month: month, CentreID: centre, Dim: DimDept, DimID: t.Dept, Counts: t.Counts})
		}
		if t.User != 0 {
			out = append(out, StatDelta{Month: month, CentreID: centre, Dim: DimUser, DimID: t.User, Counts: t.Counts})
			if w := dir.staffWindow[t.User]; t.Window && w != 0 {
				out = append(out, StatDelta{Month: month, CentreID: centre, Dim: DimWindow, DimID: w, Counts: t.Counts})
			}
		}
	}
	return out
}

// checkRefusals remembers new 不予受理 and, for new acceptances, looks for
// the same applicant's refused application for the same item in the last
// 180 days: a refusal followed by the acceptance of the same request
// suggests a legal application was refused (行政许可法第七十二条第（一）项).
// The finding is a yellow card on the refused case, for a supervisor to
// confirm or dismiss.
func (s *Service) checkRefusals(ctx context.Context, batch []*Watched, evs []*Evaluated, extras map[int64]CaseExtra, dir *directory) error {
	for i, e := range evs {
		x, ok := extras[e.CaseID]
		if !ok {
			continue
		}
		key := s.applicantKey(x.Applicant.Kind, x.Applicant.IDNumber+x.Applicant.CreditCode)
		if key == "" {
			continue
		}
		w := batch[i]
		for _, ev := range w.Events[min(w.Done, len(w.Events)):] {
			switch ev.Kind {
			case cases.EventRefused:
				p := w.Procedure
				e.Refusal = &RefusalNote{Key: key, ItemCode: p.ItemCode, CaseID: w.CaseID, Number: w.Number, RefusedAt: ev.At,
					DeptID: p.DepartmentID, DeptName: p.Department, RegionPath: p.RegionPath, UserID: ev.ActorID, UserLabel: ev.ActorLabel}
			case cases.EventAccepted:
				if err := s.overturned(ctx, w, e, key, ev, dir); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// overturned adds a card to each earlier refusal of the same request.
func (s *Service) overturned(ctx context.Context, w *Watched, e *Evaluated, key string, ev cases.Event, dir *directory) error {
	notes, err := s.d.Store.FindRefusals(ctx, key, w.Procedure.ItemCode, ev.At.Add(-180*24*time.Hour))
	if err != nil {
		return err
	}
	for _, n := range notes {
		if n.CaseID == w.CaseID || !n.RefusedAt.Before(ev.At) {
			continue
		}
		e.Extra = append(e.Extra, Card{CaseID: n.CaseID, CaseNumber: n.Number, Subject: fmt.Sprintf("f01@%d", w.CaseID),
			Rule: ruleCode(ruleRefuse, Yellow), Kind: KindRefusedLegal, Colour: Yellow, AroseAt: ev.At, RegionPath: n.RegionPath,
			DeptID: n.DeptID, DeptName: n.DeptName, UserID: n.UserID, UserLabel: n.UserLabel,
			Detail: fmt.Sprintf("该申请人同一事项的申请于 %s 被受理（办件 %s），此前于 %s 不予受理，可能对符合法定条件的申请不予受理（行政许可法第七十二条第（一）项）",
				ev.At.In(chinaTime).Format("2006-01-02"), w.Number, n.RefusedAt.In(chinaTime).Format("2006-01-02"))})
		e.Stats = append(e.Stats, expand([]Tally{cardTally(ev.At, n.DeptID, Yellow), {At: ev.At, User: n.UserID, Home: n.DeptID, Counts: cardCounts(Yellow)}}, dir)...)
	}
	return nil
}

// auditCards records, per written evaluation, the cards that arose and
// cleared (the product acting by itself, as 系统).
func (s *Service) auditCards(ctx context.Context, evs []*Evaluated) error {
	sys := identity.SystemActor()
	for _, e := range evs {
		if !e.Written || len(e.Out.Arisen)+len(e.Out.Cleared)+len(e.Extra) == 0 {
			continue
		}
		var arisen, cleared []string
		for _, c := range append(append([]Card(nil), e.Out.Arisen...), e.Extra...) {
			arisen = append(arisen, c.Number+" "+c.Rule+" "+c.Colour.Label()+" "+c.Subject)
		}
		for _, c := range e.Out.Cleared {
			cleared = append(cleared, c.Subject+" "+c.Colour.Label()+"："+c.Outcome)
		}
		scope := "system"
		if e.RegionPath != "" {
			scope = "region:" + e.RegionPath
		}
		if err := s.d.Audit.Append(ctx, audit.Record{Actor: sys.Audit(), Scope: scope, Action: "supervision.cards",
			ObjectType: "case", ObjectID: itoa64(e.CaseID), Change: map[string]any{"number": e.Number, "arisen": arisen, "cleared": cleared}}); err != nil {
			return err
		}
	}
	return nil
}

// deferred leaves a case as it was, due again at next.
func deferred(w *Watched, next time.Time) *Evaluated {
	var r WatchRow
	DecodeSummary(w.Summary, &r)
	return &Evaluated{CaseID: w.CaseID, Number: w.Number, Rev: w.Rev, Version: w.Version, State: w.State, Row: r, Summary: w.Summary,
		Out: Output{Done: w.Done, Next: next}}
}
