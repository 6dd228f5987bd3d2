package disclosure

import (
	"context"
	"time"

	"openhall/internal/calendar"
)

// Request is a request for disclosure (依申请公开, Arts 27–45).
type Request struct {
	ID            int64
	AgencyID      int64
	Number        string // 申请编号
	UserID        int64  // the applicant's account, for online requests
	ApplicantKind string // "person" or "organisation"
	ApplicantType ApplicantType
	Name          string // name or organisation name
	IDType        string // 身份证明 type: 居民身份证, 统一社会信用代码 …
	IDNumber      string
	Phone         string
	Email         string
	Address       string
	Description   string // the information sought: name, 文号 or description
	Delivery      string // 获取方式: 纸质, 电子邮件, 光盘, 当场查阅 …
	Channel       Channel
	SubmittedAt   time.Time
	ReceivedOn    calendar.Date // Art 31; zero while an online request awaits confirmation
	Status        ReqStatus
	Answer        AnswerType
	Reason        string        // the answer's sub-reason (Table 3 row)
	AnsweredOn    calendar.Date // closing date: answered or abandoned
	ReferTo       string        // Art 36(5): the agency that holds the information
	AnswerText    string        // the officer's own words in the letter
	Missing       []string      // Art 29 items missing at intake; a 补正 lists them
	CreatedAt     time.Time
	UpdatedAt     time.Time

	AgencyName string // filled when loaded
}

// ApplicantType is the applicant column of Table 3.
type ApplicantType string

// Applicant types.
const (
	ApplicantPerson     ApplicantType = "person"    // 自然人
	ApplicantBusiness   ApplicantType = "business"  // 商业企业
	ApplicantResearch   ApplicantType = "research"  // 科研机构
	ApplicantNonprofit  ApplicantType = "nonprofit" // 社会公益组织
	ApplicantLegal      ApplicantType = "legal"     // 法律服务机构
	ApplicantOtherOrgan ApplicantType = "org_other" // 其他
)

// ApplicantTypes lists them in the order of Table 3's columns.
var ApplicantTypes = []ApplicantType{ApplicantPerson, ApplicantBusiness, ApplicantResearch, ApplicantNonprofit, ApplicantLegal, ApplicantOtherOrgan}

// Label is the column label.
func (t ApplicantType) Label() string {
	return map[ApplicantType]string{ApplicantPerson: "自然人", ApplicantBusiness: "商业企业", ApplicantResearch: "科研机构",
		ApplicantNonprofit: "社会公益组织", ApplicantLegal: "法律服务机构", ApplicantOtherOrgan: "其他"}[t]
}

// Channel is how a request arrived; each has Art 31's receipt-date rule.
type Channel string

// Channels.
const (
	ChannelOnline     Channel = "online"     // 互联网: the day both sides confirm
	ChannelInPerson   Channel = "in_person"  // 当面: the day of submission
	ChannelRegistered Channel = "registered" // 挂号信、快递: the day the agency signs for it
	ChannelLetter     Channel = "letter"     // 平常信函: the day the agency confirms with the applicant
	ChannelFax        Channel = "fax"        // 传真: the day both sides confirm
)

// Channels lists them in display order.
var Channels = []Channel{ChannelOnline, ChannelInPerson, ChannelRegistered, ChannelLetter, ChannelFax}

// Label is the Chinese name.
func (c Channel) Label() string {
	return map[Channel]string{ChannelOnline: "互联网在线", ChannelInPerson: "当面提交", ChannelRegistered: "邮政挂号信（含快递）",
		ChannelLetter: "平常信函", ChannelFax: "传真"}[c]
}

// ReceiptRule explains Art 31's rule for the channel.
func (c Channel) ReceiptRule() string {
	return map[Channel]string{ChannelOnline: "以双方确认之日为收到申请之日", ChannelInPerson: "以提交之日为收到申请之日",
		ChannelRegistered: "以行政机关签收之日为收到申请之日", ChannelLetter: "以行政机关与申请人确认之日为收到申请之日",
		ChannelFax: "以双方确认之日为收到申请之日"}[c]
}

// ReqStatus is where a request stands.
type ReqStatus string

// Request statuses.
const (
	ReqSubmitted  ReqStatus = "submitted"  // online, awaiting the agency's confirmation
	ReqProcessing ReqStatus = "processing" // the clock runs
	ReqCorrection ReqStatus = "correction" // 补正 notice sent, awaiting the applicant
	ReqPaused     ReqStatus = "paused"     // consultation or fee notice open: the clock stops
	ReqAnswered   ReqStatus = "answered"
	ReqAbandoned  ReqStatus = "abandoned" // no correction or no payment in time
)

// Label is the Chinese name.
func (s ReqStatus) Label() string {
	return map[ReqStatus]string{ReqSubmitted: "待确认收到", ReqProcessing: "办理中", ReqCorrection: "待申请人补正",
		ReqPaused: "征求意见或待缴费（不计入期限）", ReqAnswered: "已答复", ReqAbandoned: "视为放弃申请"}[s]
}

// Closed reports whether the request is finished.
func (s ReqStatus) Closed() bool { return s == ReqAnswered || s == ReqAbandoned }

// Event is one recorded clock event of a request.
type Event struct {
	ID        int64
	RequestID int64
	Kind      EventKind
	On        calendar.Date // the legal date of the event
	Days      int           // extension length; correction period; a fee notice's rank in the applicant's month
	Amount    int64         // fee in yuan
	Pages     int           // a fee notice by volume (按量): the pages charged for; 0 per request (按件)
	Party     string        // consulted third party or agency; approving head; delivery method
	Note      string
	ActorID   int64
	ActorName string
	CreatedAt time.Time
}

// RequestFilter selects requests; zero fields do not filter.
type RequestFilter struct {
	AgencyID   int64
	PathPrefix string
	UserID     int64
	Open       bool        // not closed
	Statuses   []ReqStatus // one of these
	Limit      int
	Offset     int
}

// RequestStore keeps requests and their events.
type RequestStore interface {
	CreateRequest(ctx context.Context, r *Request) error
	UpdateRequest(ctx context.Context, r *Request) error
	FindRequestByID(ctx context.Context, id int64) (*Request, error)
	FindRequests(ctx context.Context, f RequestFilter) ([]*Request, int, error)
	CountApplicantRequests(ctx context.Context, agencyID int64, name, idNumber string, from, to calendar.Date) (int, error)
	NextNumberSeq(ctx context.Context, prefix string) (int, error) // per request number prefix
	CreateEvent(ctx context.Context, e *Event) error
	FindEvents(ctx context.Context, requestID int64) ([]*Event, error)
	FindEventsOf(ctx context.Context, requestIDs []int64) (map[int64][]*Event, error)
}

// Received is the receipt date as shown, "" while unconfirmed.
func (r *Request) Received() string { return dateString(r.ReceivedOn) }

// Closed is the closing date as shown, "" while open.
func (r *Request) Closed() string { return dateString(r.AnsweredOn) }

// ReasonLabel is the label of the answer's sub-reason.
func (r *Request) ReasonLabel() string {
	reason, _ := ReasonOf(r.Answer, r.Reason)
	return reason.Label
}

// ApplicantLabel names the applicant type.
func (r *Request) ApplicantLabel() string { return r.ApplicantType.Label() }
