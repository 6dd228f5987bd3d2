// Package catalog owns the service catalogue (事项目录 / 办事指南): items in
// the national data model of GB/T 39046-2020, their versions from draft
// through review to immutable publication, suspension and cancellation, the
// plain-words change history of the public guide, and catalogue search.
//
// An Item is the stable identity (基本编码, 实施编码, region, department,
// status); a Version holds the guide itself. A published version never
// changes again and keeps its id, so a case filed under it can always read
// the guide it was filed under.
package catalog

import (
	"time"

	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Status is where an item stands in the catalogue.
type Status string

// Item statuses.
const (
	StatusDraft     Status = "draft"     // never published; not public
	StatusActive    Status = "active"    // published and accepting applications
	StatusSuspended Status = "suspended" // 暂停办理: public, not accepting, may resume
	StatusCancelled Status = "cancelled" // 已取消: public for the record, final
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "未发布"
	case StatusActive:
		return "正常办理"
	case StatusSuspended:
		return "暂停办理"
	case StatusCancelled:
		return "已取消"
	}
	return string(s)
}

// Item is a service item of one department in one region.
type Item struct {
	ID           int64
	Code         string // 基本编码 (GB/T 39554.1): XK + 5-digit main item + 3-digit sub-item
	ImplCode     string // 实施编码: unique in the deployment; the item's key in URLs
	RegionID     int64
	DepartmentID int64
	Status       Status
	StatusReason string        // why it was suspended or cancelled
	StatusDate   calendar.Date // from when; zero while active

	// PublishedID is the latest published version; nil before the first
	// publication. The version in effect on a day may be an earlier one
	// when the latest takes effect later (see Service.PublishedVersion).
	PublishedID *int64

	// Listing copy of the latest published version (of the draft before
	// the first publication), kept on the item so that browsing and search
	// read one table.
	Name      string
	Type      ItemType
	Level     Level
	Audiences []Audience
	Themes    []string
	Kind      CaseKind
	Promised  calendar.Limit
	Online    bool

	SearchName string // folded name and text the store's search matches (see SearchText)
	SearchText string

	RegionName     string // filled when loaded
	RegionCode     string // filled when loaded
	DepartmentName string // filled when loaded
	DepartmentCode string // the department's credit code; filled when loaded
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Accepting reports whether new applications may be filed for the item.
func (it *Item) Accepting() bool { return it.Status == StatusActive }

// Public reports whether the item has a public guide.
func (it *Item) Public() bool { return it.PublishedID != nil }

// VersionState is where a version stands in review.
type VersionState string

// Version states. A version moves draft → submitted → published, or
// submitted → rejected → (edited) draft; published is final.
const (
	StateDraft     VersionState = "draft"
	StateSubmitted VersionState = "submitted"
	StateRejected  VersionState = "rejected"
	StatePublished VersionState = "published"
)

// Label is the state's Chinese name.
func (s VersionState) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateSubmitted:
		return "待审核"
	case StateRejected:
		return "已退回"
	case StatePublished:
		return "已发布"
	}
	return string(s)
}

// Open reports whether the version is still being worked on.
func (s VersionState) Open() bool { return s != StatePublished }

// Person is who did something to a version, as shown in its record.
type Person struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

// Version is one version of an item's guide.
type Version struct {
	ID            int64
	ItemID        int64
	Number        int // 1, 2, 3 … per item
	State         VersionState
	Guide         Guide
	EffectiveDate calendar.Date // from when a published version applies
	Changes       []string      // plain-words differences from the previous published version
	ReviewNote    string        // the reviewer's note (the reason of a rejection)
	CreatedBy     Person
	SubmittedBy   *Person
	ReviewedBy    *Person
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   time.Time
	ReviewedAt    time.Time
}

// Event is a status change of an item (暂停, 恢复, 取消) shown in the public
// change history next to the versions.
type Event struct {
	ID        int64
	ItemID    int64
	Kind      EventKind
	Date      calendar.Date
	Reason    string
	Actor     Person
	CreatedAt time.Time
}

// EventKind is a kind of status change.
type EventKind string

// Event kinds.
const (
	EventSuspend EventKind = "suspend"
	EventResume  EventKind = "resume"
	EventCancel  EventKind = "cancel"
)

