package supervision

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// CardFilter selects cards; zero fields do not filter.
type CardFilter struct {
	Scope    Scope
	CaseID   int64
	CaseIDs  []int64
	DeptID   int64
	UserID   int64
	Colour   Colour
	Kind     Kind
	InForce  bool
	From, To string // arose between these dates, inclusive
	// Mine lists a staff member's cards: those naming them, and those of the
	// open steps their roles hold (Pools).
	Mine   int64
	Pools  []Area
	Roles  []string
	Offset int
	Limit  int
}

// WeekCount is the cards that arose in one week (Monday first).
type WeekCount struct {
	Week   string // the Monday, YYYY-MM-DD
	Yellow int
	Red    int
}

// Cards lists the cards in the actor's scope.
func (s *Service) Cards(ctx context.Context, a *identity.Actor, f CardFilter) ([]*Card, int, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, 0, err
	}
	if err := checkDates(f.From, f.To); err != nil {
		return nil, 0, err
	}
	f.Scope = scope.Narrow(f.DeptID)
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 50
	}
	return s.d.Store.FindCards(ctx, f)
}

func checkDates(from, to string) error {
	var fs apperr.Fields
	for name, v := range map[string]string{"from": from, "to": to} {
		if v != "" {
			_, err := calendar.ParseDate(v)
			fs.Check(err != nil, name, "日期格式应为 YYYY-MM-DD，如 2026-03-01")
		}
	}
	return fs.Err()
}

// Card returns one card for someone who may see it: supervisors of its
// scope and the person it names.
func (s *Service) Card(ctx context.Context, a *identity.Actor, id int64) (*Card, error) {
	c, err := s.d.Store.FindCard(ctx, id)
	if err != nil {
		return nil, err
	}
	scope, _ := SupervisorScope(a)
	if a != nil && (scope.Covers(c.RegionPath, c.DeptID) || (c.UserID != 0 && c.UserID == a.UserID)) {
		return c, nil
	}
	return nil, apperr.New(apperr.NotFound, "红黄牌不存在或您无权查看")
}

// MyCards lists a staff member's cards: the ones that name them, and those
// of the open steps and intakes their roles hold, in force first.
func (s *Service) MyCards(ctx context.Context, a *identity.Actor, offset int) ([]*Card, int, error) {
	if a == nil || !a.IsStaff() {
		return nil, 0, apperr.New(apperr.Forbidden, "只有工作人员有自己的红黄牌")
	}
	f := CardFilter{Mine: a.UserID, Offset: offset, Limit: 50}
	for _, g := range a.Grants {
		switch g.Role {
		case identity.RoleApprover, identity.RoleDeptHead, identity.RoleWindowClerk:
			ar := Area{RegionPath: g.RegionPath}
			if g.DepartmentID != nil {
				ar.DeptID = *g.DepartmentID
			}
			f.Pools, f.Roles = append(f.Pools, ar), append(f.Roles, string(g.Role))
		}
	}
	return s.d.Store.FindCards(ctx, f)
}

// CardsInForce returns the cards in force on the cases, for the badges of
// queues; only cards the actor may see (in their scope, on their steps or
// naming them) are returned.
func (s *Service) CardsInForce(ctx context.Context, a *identity.Actor, caseIDs []int64) (map[int64][]*Card, error) {
	if a == nil || len(caseIDs) == 0 {
		return nil, nil
	}
	cs, _, err := s.d.Store.FindCards(ctx, CardFilter{CaseIDs: caseIDs, InForce: true, Limit: 1000})
	if err != nil {
		return nil, err
	}
	scope, _ := SupervisorScope(a)
	out := map[int64][]*Card{}
	for _, c := range cs {
		if scope.Covers(c.RegionPath, c.DeptID) || c.UserID == a.UserID || holds(a, c) {
			out[c.CaseID] = append(out[c.CaseID], c)
		}
	}
	return out, nil
}

// holds reports whether the actor's roles hold the card's open step.
func holds(a *identity.Actor, c *Card) bool {
	if c.Role == "" {
		return false
	}
	role := identity.Role(c.Role)
	if role == identity.RoleWindowClerk {
		return a.HasIn(role, c.RegionPath, 0) || a.HasIn(role, c.RegionPath, c.DeptID)
	}
	return a.HasIn(role, c.RegionPath, c.DeptID) || a.HasIn(identity.RoleDeptHead, c.RegionPath, c.DeptID)
}

// ResolveInput is a supervisor's finding on a card (监察结果).
type ResolveInput struct {
	Resolution string
	Confirmed  bool // the finding confirms a breach
}

// ResolveCard records a supervisor's finding. A card an event earned (a
// refusal without reason, a fee beyond the rule, an entered card) is
// closed by it; a clock card keeps running until its cause ends.
func (s *Service) ResolveCard(ctx context.Context, a *identity.Actor, id int64, in ResolveInput) (*Card, error) {
	in.Resolution = strings.TrimSpace(in.Resolution)
	if n := utf8.RuneCountInString(in.Resolution); n < 2 || n > 2000 {
		return nil, apperr.Field("resolution", "请填写监察结果（2 至 2000 字）")
	}
	var c *Card
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.d.Store.FindCard(ctx, id); err != nil {
			return err
		}
		if scope, _ := SupervisorScope(a); !scope.Covers(c.RegionPath, c.DeptID) && (a == nil || c.UserID != a.UserID) {
			return apperr.New(apperr.NotFound, "红黄牌不存在或您无权查看")
		}
		if err := CanSupervise(a, c.RegionPath, c.DeptID); err != nil {
			return err
		}
		if !c.ResolvedAt.IsZero() {
			return apperr.New(apperr.Conflict, "该红黄牌已于 %s 作出监察结果", c.ResolvedAt.In(chinaTime).Format("2006-01-02 15:04"))
		}
		now := s.d.Now()
		c.ResolvedAt, c.ResolvedBy, c.Resolution, c.Confirmed = now, a.UserID, in.Resolution, in.Confirmed
		if isEventCard(c.Subject) && c.ClearedAt.IsZero() {
			c.ClearedAt, c.Outcome = now, "监察人员作出监察结果："+in.Resolution
		}
		if err := s.d.Store.ResolveCard(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+c.RegionPath, "card.resolve", "supervision_card", c.ID,
			map[string]any{"number": c.Number, "confirmed": in.Confirmed, "resolution": in.Resolution})
	})
	return c, err
}

