package disclosure

import (
	"context"
	"time"

	"openhall/internal/calendar"
)

// Document is an item of the disclosure catalogue (政府信息公开目录, Art 12):
// its index number, name, summary and dates, the rest of the metadata the
// portals show, the body and the workflow state.
type Document struct {
	ID            int64
	AgencyID      int64
	IndexNo       string // 索引号, from the agency's template when first submitted
	Title         string
	DocNo         string // 文号, normalised to 〔〕
	Topic         string // 主题分类
	Genre         Genre  // 体裁
	Category      string // the Art 20 / Art 21 item it satisfies (Categories)
	Validity      Validity
	ValidityOn    calendar.Date // when the validity last changed (Table 2 counts repeals by it)
	ReplacedByID  *int64        // the document that replaces or repeals it
	Summary       string        // 内容概述
	BodyFormat    string        // "markdown" or "html"
	BodySource    string        // as written
	BodyHTML      string        // sanitised HTML shown to readers
	Mode          Mode          // 公开方式
	WithholdBasis string        // legal reason when Mode is withheld
	FormedOn      calendar.Date // 成文日期 (or the date the information changed)
	PublishedOn   calendar.Date // 发布日期
	Status        Status
	NeedsInterp   bool   // a policy that must be published with its 政策解读
	InterpretsID  *int64 // for a 政策解读: the policy it explains
	RereviewOn    calendar.Date
	CreatedBy     int64
	ApprovedBy    int64
	CreatedAt     time.Time
	UpdatedAt     time.Time

	AgencyName string // filled when loaded
}

// Deadline is Art 26's publication deadline: 20 working days after the
// information was formed or changed.
const publishWorkdays = 20

// Genre is the kind of document (体裁).
type Genre string

// Genres. Table 2 of the annual report counts 规章 and 行政规范性文件.
const (
	GenreRule       Genre = "rule"       // 规章
	GenreNormative  Genre = "normative"  // 行政规范性文件
	GenreLaw        Genre = "law"        // 法律法规
	GenreOther      Genre = "other"      // 其他文件
	GenreInterp     Genre = "interp"     // 政策解读
	GenrePlan       Genre = "plan"       // 规划计划
	GenreStatistics Genre = "statistics" // 统计信息
	GenreNotice     Genre = "notice"     // 通知公告
	GenreReport     Genre = "report"     // 政府信息公开工作年度报告
)

// Genres lists genres in display order.
var Genres = []Genre{GenreRule, GenreNormative, GenreOther, GenreInterp, GenrePlan, GenreStatistics, GenreNotice, GenreLaw, GenreReport}

// Label is the genre's Chinese name.
func (g Genre) Label() string {
	return map[Genre]string{GenreRule: "规章", GenreNormative: "行政规范性文件", GenreLaw: "法律法规", GenreOther: "其他文件",
		GenreInterp: "政策解读", GenrePlan: "规划计划", GenreStatistics: "统计信息", GenreNotice: "通知公告",
		GenreReport: "政府信息公开工作年度报告"}[g]
}

// Valid reports whether g is known.
func (g Genre) Valid() bool { return g.Label() != "" }

// IsPolicy reports whether a document of genre g can need a 政策解读.
func (g Genre) IsPolicy() bool {
	return g == GenreRule || g == GenreNormative || g == GenrePlan || g == GenreOther
}

// Validity is 有效性.
type Validity string

// Validities.
const (
	Valid    Validity = "valid"    // 有效
	Expired  Validity = "expired"  // 失效
	Repealed Validity = "repealed" // 废止
	Amended  Validity = "amended"  // 已修订 (replaced by a new version)
)

// Validities lists them in display order.
var Validities = []Validity{Valid, Expired, Repealed, Amended}

// Label is the Chinese name.
func (v Validity) Label() string {
	return map[Validity]string{Valid: "有效", Expired: "失效", Repealed: "废止", Amended: "已修订"}[v]
}

// InForce reports whether the document is in force.
func (v Validity) InForce() bool { return v == Valid }

// Mode is 公开方式.
type Mode string

// Modes.
const (
	ModeActive    Mode = "active"     // 主动公开
	ModeOnRequest Mode = "on_request" // 依申请公开
	ModeWithheld  Mode = "withheld"   // 不予公开 (with the legal reason)
)

// Label is the Chinese name.
func (m Mode) Label() string {
	return map[Mode]string{ModeActive: "主动公开", ModeOnRequest: "依申请公开", ModeWithheld: "不予公开"}[m]
}

