package complaint

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// CommandKind names what someone asks of a complaint.
type CommandKind string

// Commands.
const (
	CmdAccept CommandKind = "accept" // desk: 受理 (and 转办 when a department is given)
	CmdRefuse CommandKind = "refuse" // desk: 不予受理, with the reason
	CmdAssign CommandKind = "assign" // desk: 转办 to a department with a deadline
	CmdReturn CommandKind = "return" // department: not ours, back to the desk
	CmdReply  CommandKind = "reply"  // department: 答复 to the desk
	CmdAnswer CommandKind = "answer" // desk: 答复 the complainant
	CmdRate   CommandKind = "rate"   // complainant: rates the answer
	CmdReopen CommandKind = "reopen" // complainant: asks once to handle it again
)

// Label is the command's Chinese name.
func (k CommandKind) Label() string {
	return map[CommandKind]string{CmdAccept: "受理", CmdRefuse: "不予受理", CmdAssign: "转办", CmdReturn: "退回",
		CmdReply: "答复受理机构", CmdAnswer: "答复投诉人", CmdRate: "评价答复", CmdReopen: "申请重新办理"}[k]
}

// Valid reports whether k is one of the commands.
func (k CommandKind) Valid() bool { return k.Label() != "" }

// Command is one request to move a complaint on.
type Command struct {
	Kind         CommandKind
	Text         string
	DepartmentID int64
	Department   string // the name of DepartmentID, filled by the service
	Days         int
	Level        int
	ActorID      int64
	ActorLabel   string
}

// Periods in working days.
const (
	// AcceptDays: complaints are accepted or refused within 5 working days
	// (a local rule the reference cites, fsou.net 17030624; GB/T 36113
	// 投诉处置规范 was not read: unverified).
	AcceptDays = 5
	// DefaultDepartmentDays is the deadline the desk proposes to a
	// department; it may choose 1–MaxDepartmentDays.
	DefaultDepartmentDays = 10
	MaxDepartmentDays     = 30
	// AnswerDays is this product's period for the desk to answer the
	// complainant once the department replied (not from a standard).
	AnswerDays = 5
	// DeskDays is this product's period (own figure, unverified: no
	// standard or local rule we hold sets one) for the desk to assign
	// (转办) or answer a complaint it accepted without a 转办, a department
	// returned or the complainant reopened: the desk's own 5 working days,
	// as for acceptance and the answer.
	DeskDays = 5
)

type rule struct {
	from   []Status
	check  func(c *Complaint, cmd Command) error
	events func(c *Complaint, cmd Command) []Event
}

var rules = map[CommandKind]rule{
	CmdAccept: {[]Status{StatusSubmitted}, acceptCheck, acceptEvents},
	CmdRefuse: {[]Status{StatusSubmitted}, text("不予受理的理由"), single(EvRefused)},
	CmdAssign: {[]Status{StatusAccepted}, assignCheck, single(EvAssigned)},
	CmdReturn: {[]Status{StatusAssigned}, text("退回理由"), single(EvReturned)},
	CmdReply:  {[]Status{StatusAssigned}, text("答复内容"), single(EvReplied)},
	CmdAnswer: {[]Status{StatusReplied, StatusAccepted}, text("答复内容"), single(EvAnswered)},
	CmdRate:   {[]Status{StatusAnswered}, rateCheck, single(EvRated)},
	CmdReopen: {[]Status{StatusAnswered, StatusClosed}, reopenCheck, single(EvReopened)},
}

