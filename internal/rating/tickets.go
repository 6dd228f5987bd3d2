package rating

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/workclock"
)

// openTicket opens the rectification ticket of a bad first rating, with
// the periods of its region, and tells whoever handles it. A rater who
// cannot be called back (anonymous, or no contact) has the 回访 step passed
// over at once, by the system: there is no one to call.
func (s *Service) openTicket(ctx context.Context, r *Rating) (*Ticket, error) {
	lim, err := s.LimitsFor(ctx, r.RegionPath)
	if err != nil {
		return nil, err
	}
	t := &Ticket{RatingID: r.ID, Target: r.Target, Anonymous: r.Anonymous}
	sys := identity.SystemActor().Audit()
	opened := r.At
	if r.Source == SourceImport {
		// The 回访 and 整改 periods run from when the review reaches those
		// who must act on it: under 国办发〔2019〕51号 the office that
		// handled the matter calls back, verifies, rectifies and feeds
		// back (谁办理谁负责; reference §3.6), within the working days of
		// the local plans (e.g. 四川: 15 个工作日). What the national text
		// and GB/T 39734 §9.3 (差评处置) say of when the period starts is
		// not verified: the reference records their clauses by number
		// only. A review of another channel reaches the department with
		// its import, so its ticket opens and its clocks start then; the
		// review keeps its own time (its figures, the national record).
		opened = s.d.Now()
	}
	t.ApplyTicket(TicketEvent{Kind: TevOpened, At: opened, ActorLabel: sys.Label, Days: lim.CallbackDays, Days2: lim.RectifyDays,
		Level: r.Level, RatingID: r.ID})
	if t.Anonymous {
		t.ApplyTicket(TicketEvent{Kind: TevCallbackSkipped, At: opened, ActorLabel: sys.Label})
	}
	if err := s.d.Store.CreateTicket(ctx, t); err != nil {
		return nil, err
	}
	if err := s.recordTicket(ctx, sys, t, t.Events); err != nil {
		return nil, err
	}
	if err := s.planTicketReminders(ctx, t, ClockCallback, ClockRectify); err != nil {
		return nil, err
	}
	return t, s.tellHandlers(ctx, t, r)
}

func (s *Service) recordTicket(ctx context.Context, who audit.Actor, t *Ticket, evs []TicketEvent) error {
	kinds := make([]string, len(evs))
	for i, e := range evs {
		kinds[i] = string(e.Kind)
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: who, Scope: "region:" + t.RegionPath, Action: "rating.ticket." + kinds[len(kinds)-1],
		ObjectType: "rating_ticket", ObjectID: strconv.FormatInt(t.ID, 10),
		Change: map[string]any{"rating": t.RatingID, "events": kinds, "status": t.Status, "version": t.Version}})
}

// handlerRoles are who a ticket goes to.
func handlerRoles(t *Ticket) []identity.Role {
	if t.DepartmentID == 0 {
		return []identity.Role{identity.RoleSysAdmin}
	}
	return []identity.Role{identity.RoleApprover, identity.RoleDeptHead}
}

func (s *Service) tellHandlers(ctx context.Context, t *Ticket, r *Rating) error {
	ids, err := s.d.Store.DepartmentStaff(ctx, t.DepartmentID, t.RegionPath, handlerRoles(t))
	if err != nil || len(ids) == 0 {
		return err
	}
	what := r.Object()
	n := Note{Kind: "rating.ticket", Title: fmt.Sprintf("收到差评（%s），请及时回访整改", r.Level.Label()),
		Body: fmt.Sprintf("“%s”收到%s评价，已生成整改工单，请在 %d 个工作日内回访、%d 个工作日内整改并反馈。", what, r.Level.Label(), t.CallbackDays, t.RectifyDays),
		Link: fmt.Sprintf("/staff/ratings/tickets/%d", t.ID)}
	if t.Anonymous {
		n.Title = fmt.Sprintf("收到差评（%s），请及时核实整改", r.Level.Label())
		n.Body = fmt.Sprintf("“%s”收到%s评价，已生成整改工单；评价人匿名或未留联系方式，无需回访，请在 %d 个工作日内核实、整改或解释说明。", what, r.Level.Label(), t.RectifyDays)
	}
	return s.d.Notifier.Tell(ctx, ids, n)
}