// Status is the workflow state: draft → 保密审查 → approval → published;
// a review may also conclude that the item is withheld.
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"     // 草稿
	StatusReview    Status = "review"    // 待保密审查
	StatusReviewed  Status = "reviewed"  // 审查通过，待审批
	StatusApproved  Status = "approved"  // 已审批，待发布
	StatusPublished Status = "published" // 已发布
	StatusWithheld  Status = "withheld"  // 不予公开，定期复审 (Art 18)
)

// Label is the Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusDraft: "草稿", StatusReview: "待保密审查", StatusReviewed: "审查通过，待审批",
		StatusApproved: "已审批，待发布", StatusPublished: "已发布", StatusWithheld: "不予公开（定期复审）"}[s]
}

// Review is one recorded 保密审查 (保密法 Art 35; 实施条例 Art 42: 先审查、后公开,
// item by item), or an Art 18 re-review of a withheld item.
type Review struct {
	ID           int64
	DocID        int64
	ReviewerID   int64
	ReviewerName string
	ReviewedOn   calendar.Date
	Conclusion   Conclusion
	Basis        string // legal basis
	Note         string
	CreatedAt    time.Time
}

// Conclusion is a review's outcome.
type Conclusion string

// Conclusions.
const (
	ConcludePass     Conclusion = "pass"     // 不涉密，可以公开
	ConcludeRevise   Conclusion = "revise"   // 须删改后重新送审
	ConcludeWithhold Conclusion = "withhold" // 不予公开
	ConcludeRefer    Conclusion = "refer"    // 不能确定，报主管部门或保密行政管理部门 (Art 17)
)

// Label is the Chinese name.
func (c Conclusion) Label() string {
	return map[Conclusion]string{ConcludePass: "不涉密，可以公开", ConcludeRevise: "须删改后重新送审",
		ConcludeWithhold: "不予公开", ConcludeRefer: "报请主管部门或保密行政管理部门确定"}[c]
}

// Attachment is a file attached to a document or a request's answer.
type Attachment struct {
	ID          int64
	OwnerType   string // "doc" or "request"
	OwnerID     int64
	Name        string // sanitised
	ContentType string
	Size        int64
	Text        string // extracted text, searched
	Content     []byte // not filled by lists
	CreatedAt   time.Time
}

// DocFilter selects documents; zero fields do not filter.
type DocFilter struct {
	AgencyID    int64
	PathPrefix  string // agencies in a region subtree
	Status      Status
	Published   bool // only published ones
	Category    string
	Topic       string
	Genre       Genre
	OverdueOn   calendar.Date // unpublished active items whose deadline is before this date
	RereviewDue calendar.Date // withheld items with a re-review on or before this date
	Limit       int
	Offset      int
}

// DocStore keeps documents, their reviews and attachments.
type DocStore interface {
	CreateDocument(ctx context.Context, d *Document) error
	UpdateDocument(ctx context.Context, d *Document) error
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	FindDocuments(ctx context.Context, f DocFilter) ([]*Document, int, error)
	FindInterpretations(ctx context.Context, policyID int64) ([]*Document, error)
	NextIndexSeq(ctx context.Context, agencyID int64, period string) (int, error)
	DocumentCounts(ctx context.Context, agencyID int64, field string) (map[string]int, error) // published, by category or topic

	CreateReview(ctx context.Context, r *Review) error
	FindReviews(ctx context.Context, docID int64) ([]*Review, error)

	CreateAttachment(ctx context.Context, a *Attachment) error
	FindAttachments(ctx context.Context, ownerType string, ownerID int64) ([]*Attachment, error) // without content
	FindAttachment(ctx context.Context, id int64) (*Attachment, error)                           // with content
}

// CategoryLabel is the label of the document's Art 20/21 item.
func (d *Document) CategoryLabel() string { return CategoryLabel(d.Category) }

// WithholdLabel is the label of the legal reason for withholding.
func (d *Document) WithholdLabel() string { return WithholdLabel(d.WithholdBasis) }

// Published is the publication date as shown, "" before publication.
func (d *Document) Published() string { return dateString(d.PublishedOn) }

// ValiditySince is when the validity last changed, "" if never.
func (d *Document) ValiditySince() string { return dateString(d.ValidityOn) }

// Rereview is the date of the next Art 18 re-review, "" if none.
func (d *Document) Rereview() string { return dateString(d.RereviewOn) }

func dateString(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}
