package catalog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// ItemInput creates an item with its first draft.
type ItemInput struct {
	Code         string // 基本编码
	ImplCode     string // 实施编码; generated when blank
	DepartmentID int64
	DeptCode     string // the department's credit code, when DepartmentID is 0 (Excel)
	Guide        Guide
}

var (
	// basicCode is the GB/T 39554.1 基本编码 as DB52/T 1264-2018 shows it:
	// type letters, a 5-digit main item (00001–99999) and a 3-digit
	// sub-item (000 when the item has none).
	basicCode = regexp.MustCompile(`^(XK|CF|QZ|ZS|GF|JC|QR|JL|CJ|QT)([0-9]{5})([0-9]{3})$`)
	implCode  = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)
	webURL    = regexp.MustCompile(`^https?://[^\s]+$`)
)

// stepRoles are the roles a step of the procedure may be assigned to.
var stepRoles = []identity.Role{identity.RoleWindowClerk, identity.RoleApprover, identity.RoleDeptHead}

// CheckBasicCode validates a 基本编码 against the item type.
func CheckBasicCode(code string, t ItemType) error {
	m := basicCode.FindStringSubmatch(code)
	switch {
	case code == "":
		return apperr.Field("code", "请填写基本编码")
	case m == nil:
		return apperr.Field("code", fmt.Sprintf("基本编码“%s”格式不正确：应为 2 位类型字母（XK、CF、QZ、ZS、GF、JC、QR、JL、CJ、QT）+ 5 位主项编码 + 3 位子项编码，如 XK00012000", code))
	case m[2] == "00000":
		return apperr.Field("code", "基本编码的主项编码不能为 00000")
	case t.Label() != "" && m[1] != t.CodeLetters():
		return apperr.Field("code", fmt.Sprintf("基本编码以 %s 开头，与事项类型“%s”（应以 %s 开头）不符", m[1], t.Label(), t.CodeLetters()))
	}
	return nil
}

func (in *ItemInput) normalize() {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.ImplCode = strings.TrimSpace(in.ImplCode)
	in.Guide.normalize()
}

// validate checks the item's own fields and its guide together, so that a
// form shows every problem at once.
func (in *ItemInput) validate() error {
	f := in.Guide.check()
	f.AddErr("code", CheckBasicCode(in.Code, in.Guide.Type))
	f.Check(in.ImplCode != "" && !implCode.MatchString(in.ImplCode), "impl_code", "实施编码只能由字母、数字和 - 组成，最长 64 位")
	f.Check(in.DepartmentID <= 0, "department_id", "请选择实施部门")
	return f.Err()
}

func (g *Guide) normalize() {
	for _, p := range []*string{&g.Name, &g.Conditions, &g.Location, &g.Hours, &g.Consult, &g.Complaint, &g.OnlineURL,
		&g.Subject.Name, &g.Result.Name, &g.Result.Validity, &g.Fees.Note, &g.Fees.Payment} {
		*p = strings.TrimSpace(*p)
	}
	for i := range g.Fields {
		g.Fields[i].Name, g.Fields[i].Unit = strings.TrimSpace(g.Fields[i].Name), strings.TrimSpace(g.Fields[i].Unit)
	}
	g.Subject.CreditCode = pii.NormalizeCreditCode(g.Subject.CreditCode)
}

// Validate checks a guide and returns an Invalid error naming each bad field.
func (g *Guide) Validate() error {
	f := g.check()
	return f.Err()
}

func (g *Guide) check() apperr.Fields {
	var f apperr.Fields
	text(&f, "name", "事项名称", g.Name, 200, true)
	f.Check(g.Type.Label() == "", "type", "事项类型无效："+itemTypes.choices())
	f.Check(g.Level.Label() == "", "level", "行使层级无效："+levels.choices())
	g.checkSubject(&f)
	g.checkBases(&f)
	text(&f, "conditions", "受理条件", g.Conditions, 4000, true)
	g.checkMaterials(&f)
	g.checkSteps(&f)
	g.checkLimits(&f)
	g.checkProcedures(&f)
	g.checkFees(&f)
	g.checkResult(&f)
	g.checkService(&f)
	g.checkFields(&f)
	f.Check(g.JointMode.Label() == "", "joint_mode", "办理方式无效："+jointModes.choices())
	g.checkLaw(&f)
	return f
}

func text(f *apperr.Fields, field, label, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	f.Check(required && strings.TrimSpace(v) == "", field, "请填写"+label)
	f.Check(n > max, field, fmt.Sprintf("%s不能超过 %d 个字", label, max))
}

func (g *Guide) checkSubject(f *apperr.Fields) {
	text(f, "subject.name", "实施主体名称", g.Subject.Name, 100, true)
	if g.Subject.CreditCode == "" {
		f.Add("subject.credit_code", "请填写实施主体的统一社会信用代码")
	} else {
		f.AddErr("subject.credit_code", pii.CheckCreditCode(g.Subject.CreditCode))
	}
	f.Check(g.Subject.Nature.Label() == "", "subject.nature", "实施主体性质无效："+natures.choices())
}

