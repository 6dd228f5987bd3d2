// Package complaint handles complaints (投诉) and consultations (咨询)
// about government service: about a case, a window, a member of staff, an
// item or the platform. The complaint desk (监察人员) accepts a complaint or
// refuses it with a reason within 5 working days, assigns it to the
// responsible department with a deadline, the department replies, the
// desk answers the complainant, who rates the answer and may reopen the
// complaint once. Every step is an event; the clocks are recomputed from
// the events on the working-day calendar and warn like the cases' do.
//
// A complainant's identity is seen only by the desk unless they agree to
// show it to the department; an anonymous complaint keeps no identity at
// all and is followed with its number and a 查询码. Complaints and
// consultations may also come from the 12345 hotline with its ticket
// number, and their answers go back to it.
package complaint

import (
	"time"
)

// Kind is a complaint or a consultation.
type Kind string

// Kinds.
const (
	KindComplaint    Kind = "complaint"    // 投诉
	KindConsultation Kind = "consultation" // 咨询
)

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	if k == KindConsultation {
		return "咨询"
	}
	return "投诉"
}

// Valid reports whether k is a kind.
func (k Kind) Valid() bool { return k == KindComplaint || k == KindConsultation }

// SubjectKind is what a complaint is about.
type SubjectKind string

// Subjects.
const (
	SubjectCase     SubjectKind = "case"     // 办件
	SubjectWindow   SubjectKind = "window"   // 窗口
	SubjectStaff    SubjectKind = "staff"    // 工作人员
	SubjectItem     SubjectKind = "item"     // 事项
	SubjectPlatform SubjectKind = "platform" // 平台
)

// Subjects lists the subjects in display order.
var Subjects = []SubjectKind{SubjectCase, SubjectWindow, SubjectStaff, SubjectItem, SubjectPlatform}

// Label is the subject's Chinese name.
func (s SubjectKind) Label() string {
	return map[SubjectKind]string{SubjectCase: "办件", SubjectWindow: "窗口", SubjectStaff: "工作人员",
		SubjectItem: "事项", SubjectPlatform: "网上平台"}[s]
}

// Valid reports whether s is a subject.
func (s SubjectKind) Valid() bool { return s.Label() != "" }

// Channel is how a complaint arrived.
type Channel string

// Channels.
const (
	ChannelOnline  Channel = "online"  // 网上
	ChannelHotline Channel = "hotline" // 12345 热线
	ChannelDesk    Channel = "desk"    // 现场、来信，由受理人员录入
)

// Label is the channel's Chinese name.
func (c Channel) Label() string {
	return map[Channel]string{ChannelOnline: "网上", ChannelHotline: "12345 热线", ChannelDesk: "现场或来信"}[c]
}

// Status is where a complaint stands.
type Status string

// Statuses.
const (
	StatusSubmitted Status = "submitted" // 待受理
	StatusRefused   Status = "refused"   // 不予受理
	StatusAccepted  Status = "accepted"  // 已受理，待转办
	StatusAssigned  Status = "assigned"  // 部门办理中
	StatusReplied   Status = "replied"   // 部门已答复，待答复投诉人
	StatusAnswered  Status = "answered"  // 已答复，待投诉人评价
	StatusClosed    Status = "closed"    // 已评价，办结
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusSubmitted: "待受理", StatusRefused: "不予受理", StatusAccepted: "已受理，待转办",
		StatusAssigned: "部门办理中", StatusReplied: "部门已答复", StatusAnswered: "已答复", StatusClosed: "已办结"}[s]
}

// Open reports whether the desk or a department still has to act.
func (s Status) Open() bool {
	return s == StatusSubmitted || s == StatusAccepted || s == StatusAssigned || s == StatusReplied
}

// Complainant is who complained. It is empty for an anonymous complaint.
type Complainant struct {
	UserID int64  `json:"user_id,omitempty"` // the account, when logged in
	Name   string `json:"name,omitempty"`
	Phone  string `json:"phone,omitempty"`
}

// Subject is what the complaint is about.
type Subject struct {
	Kind       SubjectKind `json:"kind"`
	CaseID     int64       `json:"case_id,omitempty"`
	CaseNumber string      `json:"case_number,omitempty"`
	ItemName   string      `json:"item_name,omitempty"`  // a case's item, shown where the case number is not
	AppliedOn  string      `json:"applied_on,omitempty"` // a case's date of application, 2006-01-02
	WindowID   int64       `json:"window_id,omitempty"`
	StaffID    int64       `json:"staff_id,omitempty"` // when the clerk is known
	ItemCode   string      `json:"item_code,omitempty"`
	Label      string      `json:"label"` // how it is shown: "办件 3301…", "A01 综合受理窗口", the person named …
}

// Complaint is one complaint or consultation and everything that
// happened to it. Its fields other than Events are a projection of them.
type Complaint struct {
	ID            int64
	Number        string // TS… (投诉) or ZX… (咨询) + date + serial
	Kind          Kind
	Status        Status
	Subject       Subject
	RegionPath    string
	DepartmentID  int64 // the department it is assigned to (0 before)
	Department    string
	Suggested     int64 // the department its subject points to, proposed to the desk
	Channel       Channel
	HotlineTicket string // the 12345 ticket number, for hotline complaints
	Anonymous     bool
	Consent       bool // the complainant lets the department see who they are
	Complainant   Complainant
	Content       string
	Reopened      bool
	AnswerLevel   int // the complainant's rating of the answer, 1 非常满意 … 5 非常不满意; 0 none
	Version       int
	CreatedAt     time.Time
	Events        []Event
}

// EventKind names a step.
type EventKind string

// Events.
const (
	EvSubmitted EventKind = "submitted" // 提交
	EvAccepted  EventKind = "accepted"  // 受理
	EvRefused   EventKind = "refused"   // 不予受理
	EvAssigned  EventKind = "assigned"  // 转办: department and deadline
	EvReturned  EventKind = "returned"  // 部门退回（非本部门职责）
	EvReplied   EventKind = "replied"   // 部门答复
	EvAnswered  EventKind = "answered"  // 答复投诉人
	EvRated     EventKind = "rated"     // 投诉人评价答复
	EvReopened  EventKind = "reopened"  // 投诉人申请重新办理
)

// Label is the step's Chinese name.
func (k EventKind) Label() string {
	return map[EventKind]string{EvSubmitted: "提交", EvAccepted: "受理", EvRefused: "不予受理", EvAssigned: "转办",
		EvReturned: "部门退回", EvReplied: "部门答复", EvAnswered: "答复", EvRated: "评价答复", EvReopened: "申请重新办理"}[k]
}

// Event is one recorded step.
type Event struct {
	Seq          int       `json:"seq"`
	Kind         EventKind `json:"kind"`
	At           time.Time `json:"at"`
	ActorID      int64     `json:"actor_id"`
	ActorLabel   string    `json:"actor_label"`
	Text         string    `json:"text,omitempty"` // reason, reply or answer
	DepartmentID int64     `json:"department_id,omitempty"`
	Department   string    `json:"department,omitempty"`
	Days         int       `json:"days,omitempty"`
	Level        int       `json:"level,omitempty"`
}
