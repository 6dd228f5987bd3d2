package complaint

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Deps are what the service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Cases     Cases
	Windows   Windows
	Items     Items
	Orgs      Orgs
	Users     Users
	Calendars Calendars
	Notifier  Notifier
	Scheduler Scheduler // the clocks' yellow and red reminders
	Throttle  Throttle
	Hotline   HotlineAnswers
	Secret    []byte // keys the 查询码 hashes
	Now       func() time.Time
}

// Service handles complaints and consultations.
type Service struct{ d Deps }

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Service{d: d}
}

// Input is a new complaint.
type Input struct {
	Kind       Kind
	Subject    SubjectKind
	CaseNumber string
	QueryCode  string // the case's 查询密码, from its 受理回执: never kept
	Addr       string // where the complaint comes from, for counting wrong 查询密码
	WindowID   int64
	StaffName  string // the person complained about, as the complainant names them
	ItemCode   string // 实施编码
	RegionID   int64  // for a complaint about the platform
	Content    string
	Anonymous  bool
	Consent    bool
	Name       string // when not logged in, or recorded by the desk
	Phone      string
	Channel    Channel // online, or hotline and desk when the desk records it
	Ticket     string  // the 12345 ticket number
	At         time.Time
	RegionPath string // set by the hotline hand-off instead of RegionID
	Label      string // how the hotline named the subject
	Key        string // what the filing is known by when sent again (repeat.go); "" for none
}

// Filed is a complaint just filed and its 查询码, shown once.
type Filed struct {
	Complaint *Complaint
	QueryCode string
	Repeated  bool // a hotline ticket received before
}

// maxContent and maxName bound a complaint's text and its complainant's name.
const (
	maxContent = 4000
	maxName    = 50 // a complainant's name
)