func (g *Guide) checkBases(f *apperr.Fields) {
	f.Check(len(g.LegalBases) == 0, "legal_bases", "请至少填写一项设定依据（法律法规名称及条款）")
	for i, b := range g.LegalBases {
		p := "legal_bases." + strconv.Itoa(i) + "."
		text(f, p+"law", fmt.Sprintf("第 %d 项设定依据的法律法规名称", i+1), b.Law, 200, true)
		text(f, p+"article", fmt.Sprintf("第 %d 项设定依据的条款", i+1), b.Article, 200, true)
	}
}

func (g *Guide) checkMaterials(f *apperr.Fields) {
	for i, m := range g.Materials {
		p, n := "materials."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 项材料的", i+1)
		text(f, p+"name", n+"名称", m.Name, 200, true)
		f.Check(m.Originals < 0 || m.Originals > 99, p+"originals", n+"原件份数应为 0–99")
		f.Check(m.Copies < 0 || m.Copies > 99, p+"copies", n+"复印件份数应为 0–99")
		f.Check(m.Need.Label() == "", p+"need", n+"是否必要无效："+needs.choices())
		f.Check(m.Need == NeedConditional && strings.TrimSpace(m.Condition) == "", p+"condition", n+"提交情形未填写：按情形提交的材料须说明何时需要")
		f.Check(m.Type.Label() == "", p+"type", n+"提交方式无效："+materialTypes.choices())
	}
}

func (g *Guide) checkSteps(f *apperr.Fields) {
	f.Check(len(g.Steps) == 0, "steps", "请至少填写一个办理环节")
	for i, s := range g.Steps {
		p, n := "steps."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 个环节的", i+1)
		text(f, p+"name", n+"名称", s.Name, 50, true)
		f.Check(!contains(stepRoles, s.Role), p+"role", n+"办理角色应为窗口人员、审批人员或部门负责人")
		f.AddErr(p+"limit", limitErr(n+"时限", s.Limit))
		f.Check(s.CounterMin < 0 || s.CounterMin > 1440, p+"counter_minutes", n+"窗口办理用时应为 0–1440 分钟")
		f.Check(s.WaitMin < 0 || s.WaitMin > 1440, p+"wait_minutes", n+"排队等候时间应为 0–1440 分钟")
		f.Check(i == 0 && s.Parallel, p+"parallel", "第一个环节不能与前一环节并行")
	}
}

func limitErr(label string, l calendar.Limit) error {
	if err := l.Validate(); err != nil {
		return apperr.New(apperr.Invalid, "%s无效：%s", label, err.Error())
	}
	return nil
}

func (g *Guide) checkLimits(f *apperr.Fields) {
	legalErr, promErr := limitErr("法定办结时限", g.LegalLimit.Limit), limitErr("承诺办结时限", g.PromisedLimit.Limit)
	f.AddErr("legal_limit", legalErr)
	f.AddErr("promised_limit", promErr)
	f.Check(g.Kind.Label() == "", "kind", "办件类型无效："+caseKinds.choices())
	if legalErr != nil || promErr != nil {
		return
	}
	f.Check(g.LegalLimit.N == 0 && g.LegalLimit.Note == "", "legal_limit", "法定办结时限为 0 时请在说明中写明依据（如“当场办结”）")
	if longer, ok := exceeds(g.PromisedLimit.Limit, g.LegalLimit.Limit); !ok {
		f.Add("promised_limit", "承诺办结时限与法定办结时限的单位无法比较，请使用相同的单位（工作日与小时可以互换）")
	} else if longer {
		f.Add("promised_limit", fmt.Sprintf("承诺办结时限（%s）不能超过法定办结时限（%s）", LimitText(g.PromisedLimit.Limit), LimitText(g.LegalLimit.Limit)))
	}
	f.Check(g.Kind == KindImmediate && g.PromisedLimit.N != 0, "kind", "即办件的承诺办结时限应为 0（当场办结）")
	f.Check(g.Kind == KindPromised && g.PromisedLimit.N == 0, "promised_limit", "承诺件须填写大于 0 的承诺办结时限")
}

// officeDay is the length of a working day in hours, for comparing a limit
// in hours with one in working days (calendar.DefaultOfficeHours).
var officeDay = func() int {
	oh := calendar.DefaultOfficeHours()
	return int((oh.AMEnd - oh.AMStart + oh.PMEnd - oh.PMStart).Hours())
}()

// exceeds reports whether limit a is longer than b; ok is false when the
// two units cannot be compared without a calendar: working days against
// natural days depends on which holidays fall in between. A count of
// natural days is never longer than the same count of working days.
func exceeds(a, b calendar.Limit) (longer, ok bool) {
	hours := func(l calendar.Limit) int {
		if l.Unit == calendar.UnitHour {
			return l.N
		}
		return l.N * officeDay
	}
	switch {
	case a.Unit == b.Unit:
		return a.N > b.N, true
	case a.Unit != calendar.UnitNaturalDay && b.Unit != calendar.UnitNaturalDay:
		return hours(a) > hours(b), true
	case a.Unit == calendar.UnitNaturalDay && b.Unit == calendar.UnitWorkday && a.N <= b.N:
		return false, true
	}
	return false, false
}

