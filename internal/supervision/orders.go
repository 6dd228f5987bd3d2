package supervision

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

// OrderStatus is where a 督办 stands.
type OrderStatus string

// Order statuses.
const (
	OrderOpen     OrderStatus = "open"     // 待反馈
	OrderAnswered OrderStatus = "answered" // 已反馈，待监察结果
	OrderClosed   OrderStatus = "closed"   // 已办结
)

// Label is the status's Chinese name.
func (s OrderStatus) Label() string {
	switch s {
	case OrderOpen:
		return "待反馈"
	case OrderAnswered:
		return "已反馈"
	case OrderClosed:
		return "已办结"
	}
	return string(s)
}

// Order is a 督办: a supervisor's demand to a department (on a case or on
// the department's work), with a feedback deadline in working days. It
// carries the GB/T 39046 电子监察 fields 督办内容, 被督办机构, 督办发出时间
// and 监察结果描述. Not answered in time, it escalates once to 二级督办, to
// the department's head and the supervisors of the region above.
type Order struct {
	ID            int64
	Number        string // 督办编号
	CaseID        int64
	CaseNumber    string
	RegionPath    string
	DeptID        int64 // 被督办机构
	DeptName      string
	Content       string // 督办内容
	Level         int    // 1 一级督办, 2 二级督办
	Days          int    // working days given for feedback
	Due           calendar.Date
	Provisional   int
	Status        OrderStatus
	IssuedAt      time.Time // 督办发出时间
	IssuedBy      int64
	IssuedByLabel string
	Feedback      string
	AnsweredAt    time.Time
	AnsweredBy    int64
	AnsweredLabel string
	Result        string // 监察结果描述
	ClosedAt      time.Time
	ClosedBy      int64
	ClosedLabel   string
	EscalatedAt   time.Time
	EscalatedTo   string // who the 二级督办 went to
	RegionCode    string // for the number; not stored
}

// OrderNumber is the 督办编号 of an order with its ID set: "DB", the region
// code of its case or department, the year and the serial.
func OrderNumber(o *Order) string {
	code := o.RegionCode
	if code == "" && len(o.CaseNumber) >= 6 {
		code = o.CaseNumber[:6]
	}
	return "DB" + FormatCardNumber(code, o.IssuedAt, o.ID)[2:]
}

// LevelLabel names the order's level.
func (o *Order) LevelLabel() string {
	if o.Level >= 2 {
		return "二级督办"
	}
	return "一级督办"
}

// Deadline is the instant the feedback is late: the end of the due date.
func (o *Order) Deadline() time.Time { return o.Due.AddDays(1).Time() }

// Overdue reports whether the order waits for feedback past its deadline.
func (o *Order) Overdue(now time.Time) bool {
	return o.Status == OrderOpen && !now.Before(o.Deadline())
}

// DueNote is the provisional wording of the due date.
func (o *Order) DueNote() string { return calendar.ProvisionalNote(o.Provisional) }

// OrderFilter selects orders.
type OrderFilter struct {
	Scope   Scope
	Status  OrderStatus
	DeptID  int64
	CaseID  int64
	Overdue string // "1": only those past their deadline (set Today)
	Today   string
	Answer  []Area // the departments the actor answers for (their orders too)
	Offset  int
	Limit   int
}

// OrderInput is a new 督办.
type OrderInput struct {
	CaseID  int64
	DeptID  int64
	Content string
	Days    int
	Level   int
}

// IssueOrder issues a 督办 and sets its escalation timer.
func (s *Service) IssueOrder(ctx context.Context, a *identity.Actor, in OrderInput) (*Order, error) {
	o, err := s.newOrder(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := CanSupervise(a, o.RegionPath, o.DeptID); err != nil {
		return nil, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		fresh := *o
		fresh.IssuedAt, fresh.IssuedBy, fresh.IssuedByLabel, fresh.Status = s.d.Now(), a.UserID, a.Audit().Label, OrderOpen
		if err := s.setDue(&fresh, fresh.IssuedAt); err != nil {
			return err
		}
		if err := s.d.Store.CreateOrder(ctx, &fresh); err != nil {
			return err
		}
		*o = fresh
		return s.afterIssue(ctx, a, o)
	})
	return o, err
}

