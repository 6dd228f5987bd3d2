package cases

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// FileInput is an application.
type FileInput struct {
	ItemVersionID int64
	// Applicant is needed when a clerk or a 代办员 files for someone; a
	// citizen or company filing for itself is taken from its account.
	Applicant *Applicant
	Form      map[string]string
	Materials []MaterialFile
	// Authorization is the signed 委托书 a 代办员 files with (required for proxy filing).
	Authorization *MaterialFile
	Draft         bool   // save without submitting
	Key           string // idempotency key: a retried request returns the same case
}

// Filed is the result of filing.
type Filed struct {
	Case      *Case
	QueryCode string // 查询密码, shown once; "" when the request was a retry
	Repeated  bool   // the idempotency key had been used: this is the earlier case
}

// File creates a case, as a draft or submitted. Retrying with the same key
// returns the first case instead of creating a second one.
func (s *Service) File(ctx context.Context, a *identity.Actor, in FileInput) (*Filed, error) {
	if in.Key == "" || len(in.Key) > 100 {
		return nil, apperr.Field("key", "缺少或无效的提交标识，请刷新页面后重试")
	}
	// A retried request is recognised by its key when the case is inserted
	// (or, if the application no longer passes its checks, right here), so
	// a first submission costs no extra read.
	c, err := s.prepare(ctx, a, in)
	if err != nil {
		if prev, ferr := s.d.Store.FindCaseByIdempotencyKey(ctx, in.Key); ferr == nil {
			return s.repeated(a, prev, in)
		}
		return nil, err
	}
	code := newQueryCode()
	details, err := s.details(c, code)
	if err != nil {
		return nil, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		return s.create(ctx, a, c, in.Key, code, details)
	})
	if apperr.Is(err, apperr.Conflict) {
		if prev, ferr := s.d.Store.FindCaseByIdempotencyKey(ctx, in.Key); ferr == nil {
			return s.repeated(a, prev, in) // two copies of one request raced
		}
	}
	if err != nil {
		return nil, err
	}
	return &Filed{Case: c, QueryCode: code}, nil
}

// details are what a new case keeps beside its row: its sealed code and
// its intake due date.
func (s *Service) details(c *Case, code string) (Details, error) {
	due, err := s.dues(c)
	return Details{QueryCode: s.sealCode(code), IntakeDue: due.Intake}, err
}

// create inserts a case with its details and audit entry, inside the
// caller's transaction.
func (s *Service) create(ctx context.Context, a *identity.Actor, c *Case, key, code string, d Details) error {
	if err := s.d.Store.CreateCase(ctx, c, key, s.hashQueryCode(code), &d); err != nil {
		return err
	}
	if err := s.watch(ctx, c); err != nil {
		return err
	}
	return s.record(ctx, a, c, c.Events)
}

func (s *Service) repeated(a *identity.Actor, c *Case, in FileInput) (*Filed, error) {
	if err := CanView(a, c); err != nil {
		return nil, apperr.New(apperr.Conflict, "该提交标识已被使用")
	}
	if !sameFiling(c, in) {
		return nil, apperr.New(apperr.Conflict, "该申请已经提交过（办件编号 %s），本次提交的内容与之不同，未予保存；"+
			"如需更改，请在办件页补正或撤回后重新申请（重新申请请使用新的提交标识）", c.Number)
	}
	return &Filed{Case: c, Repeated: true}, nil
}

// sameFiling reports whether a request carrying an idempotency key already
// used asks for what the case filed with it holds: the same item version,
// the same values for the fields it gives, the same files. A retry does;
// another application under a reused key does not.
func sameFiling(c *Case, in FileInput) bool {
	if c.Procedure.ItemVersionID != in.ItemVersionID {
		return false
	}
	for k, v := range in.Form {
		if strings.TrimSpace(v) != strings.TrimSpace(c.Form[k]) {
			return false
		}
	}
	held := map[string]bool{}
	for _, m := range c.Materials {
		held[m.Code+"/"+m.SHA256] = true
	}
	for _, m := range in.Materials {
		if !held[m.Code+"/"+m.SHA256] {
			return false
		}
	}
	return true
}

func newQueryCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// prepare checks the application and builds the case in memory.
func (s *Service) prepare(ctx context.Context, a *identity.Actor, in FileInput) (*Case, error) {
	p, err := s.d.Procedures.Procedure(ctx, in.ItemVersionID)
	if err != nil {
		return nil, err
	}
	if err := CanFile(a, p, in.Applicant != nil); err != nil {
		return nil, err
	}
	c := &Case{Procedure: *p, Form: in.Form, Channel: channelOf(a)}
	if err := s.fillApplicant(ctx, a, c, in); err != nil {
		return nil, err
	}
	if err := validateApplication(p, in); err != nil {
		return nil, err
	}
	now := s.d.Now()
	c.Materials = stamp(in.Materials, 0, now)
	if in.Authorization != nil {
		auth := *in.Authorization
		auth.Code = "authorization"
		c.Materials = append(c.Materials, stamp([]MaterialFile{auth}, 0, now)...)
	}
	if c.Fee.DueFen, err = FeeDue(p.Fee, in.Form); err != nil && !in.Draft {
		return nil, err
	}
	c.Apply(Event{Kind: EventCreated, At: now, ActorID: a.UserID, ActorLabel: a.Audit().Label, Branch: -1})
	if !in.Draft {
		c.Apply(Event{Kind: EventSubmitted, At: now, ActorID: a.UserID, ActorLabel: a.Audit().Label, Branch: -1, Code: string(c.Channel)})
	}
	return c, nil
}

func channelOf(a *identity.Actor) Channel {
	switch {
	case a.IsPublic():
		return ChannelOnline
	case a.Has(identity.RoleProxyAgent) && !a.Has(identity.RoleWindowClerk):
		return ChannelProxy
	}
	return ChannelWindow
}

func stamp(ms []MaterialFile, round int, now time.Time) []MaterialFile {
	out := make([]MaterialFile, len(ms))
	for i, m := range ms {
		m.Round, m.Added = round, now
		out[i] = m
	}
	return out
}

// fillApplicant takes the applicant from the account, or checks the one a
// clerk or agent typed in and links it to the person's account if any.
func (s *Service) fillApplicant(ctx context.Context, a *identity.Actor, c *Case, in FileInput) error {
	if in.Applicant == nil {
		u := a.Account()
		if u == nil || u.ID != a.UserID {
			var err error
			if u, err = s.d.Accounts.FindUserByID(ctx, a.UserID); err != nil {
				return err
			}
		}
		c.Applicant = Applicant{UserID: u.ID, Kind: string(u.Kind), Name: u.Name, IDNumber: u.IDNumber, CreditCode: u.CreditCode, Phone: u.Phone}
		return nil
	}
	app := *in.Applicant
	if err := validateApplicant(&app); err != nil {
		return err
	}
	if err := CanFileFor(&c.Procedure, app.Kind); err != nil {
		return err
	}
	if c.Channel == ChannelProxy && in.Authorization == nil {
		return apperr.Field("authorization", "代办须上传申请人签字的授权委托书")
	}
	c.AgentID, app.UserID = a.UserID, 0
	if app.IDNumber != "" {
		if u, err := s.d.Accounts.FindUserByIDNumber(ctx, app.IDNumber); err == nil {
			app.UserID = u.ID // the resident can follow and rate the case in their own account
		}
	}
	c.Applicant = app
	return nil
}

func validateApplicant(app *Applicant) error {
	var f apperr.Fields
	app.Name = strings.TrimSpace(app.Name)
	app.IDNumber, app.CreditCode = pii.NormalizeIDNumber(app.IDNumber), pii.NormalizeCreditCode(app.CreditCode)
	app.Phone = pii.NormalizeMobile(app.Phone)
	f.Check(app.Name == "" || utf8.RuneCountInString(app.Name) > 100, "applicant.name", "请填写申请人姓名或单位名称（不超过 100 字）")
	switch app.Kind {
	case string(identity.KindPerson):
		f.AddErr("applicant.id_number", pii.CheckIDNumber(app.IDNumber))
	case string(identity.KindLegal):
		f.AddErr("applicant.credit_code", pii.CheckCreditCode(app.CreditCode))
	default:
		f.Add("applicant.kind", "请选择申请人类型（自然人或法人）")
	}
	if app.Phone == "" {
		f.Add("applicant.phone", "请填写申请人手机号码，用于接收办理进度")
	} else {
		f.AddErr("applicant.phone", pii.CheckMobile(app.Phone))
	}
	return f.Err()
}