// LimitText writes a limit for people: "20 个工作日", "4 小时", "当场办结".
func LimitText(l calendar.Limit) string {
	switch {
	case l.N == 0:
		return "当场办结"
	case l.Unit == calendar.UnitHour:
		return fmt.Sprintf("%d 小时", l.N)
	}
	return fmt.Sprintf("%d 个%s", l.N, l.Unit.Label())
}

func (g *Guide) checkProcedures(f *apperr.Fields) {
	for i, p := range g.Procedures {
		k, n := "special_procedures."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 项特别程序的", i+1)
		f.Check(p.Kind.Label() == "", k+"kind", n+"种类无效："+procedureKinds.choices())
		text(f, k+"name", n+"名称", p.Name, 50, true)
		f.AddErr(k+"max_limit", limitErr(n+"时限", p.MaxLimit))
	}
}

func (g *Guide) checkFees(f *apperr.Fields) {
	f.Check(g.Fees.Charged && len(g.Fees.Items) == 0, "fees", "收费事项须至少填写一项收费项目")
	f.Check(!g.Fees.Charged && len(g.Fees.Items) > 0, "fees", "不收费的事项不能填写收费项目")
	f.Check(utf8.RuneCountInString(g.Fees.Payment) > 500, "fees.payment", "缴费方式不能超过 500 个字")
	for i, fee := range g.Fees.Items {
		p, n := "fees.items."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 项收费的", i+1)
		text(f, p+"name", n+"项目名称", fee.Name, 100, true)
		text(f, p+"basis", n+"收费依据", fee.Basis, 500, true)
		text(f, p+"standard", n+"收费标准", fee.Standard, 500, true)
		f.Check(fee.AmountFen < 0, p+"amount_fen", n+"金额不能为负数")
		if m := fee.Formula; m != nil {
			f.Check(strings.TrimSpace(m.Quantity) == "", p+"formula", n+"计费公式须写明按什么数量计算")
			f.Check(m.BaseFen < 0 || m.UnitFen < 0 || m.Free < 0 || m.MinFen < 0 || m.MaxFen < 0, p+"formula", n+"计费公式中的金额和数量不能为负数")
			f.Check(m.MaxFen > 0 && m.MinFen > m.MaxFen, p+"formula", n+"计费公式的最低金额不能高于最高金额")
		}
	}
}

func (g *Guide) checkResult(f *apperr.Fields) {
	text(f, "result.name", "办理结果名称", g.Result.Name, 200, true)
	f.Check(g.Result.Type.Label() == "", "result.type", "办理结果类型无效："+resultTypes.choices())
	f.Check(g.Result.ValidMonths < 0, "result.valid_months", "证照有效期不能为负数")
	f.Check(g.Result.Type == ResultCertificate && g.Result.ValidMonths == 0 && g.Result.Validity == "",
		"result.validity", "结果为证照时须写明有效期（如“5年”或“长期有效”）")
}

func (g *Guide) checkService(f *apperr.Fields) {
	f.Check(g.Scope.Label() == "", "scope", "通办范围无效："+scopes.choices())
	f.Check(len(g.Audiences) == 0, "audiences", "请至少选择一个服务对象")
	for _, a := range g.Audiences {
		f.Check(a.Label() == "", "audiences", fmt.Sprintf("服务对象“%s”无效：%s", a, audiences.choices()))
	}
	for _, t := range g.Themes {
		f.Check(!ValidTheme(t), "themes", fmt.Sprintf("服务主题“%s”不在主题目录中", t))
	}
	f.Check(len(g.Forms) == 0, "forms", "请至少选择一种办理形式")
	for _, m := range g.Forms {
		f.Check(m.Label() == "", "forms", fmt.Sprintf("办理形式“%s”无效：%s", m, forms.choices()))
	}
	text(f, "location", "办理地点", g.Location, 500, true)
	text(f, "hours", "办理时间", g.Hours, 200, true)
	text(f, "consult", "咨询方式", g.Consult, 200, true)
	text(f, "complaint", "监督投诉方式", g.Complaint, 200, true)
	f.Check(g.OnlineURL != "" && !webURL.MatchString(g.OnlineURL), "online_url", "网办地址应以 http:// 或 https:// 开头")
	for i, q := range g.FAQs {
		p := "faqs." + strconv.Itoa(i) + "."
		text(f, p+"question", fmt.Sprintf("第 %d 个常见问题", i+1), q.Question, 200, true)
		text(f, p+"answer", fmt.Sprintf("第 %d 个常见问题的解答", i+1), q.Answer, 2000, true)
	}
}
