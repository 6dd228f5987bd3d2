// Package consult runs public consultations on draft decisions (意见征集)
// and online surveys (网上调查).
//
// A consultation publishes a draft with its 起草说明 and channels for a
// period of at least 30 days (重大行政决策程序暂行条例 Art 15); citizens
// comment on the whole draft or on one article of it; the office moderates
// (a comment is hidden only with a reason, which is shown); after the period
// it answers every comment with 采纳 / 部分采纳 / 未采纳 and a reason, and
// publishes the feedback table with its summary and the final decision
// (Art 32: 说明公众意见的采纳情况), linked to the disclosure document that
// results.
package consult

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

// Status is where a consultation stands. Whether an open consultation still
// takes comments depends on the day (see Period), not on a stored state.
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"     // being written; not public
	StatusOpen      Status = "open"      // published: takes comments until its deadline
	StatusConcluded Status = "concluded" // feedback and decision published
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusOpen:
		return "征求意见"
	case StatusConcluded:
		return "已反馈"
	}
	return string(s)
}

// Consultation is one draft put out for comment.
type Consultation struct {
	ID          int64
	AgencyID    int64
	Title       string
	Draft       string    // the draft as written; split into Sections
	Sections    []Section // articles of the draft; comments point at one (0 = the whole draft)
	Explanation string    // 起草说明
	Channels    string    // other ways to comment (mail, e-mail, 座谈会 …)
	Days        int       // the period in calendar days (民法典 Art 201: from the day after publication)
	ShortReason string    // why the period is under 30 days (Art 15); shown publicly
	RealName    bool      // comments need a login and show the (masked) name; else anonymous
	Status      Status
	OpensOn     calendar.Date // publication date
	Decision    string        // the final decision, with the feedback
	ResultDocID *int64        // the disclosure document that resulted
	FeedbackOn  calendar.Date // when the feedback was published
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time

	AgencyName string // filled when loaded
	RegionPath string // filled when loaded
}

// Section is one commentable part of a draft: an article (第N条), a chapter
// heading or the preamble.
type Section struct {
	Seq   int    `json:"seq"`   // 1-based; 0 means the whole draft
	Label string `json:"label"` // 第三条, or the heading
	Text  string `json:"text"`
}

// CommentStatus says whether a comment is shown.
type CommentStatus string

// Comment statuses.
const (
	CommentPublished CommentStatus = "published"
	CommentHidden    CommentStatus = "hidden" // hidden by the office, with a reason shown instead
)

// Verdict is the office's answer to a comment.
type Verdict string

// Verdicts.
const (
	VerdictNone     Verdict = ""
	VerdictAdopted  Verdict = "adopted"  // 采纳
	VerdictPartial  Verdict = "partial"  // 部分采纳
	VerdictRejected Verdict = "rejected" // 未采纳
)

// Verdicts lists the answers in display order.
var Verdicts = []Verdict{VerdictAdopted, VerdictPartial, VerdictRejected}

// Label is the verdict's Chinese name.
func (v Verdict) Label() string {
	switch v {
	case VerdictAdopted:
		return "采纳"
	case VerdictPartial:
		return "部分采纳"
	case VerdictRejected:
		return "未采纳"
	}
	return "待答复"
}

// Valid reports whether v is one of the answers.
func (v Verdict) Valid() bool {
	return v == VerdictAdopted || v == VerdictPartial || v == VerdictRejected
}

// Comment is one comment on a consultation.
type Comment struct {
	ID             int64
	ConsultationID int64
	Seq            int // 序号 within the consultation, in order of arrival
	Section        int // the article commented on; 0 = the whole draft
	UserID         int64
	Author         string // as shown: the masked name, or 网友 when anonymous
	Body           string // as submitted, with ID numbers and phone numbers masked
	Status         CommentStatus
	HiddenReason   string
	Verdict        Verdict
	Reason         string // the reason for the verdict
	AnsweredBy     int64
	AnsweredAt     time.Time
	CreatedAt      time.Time
}

// Counts are a consultation's comments counted.
type Counts struct {
	Total    int // every comment received
	Hidden   int
	Visible  int // published
	Answered int // visible comments with a verdict
	Adopted  int
	Partial  int
	Rejected int
	// BySection counts the visible comments per section.
	BySection map[int]int
}

// Filter selects consultations; zero fields do not filter.
type Filter struct {
	AgencyID   int64
	PathPrefix string // agencies in a region subtree
	Public     bool   // open and concluded ones only
	Status     Status
	Offset     int
	Limit      int
}

// CommentFilter selects a page of a consultation's comments.
type CommentFilter struct {
	ConsultationID int64
	Section        *int // one section only
	Unanswered     bool // visible comments without a verdict
	Offset, Limit  int
}

// Store is what consultations need from storage. Methods join the
// transaction in ctx; Find methods return NotFound for a missing id.
type Store interface {
	CreateConsultation(ctx context.Context, c *Consultation) error
	UpdateConsultation(ctx context.Context, c *Consultation) error
	FindConsultation(ctx context.Context, id int64) (*Consultation, error)
	FindConsultations(ctx context.Context, f Filter) ([]*Consultation, int, error)

	// CreateComment inserts a comment and sets its ID and Seq (the next
	// number within the consultation).
	CreateComment(ctx context.Context, c *Comment) error
	UpdateComment(ctx context.Context, c *Comment) error
	FindComment(ctx context.Context, id int64) (*Comment, error)
	FindComments(ctx context.Context, f CommentFilter) ([]*Comment, error)
	CountComments(ctx context.Context, consultationID int64) (Counts, error)

	SurveyStore
}

// Agencies gives the disclosure agency (公开主体) a consultation belongs to.
type Agencies interface {
	Agency(ctx context.Context, id int64) (*disclosure.Agency, error)
}

// Documents finds a disclosure document as a reader sees it (nil actor:
// published ones only), for the link to the decision that resulted.
type Documents interface {
	Document(ctx context.Context, a *identity.Actor, id int64) (*disclosure.Document, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Deps are what the service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Agencies  Agencies
	Documents Documents
	Calendars Calendars
	Search    search.Searcher
	Now       func() time.Time
}

// KindConsultation is the kind of consultations in the portal's search.
const KindConsultation = search.KindConsultation

// URL is the public page of a consultation.
func URL(id int64) string { return "/participate/consultations/" + itoa(id) }

// Add counts n comments of a section with a status and verdict; the
// stores fill Counts with it from a grouped count.
func (c *Counts) Add(section int, status CommentStatus, v Verdict, n int) {
	if c.BySection == nil {
		c.BySection = map[int]int{}
	}
	c.Total += n
	if status == CommentHidden {
		c.Hidden += n
		return
	}
	c.Visible += n
	c.BySection[section] += n
	switch v {
	case VerdictAdopted:
		c.Adopted += n
	case VerdictPartial:
		c.Partial += n
	case VerdictRejected:
		c.Rejected += n
	}
	if v != VerdictNone {
		c.Answered += n
	}
}