// Submit files a complaint by anyone: a logged-in user (under their name
// unless anonymous), a visitor who leaves a name and mobile number, or
// anyone anonymously; the desk may record one received at the hall, by
// letter or from the 12345 hotline.
//
// Filed again with the same key (repeat.go), it returns the first
// complaint's receipt instead of filing a second one.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, in Input) (*Filed, error) {
	in.Key = strings.TrimSpace(in.Key)
	if err := checkKey(in.Key); err != nil {
		return nil, err
	}
	if f, err := s.repeated(ctx, a, in); f != nil || err != nil {
		return f, err
	}
	if err := s.check(ctx, a, &in); err != nil {
		return nil, err
	}
	var out *Filed
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.build(ctx, a, in)
		if err != nil {
			return err
		}
		out = &Filed{Complaint: c, QueryCode: s.codeFor(in.Key)}
		return s.create(ctx, a, c, in.Key, out.QueryCode)
	})
	if apperr.Is(err, apperr.Conflict) {
		if f, ferr := s.repeated(ctx, a, in); f != nil || ferr != nil {
			return f, ferr // two copies of one request raced
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// check reports every problem of a new complaint at once: who files and
// how, the text, and what it is about. It runs before the complaint's
// transaction, so that a wrong 查询密码 stays counted.
func (s *Service) check(ctx context.Context, a *identity.Actor, in *Input) error {
	err := s.prepare(a, in)
	serr := s.checkSubject(ctx, a, *in)
	if err == nil || serr != nil && !apperr.Is(serr, apperr.Invalid) {
		return serr
	}
	fields := apperr.FieldsOf(err)
	for k, v := range apperr.FieldsOf(serr) {
		fields[k] = v
	}
	var f apperr.Fields
	for k, v := range fields {
		f.Add(k, v)
	}
	return f.Err()
}

// prepare checks who files and how, and the text.
func (s *Service) prepare(a *identity.Actor, in *Input) error {
	if in.Kind == "" {
		in.Kind = KindComplaint
	}
	in.Content, in.Name, in.Phone = strings.TrimSpace(in.Content), strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	if in.Channel == "" {
		in.Channel = ChannelOnline
	}
	var f apperr.Fields
	f.Check(!in.Kind.Valid(), "kind", "请选择投诉或咨询")
	f.Check(!in.Subject.Valid(), "subject", "请选择投诉对象")
	n := utf8.RuneCountInString(in.Content)
	f.Check(n < 5 || n > maxContent, "content", fmt.Sprintf("请写明%s的具体内容（5–%d 字）", in.Kind.Label(), maxContent))
	if in.Channel != ChannelOnline {
		f.Check(!a.Has(identity.RoleSupervisor), "channel", "只有投诉受理人员可以录入热线、现场或来信投诉")
		f.Check(in.Channel == ChannelHotline && strings.TrimSpace(in.Ticket) == "", "hotline_ticket", "请填写 12345 热线工单编号")
	}
	if in.Anonymous {
		in.Name, in.Phone, in.Consent = "", "", false
	} else if a == nil || in.Channel != ChannelOnline {
		f.Check(in.Name == "", "name", "请填写姓名，或选择匿名投诉")
		f.Check(utf8.RuneCountInString(in.Name) > maxName, "name", fmt.Sprintf("姓名不能超过 %d 字", maxName))
		f.Check(pii.CheckMobile(in.Phone) != nil, "phone", "请填写有效的手机号码，以便答复；也可选择匿名投诉")
	}
	return f.Err()
}

// build makes the complaint: its subject, region and complainant.
func (s *Service) build(ctx context.Context, a *identity.Actor, in Input) (*Complaint, error) {
	subj, path, dept, err := s.resolveSubject(ctx, in)
	if err != nil {
		return nil, err
	}
	c := &Complaint{Kind: in.Kind, Subject: subj, RegionPath: path, Channel: in.Channel, Anonymous: in.Anonymous,
		Consent: in.Consent, Content: in.Content, HotlineTicket: strings.TrimSpace(in.Ticket)}
	if !in.Anonymous {
		c.Complainant = Complainant{Name: in.Name, Phone: pii.NormalizeMobile(in.Phone)}
		if a != nil && in.Channel == ChannelOnline {
			c.Complainant = Complainant{UserID: a.UserID, Name: a.Name}
			if u := a.Account(); u != nil {
				c.Complainant.Phone = u.Phone
			}
		}
	}
	at := in.At
	if at.IsZero() {
		at = s.d.Now()
	}
	c.Suggested = dept
	c.Apply(Event{Kind: EvSubmitted, At: at, ActorID: actorID(a, in), ActorLabel: actorLabel(a, in)})
	return c, nil
}

func actorID(a *identity.Actor, in Input) int64 {
	if a == nil || in.Anonymous && in.Channel == ChannelOnline {
		return 0
	}
	return a.UserID
}

// actorLabel is how the filing appears in the record: an anonymous
// complainant leaves no trace of who they are.
func actorLabel(a *identity.Actor, in Input) string {
	switch {
	case in.Channel == ChannelHotline && a == nil:
		return "12345 热线"
	case in.Anonymous && in.Channel == ChannelOnline:
		return "匿名"
	case a == nil:
		return "未登录的投诉人" // named, but the name is the desk's to see
	}
	return a.Audit().Label
}

// checkSubject reports what is wrong with what a complaint is about.
func (s *Service) checkSubject(ctx context.Context, a *identity.Actor, in Input) error {
	if in.Subject == SubjectCase {
		return s.checkCase(ctx, a, in)
	}
	_, _, _, err := s.resolveSubject(ctx, in)
	return err
}

// errNoCase answers a case number that does not exist and a wrong 查询密码
// alike, so that complaining tells nobody which case numbers exist.
var errNoCase = apperr.Field("case_number", "办件编号或查询密码不对，请核对受理回执")

// checkCase: a complaint names a case by its number alone when the
// complainant may (MayNameCase); anyone else gives its 查询密码 too, checked
// and counted as the public progress lookup's.
func (s *Service) checkCase(ctx context.Context, a *identity.Actor, in Input) error {
	number, code := strings.TrimSpace(in.CaseNumber), strings.TrimSpace(in.QueryCode)
	if number == "" {
		return apperr.Field("case_number", "请填写办件编号")
	}
	if a != nil {
		c, err := s.d.Cases.CaseByNumber(ctx, number)
		if err == nil && MayNameCase(a, c) {
			return nil
		}
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	if code == "" {
		return apperr.Field("query_code", "请填写受理回执上的查询密码（申请人本人登录后可不填）")
	}
	_, err := s.d.Cases.CaseByCode(ctx, number, code, in.Addr)
	if apperr.Is(err, apperr.NotFound) {
		return errNoCase
	}
	return err
}

// resolveSubject finds what the complaint is about and where it is
// handled.
func (s *Service) resolveSubject(ctx context.Context, in Input) (Subject, string, int64, error) {
	subj := Subject{Kind: in.Subject}
	switch in.Subject {
	case SubjectCase:
		c, err := s.d.Cases.CaseByNumber(ctx, strings.TrimSpace(in.CaseNumber))
		if apperr.Is(err, apperr.NotFound) {
			return subj, "", 0, errNoCase
		}
		if err != nil {
			return subj, "", 0, err
		}
		// The number only, checked beforehand (checkCase) or handed over
		// by the hotline: the label is shown to the complainant, who need
		// not be its applicant.
		subj.CaseID, subj.CaseNumber, subj.Label = c.ID, c.Number, "办件 "+c.Number
		subj.ItemName = c.ItemName
		if !c.AppliedAt.IsZero() {
			subj.AppliedOn = c.AppliedAt.In(chinaTime).Format(time.DateOnly)
		}
		return subj, c.RegionPath, c.DepartmentID, nil
	case SubjectWindow, SubjectStaff:
		if in.WindowID == 0 && in.RegionPath != "" {
			break // handed over by the hotline, which names the window in words only
		}
		return s.windowSubject(ctx, in, subj)
	case SubjectItem:
		it, err := s.d.Items.ItemRef(ctx, strings.TrimSpace(in.ItemCode))
		if err != nil {
			return subj, "", 0, apperr.Field("item_code", "没有这个事项，请核对实施编码")
		}
		subj.ItemCode, subj.Label = it.Code, it.Name
		return subj, it.RegionPath, it.DepartmentID, nil
	}
	path, err := in.RegionPath, error(nil)
	if path == "" {
		path, err = s.d.Orgs.RegionPath(ctx, in.RegionID)
	}
	if err != nil {
		return subj, "", 0, apperr.Field("region_id", "请选择投诉涉及的地区")
	}
	fallback := "网上政务服务平台"
	if in.Subject != SubjectPlatform {
		fallback = in.Subject.Label() + "（热线未说明）"
	}
	subj.Label = orText(strings.TrimSpace(in.Label), fallback)
	return subj, path, 0, nil
}

func (s *Service) windowSubject(ctx context.Context, in Input, subj Subject) (Subject, string, int64, error) {
	w, err := s.d.Windows.WindowRef(ctx, in.WindowID)
	if err != nil {
		return subj, "", 0, apperr.Field("window_id", "请选择窗口")
	}
	subj.WindowID, subj.Label = w.ID, w.Label
	if in.Subject == SubjectStaff {
		name := strings.TrimSpace(in.StaffName)
		if name == "" || utf8.RuneCountInString(name) > 50 {
			return subj, "", 0, apperr.Field("staff_name", "请填写被投诉工作人员的姓名或工号（50 字以内）")
		}
		subj.Label = w.Label + " 工作人员 " + name
	}
	return subj, w.RegionPath, w.DepartmentID, nil
}

// create stores a new complaint, records it and tells the desk.
func (s *Service) create(ctx context.Context, a *identity.Actor, c *Complaint, key, code string) error {
	prefix := "TS"
	if c.Kind == KindConsultation {
		prefix = "ZX"
	}
	number := func(id int64) string {
		return fmt.Sprintf("%s%s%08d", prefix, c.CreatedAt.In(chinaTime).Format("060102"), id)
	}
	if err := s.d.Store.CreateComplaint(ctx, c, key, s.hash(code), number); err != nil {
		return err
	}
	who := audit.Actor{Label: c.Events[0].ActorLabel, ID: c.Events[0].ActorID}
	if c.Channel == ChannelOnline && who.ID != 0 {
		who = complainantAudit
	}
	if err := s.record(ctx, who, c, c.Events); err != nil {
		return err
	}
	if err := s.planReminders(ctx, c, c.Events); err != nil {
		return err
	}
	return s.tellDesk(ctx, c, fmt.Sprintf("新%s待受理：%s", c.Kind.Label(), c.Number), "请在 5 个工作日内受理或说明不予受理的理由。")
}

var chinaTime = time.FixedZone("CST", 8*3600)

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// queryCode is a fresh 8-digit 查询码.
func queryCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(100000000))
	return fmt.Sprintf("%08d", n.Int64())
}

func (s *Service) hash(code string) []byte {
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write([]byte(code))
	return m.Sum(nil)
}

// complainantAudit is how a complainant's own steps appear in the audit
// log, which every administrator and 监察人员 reads: who complained is the
// desk's to see, in the complaint (SeesIdentity), not the log's readers'.
var complainantAudit = audit.Actor{Label: "投诉人"}

// record appends the audit entry of a change; the content and the
// complainant's identity stay out of the log.
func (s *Service) record(ctx context.Context, who audit.Actor, c *Complaint, evs []Event) error {
	kinds := make([]string, len(evs))
	for i, e := range evs {
		kinds[i] = string(e.Kind)
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: who, Scope: "region:" + c.RegionPath, Action: "complaint." + kinds[len(kinds)-1],
		ObjectType: "complaint", ObjectID: strconv.FormatInt(c.ID, 10),
		Change: map[string]any{"number": c.Number, "events": kinds, "status": c.Status, "department": c.DepartmentID, "version": c.Version}})
}

func (s *Service) tellDesk(ctx context.Context, c *Complaint, title, body string) error {
	ids, err := s.d.Store.DepartmentStaff(ctx, 0, c.RegionPath, []identity.Role{identity.RoleSupervisor})
	if err != nil || len(ids) == 0 {
		return err
	}
	return s.d.Notifier.Tell(ctx, ids, Note{Kind: "complaint.desk", Title: title, Body: body, Link: fmt.Sprintf("/complaints/%d", c.ID)})
}
