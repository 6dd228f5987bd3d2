package catalog

import (
	"fmt"
	"strings"
)

// The code tables of GB/T 39046-2020 appendix A. Every value is stored and
// sent as its national code; the Chinese label is for people. A table is a
// list of (code, label) pairs, so that parsing accepts either form and an
// Excel sheet or API client may use whichever it has.

// entry is one row of a code table.
type entry struct{ code, label string }

// table is a code table of values of type T.
type table[T ~string] []entry

// label returns the label of v, or "" when v is not in the table.
func (t table[T]) label(v T) string {
	for _, e := range t {
		if e.code == string(v) {
			return e.label
		}
	}
	return ""
}

// parse accepts a code or a label, ignoring surrounding space.
func (t table[T]) parse(s string) (T, bool) {
	s = strings.TrimSpace(s)
	for _, e := range t {
		if s == e.code || s == e.label {
			return T(e.code), true
		}
	}
	return "", false
}

// values lists every value in table order.
func (t table[T]) values() []T {
	out := make([]T, len(t))
	for i, e := range t {
		out[i] = T(e.code)
	}
	return out
}

// choices names the allowed values for an error message: "01 行政许可、02 行政处罚…".
func (t table[T]) choices() string {
	parts := make([]string, len(t))
	for i, e := range t {
		parts[i] = e.code + " " + e.label
	}
	return strings.Join(parts, "、")
}

// parseErr is the message for a value that is in no table row.
func (t table[T]) parseErr(field, s string) error {
	return fmt.Errorf("%s“%s”不是有效的代码，应为：%s", field, s, t.choices())
}

// ItemType is 事项类型 (GB/T 39046-2020 A.1), a two-digit national code.
type ItemType string

// Item types. A.1 also reserves 11–19 and 21–29 for local types; they are
// not accepted here until a deployment needs one.
const (
	TypePower        ItemType = "00" // 行政权力
	TypeLicence      ItemType = "01" // 行政许可
	TypePenalty      ItemType = "02" // 行政处罚
	TypeCoercion     ItemType = "03" // 行政强制
	TypeLevy         ItemType = "04" // 行政征收
	TypeBenefit      ItemType = "05" // 行政给付
	TypeInspection   ItemType = "06" // 行政检查
	TypeConfirmation ItemType = "07" // 行政确认
	TypeReward       ItemType = "08" // 行政奖励
	TypeAdjudication ItemType = "09" // 行政裁决
	TypeOtherPower   ItemType = "10" // 其他行政权力
	TypePublic       ItemType = "20" // 公共服务
)

var itemTypes = table[ItemType]{{"00", "行政权力"}, {"01", "行政许可"}, {"02", "行政处罚"}, {"03", "行政强制"},
	{"04", "行政征收"}, {"05", "行政给付"}, {"06", "行政检查"}, {"07", "行政确认"}, {"08", "行政奖励"},
	{"09", "行政裁决"}, {"10", "其他行政权力"}, {"20", "公共服务"}}

// Label is the type's Chinese name.
func (t ItemType) Label() string { return itemTypes.label(t) }

// ItemTypes lists the types in code order.
func ItemTypes() []ItemType { return itemTypes.values() }

// ParseItemType accepts a code ("01") or a label ("行政许可").
func ParseItemType(s string) (ItemType, error) {
	if v, ok := itemTypes.parse(s); ok {
		return v, nil
	}
	return "", itemTypes.parseErr("事项类型", s)
}

// codeLetters are the two letters a 基本编码 starts with for each type. The
// letters follow DB52/T 1264-2018, which shows the GB/T 39554.1 pattern; the
// national standard's own table was not read, so this mapping is unverified.
// 行政权力, 其他 and 公共服务 share QT.
var codeLetters = map[ItemType]string{TypeLicence: "XK", TypePenalty: "CF", TypeCoercion: "QZ", TypeLevy: "ZS",
	TypeBenefit: "GF", TypeInspection: "JC", TypeConfirmation: "QR", TypeReward: "JL", TypeAdjudication: "CJ",
	TypePower: "QT", TypeOtherPower: "QT", TypePublic: "QT"}

// CodeLetters returns the two letters a 基本编码 of this type starts with.
func (t ItemType) CodeLetters() string { return codeLetters[t] }

// Level is 行使层级 (A.2): 1 国家 … 6 村（社区）, 7 分级管理.
type Level string

// Levels.
const (
	LevelNation   Level = "1"
	LevelProvince Level = "2"
	LevelCity     Level = "3"
	LevelCounty   Level = "4"
	LevelTownship Level = "5"
	LevelVillage  Level = "6"
	LevelTiered   Level = "7" // 分级管理: exercised at several levels
)

var levels = table[Level]{{"1", "国家级"}, {"2", "省级"}, {"3", "市级"}, {"4", "县级"}, {"5", "镇（乡、街道）级"},
	{"6", "村（社区）级"}, {"7", "分级管理"}}

// Label is the level's Chinese name.
func (l Level) Label() string { return levels.label(l) }

// Levels lists the levels in code order.
func Levels() []Level { return levels.values() }

// ParseLevel accepts a code ("4") or a label ("县级").
func ParseLevel(s string) (Level, error) {
	if v, ok := levels.parse(s); ok {
		return v, nil
	}
	return "", levels.parseErr("行使层级", s)
}

// SubjectNature is 实施主体性质 (A.3).
type SubjectNature string

// Subject natures.
const (
	NatureStatutory  SubjectNature = "1" // 法定机关
	NatureAuthorised SubjectNature = "2" // 授权组织
	NatureEntrusted  SubjectNature = "3" // 受委托组织
	NatureOther      SubjectNature = "9" // 其他
)

