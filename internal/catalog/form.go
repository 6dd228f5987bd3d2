package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// FieldType is the type of an application form field (申请表字段).
type FieldType string

// Field types.
const (
	FieldText   FieldType = "text"
	FieldNumber FieldType = "number" // with an optional range and unit
	FieldDate   FieldType = "date"
	FieldChoice FieldType = "choice"
	FieldEmail  FieldType = "email"
	FieldPhone  FieldType = "phone" // a mainland mobile number
)

var fieldTypes = table[FieldType]{{"text", "文本"}, {"number", "数字"}, {"date", "日期"}, {"choice", "选项"},
	{"email", "电子邮箱"}, {"phone", "手机号码"}}

// Label is the type's Chinese name.
func (t FieldType) Label() string { return fieldTypes.label(t) }

// ParseFieldType accepts a code or a label.
func ParseFieldType(s string) (FieldType, error) {
	if v, ok := fieldTypes.parse(s); ok {
		return v, nil
	}
	return "", fieldTypes.parseErr("字段类型", s)
}

// FormField is one entry of the item's application form. Its name is both
// its label and its key; a fee formula's quantity is a number field of the
// same name, so the fee is computed from what the applicant declared.
type FormField struct {
	Name     string    `json:"name"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	Min      *float64  `json:"min,omitempty"` // numbers: the smallest value allowed
	Max      *float64  `json:"max,omitempty"` // numbers: the largest value allowed
	Unit     string    `json:"unit,omitempty"`
	Choices  []string  `json:"choices,omitempty"`
	Hint     string    `json:"hint,omitempty"`
}

// reservedFields are the names the application form uses itself.
var reservedFields = []string{"summary"}

func (g *Guide) checkFields(f *apperr.Fields) {
	seen := map[string]bool{}
	for i, fd := range g.Fields {
		p, n := "fields."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 个申请表字段", i+1)
		name := strings.TrimSpace(fd.Name)
		f.Check(name == "" || utf8.RuneCountInString(name) > 50, p+"name", n+"的名称须为 1–50 个字")
		f.Check(seen[name] || contains(reservedFields, name), p+"name", fmt.Sprintf("%s的名称“%s”重复", n, name))
		seen[name] = true
		f.Check(fd.Type.Label() == "", p+"type", n+"的类型无效："+fieldTypes.choices())
		f.Check(fd.Type == FieldChoice && len(fd.Choices) < 2, p+"choices", n+"是选项字段，至少需要两个选项")
		f.Check(fd.Type != FieldNumber && (fd.Min != nil || fd.Max != nil || fd.Unit != ""), p+"type", n+"不是数字字段，不能设置范围或单位")
		f.Check(fd.Min != nil && fd.Max != nil && *fd.Min > *fd.Max, p+"min", n+"的最小值不能大于最大值")
		f.Check(utf8.RuneCountInString(fd.Unit) > 10, p+"unit", n+"的单位不能超过 10 个字")
	}
	for _, q := range g.Fees.Quantities() {
		if fd, ok := g.Field(q); ok {
			f.Check(fd.Type != FieldNumber || fd.Min == nil || *fd.Min < 0, "fields", fmt.Sprintf("申请表字段“%s”用于计算费用，应为最小值不小于 0 的数字字段", q))
		}
	}
}

// Field returns the form field of a name.
func (g *Guide) Field(name string) (FormField, bool) {
	for _, fd := range g.Fields {
		if fd.Name == name {
			return fd, true
		}
	}
	return FormField{}, false
}

// RangeText says a number field's range and unit in words: "0.01–10000 平方米".
func (fd FormField) RangeText() string {
	num := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	var r string
	switch {
	case fd.Min != nil && fd.Max != nil:
		r = num(fd.Min) + "–" + num(fd.Max)
	case fd.Min != nil:
		r = "不小于 " + num(fd.Min)
	case fd.Max != nil:
		r = "不大于 " + num(fd.Max)
	}
	return strings.TrimSpace(r + " " + fd.Unit)
}
