// Package supervision is electronic supervision (电子监察) of the service
// work: it watches every open case on the working-day calendar and raises
// yellow and red cards (红黄牌) per case, per 并联 branch and per approval
// step, detects the other trigger kinds deployed systems know, runs 督办
// (urging with feedback and automatic escalation) and 催办 reminders, and
// evaluates departments, windows and staff per month, quarter and year
// (绩效评估), with public indicators and the audit chain's published head.
//
// Cards are derived from a case's events by one pure function (Evaluate),
// incrementally: a case is re-evaluated when its events change (the cases
// service tells the Watcher inside the change's transaction, which only
// marks the case) and when its next threshold is crossed (a due time kept
// per case, read by a periodic job through an index), never by a scan of
// all cases. Every figure of the evaluation is counted from the same
// events by the same pass, so a recount agrees with what was shown.
//
// The reference this follows (services-rules-and-anchors.md §3.6 and §6
// item 3) gives the common thresholds (yellow at about 80–90 % of the
// promised time or a day before it, red when overdue), the eight trigger
// kinds and the GB/T 39046 电子监察 data set by name only: the standard's
// own code tables for 监察规则编号 and 监察预警类型代码 were not retrieved,
// so the codes below are this product's, marked as such where they are
// defined.
package supervision

import (
	"time"

	"openhall/internal/calendar"
)

// Colour is a card's colour; red outranks yellow.
type Colour int

// Colours.
const (
	None   Colour = 0
	Yellow Colour = 1 // 黄牌：预警
	Red    Colour = 2 // 红牌：超时或违规
)

// Label is the colour's Chinese name.
func (c Colour) Label() string {
	switch c {
	case Yellow:
		return "黄牌"
	case Red:
		return "红牌"
	}
	return "无"
}

// Code is the colour as sent over the API.
func (c Colour) Code() string {
	switch c {
	case Yellow:
		return "yellow"
	case Red:
		return "red"
	}
	return ""
}

// ParseColour reads a colour code ("yellow", "red"); "" is None.
func ParseColour(s string) (Colour, bool) {
	switch s {
	case "yellow", "黄牌":
		return Yellow, true
	case "red", "红牌":
		return Red, true
	case "":
		return None, true
	}
	return None, false
}

// Kind is the 监察预警类型 of a card: the eight trigger kinds seen in
// deployed systems (reference §3.6, "Eight trigger cases"). The two-digit
// codes are this product's: GB/T 39046 names the field 监察预警类型代码
// but its code table was not retrieved (unverified).
type Kind string

// Trigger kinds.
const (
	KindRefusedLegal Kind = "01" // 对符合法定条件的申请不予受理（行政许可法第七十二条第（一）项）
	KindOvertime     Kind = "02" // 超过承诺时限（办件或并联审批部门）
	KindStepOvertime Kind = "03" // 环节超时
	KindIntakeLate   Kind = "04" // 初审（受理审查）超过五个工作日未作处理（行政许可法第三十二条第（四）项）
	KindNoReason     Kind = "05" // 不予受理、不予许可未说明理由（行政许可法第三十八条第二款、第七十二条第（七）项）
	KindNotOnline    Kind = "06" // 应网上办理而未在网上运行（国务院令第716号第四条）
	KindFee          Kind = "07" // 收费与事项收费标准不符（行政许可法第五十九条、第七十五条）
	KindOther        Kind = "08" // 其他（监察人员录入）
)

// Kinds lists the trigger kinds in code order.
var Kinds = []Kind{KindRefusedLegal, KindOvertime, KindStepOvertime, KindIntakeLate, KindNoReason, KindNotOnline, KindFee, KindOther}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindRefusedLegal:
		return "不予受理合法申请"
	case KindOvertime:
		return "超承诺时限"
	case KindStepOvertime:
		return "环节超时"
	case KindIntakeLate:
		return "初审超时未处理"
	case KindNoReason:
		return "不予受理或不予许可未说明理由"
	case KindNotOnline:
		return "应网办未网办"
	case KindFee:
		return "收费与标准不符"
	case KindOther:
		return "其他"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Card is one yellow or red card: an event of the 电子监察 data set of
// GB/T 39046 (监察编号, 监察规则编号, 监察预警类型代码, 状态产生时间, 责任部门,
// 监察结果描述). A card clears itself when its cause ends (ClearedAt and
// Outcome are set), and the record stays; a supervisor may also close it
// with a finding (Resolution).
type Card struct {
	ID          int64
	Number      string // 监察编号
	CaseID      int64  // 0 for a card on a department
	CaseNumber  string
	Subject     string // what it is about within the case: "case", "b0", "s0@7", "i@2", "f05@9"
	Rule        string // 监察规则编号
	Kind        Kind   // 监察预警类型
	Colour      Colour
	AroseAt     time.Time // 状态产生时间
	Provisional int       // the year without a holiday schedule the judgement depended on (暂定), 0 if none
	RegionPath  string
	DeptID      int64 // 责任部门
	DeptName    string
	UserID      int64 // 责任人, when one person is responsible (0 while a step waits in a pool)
	UserLabel   string
	Role        string // the pool of an open step: the step's role
	Detail      string // what was measured, in words
	ClearedAt   time.Time
	Outcome     string // 监察结果描述 when it cleared by itself
	Manual      bool   // entered by a supervisor
	CreatedBy   int64
	ResolvedAt  time.Time
	ResolvedBy  int64
	Resolution  string // the supervisor's finding
	Confirmed   bool   // the finding confirms a breach
	RegionCode  string // for the number of a card without a case; not stored
}

// InForce reports whether the card's cause still stands and no supervisor
// closed it.
func (c *Card) InForce() bool { return c.ClearedAt.IsZero() && c.ResolvedAt.IsZero() }

// ProvisionalNote is the wording shown after a provisional card.
func (c *Card) ProvisionalNote() string { return calendar.ProvisionalNote(c.Provisional) }

// FormatCardNumber is a card's 监察编号: "JC", the region code of the case
// (6 digits), the year and the card's serial.
func FormatCardNumber(regionCode string, at time.Time, id int64) string {
	code := regionCode
	if len(code) > 6 {
		code = code[:6]
	}
	for len(code) < 6 {
		code += "0"
	}
	return "JC" + code + at.In(chinaTime).Format("2006") + pad(id, 8)
}

// CardNumber is the 监察编号 of a card with its ID set: the region code of
// its case (or its department's region) and its serial.
func CardNumber(c *Card) string {
	code := c.RegionCode
	if code == "" && len(c.CaseNumber) >= 6 {
		code = c.CaseNumber[:6]
	}
	return FormatCardNumber(code, c.AroseAt, c.ID)
}

func pad(n int64, w int) string {
	s := itoa64(n)
	for len(s) < w {
		s = "0" + s
	}
	return s
}

var chinaTime = time.FixedZone("CST", 8*3600)
