package rating

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// TicketStatus is where the handling of a bad review stands.
type TicketStatus string

// Ticket statuses. The loop of every local plan (reference §3.6): 谁办理谁
// 负责 → 回访核实 → 立行立改 / 限期整改 / 解释说明 → 申诉复核 for false reviews
// → 反馈 → 二次评价.
const (
	TicketOpen       TicketStatus = "open"        // 待回访
	TicketCalledBack TicketStatus = "called_back" // 已回访，待核实
	TicketVerified   TicketStatus = "verified"    // 已核实，待整改或解释说明
	TicketAppealing  TicketStatus = "appealing"   // 申诉复核中
	TicketRectified  TicketStatus = "rectified"   // 已整改，待反馈
	TicketFedBack    TicketStatus = "fed_back"    // 已反馈，待二次评价
	TicketClosed     TicketStatus = "closed"      // 已办结
)

// Label is the status's Chinese name.
func (s TicketStatus) Label() string {
	return map[TicketStatus]string{TicketOpen: "待回访", TicketCalledBack: "待核实", TicketVerified: "待整改",
		TicketAppealing: "申诉复核中", TicketRectified: "待反馈", TicketFedBack: "待二次评价", TicketClosed: "已办结"}[s]
}

// TicketEventKind names a step of a ticket.
type TicketEventKind string

// Ticket events: every step is recorded with who and when.
const (
	TevOpened          TicketEventKind = "opened"           // 差评生成整改工单
	TevCalledBack      TicketEventKind = "called_back"      // 回访
	TevCallbackSkipped TicketEventKind = "callback_skipped" // 匿名或未留联系方式，无法回访
	TevVerified        TicketEventKind = "verified"         // 核实
	TevRectified       TicketEventKind = "rectified"        // 整改或解释说明
	TevAppealed        TicketEventKind = "appealed"         // 申诉
	TevAppealUpheld    TicketEventKind = "appeal_upheld"    // 申诉成立
	TevAppealRejected  TicketEventKind = "appeal_rejected"  // 申诉不成立
	TevFedBack         TicketEventKind = "fed_back"         // 反馈
	TevRerated         TicketEventKind = "rerated"          // 二次评价
	TevClosed          TicketEventKind = "closed"           // 办结
)

// Label is the event's Chinese name.
func (k TicketEventKind) Label() string {
	return map[TicketEventKind]string{TevOpened: "差评生成整改工单", TevCalledBack: "回访", TevCallbackSkipped: "匿名或未留联系方式，无法回访",
		TevVerified: "核实", TevRectified: "整改", TevAppealed: "申诉", TevAppealUpheld: "申诉复核：申诉成立",
		TevAppealRejected: "申诉复核：申诉不成立", TevFedBack: "反馈", TevRerated: "二次评价", TevClosed: "办结"}[k]
}

// Codes of the steps.
const (
	FindingFounded   = "founded"   // 核实：情况属实
	FindingUnfounded = "unfounded" // 核实：情况不属实
	RemedyRectify    = "rectify"   // 整改
	RemedyExplain    = "explain"   // 解释说明
	OutcomeRerated   = "rerated"   // closed by the second evaluation
	OutcomeNoRerate  = "no_rerate" // closed when the period for it passed
	OutcomeUpheld    = "upheld"    // closed by an upheld appeal
)

// CodeLabel names a step's code.
func CodeLabel(code string) string {
	return map[string]string{FindingFounded: "情况属实", FindingUnfounded: "情况不属实", RemedyRectify: "整改",
		RemedyExplain: "解释说明", OutcomeRerated: "已二次评价", OutcomeNoRerate: "未在期限内二次评价",
		OutcomeUpheld: "申诉成立，差评不计入"}[code]
}