// Label is the event's Chinese name.
func (k EventKind) Label() string {
	switch k {
	case EventSuspend:
		return "暂停办理"
	case EventResume:
		return "恢复办理"
	case EventCancel:
		return "取消事项"
	}
	return string(k)
}

// Guide is the content of a version: everything the public 办事指南 shows
// and everything a case filed under the version is built from.
type Guide struct {
	Name          string         `json:"name"`               // 事项名称
	Type          ItemType       `json:"type"`               // 事项类型 A.1
	Level         Level          `json:"level"`              // 行使层级 A.2
	Subject       Subject        `json:"subject"`            // 实施主体
	CoDepartments []DeptRef      `json:"co_departments"`     // 共同实施部门 (联办/并联审批)
	LegalBases    []LegalBasis   `json:"legal_bases"`        // 设定依据
	Conditions    string         `json:"conditions"`         // 受理条件
	Materials     []Material     `json:"materials"`          // 申请材料
	Steps         []Step         `json:"steps"`              // 办理流程, in order
	LegalLimit    TimeLimit      `json:"legal_limit"`        // 法定办结时限
	PromisedLimit TimeLimit      `json:"promised_limit"`     // 承诺办结时限
	Kind          CaseKind       `json:"kind"`               // 办件类型 A.6
	Procedures    []Procedure    `json:"special_procedures"` // 特别程序 allowed
	Fees          Fees           `json:"fees"`               // 收费
	Result        Result         `json:"result"`             // 办理结果
	Scope         Scope          `json:"scope"`              // 通办范围
	Audiences     []Audience     `json:"audiences"`          // 服务对象 A.4
	Themes        []string       `json:"themes"`             // 服务主题 / life events
	Forms         []HandlingForm `json:"forms"`              // 办理形式 A.5
	JointMode     JointMode      `json:"joint_mode"`         // 统一、联合、集中办理 (行政许可法 Art 26 ¶2)
	Fields        []FormField    `json:"fields"`             // 申请表: what the applicant fills in
	Location      string         `json:"location"`           // 办理地点
	Hours         string         `json:"hours"`              // 办理时间
	Consult       string         `json:"consult"`            // 咨询方式
	Complaint     string         `json:"complaint"`          // 监督投诉方式
	Online        bool           `json:"online"`             // 是否支持网上办理
	OnlineURL     string         `json:"online_url"`         // 网办地址
	Appointment   bool           `json:"appointment"`        // 是否支持预约
	Delivery      bool           `json:"delivery"`           // 是否支持物流快递
	FAQs          []FAQ          `json:"faqs"`               // 常见问题
}

// Subject is 实施主体: who exercises the item.
type Subject struct {
	Name       string        `json:"name"`
	CreditCode string        `json:"credit_code"` // 统一社会信用代码, GB 32100
	Nature     SubjectNature `json:"nature"`      // A.3
}

// DeptRef names a department as it was when the version was written.
type DeptRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
}

// LegalBasis is one 设定依据: a law or regulation and its article.
type LegalBasis struct {
	Law        string `json:"law"`     // 《中华人民共和国行政许可法》
	Article    string `json:"article"` // 第二十九条
	Text       string `json:"text,omitempty"`
	DocumentID *int64 `json:"document_id,omitempty"` // a document of the disclosure catalogue, once linked
}

// MaterialType says how a material reaches the department (eRegistrations'
// U/S/M): uploaded, shown at the window, or signed at collection.
type MaterialType string

// Material types.
const (
	MaterialUpload MaterialType = "upload" // 在线上传
	MaterialShow   MaterialType = "show"   // 窗口核验原件
	MaterialSign   MaterialType = "sign"   // 领取时签署
)

var materialTypes = table[MaterialType]{{"upload", "上传电子件"}, {"show", "窗口出示原件"}, {"sign", "领取时签署"}}

// Label is the type's Chinese name.
func (t MaterialType) Label() string { return materialTypes.label(t) }

// ParseMaterialType accepts a code or a label.
func ParseMaterialType(s string) (MaterialType, error) {
	if v, ok := materialTypes.parse(s); ok {
		return v, nil
	}
	return "", materialTypes.parseErr("材料提交方式", s)
}