// Transition checks a command against the complaint's state and returns
// the events it causes, without changing the complaint. It is pure; who
// may act is decided by the service.
func Transition(c *Complaint, cmd Command, at time.Time) ([]Event, error) {
	r, ok := rules[cmd.Kind]
	if !ok {
		return nil, apperr.New(apperr.Invalid, "未知的操作 %q", cmd.Kind)
	}
	if !in(c.Status, r.from) {
		return nil, apperr.New(apperr.Conflict, "%s当前状态为“%s”，不能%s", c.Kind.Label(), c.Status.Label(), cmd.Kind.Label())
	}
	cmd.Text = strings.TrimSpace(cmd.Text)
	if err := r.check(c, cmd); err != nil {
		return nil, err
	}
	evs := r.events(c, cmd)
	for i := range evs {
		evs[i].At, evs[i].ActorID, evs[i].ActorLabel = at, cmd.ActorID, cmd.ActorLabel
	}
	return evs, nil
}

func in(s Status, list []Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func single(kind EventKind) func(*Complaint, Command) []Event {
	return func(_ *Complaint, cmd Command) []Event {
		e := Event{Kind: kind, Text: cmd.Text, Level: cmd.Level}
		if kind == EvAssigned {
			e.DepartmentID, e.Department, e.Days = cmd.DepartmentID, cmd.Department, cmd.Days
		}
		return []Event{e}
	}
}

// acceptEvents accepts, and assigns at once when a department is given.
func acceptEvents(c *Complaint, cmd Command) []Event {
	evs := []Event{{Kind: EvAccepted, Text: cmd.Text}}
	if cmd.DepartmentID != 0 {
		evs = append(evs, Event{Kind: EvAssigned, DepartmentID: cmd.DepartmentID, Department: cmd.Department, Days: cmd.Days})
	}
	return evs
}

func text(what string) func(*Complaint, Command) error {
	return func(_ *Complaint, cmd Command) error {
		switch n := utf8.RuneCountInString(cmd.Text); {
		case n < 2:
			return apperr.Field("text", "请填写"+what+"（2–4000 字）")
		case n > 4000:
			return apperr.Field("text", fmt.Sprintf("%s过长：最多 4000 字，现有 %d 字", what, n))
		}
		return nil
	}
}

func acceptCheck(c *Complaint, cmd Command) error {
	if cmd.DepartmentID == 0 {
		return nil
	}
	return assignCheck(c, cmd)
}

func assignCheck(_ *Complaint, cmd Command) error {
	var f apperr.Fields
	f.Check(cmd.DepartmentID == 0, "department_id", "请选择承办部门")
	f.Check(cmd.Days < 1 || cmd.Days > MaxDepartmentDays, "days", "办理期限须为 1–30 个工作日")
	return f.Err()
}

func rateCheck(_ *Complaint, cmd Command) error {
	if cmd.Level < 1 || cmd.Level > 5 {
		return apperr.Field("level", "请选择对答复的满意度")
	}
	return nil
}

// reopenCheck allows one reopening, with the reason.
func reopenCheck(c *Complaint, cmd Command) error {
	if c.Reopened {
		return apperr.New(apperr.Conflict, "每件%s只能申请重新办理一次", c.Kind.Label())
	}
	return text("重新办理的理由")(c, cmd)
}

// Apply folds one event into the complaint.
func (c *Complaint) Apply(e Event) {
	e.Seq = len(c.Events) + 1
	c.Events = append(c.Events, e)
	c.Version++
	switch e.Kind {
	case EvSubmitted:
		c.Status, c.CreatedAt = StatusSubmitted, e.At
	case EvAccepted, EvReturned:
		c.Status = StatusAccepted
	case EvRefused:
		c.Status = StatusRefused
	case EvAssigned:
		c.Status, c.DepartmentID, c.Department = StatusAssigned, e.DepartmentID, e.Department
	case EvReplied:
		c.Status = StatusReplied
	case EvAnswered:
		c.Status = StatusAnswered
	case EvRated:
		c.Status, c.AnswerLevel = StatusClosed, e.Level
	case EvReopened:
		c.Status, c.Reopened = StatusAccepted, true
	}
}

// Answer is the latest answer to the complainant, if any.
func (c *Complaint) Answer() *Event {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if c.Events[i].Kind == EvAnswered || c.Events[i].Kind == EvRefused {
			return &c.Events[i]
		}
	}
	return nil
}