// TicketView is a ticket with its rating and clocks, for staff.
type TicketView struct {
	Ticket  *Ticket
	Rating  *Rating // an anonymous rating without its case or visit for those handling the ticket
	Clocks  TicketClocks
	Contact string // the rater's name and phone, masked unless PhoneShown, for the department calling back
	Window  string // the window rated, "" for ratings of no window
	Staff   string // the member of staff rated, "" when none
	// HasPhone: the rater left a phone number, which the actor may show in
	// full (ShowTicketPhone); PhoneShown: Contact holds it in full.
	HasPhone, PhoneShown bool
	// Decide: the ticket's appeal waits for the actor's decision
	// (CanDecideAppeal); such tickets lead the actor's list.
	Decide bool
}

// TicketClocks are a ticket's two deadlines.
type TicketClocks struct {
	Callback workclock.Clock // 回访
	Rectify  workclock.Clock // 整改 and 反馈
}

// Warning is the most urgent of the running clocks.
func (c TicketClocks) Warning() workclock.Warning {
	if c.Rectify.Warning.Rank() > c.Callback.Warning.Rank() {
		return c.Rectify.Warning
	}
	return c.Callback.Warning
}

// Before reports whether a ticket with clocks c is listed before one with
// clocks d (workclock.Before): the more urgent warning first, then the
// clock due first.
func (c TicketClocks) Before(d TicketClocks) bool {
	return workclock.Before(c.Warning(), []workclock.Clock{c.Callback, c.Rectify}, d.Warning(), []workclock.Clock{d.Callback, d.Rectify})
}

// ComputeTicketClocks measures a ticket's clocks from its events on cal
// at now: 回访 runs from the opening until the call back (not for an
// anonymous review, which cannot be called back); 整改 runs from the
// opening until the feedback, paused while an appeal is decided.
func ComputeTicketClocks(t *Ticket, cal *calendar.Calendar, now time.Time) (TicketClocks, error) {
	var callbackEnd, rectifyEnd time.Time
	for _, e := range t.Events {
		switch e.Kind {
		case TevCalledBack, TevCallbackSkipped:
			callbackEnd = e.At
		case TevFedBack, TevAppealUpheld:
			rectifyEnd = e.At
		}
	}
	pauses := t.appeals()
	var out TicketClocks
	var err error
	if !t.Anonymous {
		if out.Callback, err = workclock.Measure(cal, t.CallbackDays, t.OpenedAt, callbackEnd, nil, now); err != nil {
			return out, err
		}
	}
	out.Rectify, err = workclock.Measure(cal, t.RectifyDays, t.OpenedAt, rectifyEnd, pauses, now)
	return out, err
}

// appeals are the stretches the 整改 clock stood still while an appeal was
// decided; the last one has no end while it is.
func (t *Ticket) appeals() []workclock.Span {
	var pauses []workclock.Span
	for _, e := range t.Events {
		switch e.Kind {
		case TevAppealed:
			pauses = append(pauses, workclock.Span{From: e.At})
		case TevAppealRejected:
			pauses[len(pauses)-1].To = e.At
		}
	}
	return pauses
}

// Ticket returns a ticket for someone allowed to see it.
func (s *Service) Ticket(ctx context.Context, a *identity.Actor, id int64) (*TicketView, error) {
	t, err := s.loadTicketFor(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, t, false)
}

