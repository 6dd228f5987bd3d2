// Package hotline is the hand-off with the 12345 government service
// hotline: the hotline sends a ticket (a complaint, a consultation, or any
// other kind a module registers) with its own ticket number, the module
// that handles that kind takes it in, and when it is answered the answer
// is returned to the hotline, all as a documented JSON interface
// (/api/v1/hotline/…, see the OpenAPI document).
//
// A module takes part by registering a Receiver for its kind; when it
// answers a ticket, it calls Answer inside the transaction of the answer,
// which puts the answer in the feed the hotline reads (GET
// /api/v1/hotline/answers?after=ID). The hotline system authenticates with
// a bearer token (--hotline-token); without one the interface is off.
package hotline

import (
	"context"
	"crypto/subtle"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/pii"
)

// Kind is a kind of ticket, e.g. "complaint" or "consultation".
type Kind string

// Caller is who called the hotline.
type Caller struct {
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Anonymous bool   `json:"anonymous"` // keep no identity at all
	// Consent is the caller's agreement that the department concerned may
	// see who they are (otherwise only the desk handling the ticket does).
	Consent bool `json:"consent"`
}

// Subject is what the ticket is about, as far as the hotline knows.
type Subject struct {
	Kind       string `json:"kind"` // one of SubjectKinds, or "" when the hotline does not say
	CaseNumber string `json:"case_number,omitempty"`
	ItemCode   string `json:"item_code,omitempty"` // 实施编码
	Text       string `json:"text,omitempty"`      // a window, a person, as the caller said
}

// Kinds of subject a ticket may be about.
const (
	SubjectCase     = "case"     // 办件
	SubjectWindow   = "window"   // 窗口
	SubjectStaff    = "staff"    // 工作人员
	SubjectItem     = "item"     // 事项
	SubjectPlatform = "platform" // 网上平台
)

// SubjectKinds lists the kinds of subject, each with its Chinese name.
var SubjectKinds = []struct{ Kind, Label string }{
	{SubjectCase, "办件"}, {SubjectWindow, "窗口"}, {SubjectStaff, "工作人员"}, {SubjectItem, "事项"}, {SubjectPlatform, "网上平台"},
}