// validateApplication checks the form against the item's fields and the
// materials against its list, naming every problem at once.
func validateApplication(p *Procedure, in FileInput) error {
	var f apperr.Fields
	for _, fd := range p.Fields {
		checkField(&f, fd, strings.TrimSpace(in.Form[fd.Name]), in.Draft)
	}
	for k := range in.Form {
		f.Check(!hasField(p, k), "form."+k, "表单中没有“"+k+"”这一项")
	}
	have := map[string]bool{}
	for _, m := range in.Materials {
		pm, listed := p.material(m.Code)
		f.Check(!listed, "material."+m.Code, "材料“"+m.Code+"”不在该事项的材料清单中")
		f.Check(listed && pm.Kind != MaterialUpload, "material."+m.Code, "“"+pm.Name+"”在窗口"+
			map[bool]string{true: "出示原件", false: "签收"}[pm.Kind == MaterialShow]+"，不需上传")
		have[m.Code] = true
	}
	for _, m := range p.Materials {
		f.Check(!in.Draft && m.Required && m.Kind == MaterialUpload && !have[m.Code], "material."+m.Code, "请上传“"+m.Name+"”")
	}
	return f.Err()
}

func checkField(f *apperr.Fields, fd Field, v string, draft bool) {
	key := "form." + fd.Name
	switch {
	case v == "":
		f.Check(fd.Required && !draft, key, "请填写“"+fd.Label+"”")
	case strings.ContainsFunc(v, controlChar):
		f.Add(key, "“"+fd.Label+"”含有无法显示的控制字符，请删除后重新填写")
	case fd.Type == FieldNumber:
		checkNumber(f, key, fd, v)
	case fd.Type == FieldEmail:
		f.AddErr(key, pii.CheckEmail(v))
	case fd.Type == FieldPhone:
		f.AddErr(key, pii.CheckMobile(v))
	case fd.Type == FieldDate:
		_, err := calendar.ParseDate(v)
		f.Check(err != nil, key, "“"+fd.Label+"”应为日期，如 2026-03-01")
	case fd.Type == FieldChoice:
		f.Check(!contains(fd.Choices, v), key, "请从列表中选择“"+fd.Label+"”")
	case fd.Max > 0:
		f.Check(utf8.RuneCountInString(v) > fd.Max, key, fmt.Sprintf("“%s”不能超过 %d 个字", fd.Label, fd.Max))
	}
}

// controlChar reports a character no one types into a form: the C0 and
// C1 controls other than tab and line breaks.
func controlChar(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

// checkNumber: a number, within the field's range, which names its unit.
func checkNumber(f *apperr.Fields, key string, fd Field, v string) {
	n, err := strconv.ParseFloat(v, 64)
	unit := ""
	if fd.Unit != "" {
		unit = "（单位：" + fd.Unit + "）"
	}
	switch {
	case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
		f.Add(key, "“"+fd.Label+"”应为数字"+unit)
	case fd.MinValue != nil && n < *fd.MinValue:
		f.Add(key, fmt.Sprintf("“%s”不能小于 %s%s", fd.Label, num(*fd.MinValue), unit))
	case fd.MaxValue != nil && n > *fd.MaxValue:
		f.Add(key, fmt.Sprintf("“%s”不能大于 %s%s", fd.Label, num(*fd.MaxValue), unit))
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func hasField(p *Procedure, name string) bool {
	for _, fd := range p.Fields {
		if fd.Name == name {
			return true
		}
	}
	return false
}

func hasMaterial(p *Procedure, code string) bool {
	for _, m := range p.Materials {
		if m.Code == code {
			return true
		}
	}
	return false
}

// FeeDue computes the fee of an application from the item's fee rules: the
// named quantities a formula needs are numeric fields of the form.
func FeeDue(fees catalog.Fees, form map[string]string) (int64, error) {
	inputs := map[string]int64{}
	for _, q := range fees.Quantities() {
		v := strings.TrimSpace(form[q])
		n, err := strconv.ParseFloat(v, 64)
		if v == "" || err != nil || n < 0 {
			return 0, apperr.Field("form."+q, "请填写“"+q+"”（用于计算费用）")
		}
		inputs[q] = int64(math.Ceil(n))
	}
	due, err := fees.Total(inputs)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "%s", err.Error())
	}
	return due, nil
}