// afterIssue counts, notifies, times and records a new order.
func (s *Service) afterIssue(ctx context.Context, a *identity.Actor, o *Order) error {
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return err
	}
	if err := s.d.Store.AddStats(ctx, expand([]Tally{{At: o.IssuedAt, Dept: o.DeptID, Counts: Counts{Orders: 1}}}, dir)); err != nil {
		return err
	}
	if err := s.notifyDept(ctx, o, "supervision.order", fmt.Sprintf("%s %s", o.LevelLabel(), o.Number),
		fmt.Sprintf("%s收到%s：%s。请于 %s 前反馈%s。", o.DeptName, o.LevelLabel(), o.Content, o.Due, o.DueNote())); err != nil {
		return err
	}
	return s.record(ctx, a, "region:"+o.RegionPath, "order.issue", "supervision_order", o.ID,
		map[string]any{"number": o.Number, "case": o.CaseNumber, "dept": o.DeptName, "level": o.Level, "days": o.Days, "due": o.Due.String(), "content": o.Content})
}

// newOrder checks an order and fills in its target.
func (s *Service) newOrder(ctx context.Context, in OrderInput) (*Order, error) {
	var f apperr.Fields
	in.Content = strings.TrimSpace(in.Content)
	n := utf8.RuneCountInString(in.Content)
	f.Check(n < 5 || n > 2000, "content", "请填写督办内容（5 至 2000 字）")
	f.Check(in.Days < 1 || in.Days > 30, "days", "反馈期限须为 1 至 30 个工作日")
	f.Check(in.Level != 1 && in.Level != 2, "level", "请选择督办级别（一级或二级）")
	f.Check(in.CaseID == 0 && in.DeptID == 0, "dept_id", "请选择被督办部门")
	if err := f.Err(); err != nil {
		return nil, err
	}
	o := &Order{Content: in.Content, Days: in.Days, Level: in.Level, DeptID: in.DeptID}
	if in.CaseID != 0 {
		c, err := s.d.Cases.LoadCase(ctx, in.CaseID, false)
		if err != nil {
			return nil, err
		}
		o.CaseID, o.CaseNumber, o.RegionPath = c.ID, c.Number, c.Procedure.RegionPath
		if o.DeptID == 0 {
			o.DeptID = c.Procedure.DepartmentID
		} else if o.DeptID != c.Procedure.DepartmentID && !caseHasDept(c.Procedure.Branches, o.DeptID) {
			return nil, apperr.Field("dept_id", "所选部门不是该办件的办理部门")
		}
	} else {
		d, err := s.department(ctx, o.DeptID)
		if err != nil {
			return nil, err
		}
		o.RegionPath, o.RegionCode = d.path, d.code
	}
	o.DeptName = s.DeptName(ctx, o.DeptID)
	return o, nil
}

func caseHasDept(bs []cases.Branch, dept int64) bool {
	for _, b := range bs {
		if b.DepartmentID == dept {
			return true
		}
	}
	return false
}

type deptRef struct {
	id         int64
	path, code string
}

// department finds a department's region.
func (s *Service) department(ctx context.Context, id int64) (deptRef, error) {
	regionID, path, err := s.d.Directory.DepartmentRegion(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return deptRef{}, apperr.Field("dept_id", "所选部门不存在")
	}
	if err != nil {
		return deptRef{}, err
	}
	r, err := s.d.Directory.Region(ctx, regionID)
	if err != nil {
		return deptRef{}, err
	}
	return deptRef{id: id, path: path, code: r.Code}, nil
}

// setDue sets the feedback deadline: Days working days after from.
func (s *Service) setDue(o *Order, from time.Time) error {
	cal, err := s.d.Calendars.ForRegion(o.RegionPath)
	if err != nil {
		return err
	}
	start := calendar.DateOf(from)
	if o.Due, err = cal.AddWorkdays(start, o.Days); err != nil {
		return apperr.Wrap(err, apperr.Conflict, "无法推算反馈期限：工作日历缺少相应年度，请系统管理员导入节假日安排")
	}
	o.Provisional = cal.Provisional(start, o.Due)
	return nil
}