// TicketEvent is one recorded step.
type TicketEvent struct {
	Seq        int             `json:"seq"`
	Kind       TicketEventKind `json:"kind"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id"`
	ActorLabel string          `json:"actor_label"`
	Code       string          `json:"code,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	Level      Level           `json:"level,omitempty"`
	Days       int             `json:"days,omitempty"`
	Days2      int             `json:"days2,omitempty"`
	RatingID   int64           `json:"rating_id,omitempty"`
}

// Ticket is the rectification ticket (整改工单) of one bad review. Its
// fields other than Events are a projection of them (ApplyTicket).
type Ticket struct {
	ID       int64
	RatingID int64
	Status   TicketStatus
	Target
	Anonymous    bool // the rater cannot be called back
	CallbackDays int  // 回访 period, fixed when the ticket opened
	RectifyDays  int  // 整改 and 反馈 period, fixed when the ticket opened
	CalledBack   bool
	Rectified    bool
	Appealed     bool
	Upheld       bool
	Outcome      string
	OpenedAt     time.Time
	ClosedAt     time.Time
	Version      int
	Events       []TicketEvent
}

// ApplyTicket folds one event into the ticket.
func (t *Ticket) ApplyTicket(e TicketEvent) {
	e.Seq = len(t.Events) + 1
	t.Events = append(t.Events, e)
	t.Version++
	switch e.Kind {
	case TevOpened:
		t.Status, t.OpenedAt, t.CallbackDays, t.RectifyDays = TicketOpen, e.At, e.Days, e.Days2
	case TevCalledBack:
		t.Status, t.CalledBack = TicketCalledBack, true
	case TevCallbackSkipped:
		t.Status = TicketCalledBack
	case TevVerified, TevAppealRejected:
		t.Status = TicketVerified
	case TevAppealed:
		t.Status, t.Appealed = TicketAppealing, true
	case TevAppealUpheld:
		t.Upheld = true
	case TevRectified:
		t.Status, t.Rectified = TicketRectified, true
	case TevFedBack:
		t.Status = TicketFedBack
	case TevClosed:
		t.Status, t.Outcome, t.ClosedAt = TicketClosed, e.Code, e.At
	}
}

// TicketCommandKind names what someone asks of a ticket.
type TicketCommandKind string

// Ticket commands.
const (
	TcCallback     TicketCommandKind = "callback"      // department: 回访
	TcSkipCallback TicketCommandKind = "skip_callback" // department: anonymous, cannot be called back
	TcVerify       TicketCommandKind = "verify"        // department: 核实
	TcRectify      TicketCommandKind = "rectify"       // department: 整改 or 解释说明
	TcAppeal       TicketCommandKind = "appeal"        // department head: 申诉 against a false or malicious review
	TcUphold       TicketCommandKind = "uphold"        // supervisor: the appeal stands
	TcReject       TicketCommandKind = "reject"        // supervisor: it does not
	TcFeedback     TicketCommandKind = "feedback"      // department: 反馈 to the citizen
	TcRerate       TicketCommandKind = "rerate"        // system: the citizen's second evaluation arrived
	TcCloseUnrated TicketCommandKind = "close_unrated" // system: no second evaluation within the period
)

// Label is the command's Chinese name.
func (k TicketCommandKind) Label() string {
	return map[TicketCommandKind]string{TcCallback: "记录回访", TcSkipCallback: "无法回访（匿名或未留联系方式）", TcVerify: "记录核实情况",
		TcRectify: "记录整改或解释说明", TcAppeal: "提出申诉", TcUphold: "申诉成立", TcReject: "申诉不成立",
		TcFeedback: "向评价人反馈", TcRerate: "二次评价", TcCloseUnrated: "逾期未二次评价办结"}[k]
}

// TicketCommand is one request to move a ticket on.
type TicketCommand struct {
	Kind       TicketCommandKind
	Code       string
	Reason     string
	Level      Level
	RatingID   int64
	ActorID    int64
	ActorLabel string
}

type ticketRule struct {
	from   []TicketStatus
	check  func(t *Ticket, c TicketCommand) error
	events func(t *Ticket, c TicketCommand) []TicketEvent
}

var ticketRules = map[TicketCommandKind]ticketRule{
	TcCallback:     {[]TicketStatus{TicketOpen}, callbackCheck, one(TevCalledBack)},
	TcSkipCallback: {[]TicketStatus{TicketOpen}, skipCheck, one(TevCallbackSkipped)},
	TcVerify:       {[]TicketStatus{TicketCalledBack}, codeAndReason("finding", FindingFounded, FindingUnfounded), one(TevVerified)},
	TcRectify:      {[]TicketStatus{TicketVerified}, codeAndReason("remedy", RemedyRectify, RemedyExplain), one(TevRectified)},
	TcAppeal:       {[]TicketStatus{TicketVerified}, appealCheck, one(TevAppealed)},
	TcUphold:       {[]TicketStatus{TicketAppealing}, reason("复核意见"), closing(TevAppealUpheld, OutcomeUpheld)},
	TcReject:       {[]TicketStatus{TicketAppealing}, reason("复核意见"), one(TevAppealRejected)},
	TcFeedback:     {[]TicketStatus{TicketRectified}, reason("反馈内容"), one(TevFedBack)},
	TcRerate:       {[]TicketStatus{TicketFedBack}, rerateCheck, closing(TevRerated, OutcomeRerated)},
	TcCloseUnrated: {[]TicketStatus{TicketFedBack}, func(*Ticket, TicketCommand) error { return nil }, closing("", OutcomeNoRerate)},
}

// TransitionTicket checks a command against the ticket's state and
// returns the events it causes, without changing the ticket. It is pure;
// who may act is decided by the service.
func TransitionTicket(t *Ticket, c TicketCommand, at time.Time) ([]TicketEvent, error) {
	rule, ok := ticketRules[c.Kind]
	if !ok {
		return nil, apperr.Field("kind", fmt.Sprintf("未知的工单操作 %q", c.Kind))
	}
	if !statusIn(t.Status, rule.from) {
		return nil, apperr.New(apperr.Conflict, "工单当前状态为“%s”，不能%s", t.Status.Label(), c.Kind.Label())
	}
	c.Reason, c.Code = strings.TrimSpace(c.Reason), strings.TrimSpace(c.Code)
	if err := rule.check(t, c); err != nil {
		return nil, err
	}
	evs := rule.events(t, c)
	for i := range evs {
		evs[i].At, evs[i].ActorID, evs[i].ActorLabel = at, c.ActorID, c.ActorLabel
	}
	return evs, nil
}

func statusIn(s TicketStatus, in []TicketStatus) bool {
	for _, x := range in {
		if x == s {
			return true
		}
	}
	return false
}

func one(kind TicketEventKind) func(*Ticket, TicketCommand) []TicketEvent {
	return func(_ *Ticket, c TicketCommand) []TicketEvent {
		return []TicketEvent{{Kind: kind, Code: c.Code, Reason: c.Reason}}
	}
}

// closing records the step (if any) and closes the ticket with an outcome.
func closing(kind TicketEventKind, outcome string) func(*Ticket, TicketCommand) []TicketEvent {
	return func(_ *Ticket, c TicketCommand) []TicketEvent {
		var evs []TicketEvent
		if kind != "" {
			evs = append(evs, TicketEvent{Kind: kind, Code: c.Code, Reason: c.Reason, Level: c.Level, RatingID: c.RatingID})
		}
		return append(evs, TicketEvent{Kind: TevClosed, Code: outcome})
	}
}

func reason(what string) func(*Ticket, TicketCommand) error {
	return func(_ *Ticket, c TicketCommand) error {
		n := utf8.RuneCountInString(c.Reason)
		if n < 2 || n > 2000 {
			return apperr.Field("reason", "请填写"+what+"（2–2000 字）")
		}
		return nil
	}
}

func codeAndReason(field string, codes ...string) func(*Ticket, TicketCommand) error {
	return func(t *Ticket, c TicketCommand) error {
		var f apperr.Fields
		ok := false
		for _, x := range codes {
			ok = ok || c.Code == x
		}
		f.Check(!ok, field, "请选择"+map[string]string{"finding": "核实结论", "remedy": "处理方式"}[field])
		if err := reason("具体情况")(t, c); err != nil {
			f.AddErr("reason", err)
		}
		return f.Err()
	}
}

func callbackCheck(t *Ticket, c TicketCommand) error {
	if t.Anonymous {
		return apperr.New(apperr.Conflict, "该评价无法回访（匿名或未留联系方式），请选择“无法回访（匿名或未留联系方式）”")
	}
	return reason("回访记录")(t, c)
}

func skipCheck(t *Ticket, _ TicketCommand) error {
	if !t.Anonymous {
		return apperr.New(apperr.Conflict, "实名评价须回访评价人")
	}
	return nil
}

// appealCheck allows one appeal per ticket, with its reasons.
// appealCheck: 申诉复核 is for false reviews (the loop of 国办发〔2019〕51号:
// 回访核实 → 整改 / 解释说明 → 申诉复核 for false reviews), so a department
// whose own 核实 found the review true cannot appeal it; and only once.
func appealCheck(t *Ticket, c TicketCommand) error {
	if err := appealable(t); err != nil {
		return err
	}
	return reason("申诉理由（说明评价不实或恶意的依据）")(t, c)
}

func appealable(t *Ticket) error {
	if t.Appealed {
		return apperr.New(apperr.Conflict, "该差评已申诉过一次，不能再次申诉")
	}
	if t.Finding() == FindingFounded {
		return apperr.New(apperr.Conflict, "核实结论为情况属实的差评不能申诉：申诉复核只适用于核实为情况不属实的不实或恶意差评")
	}
	return nil
}

// Finding is the department's last 核实 finding, "" before it.
func (t *Ticket) Finding() string {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Kind == TevVerified {
			return t.Events[i].Code
		}
	}
	return ""
}

func rerateCheck(_ *Ticket, c TicketCommand) error {
	if !c.Level.Valid() || c.RatingID == 0 {
		return apperr.New(apperr.Invalid, "二次评价缺少满意度")
	}
	return nil
}
