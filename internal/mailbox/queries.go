package mailbox

import (
	"context"
	"sort"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Row is a letter in a list with its clock.
type Row struct {
	Letter *Letter
	Clock  Clock
}

// Queue lists the open letters the actor works on, most urgent first: for
// the office those of its mailboxes, for a department those assigned to it.
func (s *Service) Queue(ctx context.Context, a *identity.Actor) ([]Row, error) {
	var all []*Letter
	boxes, err := s.Handled(ctx, a)
	if err != nil {
		return nil, err
	}
	open := []Status{StatusReceived, StatusAssigned, StatusDrafted}
	for _, m := range boxes {
		ls, _, err := s.d.Store.FindLetters(ctx, LetterFilter{MailboxID: m.ID, Statuses: open, Limit: 500})
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
	}
	if depts := draftingDepts(a); len(depts) > 0 {
		ls, _, err := s.d.Store.FindLetters(ctx, LetterFilter{DeptIDs: depts, Statuses: []Status{StatusAssigned}, Limit: 500})
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
	}
	return s.rows(dedupe(all))
}

// draftingDepts are the departments the actor drafts answers for.
func draftingDepts(a *identity.Actor) []int64 {
	var out []int64
	for _, g := range a.Grants {
		if (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil {
			out = append(out, *g.DepartmentID)
		}
	}
	return out
}

func dedupe(ls []*Letter) []*Letter {
	seen := map[int64]bool{}
	var out []*Letter
	for _, l := range ls {
		if !seen[l.ID] {
			seen[l.ID] = true
			out = append(out, l)
		}
	}
	return out
}

// rows measures each letter and sorts by due date, then number.
func (s *Service) rows(ls []*Letter) ([]Row, error) {
	out := make([]Row, 0, len(ls))
	for _, l := range ls {
		c, err := s.Clock(l)
		if err != nil {
			return nil, err
		}
		out = append(out, Row{Letter: l, Clock: c})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Clock.Due.Compare(out[j].Clock.Due); c != 0 {
			return c < 0
		}
		return out[i].Letter.ID < out[j].Letter.ID
	})
	return out, nil
}

// Mine lists the actor's own letters, newest first.
func (s *Service) Mine(ctx context.Context, a *identity.Actor, offset int) ([]Row, int, error) {
	if a == nil || !a.IsPublic() {
		return nil, 0, apperr.New(apperr.Forbidden, "只有个人或法人账号有来信记录")
	}
	ls, n, err := s.d.Store.FindLetters(ctx, LetterFilter{UserID: a.UserID, Offset: offset, Limit: 20})
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ls)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Letter.ID > rows[j].Letter.ID })
	return rows, n, err
}

// SweepDeadlines records a warning on each open letter that has come near
// its deadline or passed it, once per level, and tells the officer who
// assigned it. Run periodically; a repeated run changes nothing.
func (s *Service) SweepDeadlines(ctx context.Context) (int, error) {
	open := []Status{StatusReceived, StatusAssigned, StatusDrafted}
	n := 0
	for offset := 0; ; offset += 500 {
		ls, _, err := s.d.Store.FindLetters(ctx, LetterFilter{Statuses: open, Offset: offset, Limit: 500})
		if err != nil {
			return n, err
		}
		for _, l := range ls {
			warned, err := s.warn(ctx, l.ID)
			if err != nil {
				return n, err
			}
			if warned {
				n++
			}
		}
		if len(ls) < 500 {
			return n, nil
		}
	}
}