// Order returns a 督办 for someone who may see it.
func (s *Service) Order(ctx context.Context, a *identity.Actor, id int64) (*Order, error) {
	o, err := s.d.Store.FindOrder(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if err := CanViewOrder(a, o); err != nil {
		return nil, err
	}
	return o, nil
}

// Orders lists the 督办 the actor supervises or must answer.
func (s *Service) Orders(ctx context.Context, a *identity.Actor, f OrderFilter) ([]*Order, int, error) {
	if a == nil {
		return nil, 0, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	scope, _ := SupervisorScope(a)
	f.Scope = scope.Narrow(f.DeptID)
	f.Answer = areasOf(a, identity.RoleDeptHead, identity.RoleApprover).Areas
	if f.Scope.Empty() && len(f.Answer) == 0 {
		return nil, 0, apperr.New(apperr.Forbidden, "只有监察人员和部门人员可以查看督办")
	}
	f.Today = calendar.DateOf(s.d.Now()).String()
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 50
	}
	return s.d.Store.FindOrders(ctx, f)
}

// AnswerOrder records the target department's feedback.
func (s *Service) AnswerOrder(ctx context.Context, a *identity.Actor, id int64, feedback string) (*Order, error) {
	feedback = strings.TrimSpace(feedback)
	if n := utf8.RuneCountInString(feedback); n < 2 || n > 4000 {
		return nil, apperr.Field("feedback", "请填写反馈内容（2 至 4000 字）")
	}
	return s.changeOrder(ctx, id, func(ctx context.Context, o *Order) error {
		if err := CanViewOrder(a, o); err != nil {
			return err
		}
		if err := CanAnswerOrder(a, o.RegionPath, o.DeptID); err != nil {
			return err
		}
		if o.Status != OrderOpen {
			return apperr.New(apperr.Conflict, "该督办%s，不能再反馈", o.Status.Label())
		}
		o.Status, o.Feedback, o.AnsweredAt, o.AnsweredBy, o.AnsweredLabel = OrderAnswered, feedback, s.d.Now(), a.UserID, a.Audit().Label
		if err := s.notifyUsers(ctx, []int64{o.IssuedBy}, o, "supervision.order.answered", "督办 "+o.Number+" 已反馈",
			fmt.Sprintf("%s对督办“%s”作出反馈：%s", o.DeptName, short(o.Content), feedback)); err != nil {
			return err
		}
		return s.record(ctx, a, "dept:"+itoa64(o.DeptID), "order.answer", "supervision_order", o.ID,
			map[string]any{"number": o.Number, "feedback": feedback, "late": !o.AnsweredAt.Before(o.Deadline())})
	})
}

// CloseOrder records the supervisor's 监察结果 and closes the 督办.
func (s *Service) CloseOrder(ctx context.Context, a *identity.Actor, id int64, result string) (*Order, error) {
	result = strings.TrimSpace(result)
	if n := utf8.RuneCountInString(result); n < 2 || n > 4000 {
		return nil, apperr.Field("result", "请填写监察结果（2 至 4000 字）")
	}
	return s.changeOrder(ctx, id, func(ctx context.Context, o *Order) error {
		if err := CanViewOrder(a, o); err != nil {
			return err
		}
		if err := CanSupervise(a, o.RegionPath, o.DeptID); err != nil {
			return err
		}
		if o.Status == OrderClosed {
			return apperr.New(apperr.Conflict, "该督办已办结")
		}
		o.Status, o.Result, o.ClosedAt, o.ClosedBy, o.ClosedLabel = OrderClosed, result, s.d.Now(), a.UserID, a.Audit().Label
		return s.record(ctx, a, "region:"+o.RegionPath, "order.close", "supervision_order", o.ID,
			map[string]any{"number": o.Number, "result": result, "answered": !o.AnsweredAt.IsZero()})
	})
}

// changeOrder loads an order locked, lets fn change it and saves it, in one
// transaction.
func (s *Service) changeOrder(ctx context.Context, id int64, fn func(ctx context.Context, o *Order) error) (*Order, error) {
	var o *Order
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if o, err = s.d.Store.FindOrder(ctx, id, true); err != nil {
			return err
		}
		if err := fn(ctx, o); err != nil {
			return err
		}
		return s.d.Store.SaveOrder(ctx, o)
	})
	return o, err
}

// notifyDept tells the department's heads and approvers.
func (s *Service) notifyDept(ctx context.Context, o *Order, kind, title, body string) error {
	var users []int64
	for _, role := range []identity.Role{identity.RoleDeptHead, identity.RoleApprover} {
		ids, err := s.d.Store.StaffWith(ctx, string(role), o.RegionPath, o.DeptID)
		if err != nil {
			return err
		}
		users = append(users, ids...)
	}
	return s.notifyUsers(ctx, users, o, kind, title, body)
}

func (s *Service) notifyUsers(ctx context.Context, users []int64, o *Order, kind, title, body string) error {
	return s.d.Notifier.NotifyStaff(ctx, unique(users), kind, title, body, fmt.Sprintf("/supervision/orders/%d", o.ID), true)
}

func unique(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// short is the first 30 characters of a text.
func short(s string) string {
	r := []rune(s)
	if len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