// isEventCard: cards an event earned, or entered by hand, have subjects
// beginning with "f" or "m"; clock cards do not.
func isEventCard(subject string) bool {
	return strings.HasPrefix(subject, "f") || strings.HasPrefix(subject, "m")
}

// ManualInput is a card a supervisor enters (其他, or any kind the data
// cannot show).
type ManualInput struct {
	CaseID int64 // or
	DeptID int64 // a department without a case
	Kind   Kind
	Colour Colour
	Detail string
	UserID int64 // the person responsible, if one
}

// RaiseCard enters a card by hand.
func (s *Service) RaiseCard(ctx context.Context, a *identity.Actor, in ManualInput) (*Card, error) {
	c, err := s.manualCard(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := CanSupervise(a, c.RegionPath, c.DeptID); err != nil {
		return nil, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		fresh := *c
		fresh.AroseAt, fresh.CreatedBy, fresh.Manual = s.d.Now(), a.UserID, true
		fresh.Subject = fmt.Sprintf("m%d", fresh.AroseAt.UnixMicro())
		if err := s.d.Store.InsertCards(ctx, []*Card{&fresh}); err != nil {
			return err
		}
		*c = fresh
		if err := s.d.Store.AddStats(ctx, s.cardStats(ctx, c)); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+c.RegionPath, "card.raise", "supervision_card", c.ID,
			map[string]any{"number": c.Number, "kind": c.Kind, "colour": c.Colour.Code(), "case": c.CaseNumber, "detail": c.Detail})
	})
	return c, err
}

// manualCard checks a manual card and fills in what it is about.
func (s *Service) manualCard(ctx context.Context, in ManualInput) (*Card, error) {
	var f apperr.Fields
	in.Detail = strings.TrimSpace(in.Detail)
	f.Check(!in.Kind.Valid(), "kind", "请选择监察预警类型")
	f.Check(in.Colour != Yellow && in.Colour != Red, "colour", "请选择黄牌或红牌")
	f.Check(utf8.RuneCountInString(in.Detail) < 4 || utf8.RuneCountInString(in.Detail) > 2000, "detail", "请填写情况说明（4 至 2000 字）")
	f.Check(in.CaseID == 0 && in.DeptID == 0, "dept_id", "请选择办件或责任部门")
	if err := f.Err(); err != nil {
		return nil, err
	}
	c := &Card{Kind: in.Kind, Colour: in.Colour, Rule: ruleCode(ruleManual, in.Colour), Detail: in.Detail, UserID: in.UserID}
	if in.CaseID != 0 {
		cs, err := s.d.Cases.LoadCase(ctx, in.CaseID, false)
		if err != nil {
			return nil, err
		}
		c.CaseID, c.CaseNumber, c.RegionPath = cs.ID, cs.Number, cs.Procedure.RegionPath
		c.DeptID, c.DeptName = cs.Procedure.DepartmentID, cs.Procedure.Department
		if in.DeptID != 0 && in.DeptID != c.DeptID {
			if !caseHasDept(cs.Procedure.Branches, in.DeptID) {
				return nil, apperr.Field("dept_id", "所选部门不是该办件的办理部门")
			}
			c.DeptID = in.DeptID
		}
	} else {
		d, err := s.department(ctx, in.DeptID)
		if err != nil {
			return nil, err
		}
		c.DeptID, c.RegionPath, c.RegionCode = d.id, d.path, d.code
	}
	c.DeptName = s.DeptName(ctx, c.DeptID)
	return c, nil
}

// cardStats counts a card entered outside an evaluation.
func (s *Service) cardStats(ctx context.Context, c *Card) []StatDelta {
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return nil
	}
	ts := []Tally{cardTally(c.AroseAt, c.DeptID, c.Colour)}
	if c.UserID != 0 {
		ts = append(ts, Tally{At: c.AroseAt, User: c.UserID, Home: c.DeptID, Counts: cardCounts(c.Colour)})
	}
	return expand(ts, dir)
}

// CardsByWeek counts the cards that arose per week over the last weeks.
func (s *Service) CardsByWeek(ctx context.Context, a *identity.Actor, dept int64, weeks int) ([]WeekCount, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.d.Now())
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	from := monday.AddDays(-7 * (weeks - 1))
	scope = scope.Narrow(dept)
	shared := context.WithoutCancel(ctx)
	v, err := s.figures.get(fmt.Sprintf("weeks|%v|%s", scope.Areas, from), func() (any, error) {
		return s.d.Store.CardsByWeek(shared, scope, from.Time())
	})
	if err != nil {
		return nil, err
	}
	got := v.([]WeekCount)
	by := map[string]WeekCount{}
	for _, w := range got {
		by[w.Week] = w
	}
	out := make([]WeekCount, weeks)
	for i := range out {
		wk := from.AddDays(7 * i).String()
		out[i] = by[wk]
		out[i].Week = wk
	}
	return out, nil
}

// WeekOf is the Monday of t's week in China Standard Time.
func WeekOf(t time.Time) string {
	d := calendar.DateOf(t)
	return d.AddDays(-((int(d.Weekday()) + 6) % 7)).String()
}
