package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

// The rules of the 行政许可法 (2019) that the catalogue enforces on a guide,
// so that no item can be published with a time limit, a special procedure
// or a fee the law does not allow. An item may depart from a default only
// where a law provides otherwise (法律、法规另有规定的), and must then name
// that law in the field the guide shows next to the rule.

// JointMode is how several departments handle an item (行政许可法 Art 26 ¶2):
// on their own, or 统一办理 (one department accepts and forwards),
// 联合办理 or 集中办理.
type JointMode string

// Joint modes.
const (
	JointNone        JointMode = ""            // 单独办理
	JointUnified     JointMode = "unified"     // 统一办理
	JointCombined    JointMode = "joint"       // 联合办理
	JointCentralised JointMode = "centralised" // 集中办理
)

var jointModes = table[JointMode]{{"", "单独办理"}, {"unified", "统一办理"}, {"joint", "联合办理"}, {"centralised", "集中办理"}}

// Label is the mode's Chinese name.
func (m JointMode) Label() string { return jointModes.label(m) }

// ParseJointMode accepts a code or a label; blank is 单独办理.
func ParseJointMode(s string) (JointMode, error) {
	if s == "" {
		return JointNone, nil
	}
	if v, ok := jointModes.parse(s); ok {
		return v, nil
	}
	return "", jointModes.parseErr("办理方式", s)
}

// Statutory limits of the 行政许可法, in working days (Art 82: the periods
// of the law are working days, statutory holidays excluded).
const (
	// DecisionDays: a decision within 20 days of acceptance (Art 42 ¶1).
	DecisionDays = 20
	// JointDecisionDays: 45 days for 统一、联合、集中办理 (Art 42 ¶2).
	JointDecisionDays = 45
	// ExtensionDays: one extension of at most 10 days, approved by the
	// head of the body (Art 42 ¶1).
	ExtensionDays = 10
	// JointExtensionDays: at most 15 days for 统一、联合、集中办理, approved
	// by the head of the people's government at that level (Art 42 ¶2).
	JointExtensionDays = 15
	// IntakeNoticeDays: a 补正 notice on the spot or within 5 days of
	// receipt, else the application counts as accepted from the day the
	// materials were received (Art 32 ¶1 (4)).
	IntakeNoticeDays = 5
)

// art45 lists the procedures whose time never counts against the limits
// (行政许可法 Art 45): 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审.
var art45 = []string{"听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审"}

