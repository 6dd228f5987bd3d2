package cases

import (
	"encoding/json"
	"time"
)

// EventKind names what happened to a case.
type EventKind string

// Event kinds. Every change of a case is one or more events; the case's
// status, its branches and its clocks are computed from them.
const (
	EventCreated             EventKind = "created"               // draft saved
	EventSubmitted           EventKind = "submitted"             // 申报
	EventSupplementRequested EventKind = "supplement_requested"  // 补正告知（受理前）
	EventSupplemented        EventKind = "supplemented"          // 申请人补正
	EventSupplementTimeout   EventKind = "supplement_timeout"    // 补正超时
	EventAccepted            EventKind = "accepted"              // 受理
	EventRefused             EventKind = "refused"               // 不予受理
	EventWithdrawn           EventKind = "withdrawn"             // 撤回
	EventFeePaid             EventKind = "fee_paid"              // 缴费
	EventStepPassed          EventKind = "step_passed"           // 环节通过
	EventStepFailed          EventKind = "step_failed"           // 环节不通过
	EventStepReturned        EventKind = "step_returned"         // 退回到前面的环节
	EventReturnedToApplicant EventKind = "returned_to_applicant" // 退回申请人补正
	EventCorrected           EventKind = "corrected"             // 申请人补正后重新提交
	EventSpecialStarted      EventKind = "special_started"       // 特别程序开始
	EventSpecialEnded        EventKind = "special_ended"         // 特别程序结束
	EventExtensionRequested  EventKind = "extension_requested"   // 申请延长审批
	EventExtensionApproved   EventKind = "extension_approved"    // 批准延长
	EventExtensionDenied     EventKind = "extension_denied"      // 不批准延长
	EventBranchDecided       EventKind = "branch_decided"        // 部门审批完成
	EventDecided             EventKind = "decided"               // 作出决定
	EventCertificateIssued   EventKind = "certificate_issued"    // 出证
	EventClosed              EventKind = "closed"                // 办结
	EventRefunded            EventKind = "refunded"              // 退费
)

// Label is the event's Chinese name, as shown in the progress view.
func (k EventKind) Label() string {
	if l, ok := eventLabels[k]; ok {
		return l
	}
	return string(k)
}

var eventLabels = map[EventKind]string{
	EventCreated: "保存草稿", EventSubmitted: "提交申请", EventSupplementRequested: "一次性告知补正",
	EventSupplemented: "补正材料", EventSupplementTimeout: "补正超时", EventAccepted: "受理",
	EventRefused: "不予受理", EventWithdrawn: "申请人撤回", EventFeePaid: "缴费",
	EventStepPassed: "审批通过", EventStepFailed: "审批不通过", EventStepReturned: "退回上一环节",
	EventReturnedToApplicant: "退回申请人补正", EventCorrected: "补正后重新提交",
	EventSpecialStarted: "特别程序开始", EventSpecialEnded: "特别程序结束",
	EventExtensionRequested: "申请延长审批", EventExtensionApproved: "批准延长审批",
	EventExtensionDenied: "不批准延长审批", EventBranchDecided: "部门审批完成",
	EventDecided: "作出决定", EventCertificateIssued: "出具电子证照", EventClosed: "办结", EventRefunded: "退还费用",
}

// Event is one recorded change.
type Event struct {
	Seq        int       `json:"seq"`
	Kind       EventKind `json:"kind"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	ActorLabel string    `json:"actor_label"`
	Branch     int       `json:"branch"` // -1 for the whole case
	Step       int       `json:"step"`
	ToStep     int       `json:"to_step,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Items      []string  `json:"items,omitempty"`
	// Needs says, per item of a 补正 notice, what answers it: a material's
	// code (a file is needed) or NeedStatement (a written statement).
	Needs    []string `json:"needs,omitempty"`
	Days     int      `json:"days,omitempty"`
	Code     string   `json:"code,omitempty"`
	Decision Decision `json:"decision,omitempty"`
	Ref      string   `json:"ref,omitempty"` // receipt, notice or certificate number
}

// detail is the part of an event that storage keeps as one JSON value; the
// rest (sequence, kind, time, actor, branch) has columns of its own.
type detail struct {
	Step     int      `json:"step,omitempty"`
	ToStep   int      `json:"to_step,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Items    []string `json:"items,omitempty"`
	Needs    []string `json:"needs,omitempty"`
	Days     int      `json:"days,omitempty"`
	Code     string   `json:"code,omitempty"`
	Decision Decision `json:"decision,omitempty"`
	Ref      string   `json:"ref,omitempty"`
}

// DetailJSON encodes the event's details for storage.
func (e Event) DetailJSON() ([]byte, error) {
	return json.Marshal(detail{e.Step, e.ToStep, e.Reason, e.Items, e.Needs, e.Days, e.Code, e.Decision, e.Ref})
}

// SetDetail decodes details stored by DetailJSON into e.
func (e *Event) SetDetail(b []byte) error {
	var d detail
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	e.Step, e.ToStep, e.Reason, e.Items, e.Needs = d.Step, d.ToStep, d.Reason, d.Items, d.Needs
	e.Days, e.Code, e.Decision, e.Ref = d.Days, d.Code, d.Decision, d.Ref
	return nil
}