// validSubjectKind reports whether k is one of SubjectKinds; "" (not
// said) is allowed.
func validSubjectKind(k string) bool {
	if k == "" {
		return true
	}
	for _, x := range SubjectKinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// subjectKindList is the allowed kinds, for messages.
func subjectKindList() string {
	parts := make([]string, len(SubjectKinds))
	for i, x := range SubjectKinds {
		parts[i] = x.Kind + "（" + x.Label + "）"
	}
	return strings.Join(parts, "、")
}

// Ticket is what the hotline hands over.
type Ticket struct {
	Kind       Kind      `json:"kind"`
	TicketNo   string    `json:"ticket_no"`   // the hotline's 工单编号
	RegionCode string    `json:"region_code"` // 行政区划代码 of the region it is dispatched to
	ReceivedAt time.Time `json:"received_at"`
	Caller     Caller    `json:"caller"`
	Subject    Subject   `json:"subject"`
	Content    string    `json:"content"`
}

// Receipt is what the hotline gets back when a ticket is taken in.
type Receipt struct {
	Kind     Kind   `json:"kind"`
	TicketNo string `json:"ticket_no"`
	Ref      string `json:"ref"` // the handling module's own number
	Status   string `json:"status"`
	Repeated bool   `json:"repeated"` // the ticket had been received before
}

// Status is where a ticket stands, with its answer once given.
type Status struct {
	Kind        Kind      `json:"kind"`
	TicketNo    string    `json:"ticket_no"`
	Ref         string    `json:"ref"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	Answer      string    `json:"answer,omitempty"`
	AnsweredAt  time.Time `json:"answered_at,omitzero"`
}

// Receiver takes in the tickets of one kind.
type Receiver interface {
	// Receive records a ticket; the same ticket number again returns the
	// first receipt with Repeated set.
	Receive(ctx context.Context, t Ticket) (Receipt, error)
	// Status reports a ticket by the hotline's number (NotFound).
	Status(ctx context.Context, ticketNo string) (*Status, error)
}

// Answer is an answer returned to the hotline.
type Answer struct {
	ID         int64     `json:"id"` // position in the feed
	Kind       Kind      `json:"kind"`
	TicketNo   string    `json:"ticket_no"`
	Ref        string    `json:"ref"`
	Text       string    `json:"answer"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Store keeps the answers' feed.
type Store interface {
	// AddHotlineAnswer appends an answer (joining the transaction in ctx).
	AddHotlineAnswer(ctx context.Context, a *Answer) error
	// FindHotlineAnswers lists answers with ID > after, oldest first.
	FindHotlineAnswers(ctx context.Context, after int64, limit int) ([]*Answer, error)
}

// Service is the hand-off.
type Service struct {
	store     Store
	token     []byte
	now       func() time.Time
	mu        sync.RWMutex
	receivers map[Kind]Receiver
}

// NewService returns the hand-off; token is the hotline's bearer token
// ("" turns the interface off). It reads the time from time.Now until
// SetClock gives it the application's clock.
func NewService(store Store, token string) *Service {
	return &Service{store: store, token: []byte(token), now: time.Now, receivers: map[Kind]Receiver{}}
}

// SetClock makes the service read the time from now (the application's
// clock); call it before the service is used.
func (s *Service) SetClock(now func() time.Time) {
	if now != nil {
		s.now = now
	}
}

// MaxClockSkew is how far ahead of this system's clock a ticket's
// received_at may be: the hotline's clock and ours may differ a little,
// but a ticket received hours or years from now would start the
// complaint's clocks in the future.
const MaxClockSkew = 5 * time.Minute

// MaxTicketAge is how long before its hand-over a ticket may have been
// received by the hotline. A ticket is handed over within minutes to days;
// one received long ago would open a complaint whose clocks ran out before
// it arrived (a date typed wrong, or a year missing). The figure is this
// product's own: the 12345 rules we have name none (unverified).
const MaxTicketAge = 90 * 24 * time.Hour

// Register makes r handle the tickets of kind; registering a kind twice
// replaces the first receiver.
func (s *Service) Register(kind Kind, r Receiver) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.receivers[kind] = r
}

// Kinds lists the registered kinds.
func (s *Service) Kinds() []Kind {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Kind, 0, len(s.receivers))
	for k := range s.receivers {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (s *Service) receiver(kind Kind) (Receiver, error) {
	s.mu.RLock()
	r, ok := s.receivers[kind]
	s.mu.RUnlock()
	if !ok {
		if strings.TrimSpace(string(kind)) == "" {
			return nil, apperr.Field("kind", "请给出工单类型，可用："+joinKinds(s.Kinds()))
		}
		return nil, apperr.Field("kind", "不支持的工单类型“"+string(kind)+"”，可用："+joinKinds(s.Kinds()))
	}
	return r, nil
}

func joinKinds(ks []Kind) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = string(k)
	}
	return strings.Join(parts, "、")
}

// Authorize checks the hotline's bearer token.
func (s *Service) Authorize(token string) error {
	if len(s.token) == 0 {
		return apperr.New(apperr.Forbidden, "12345 热线接口未启用：请管理员配置 --hotline-token")
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(token), s.token) != 1 {
		return apperr.New(apperr.Unauthenticated, "热线接口令牌无效（请求头 Authorization: Bearer <令牌>）")
	}
	return nil
}

var ticketNoPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Receive checks a ticket and hands it to its kind's receiver.
func (s *Service) Receive(ctx context.Context, t Ticket) (Receipt, error) {
	t.TicketNo, t.RegionCode, t.Content = strings.TrimSpace(t.TicketNo), strings.TrimSpace(t.RegionCode), strings.TrimSpace(t.Content)
	r, err := s.receiver(t.Kind)
	if err != nil {
		return Receipt{}, err
	}
	if err := t.validate(s.now()); err != nil {
		return Receipt{}, err
	}
	return r.Receive(ctx, t)
}

// validate checks a ticket received at now (this system's clock).
func (t *Ticket) validate(now time.Time) error {
	var f apperr.Fields
	f.Check(!ticketNoPattern.MatchString(t.TicketNo), "ticket_no", "工单编号须为 1–64 位字母、数字、- 或 _")
	f.Check(t.RegionCode == "", "region_code", "请给出派单地区的行政区划代码")
	n := utf8.RuneCountInString(t.Content)
	f.Check(n < 2 || n > 4000, "content", "工单内容须为 2–4000 字")
	switch {
	case t.ReceivedAt.IsZero():
		f.Add("received_at", "请给出热线受理时间（RFC 3339，如 2026-03-09T09:00:00+08:00）")
	case t.ReceivedAt.Year() < 2000:
		// Not repeated back: a time this early is a placeholder (the epoch).
		f.Add("received_at", "热线受理时间无效（早于 2000 年，多为热线系统未填的默认值），请给出实际受理时间（RFC 3339，如 2026-03-09T09:00:00+08:00）")
	case t.ReceivedAt.Before(now.Add(-MaxTicketAge)):
		f.Add("received_at", fmt.Sprintf("热线受理时间 %s 早于 %d 天前，请核对；更早的工单请由投诉受理机构直接录入",
			t.ReceivedAt.In(chinaTime).Format(time.RFC3339), int(MaxTicketAge/(24*time.Hour))))
	case t.ReceivedAt.After(now.Add(MaxClockSkew)):
		f.Add("received_at", fmt.Sprintf("热线受理时间 %s 晚于本系统当前时间 %s（最多允许快 %d 分钟），请核对热线系统的时钟",
			t.ReceivedAt.In(chinaTime).Format(time.RFC3339), now.In(chinaTime).Format(time.RFC3339), int(MaxClockSkew/time.Minute)))
	}
	t.Subject.Kind = strings.TrimSpace(t.Subject.Kind)
	f.Check(!validSubjectKind(t.Subject.Kind), "subject.kind", "工单所涉对象的类型“"+t.Subject.Kind+"”无效，可用："+subjectKindList())
	if t.Caller.Anonymous {
		t.Caller.Name, t.Caller.Phone, t.Caller.Consent = "", "", false
	} else if t.Caller.Phone != "" {
		f.Check(!phoneOK(t.Caller.Phone), "caller.phone", "来电号码须为手机号或固定电话号码")
	}
	f.Check(utf8.RuneCountInString(t.Caller.Name) > 50, "caller.name", "姓名不能超过 50 字")
	return f.Err()
}

var chinaTime = time.FixedZone("CST", 8*3600)

var landline = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)

func phoneOK(p string) bool {
	return pii.CheckMobile(p) == nil || landline.MatchString(strings.TrimSpace(p))
}

// Status reports a ticket of a kind by the hotline's number.
func (s *Service) Status(ctx context.Context, kind Kind, ticketNo string) (*Status, error) {
	r, err := s.receiver(kind)
	if err != nil {
		return nil, err
	}
	return r.Status(ctx, strings.TrimSpace(ticketNo))
}

// Answer puts an answer in the feed, in the caller's transaction: a
// module calls it when it answers a ticket received from the hotline.
func (s *Service) Answer(ctx context.Context, a *Answer) error {
	return s.store.AddHotlineAnswer(ctx, a)
}

// Answers lists the answers after a position of the feed, oldest first.
func (s *Service) Answers(ctx context.Context, after int64, limit int) ([]*Answer, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.FindHotlineAnswers(ctx, max(after, 0), limit)
}