// Need says whether a material is always required (是否必备材料).
type Need string

// Needs.
const (
	NeedRequired    Need = "required"    // 必要
	NeedConditional Need = "conditional" // 容缺或按情形提交; Condition says when
)

var needs = table[Need]{{"required", "必要"}, {"conditional", "按情形提交"}}

// Label is the need's Chinese name.
func (n Need) Label() string { return needs.label(n) }

// ParseNeed accepts a code or a label.
func ParseNeed(s string) (Need, error) {
	if v, ok := needs.parse(s); ok {
		return v, nil
	}
	return "", needs.parseErr("是否必要", s)
}

// Material is one 申请材料.
type Material struct {
	Name      string       `json:"name"`
	Source    string       `json:"source"` // 来源渠道: 申请人自备, 政府部门核发 …
	Issuer    string       `json:"issuer"` // 出具单位
	Originals int          `json:"originals"`
	Copies    int          `json:"copies"`
	Need      Need         `json:"need"`
	Condition string       `json:"condition,omitempty"` // when a conditional material is needed
	Type      MaterialType `json:"type"`
	Form      *FileRef     `json:"form,omitempty"`   // blank form (空白表格)
	Sample    *FileRef     `json:"sample,omitempty"` // filled-in sample (示例样表)
	Note      string       `json:"note,omitempty"`
}

// FileRef points at a stored file.
type FileRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Step is one step of 办理流程.
type Step struct {
	Name        string         `json:"name"`                 // 受理, 审查, 决定, 制证 …
	Role        identity.Role  `json:"role"`                 // who acts: window_clerk, approver, dept_head
	Department  *DeptRef       `json:"department,omitempty"` // who acts, when not the item's department
	Limit       calendar.Limit `json:"limit"`                // step time limit; 0 for on the spot
	CounterMin  int            `json:"counter_minutes"`      // time spent at the counter
	WaitMin     int            `json:"wait_minutes"`         // waiting time in line
	Parallel    bool           `json:"parallel"`             // runs alongside the step before it
	Description string         `json:"description,omitempty"`
}

// TimeLimit is a 办结时限 with its explanation.
type TimeLimit struct {
	calendar.Limit
	Note string `json:"note,omitempty"`
}

// Procedure is a 特别程序 the item allows.
type Procedure struct {
	Kind       ProcedureKind  `json:"kind"` // A.7
	Name       string         `json:"name"` // 听证, 专家评审, 现场勘察, 检验检测, 延长审批 …
	StopsClock bool           `json:"stops_clock"`
	MaxLimit   calendar.Limit `json:"max_limit"` // how long it may take; 0 when the law sets none
	Basis      string         `json:"basis,omitempty"`
}

// Fees is 收费: whether the item is charged and what.
type Fees struct {
	Charged bool     `json:"charged"`
	Items   []Fee    `json:"items"`
	Note    string   `json:"note,omitempty"`
	Due     FeePoint `json:"due,omitempty"`     // when the fee is due
	Payment string   `json:"payment,omitempty"` // how to pay (缴费方式), as the fee notice says
}

// ResultType is the kind of 办理结果.
type ResultType string

// Result types.
const (
	ResultCertificate ResultType = "certificate" // 证照
	ResultApproval    ResultType = "approval"    // 批准文书
	ResultOther       ResultType = "other"       // 其他
)

var resultTypes = table[ResultType]{{"certificate", "证照"}, {"approval", "批准文书"}, {"other", "其他"}}

// Label is the type's Chinese name.
func (t ResultType) Label() string { return resultTypes.label(t) }

// ParseResultType accepts a code or a label.
func ParseResultType(s string) (ResultType, error) {
	if v, ok := resultTypes.parse(s); ok {
		return v, nil
	}
	return "", resultTypes.parseErr("结果类型", s)
}

// Result is 办理结果.
type Result struct {
	Name        string     `json:"name"`
	Type        ResultType `json:"type"`
	ValidMonths int        `json:"valid_months"` // a certificate's validity; 0 when not a fixed term
	Validity    string     `json:"validity"`     // the validity as published: "5年", "长期有效"
	Sample      *FileRef   `json:"sample,omitempty"`
}

// FAQ is one 常见问题.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}
