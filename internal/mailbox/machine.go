package mailbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// CommandKind is what someone does to a letter.
type CommandKind string

// Commands.
const (
	CmdAssign CommandKind = "assign" // the office hands the letter to a department, with a limit
	CmdDraft  CommandKind = "draft"  // the department drafts the answer
	CmdReturn CommandKind = "return" // the office sends the draft back, with the reason
	CmdAnswer CommandKind = "answer" // the office answers (approving or editing a draft, or directly)
	CmdReject CommandKind = "reject" // the office does not accept the letter, with the reason
	CmdRate   CommandKind = "rate"   // the writer rates the answer
)

// Command is one action with what it carries.
type Command struct {
	Kind       CommandKind
	DeptID     int64  // assign
	DeptName   string // assign: filled by the service
	Days       int    // assign: the limit in working days from receipt; 0 keeps the current one
	Text       string // draft, answer: the text; return, reject: the reason
	PublicText string // answer: the letter as published, personal data removed
	Publish    bool   // answer: publish it on the portal (only with the writer's consent)
	AnswerUnit string // answer: the department or agency answering, as shown
	Rating     Rating // rate
	Note       string // rate: the writer's words
	ActorID    int64
	ActorLabel string
}

// MaxDays bounds a letter's limit.
const MaxDays = 60

// Limits of a letter's texts, in characters.
const (
	maxSubject = 100
	maxContent = 5000
	maxAnswer  = 10000
	maxReason  = 500
)

// from lists the statuses each command may start from.
var from = map[CommandKind][]Status{
	CmdAssign: {StatusReceived, StatusAssigned, StatusDrafted},
	CmdDraft:  {StatusAssigned, StatusDrafted},
	CmdReturn: {StatusDrafted},
	CmdAnswer: {StatusReceived, StatusAssigned, StatusDrafted},
	CmdReject: {StatusReceived, StatusAssigned},
	CmdRate:   {StatusAnswered},
}

// Transition checks a command against the letter and returns the events it
// causes. It is pure: who may do it is decided by the service.
func Transition(l *Letter, cmd Command, at time.Time) ([]Event, error) {
	if !slices.Contains(from[cmd.Kind], l.Status) {
		return nil, apperr.New(apperr.Conflict, "信件当前为“%s”，不能%s", l.Status.Label(), cmdLabel[cmd.Kind])
	}
	if err := checkCommand(l, cmd); err != nil {
		return nil, err
	}
	e := Event{At: at, ActorID: cmd.ActorID, ActorLabel: cmd.ActorLabel}
	switch cmd.Kind {
	case CmdAssign:
		e.Kind, e.DeptID, e.Days, e.Note = EventAssigned, cmd.DeptID, cmd.Days, cmd.DeptName
	case CmdDraft:
		e.Kind, e.Note = EventDrafted, cmd.Text
	case CmdReturn:
		e.Kind, e.Note = EventReturned, cmd.Text
	case CmdAnswer:
		e.Kind, e.Note = EventAnswered, cmd.Text
	case CmdReject:
		e.Kind, e.Note = EventRejected, cmd.Text
	case CmdRate:
		e.Kind, e.Note = EventRated, fmt.Sprintf("%d %s", cmd.Rating, cmd.Note)
	}
	evs := []Event{e}
	if cmd.Kind == CmdAnswer && cmd.Publish {
		evs = append(evs, Event{Kind: EventPublished, At: at, ActorID: cmd.ActorID, ActorLabel: cmd.ActorLabel})
	}
	return evs, nil
}

var cmdLabel = map[CommandKind]string{CmdAssign: "分办", CmdDraft: "拟办", CmdReturn: "退回", CmdAnswer: "答复",
	CmdReject: "不予受理", CmdRate: "评价"}

// checkCommand checks what the command carries, naming the field.
func checkCommand(l *Letter, cmd Command) error {
	var f apperr.Fields
	text := strings.TrimSpace(cmd.Text)
	switch cmd.Kind {
	case CmdAssign:
		f.Check(cmd.DeptID <= 0, "department_id", "请选择承办部门")
		f.Check(cmd.Days < 0 || cmd.Days > MaxDays, "days", fmt.Sprintf("办理时限应为 1–%d 个工作日", MaxDays))
	case CmdDraft, CmdAnswer:
		checkLen(&f, "text", "答复内容", text, maxAnswer, true)
		f.Check(cmd.Kind == CmdAnswer && cmd.Publish && !l.Consent, "publish", "来信人未同意公开，不能公开该信件")
		f.Check(cmd.Kind == CmdAnswer && cmd.Publish && strings.TrimSpace(cmd.PublicText) == "", "public_text", "请填写公开版本的来信内容（已去除个人信息）")
		checkLen(&f, "public_text", "公开版本", cmd.PublicText, maxContent, false)
	case CmdReturn, CmdReject:
		checkLen(&f, "reason", "理由", text, maxReason, true)
	case CmdRate:
		f.Check(!cmd.Rating.Valid(), "rating", "请选择满意程度")
		f.Check(l.Rating != RatingNone, "rating", "您已评价过该答复")
		checkLen(&f, "note", "评价内容", cmd.Note, maxReason, false)
	}
	return f.Err()
}

func checkLen(f *apperr.Fields, field, label, v string, maxRunes int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > maxRunes, field, fmt.Sprintf("%s不能超过 %d 个字（现有 %d 个字）", label, maxRunes, n))
}

// Apply moves the letter's fields by one event.
func (l *Letter) Apply(e Event, cmd Command) {
	switch e.Kind {
	case EventAssigned:
		l.Status, l.DeptID = StatusAssigned, e.DeptID
		if e.Days > 0 {
			l.Days = e.Days
		}
	case EventDrafted:
		l.Status, l.Draft = StatusDrafted, e.Note
	case EventReturned:
		l.Status = StatusAssigned
	case EventAnswered:
		l.Status, l.Answer, l.AnsweredAt, l.AnswerUnit = StatusAnswered, e.Note, e.At, cmd.AnswerUnit
		l.PublicText = strings.TrimSpace(cmd.PublicText)
	case EventPublished:
		l.Published = true
	case EventRejected:
		l.Status, l.Answer, l.AnsweredAt = StatusRejected, e.Note, e.At
	case EventRated:
		l.Rating, l.RatingNote = cmd.Rating, strings.TrimSpace(cmd.Note)
	}
	l.Events = append(l.Events, e)
}