// loadTicketFor loads a ticket for someone allowed to see it; a missing
// ticket and one out of sight are the same error.
func (s *Service) loadTicketFor(ctx context.Context, a *identity.Actor, id int64, lock bool) (*Ticket, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	t, err := s.d.Store.LoadTicket(ctx, id, lock)
	if apperr.Is(err, apperr.NotFound) {
		return nil, errNoTicket
	}
	if err != nil {
		return nil, err
	}
	if err := CanViewTicket(a, t); err != nil {
		return nil, err
	}
	return t, nil
}

// view is a ticket as a sees it; fullPhone shows the rater's phone in
// full to those who handle it (ShowTicketPhone), masked otherwise.
func (s *Service) view(ctx context.Context, a *identity.Actor, t *Ticket, fullPhone bool) (*TicketView, error) {
	r, err := s.d.Store.FindRatingByID(ctx, t.RatingID)
	if err != nil {
		return nil, err
	}
	if r.Anonymous && handles(a, t) {
		// Anonymous: those who handle the ticket learn what was rated, not
		// whose case or which visit it was (the case would name the rater).
		shown := *r
		shown.CaseID, shown.CaseNumber, shown.VisitID = 0, "", 0
		r = &shown
	}
	v := &TicketView{Ticket: t, Rating: r}
	if v.Clocks, err = s.clocks(t); err != nil {
		return nil, err
	}
	if handles(a, t) {
		s.fillContact(ctx, v, r, fullPhone)
	}
	if r.WindowID != 0 {
		v.Window = s.d.Orgs.Label(ctx, ByWindow, strconv.FormatInt(r.WindowID, 10))
	}
	if r.StaffID != 0 {
		v.Staff = s.d.Orgs.Label(ctx, ByStaff, strconv.FormatInt(r.StaffID, 10))
	}
	return v, nil
}

func (s *Service) clocks(t *Ticket) (TicketClocks, error) {
	cal, err := s.calendarFor(t.RegionPath)
	if err != nil {
		return TicketClocks{}, err
	}
	return ComputeTicketClocks(t, cal, s.d.Now())
}

// Tickets lists the open tickets the actor handles or supervises, most
// urgent first: by warning, then the clock due first.
func (s *Service) Tickets(ctx context.Context, a *identity.Actor, open bool) ([]*TicketView, error) {
	f := ticketScope(a)
	if len(f.DepartmentIDs)+len(f.CentreRegions)+len(f.RegionPrefixes) == 0 {
		return nil, apperr.New(apperr.Forbidden, "只有部门审批人员、部门负责人、监察人员和系统管理员处理差评工单")
	}
	f.Open, f.Limit = open, 500
	list, err := s.d.Store.FindTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*TicketView, 0, len(list))
	for _, t := range list {
		v := &TicketView{Ticket: t, Decide: t.Status == TicketAppealing && CanDecideAppeal(a, t) == nil}
		if v.Clocks, err = s.clocks(t); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].before(out[j]) })
	return out, nil
}

// before orders a list: the appeals waiting for the actor's decision
// first (their clocks are paused, so they would sink), oldest first; then
// by the clocks' urgency.
func (v *TicketView) before(w *TicketView) bool {
	if v.Decide != w.Decide {
		return v.Decide
	}
	if v.Decide {
		return v.Ticket.OpenedAt.Before(w.Ticket.OpenedAt)
	}
	return v.Clocks.Before(w.Clocks)
}

// ActTicket applies one step to a ticket on behalf of a.
func (s *Service) ActTicket(ctx context.Context, a *identity.Actor, id int64, c TicketCommand, version int) (*Ticket, error) {
	var t *Ticket
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if t, err = s.loadTicketFor(ctx, a, id, true); err != nil {
			return err
		}
		if version != 0 && version != t.Version {
			return apperr.New(apperr.Conflict, "工单已被他人处理（当前为“%s”），请刷新后重试", t.Status.Label())
		}
		if err := authorizeTicket(a, t, c.Kind); err != nil {
			return err
		}
		return s.actTicket(ctx, a, t, c)
	})
	return t, err
}