// warn records the warning a letter is due, if any.
func (s *Service) warn(ctx context.Context, id int64) (bool, error) {
	warned := false
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		warned = false
		l, err := s.d.Store.FindLetter(ctx, id)
		if err != nil || !l.Status.Open() {
			return err
		}
		c, err := s.Clock(l)
		if err != nil {
			return err
		}
		kind := map[Level]EventKind{LevelNear: EventWarned, LevelOverdue: EventOverdue}[c.Level]
		if kind == "" || hasEvent(l, kind) {
			return nil
		}
		sys := identity.SystemActor()
		ev := Event{Kind: kind, At: s.d.Now(), ActorLabel: sys.Audit().Label, Note: "答复期限 " + c.Due.String() + c.Note()}
		before := l.UpdatedAt
		l.Events, l.UpdatedAt = append(l.Events, ev), s.d.Now()
		if err := s.d.Store.SaveLetter(ctx, l, before, []Event{ev}); err != nil {
			return err
		}
		warned = true
		return s.tellAssigner(ctx, l, ev)
	})
	return warned, err
}

func hasEvent(l *Letter, k EventKind) bool {
	for _, e := range l.Events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// tellAssigner notifies the officer who assigned the letter.
func (s *Service) tellAssigner(ctx context.Context, l *Letter, ev Event) error {
	if s.d.Notifier == nil {
		return nil
	}
	for i := len(l.Events) - 1; i >= 0; i-- {
		if e := l.Events[i]; e.Kind == EventAssigned && e.ActorID != 0 {
			title := "来信 " + l.Number() + " " + ev.Kind.Label()
			return s.d.Notifier.NotifyLetter(ctx, e.ActorID, l, title, "“"+l.Subject+"”"+ev.Note)
		}
	}
	return nil
}

// MonthStats are one month's letters, for the supervision figures: the
// letters received that month and what became of them.
type MonthStats struct {
	Year      int
	Month     time.Month
	Received  int
	Answered  int // answered (not rejected) so far
	OnTime    int // answered by the deadline
	Overdue   int // open and past the deadline now
	Rejected  int
	Rated     int
	Satisfied int // rated 非常满意, 满意 or 基本满意
}

// OnTimeRate is the share of answered letters answered on time, in percent.
func (m MonthStats) OnTimeRate() float64 { return percent(m.OnTime, m.Answered) }

// SatisfactionRate is the share of rated letters rated satisfied, in percent.
func (m MonthStats) SatisfactionRate() float64 { return percent(m.Satisfied, m.Rated) }

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

// StatsQuery selects the letters counted: a region subtree (or one agency)
// and the months from (Year, Month) for Months months.
type StatsQuery struct {
	PathPrefix string
	AgencyID   int64
	Year       int
	Month      time.Month
	Months     int
}

// Statistics counts letters per month of receipt. It holds no personal
// data, so the supervision figures and the portal may show it to anyone.
func (s *Service) Statistics(ctx context.Context, q StatsQuery) ([]MonthStats, error) {
	if q.Months <= 0 || q.Months > 36 || q.Month < 1 || q.Month > 12 {
		return nil, apperr.New(apperr.Invalid, "统计月份无效")
	}
	from := time.Date(q.Year, q.Month, 1, 0, 0, 0, 0, chinaTime)
	out := make([]MonthStats, q.Months)
	for i := range out {
		start := from.AddDate(0, i, 0)
		ls, err := s.d.Store.FindLettersForStats(ctx, StatsFilter{PathPrefix: q.PathPrefix, AgencyID: q.AgencyID,
			From: start, To: start.AddDate(0, 1, 0)})
		if err != nil {
			return nil, err
		}
		out[i] = MonthStats{Year: start.Year(), Month: start.Month()}
		if err := s.count(&out[i], ls); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) count(m *MonthStats, ls []*Letter) error {
	for _, l := range ls {
		m.Received++
		c, err := s.Clock(l)
		if err != nil {
			return err
		}
		switch c.Level {
		case LevelOnTime:
			m.Answered, m.OnTime = m.Answered+1, m.OnTime+1
		case LevelLate:
			m.Answered++
		case LevelOverdue:
			m.Overdue++
		case LevelRejected:
			m.Rejected++
		}
		if l.Rating.Valid() {
			m.Rated++
			if l.Rating.Satisfied() {
				m.Satisfied++
			}
		}
	}
	return nil
}

// Today is the service's current date in China.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.d.Now()) }
