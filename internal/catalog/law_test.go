package catalog

import (
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

func licence() Guide {
	return Guide{Type: TypeLicence, LegalLimit: TimeLimit{Limit: calendar.Limit{N: 20, Unit: calendar.UnitWorkday}}}
}

func lawErrors(g Guide) apperr.Fields {
	var f apperr.Fields
	g.checkLaw(&f)
	return f
}

// TestArt42DecisionLimit: a licence is decided within 20 working days
// (45 when handled jointly), longer only where its note names the law.
func TestArt42DecisionLimit(t *testing.T) {
	wd, nd := calendar.UnitWorkday, calendar.UnitNaturalDay
	for _, tc := range []struct {
		name  string
		typ   ItemType
		limit calendar.Limit
		note  string
		joint JointMode
		ok    bool
	}{
		{"20 working days", TypeLicence, calendar.Limit{N: 20, Unit: wd}, "", JointNone, true},
		{"30 working days", TypeLicence, calendar.Limit{N: 30, Unit: wd}, "", JointNone, false},
		{"30 working days under a named regulation", TypeLicence, calendar.Limit{N: 30, Unit: wd}, "《特种设备安全监察条例》第十六条", JointNone, true},
		{"30 working days, the reason not a law", TypeLicence, calendar.Limit{N: 30, Unit: wd}, "情况复杂", JointNone, false},
		{"45 working days, 联合办理", TypeLicence, calendar.Limit{N: 45, Unit: wd}, "", JointCombined, true},
		{"46 working days, 联合办理", TypeLicence, calendar.Limit{N: 46, Unit: wd}, "", JointCombined, false},
		{"natural days", TypeLicence, calendar.Limit{N: 15, Unit: nd}, "", JointNone, false},
		{"not a licence", TypeConfirmation, calendar.Limit{N: 60, Unit: wd}, "", JointNone, true},
	} {
		g := licence()
		g.Type, g.LegalLimit.Limit, g.LegalLimit.Note, g.JointMode = tc.typ, tc.limit, tc.note, tc.joint
		f := lawErrors(g)
		if tc.ok != (f["legal_limit"] == "") {
			t.Errorf("%s: %q", tc.name, f["legal_limit"])
		}
	}
}

// TestArt45SpecialProcedures: Art 45's procedures never count against the
// limit; another procedure stops the clock only where a law it names says
// so; an extension is at most Art 42's unless another law allows more.
func TestArt45SpecialProcedures(t *testing.T) {
	wd := calendar.UnitWorkday
	for _, tc := range []struct {
		name  string
		p     Procedure
		joint JointMode
		field string // "" when accepted
	}{
		{"专家评审 counted", Procedure{Kind: ProcedureOther, Name: "专家评审"}, JointNone, "stops_clock"},
		{"专家评审 not counted", Procedure{Kind: ProcedureOther, Name: "专家评审", StopsClock: true}, JointNone, ""},
		{"检验检测 counted", Procedure{Kind: ProcedureOther, Name: "产品检验检测"}, JointNone, "stops_clock"},
		{"听证 not counted", Procedure{Kind: ProcedureOther, Name: "听证", StopsClock: true}, JointNone, ""},
		{"现场核查 not counted, no law", Procedure{Kind: ProcedureOther, Name: "现场核查", StopsClock: true}, JointNone, "basis"},
		{"现场核查 not counted, a law named", Procedure{Kind: ProcedureOther, Name: "现场核查", StopsClock: true, Basis: "《城市道路管理条例》第三十三条"}, JointNone, ""},
		{"现场核查 counted", Procedure{Kind: ProcedureOther, Name: "现场核查"}, JointNone, ""},
		{"extension 10", Procedure{Kind: ProcedureExtension, Name: "延长审批", MaxLimit: calendar.Limit{N: 10, Unit: wd}}, JointNone, ""},
		{"extension 15", Procedure{Kind: ProcedureExtension, Name: "延长审批", MaxLimit: calendar.Limit{N: 15, Unit: wd}}, JointNone, "max_limit"},
		{"extension 15, 统一办理", Procedure{Kind: ProcedureExtension, Name: "延长审批", MaxLimit: calendar.Limit{N: 15, Unit: wd}}, JointUnified, ""},
		{"extension 15 under the licensing law itself", Procedure{Kind: ProcedureExtension, Name: "延长审批", MaxLimit: calendar.Limit{N: 15, Unit: wd},
			Basis: "《中华人民共和国行政许可法》第四十二条"}, JointNone, "max_limit"},
		{"extension 30 under another law", Procedure{Kind: ProcedureExtension, Name: "延长审批", MaxLimit: calendar.Limit{N: 30, Unit: wd},
			Basis: "《中华人民共和国城乡规划法》"}, JointNone, ""},
		{"extension stopping the clock", Procedure{Kind: ProcedureExtension, Name: "延长审批", StopsClock: true}, JointNone, "stops_clock"},
	} {
		g := licence()
		g.Procedures, g.JointMode = []Procedure{tc.p}, tc.joint
		f := lawErrors(g)
		got := ""
		for k := range f {
			got = strings.TrimPrefix(k, "special_procedures.0.")
		}
		if got != tc.field {
			t.Errorf("%s: got %q %v, want %q", tc.name, got, f, tc.field)
		}
		if tc.field != "" && !strings.Contains(f["special_procedures.0."+tc.field], "第四十") {
			t.Errorf("%s: the message cites the article: %s", tc.name, f["special_procedures.0."+tc.field])
		}
	}
}

func TestExtensionLimit(t *testing.T) {
	g := licence()
	if d, _ := g.ExtensionLimit(); d != 10 {
		t.Errorf("default: %d", d)
	}
	g.JointMode = JointCentralised
	if d, b := g.ExtensionLimit(); d != 15 || !strings.Contains(b, "第二款") {
		t.Errorf("集中办理: %d %s", d, b)
	}
	g.JointMode = JointNone
	g.Procedures = []Procedure{{Kind: ProcedureExtension, MaxLimit: calendar.Limit{N: 5, Unit: calendar.UnitWorkday}}}
	if d, _ := g.ExtensionLimit(); d != 5 {
		t.Errorf("the item's shorter limit: %d", d)
	}
}

// TestArt58FeeBasis: a fee names the law or document that sets it.
func TestArt58FeeBasis(t *testing.T) {
	for basis, ok := range map[string]bool{
		"《中华人民共和国居民身份证法》第二十条": true, "发改价格规〔2016〕2559号": true, "按惯例收取": false, "物价局规定": false,
	} {
		g := licence()
		g.Fees = Fees{Charged: true, Items: []Fee{{Name: "工本费", Basis: basis, Standard: "每证 20 元", AmountFen: 2000}}}
		if f := lawErrors(g); ok != (f["fees.items.0.basis"] == "") {
			t.Errorf("%s: %v", basis, f)
		}
	}
}

func TestFormFields(t *testing.T) {
	zero, neg, big := 0.0, -1.0, 10.0
	g := licence()
	g.Fees = Fees{Charged: true, Items: []Fee{{Name: "修复费", Basis: "《城市道路管理条例》", Formula: &Formula{Quantity: "面积"}}}}
	for _, tc := range []struct {
		name   string
		fields []FormField
		bad    bool
	}{
		{"a number with a range", []FormField{{Name: "面积", Type: FieldNumber, Min: &zero, Max: &big, Unit: "平方米"}}, false},
		{"the fee quantity may be negative", []FormField{{Name: "面积", Type: FieldNumber, Min: &neg}}, true},
		{"the fee quantity as text", []FormField{{Name: "面积", Type: FieldText}}, true},
		{"min above max", []FormField{{Name: "层数", Type: FieldNumber, Min: &big, Max: &zero}}, true},
		{"a unit on text", []FormField{{Name: "地址", Type: FieldText, Unit: "米"}}, true},
		{"a choice of one", []FormField{{Name: "业态", Type: FieldChoice, Choices: []string{"餐饮"}}}, true},
		{"twice the same name", []FormField{{Name: "地址", Type: FieldText}, {Name: "地址", Type: FieldEmail}}, true},
		{"a reserved name", []FormField{{Name: "summary", Type: FieldText}}, true},
	} {
		g.Fields = tc.fields
		var f apperr.Fields
		g.checkFields(&f)
		if tc.bad != (len(f) > 0) {
			t.Errorf("%s: %v", tc.name, f)
		}
	}
}