// actTicket runs the machine, saves and adds the effects, in the caller's
// transaction.
func (s *Service) actTicket(ctx context.Context, a *identity.Actor, t *Ticket, c TicketCommand) error {
	c.ActorID, c.ActorLabel = a.UserID, a.Audit().Label
	evs, err := TransitionTicket(t, c, s.d.Now())
	if err != nil {
		return err
	}
	from := t.Version
	if c.Kind == TcFeedback {
		lim, err := s.LimitsFor(ctx, t.RegionPath)
		if err != nil {
			return err
		}
		evs[0].Days = lim.DefaultDays // the period to re-rate in
	}
	for _, e := range evs {
		t.ApplyTicket(e)
	}
	added := t.Events[len(t.Events)-len(evs):]
	if err := s.d.Store.SaveTicket(ctx, t, from, added); err != nil {
		return err
	}
	if err := s.recordTicket(ctx, a.Audit(), t, added); err != nil {
		return err
	}
	return s.ticketEffects(ctx, t, added)
}

// ticketEffects: an appeal is put to the 监察人员, whose decision goes back
// to the department; an upheld appeal takes the review out of the figures;
// a feedback is sent to the rater, who may then evaluate again.
func (s *Service) ticketEffects(ctx context.Context, t *Ticket, evs []TicketEvent) error {
	for _, e := range evs {
		switch e.Kind {
		case TevAppealed:
			if err := s.tellAppeal(ctx, t, e); err != nil {
				return err
			}
		case TevAppealRejected: // the 整改 clock runs again: a new run with timers of its own
			if err := s.tellAppeal(ctx, t, e); err != nil {
				return err
			}
			if err := s.planTicketReminders(ctx, t, ClockRectify); err != nil {
				return err
			}
		case TevAppealUpheld:
			if err := s.d.Store.ExcludeRating(ctx, t.RatingID); err != nil {
				return err
			}
			if err := s.tellAppeal(ctx, t, e); err != nil {
				return err
			}
		case TevFedBack:
			if err := s.sendFeedback(ctx, t, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// tellAppeal tells the 监察人员 of the ticket's region (and those above it)
// of an appeal they are to decide, and the department of the decision.
func (s *Service) tellAppeal(ctx context.Context, t *Ticket, e TicketEvent) error {
	dept, roles := t.DepartmentID, handlerRoles(t)
	n := Note{Kind: "rating.appeal", Link: fmt.Sprintf("/staff/ratings/tickets/%d", t.ID)}
	switch e.Kind {
	case TevAppealed:
		dept, roles = 0, []identity.Role{identity.RoleSupervisor}
		who := t.Department
		if who == "" {
			who = "服务中心"
		}
		n.Title, n.Body = "差评申诉待复核", fmt.Sprintf("%s对差评提出申诉（整改时限暂停），请复核。申诉理由：%s", who, e.Reason)
	case TevAppealUpheld:
		n.Title, n.Body = "差评申诉成立", "监察人员复核认为申诉成立，该差评不计入统计。复核意见："+e.Reason
	default:
		n.Title, n.Body = "差评申诉不成立", "监察人员复核认为申诉不成立，请继续整改或解释说明并反馈，整改时限恢复计时。复核意见："+e.Reason
	}
	ids, err := s.d.Store.DepartmentStaff(ctx, dept, t.RegionPath, roles)
	if err != nil || len(ids) == 0 {
		return err
	}
	return s.d.Notifier.Tell(ctx, ids, n)
}

// sendFeedback tells the rater the department's feedback and sets the
// timer that closes the ticket if they do not evaluate again in time.
func (s *Service) sendFeedback(ctx context.Context, t *Ticket, e TicketEvent) error {
	r, err := s.d.Store.FindRatingByID(ctx, t.RatingID)
	if err != nil {
		return err
	}
	switch {
	case r.RaterUserID != 0:
		err = s.d.Notifier.Tell(ctx, []int64{r.RaterUserID}, Note{Kind: "rating.feedback", SMS: true,
			Title: "您的评价已有整改反馈，请再次评价", Body: e.Reason, Link: fmt.Sprintf("/ratings/%d", r.ID)})
	case r.VisitID != 0 && !r.Anonymous && s.CanInviteBySMS() == nil:
		err = s.d.Scheduler.ScheduleVisitSMS(ctx, r.VisitID)
	}
	if err != nil {
		return err
	}
	end, prov, err := s.rerateDeadline(t)
	if err != nil {
		return err
	}
	return s.d.Scheduler.ScheduleTicketCheck(ctx, t.ID, workclock.CheckAt(end, prov, s.d.Now()))
}

// rerateDeadline is when a ticket waiting for the second evaluation
// closes without it: the end of the period given at the feedback.
func (s *Service) rerateDeadline(t *Ticket) (time.Time, int, error) {
	fb := t.feedback()
	if fb == nil {
		return s.d.Now(), 0, nil
	}
	return s.endOfPeriod(t.RegionPath, fb.At, fb.Days)
}

// endOfPeriod is the start of the day after the last day of a period of
// days working days from start, and the first year it reaches whose
// holiday schedule is not imported (0 if none); beyond the calendar's
// range, a day from now, provisional.
func (s *Service) endOfPeriod(path string, start time.Time, days int) (time.Time, int, error) {
	cal, err := s.calendarFor(path)
	if err != nil {
		return time.Time{}, 0, err
	}
	c, err := workclock.Measure(cal, max(days, 1), start, time.Time{}, nil, start)
	if err != nil {
		return time.Time{}, 0, err
	}
	if !c.Known() {
		return s.d.Now().Add(24 * time.Hour), c.MissingYear, nil
	}
	return c.Due.AddDays(1).Time(), c.Provisional, nil
}

// provisionalGrace is how long past a provisional end a timer waits before
// it takes a step that cannot be undone (the default rating, closing a
// ticket without its second evaluation) while the year's holiday schedule
// is still not imported. Counted on weekends and the days off the law
// fixes, a period can only be lengthened by the bridging days the schedule
// will add: the longest blocks (Spring Festival, National Day) take 8 days,
// of which the law fixes 4 and 3; three weeks cover that. Make-up working days can
// only shorten it, and acting later than the true end costs nobody
// anything: until the step is taken the applicant may still rate.
const provisionalGrace = 21 * 24 * time.Hour

// passed reports whether a period ending at end is over for a step that
// cannot be undone; if not, it returns when to look again: at the end, or
// daily while the end is provisional (workclock.CheckAt and
// provisionalGrace).
func (s *Service) passed(end time.Time, provisional int) (bool, time.Time) {
	now := s.d.Now()
	switch {
	case now.Before(end):
		return false, workclock.CheckAt(end, provisional, now)
	case provisional != 0 && now.Before(end.Add(provisionalGrace)):
		return false, now.Add(24 * time.Hour)
	}
	return true, time.Time{}
}

// CheckTicket is the ticket timer's handler: a ticket still waiting for
// the second evaluation after its period is closed without it. A late or
// repeated timer does nothing.
func (s *Service) CheckTicket(ctx context.Context, id int64) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.d.Store.LoadTicket(ctx, id, true)
		if err != nil || t.Status != TicketFedBack {
			return err
		}
		end, prov, err := s.rerateDeadline(t)
		if err != nil {
			return err
		}
		if over, next := s.passed(end, prov); !over {
			return s.d.Scheduler.ScheduleTicketCheck(ctx, id, next)
		}
		return s.actTicket(ctx, identity.SystemActor(), t, TicketCommand{Kind: TcCloseUnrated})
	})
}
