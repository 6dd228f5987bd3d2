package cases

import (
	"encoding/json"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// Procedure is everything a case needs to know about the item it was filed
// for. It is copied from the published item version when the case is
// created and stored with the case, so the case stays bound to the version
// it was filed under even when the item changes later.
type Procedure struct {
	ItemID        int64  `json:"item_id"`
	ItemVersionID int64  `json:"item_version_id"`
	ItemCode      string `json:"item_code"` // 基本编码
	ItemName      string `json:"item_name"`
	// ItemType is the 事项类型 code (GB/T 39046-2020 A.1) of the version
	// filed under; empty in procedures stored before it was kept.
	ItemType     string `json:"item_type,omitempty"`
	RegionID     int64  `json:"region_id"` // where the item is handled
	RegionPath   string `json:"region_path"`
	RegionCode   string `json:"region_code"`
	DepartmentID int64  `json:"department_id"` // the lead (accepting) department
	Department   string `json:"department"`
	Where        string `json:"where,omitempty"` // 办理地点和时间, for those who cannot file online

	Instant  bool           `json:"instant"`  // 即办件: decided at the window in one step
	Legal    calendar.Limit `json:"legal"`    // 法定办结时限
	Promised calendar.Limit `json:"promised"` // 承诺办结时限
	// ClockFromSubmission starts the clocks at submission instead of at
	// acceptance (受理), so that time spent on a pre-acceptance 补正
	// counts. The default is false: the clock has not started before 受理.
	ClockFromSubmission bool `json:"clock_from_submission"`
	// SupplementDays is how many working days an applicant has to answer a
	// 补正 notice before the case is closed as 补正超时.
	SupplementDays int `json:"supplement_days"`

	Branches []Branch `json:"branches"` // one per department that approves; several = 并联审批
	// AnyRefusalDenies: one department refusing makes the decision 不予许可.
	AnyRefusalDenies bool `json:"any_refusal_denies"`

	Special []SpecialKind `json:"special"` // 特别程序 the item allows
	// ExtensionMax is how many working days one 延长审批 may add (行政许可法
	// Art 42: 10, or 15 for 统一、联合、集中办理; more only where another law
	// the item names allows it); ExtensionBasis names the rule.
	ExtensionMax   int    `json:"extension_max,omitempty"`
	ExtensionBasis string `json:"extension_basis,omitempty"`
	// Online and Audiences say who may file the item how: online filing
	// only where the guide says 网上办理, and only by the kinds of applicant
	// (person, legal) among its 服务对象.
	Online    bool     `json:"online,omitempty"`
	Audiences []string `json:"audiences,omitempty"`
	// FeeAtAccept: the fee is due before 受理; otherwise (the default) before
	// the result is issued. FeePayment says how to pay.
	FeeAtAccept bool         `json:"fee_at_accept,omitempty"`
	FeePayment  string       `json:"fee_payment,omitempty"`
	Materials   []Material   `json:"materials"`
	Fields      []Field      `json:"fields"`
	Fee         catalog.Fees `json:"fee"` // computable: fixed amounts and formulas over named quantities
	Result      Result       `json:"result"`
}

// Branch is one department's part of the approval: its own steps, assignee
// pool and clock. A case with several branches runs them in parallel.
type Branch struct {
	DepartmentID int64          `json:"department_id"`
	Department   string         `json:"department"`
	Limit        calendar.Limit `json:"limit"` // the branch's own limit; zero = the item's promised limit
	Steps        []Step         `json:"steps"`
}

// Step is one stage of a branch (承办, 审核, 批准 …).
type Step struct {
	Name  string         `json:"name"`
	Role  identity.Role  `json:"role"` // who may act: approver or dept_head of the branch's department
	Limit calendar.Limit `json:"limit"`
}

// SpecialKind is a 特别程序 the item allows.
type SpecialKind struct {
	Code       string `json:"code"` // hearing, expert_review, site_inspection, testing, extension, other
	Name       string `json:"name"` // 听证, 专家评审, 现场勘察, 检验检测, 延长审批 …
	StopsClock bool   `json:"stops_clock"`
	// MaxDays bounds the expected duration the applicant is told of (in
	// Unit; 0: no bound set by the item); Basis is the law the item names.
	MaxDays int           `json:"max_days,omitempty"`
	Unit    calendar.Unit `json:"unit,omitempty"`
	Basis   string        `json:"basis,omitempty"`
}

// DaysUnit is the unit of the procedure's duration (working days unless
// the item says otherwise).
func (k SpecialKind) DaysUnit() calendar.Unit {
	if k.Unit == "" {
		return calendar.UnitWorkday
	}
	return k.Unit
}

// Extension is the code of 延长审批, which extends the legal limit instead
// of stopping the clock.
const Extension = "extension"

// MaterialKind says how a material is handed in.
type MaterialKind string

// Material kinds.
const (
	MaterialUpload MaterialKind = "upload" // uploaded as a file
	MaterialShow   MaterialKind = "show"   // shown at the window
	MaterialSign   MaterialKind = "sign"   // signed at collection
)

// MaxMaterialBytes bounds one uploaded material file.
const MaxMaterialBytes = 10 << 20

// UploadBytes is the most the files of one filing or supplement may hold:
// one file for each material uploaded online, and the signed 委托书 a
// 代办员 files with.
func (p *Procedure) UploadBytes() int64 {
	n := int64(1)
	for _, m := range p.Materials {
		if m.Kind == MaterialUpload {
			n++
		}
	}
	return n * MaxMaterialBytes
}

// Uploads reports whether the material with code is uploaded as a file.
func (p *Procedure) Uploads(code string) bool {
	for _, m := range p.Materials {
		if m.Code == code && m.Kind == MaterialUpload {
			return true
		}
	}
	return false
}

// Material is a required or conditional material of the application.
type Material struct {
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	Kind      MaterialKind `json:"kind"`
	Required  bool         `json:"required"`
	Condition string       `json:"condition,omitempty"` // when a conditional material is needed
	Originals int          `json:"originals"`
	Copies    int          `json:"copies"`
}

// FieldType is the type of an application form field.
type FieldType string

// Field types.
const (
	FieldText   FieldType = "text"
	FieldNumber FieldType = "number"
	FieldDate   FieldType = "date"
	FieldChoice FieldType = "choice"
	FieldEmail  FieldType = "email"
	FieldPhone  FieldType = "phone"
)

// Field is one entry of the application form.
type Field struct {
	Name     string    `json:"name"`
	Label    string    `json:"label"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	Choices  []string  `json:"choices,omitempty"`
	Max      int       `json:"max,omitempty"` // maximum length of a text
	// MinValue and MaxValue bound a number, Unit says what it counts.
	MinValue *float64 `json:"min_value,omitempty"`
	MaxValue *float64 `json:"max_value,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Hint     string   `json:"hint,omitempty"`
}

// Result is what the applicant receives when the case is approved.
type Result struct {
	Name        string `json:"name"` // e.g. 食品经营许可证
	Certificate bool   `json:"certificate"`
	ValidMonths int    `json:"valid_months,omitempty"`
}

// UnmarshalJSON reads a result, including one of a procedure stored while
// its validity in months was written under the key valid_years.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	var v struct {
		plain
		Months int `json:"valid_years"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Result(v.plain)
	if r.ValidMonths == 0 {
		r.ValidMonths = v.Months
	}
	return nil
}

// defaultExtension is Art 42's one extension of at most 10 working days,
// for procedures stored before the item said its own.
const defaultExtension = 10

// ExtensionLimit is how many working days one 延长审批 may add.
func (p *Procedure) ExtensionLimit() int {
	if p.ExtensionMax > 0 {
		return p.ExtensionMax
	}
	return defaultExtension
}

// Serves reports whether an applicant of this kind (person, legal) is
// among the item's 服务对象; a procedure that lists none serves everyone.
func (p *Procedure) Serves(kind string) bool {
	if len(p.Audiences) == 0 {
		return true
	}
	for _, a := range p.Audiences {
		if a == kind {
			return true
		}
	}
	return false
}

// AllowsSpecial returns the allowed special procedure with code.
func (p *Procedure) AllowsSpecial(code string) (SpecialKind, bool) {
	for _, s := range p.Special {
		if s.Code == code {
			return s, true
		}
	}
	return SpecialKind{}, false
}