var natures = table[SubjectNature]{{"1", "法定机关"}, {"2", "授权组织"}, {"3", "受委托组织"}, {"9", "其他"}}

// Label is the nature's Chinese name.
func (n SubjectNature) Label() string { return natures.label(n) }

// SubjectNatures lists the natures in code order.
func SubjectNatures() []SubjectNature { return natures.values() }

// ParseSubjectNature accepts a code or a label.
func ParseSubjectNature(s string) (SubjectNature, error) {
	if v, ok := natures.parse(s); ok {
		return v, nil
	}
	return "", natures.parseErr("实施主体性质", s)
}

// Audience is 服务对象 (A.4).
type Audience string

// Audiences.
const (
	AudiencePerson     Audience = "1" // 自然人
	AudienceEnterprise Audience = "2" // 企业法人
	AudienceInstitute  Audience = "3" // 事业法人
	AudienceSocialOrg  Audience = "4" // 社会组织法人
	AudienceAgency     Audience = "5" // 行政机关
	AudienceOtherOrg   Audience = "6" // 其他组织
)

var audiences = table[Audience]{{"1", "自然人"}, {"2", "企业法人"}, {"3", "事业法人"}, {"4", "社会组织法人"},
	{"5", "行政机关"}, {"6", "其他组织"}}

// Label is the audience's Chinese name.
func (a Audience) Label() string { return audiences.label(a) }

// IsLegal reports whether the audience is an organisation (the portal's
// 法人 side) rather than a natural person.
func (a Audience) IsLegal() bool { return a != AudiencePerson }

// Audiences lists the audiences in code order.
func Audiences() []Audience { return audiences.values() }

// ParseAudience accepts a code or a label.
func ParseAudience(s string) (Audience, error) {
	if v, ok := audiences.parse(s); ok {
		return v, nil
	}
	return "", audiences.parseErr("服务对象", s)
}

// HandlingForm is 办理形式 (A.5).
type HandlingForm string

// Handling forms.
const (
	FormWindow HandlingForm = "1" // 窗口办理
	FormWeb    HandlingForm = "2" // 网上办理（电脑端）
	FormMobile HandlingForm = "3" // 移动端办理
	FormPost   HandlingForm = "4" // 快递申请
	FormOther  HandlingForm = "9" // 其他
)

var forms = table[HandlingForm]{{"1", "窗口办理"}, {"2", "网上办理"}, {"3", "移动端办理"}, {"4", "快递申请"}, {"9", "其他"}}

// Label is the form's Chinese name.
func (f HandlingForm) Label() string { return forms.label(f) }

// HandlingForms lists the forms in code order.
func HandlingForms() []HandlingForm { return forms.values() }

// ParseHandlingForm accepts a code or a label.
func ParseHandlingForm(s string) (HandlingForm, error) {
	if v, ok := forms.parse(s); ok {
		return v, nil
	}
	return "", forms.parseErr("办理形式", s)
}

// CaseKind is 办件类型 (A.6).
type CaseKind string

// Case kinds.
const (
	KindImmediate CaseKind = "1" // 即办件: decided at the window
	KindPromised  CaseKind = "2" // 承诺件: decided within the promised limit
	KindOther     CaseKind = "9" // 其他
)

var caseKinds = table[CaseKind]{{"1", "即办件"}, {"2", "承诺件"}, {"9", "其他"}}

// Label is the kind's Chinese name.
func (k CaseKind) Label() string { return caseKinds.label(k) }

// CaseKinds lists the kinds in code order.
func CaseKinds() []CaseKind { return caseKinds.values() }

// ParseCaseKind accepts a code or a label.
func ParseCaseKind(s string) (CaseKind, error) {
	if v, ok := caseKinds.parse(s); ok {
		return v, nil
	}
	return "", caseKinds.parseErr("办件类型", s)
}

// ProcedureKind is 特别程序种类 (A.7). The standard has two codes; the
// procedure's own name (听证, 专家评审 …) is kept beside it.
type ProcedureKind string

// Procedure kinds.
const (
	ProcedureExtension ProcedureKind = "1" // 延长审批
	ProcedureOther     ProcedureKind = "2" // 除延长审批之外的情况
)

var procedureKinds = table[ProcedureKind]{{"1", "延长审批"}, {"2", "除延长审批之外的情况"}}

// Label is the kind's Chinese name.
func (k ProcedureKind) Label() string { return procedureKinds.label(k) }

// ParseProcedureKind accepts a code or a label.
func ParseProcedureKind(s string) (ProcedureKind, error) {
	if v, ok := procedureKinds.parse(s); ok {
		return v, nil
	}
	return "", procedureKinds.parseErr("特别程序种类", s)
}

// Scope is 通办范围. GB/T 39046 names the field and its values (全国、跨省、
// 跨市、跨县) but the codes were not read from the standard, so these codes
// are this product's own.
type Scope string

// Scopes.
const (
	ScopeNone     Scope = "0" // 不通办
	ScopeNational Scope = "1" // 全国通办
	ScopeProvince Scope = "2" // 跨省通办
	ScopeCity     Scope = "3" // 跨市通办
	ScopeCounty   Scope = "4" // 跨县通办
)

var scopes = table[Scope]{{"0", "不通办"}, {"1", "全国通办"}, {"2", "跨省通办"}, {"3", "跨市通办"}, {"4", "跨县通办"}}

// Label is the scope's Chinese name.
func (s Scope) Label() string { return scopes.label(s) }

// Scopes lists the scopes in code order.
func Scopes() []Scope { return scopes.values() }

// ParseScope accepts a code or a label.
func ParseScope(s string) (Scope, error) {
	if v, ok := scopes.parse(s); ok {
		return v, nil
	}
	return "", scopes.parseErr("通办范围", s)
}