// Art45 reports whether a special procedure of this name is one of those
// of Art 45, whose time by law does not count against the limits.
func Art45(name string) bool {
	for _, w := range art45 {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// namesLaw reports whether a text names a law or regulation: a title in
// 《》. That is what "法律、法规另有规定" has to point at; whether the
// named text really is a law or regulation is for the reviewer.
func namesLaw(s string) bool {
	i := strings.Index(s, "《")
	return i >= 0 && strings.Contains(s[i:], "》")
}

// namesOtherLaw reports whether a text names a law other than the
// 行政许可法 itself, which is what allows departing from that law.
func namesOtherLaw(s string) bool {
	return namesLaw(strings.ReplaceAll(strings.ReplaceAll(s, "《中华人民共和国行政许可法》", ""), "《行政许可法》", ""))
}

// Joint reports whether several departments handle the item together.
func (g *Guide) Joint() bool { return g.JointMode != JointNone }

// StatutoryDecisionDays is the decision period the 行政许可法 sets for the
// item (Art 42): 20 working days, 45 when handled jointly.
func (g *Guide) StatutoryDecisionDays() int {
	if g.Joint() {
		return JointDecisionDays
	}
	return DecisionDays
}

// ExtensionLimit is how many working days one 延长审批 may add: the
// item's own maximum where a law it names allows more, else Art 42's 10
// (15 when handled jointly).
func (g *Guide) ExtensionLimit() (days int, basis string) {
	days, basis = ExtensionDays, "《中华人民共和国行政许可法》第四十二条第一款"
	if g.Joint() {
		days, basis = JointExtensionDays, "《中华人民共和国行政许可法》第四十二条第二款"
	}
	for _, p := range g.Procedures {
		if p.Kind == ProcedureExtension && p.MaxLimit.N > 0 && (p.MaxLimit.N <= days || namesOtherLaw(p.Basis)) {
			return p.MaxLimit.N, p.Basis
		}
	}
	return days, basis
}

// checkLaw applies the rules of the 行政许可法 to a guide.
func (g *Guide) checkLaw(f *apperr.Fields) {
	g.checkDecisionLimit(f)
	for i, p := range g.Procedures {
		g.checkProcedureLaw(f, i, p)
	}
	g.checkFeeLaw(f)
}

// checkDecisionLimit: a licence is decided within 20 working days of
// acceptance (45 when handled jointly), unless a law or regulation says
// otherwise (Art 42); the periods are working days (Art 82).
func (g *Guide) checkDecisionLimit(f *apperr.Fields) {
	if g.Type != TypeLicence || g.LegalLimit.Validate() != nil {
		return
	}
	l, max := g.LegalLimit.Limit, g.StatutoryDecisionDays()
	if namesLaw(g.LegalLimit.Note) {
		return
	}
	switch {
	case l.Unit == calendar.UnitNaturalDay && l.N > 0:
		f.Add("legal_limit", "行政许可的法定办结时限以工作日计算（行政许可法第八十二条）；按自然日计算须在时限说明中写明依据的法律、法规（如《××条例》第×条）")
	case l.Unit == calendar.UnitWorkday && l.N > max:
		f.Add("legal_limit", fmt.Sprintf("行政许可应自受理之日起 %d 个工作日内作出决定（行政许可法第四十二条）；超过的须在时限说明中写明依据的法律、法规（如《××条例》第×条）", max))
	}
}

// checkProcedureLaw: the time of Art 45's procedures never counts against
// the limits; any other procedure stops the clock only where a law it names
// says so; an extension is at most Art 42's, unless another law allows more.
func (g *Guide) checkProcedureLaw(f *apperr.Fields, i int, p Procedure) {
	k, n := "special_procedures."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 项特别程序“%s”", i+1, p.Name)
	switch {
	case p.Kind == ProcedureExtension:
		max, _ := g.ExtensionLimit()
		f.Check(p.StopsClock, k+"stops_clock", n+"是延长审批：延长的期限计入办理时限，不能设为中止计时（行政许可法第四十二条）")
		f.Check(p.MaxLimit.N > max && !namesOtherLaw(p.Basis), k+"max_limit",
			fmt.Sprintf("%s最长 %d 个工作日（行政许可法第四十二条）；更长的须在依据中写明法律、法规", n, max))
		f.Check(p.MaxLimit.N > 0 && p.MaxLimit.Unit != calendar.UnitWorkday, k+"max_limit", n+"的时限应以工作日计")
	case Art45(p.Name):
		f.Check(!p.StopsClock, k+"stops_clock", n+"所需时间依法不计算在办理期限内（行政许可法第四十五条），应设为中止计时")
	case p.StopsClock:
		f.Check(!namesLaw(p.Basis), k+"basis", n+"不属于行政许可法第四十五条所列程序；不计入办理时限须在依据中写明法律、法规（如《××条例》第×条）")
	}
}

// checkFeeLaw: a licence is free unless a law or administrative
// regulation provides for the fee (Art 58, 59); every fee names the
// document that sets it (a title in 《》 or a document number 〔〕).
func (g *Guide) checkFeeLaw(f *apperr.Fields) {
	for i, fee := range g.Fees.Items {
		p := "fees.items." + strconv.Itoa(i) + ".basis"
		f.Check(fee.Basis != "" && !namesLaw(fee.Basis) && !strings.Contains(fee.Basis, "〔"), p,
			fmt.Sprintf("第 %d 项收费的依据应写明法律、行政法规或收费文件（如《××法》第×条或××〔2016〕××号）；没有依据的不得收费（行政许可法第五十八条）", i+1))
	}
	f.Check(g.Fees.Due.Label() == "", "fees.due", "缴费时点无效："+feePoints.choices())
}
