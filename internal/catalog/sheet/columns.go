package sheet

import (
	"fmt"
	"strings"

	"openhall/internal/catalog"
)

// column is one column of the sheet: its header, the guide fields whose
// errors it shows, and how a cell is read into and written from an item.
type column struct {
	header string
	fields []string // field names, or prefixes before a '.', of catalog errors
	get    func(in *catalog.ItemInput) string
	set    func(in *catalog.ItemInput, cell string) error
	list   bool // one entry per line
}

// text is a column holding one string field.
func text(header, field string, p func(in *catalog.ItemInput) *string) column {
	return column{header: header, fields: []string{field},
		get: func(in *catalog.ItemInput) string { return *p(in) },
		set: func(in *catalog.ItemInput, cell string) error { *p(in) = strings.TrimSpace(cell); return nil }}
}

// code is a column holding one code-table value, written as its label.
func code[T interface {
	~string
	Label() string
}](header, field string, p func(in *catalog.ItemInput) *T, parse func(string) (T, error)) column {
	return column{header: header, fields: []string{field},
		get: func(in *catalog.ItemInput) string { return (*p(in)).Label() },
		set: func(in *catalog.ItemInput, cell string) error {
			v, err := parse(cell)
			if cell == "" {
				v, err = "", nil // blank: left to validation, which names the field
			}
			*p(in) = v
			return err
		}}
}

// flag is a 是/否 column.
func flag(header, field string, p func(in *catalog.ItemInput) *bool) column {
	return column{header: header, fields: []string{field},
		get: func(in *catalog.ItemInput) string { return yesNo(*p(in)) },
		set: func(in *catalog.ItemInput, cell string) (err error) { *p(in), err = yes(cell, header); return err }}
}

// list is a column of code-table values separated by "、".
func list[T interface {
	~string
	Label() string
}](header, field string, p func(in *catalog.ItemInput) *[]T, parse func(string) (T, error)) column {
	return column{header: header, fields: []string{field},
		get: func(in *catalog.ItemInput) string { return labels(*p(in)) },
		set: func(in *catalog.ItemInput, cell string) (err error) { *p(in), err = codes(cell, parse); return err }}
}

// limitCols are the three columns of a time limit.
func limitCols(label, field string, p func(in *catalog.ItemInput) *catalog.TimeLimit) []column {
	return []column{
		{header: label, fields: []string{field},
			get: func(in *catalog.ItemInput) string { return itoa(p(in).N) },
			set: func(in *catalog.ItemInput, cell string) (err error) { p(in).N, err = count(cell, label); return err }},
		{header: label + "单位", fields: []string{field + ".unit"},
			get: func(in *catalog.ItemInput) string { return p(in).Unit.Label() },
			set: func(in *catalog.ItemInput, cell string) error {
				l, err := limit("0", cell, label)
				p(in).Unit = l.Unit
				return err
			}},
		text(label+"说明", field+".note", func(in *catalog.ItemInput) *string { return &p(in).Note }),
	}
}

// columns is the sheet layout, in column order. Its headers are the
// template's header row and the keys of the demo data file.
var columns = func() []column {
	g := func(in *catalog.ItemInput) *catalog.Guide { return &in.Guide }
	cs := []column{
		text("基本编码", "code", func(in *catalog.ItemInput) *string { return &in.Code }),
		text("实施编码", "impl_code", func(in *catalog.ItemInput) *string { return &in.ImplCode }),
		text("事项名称", "name", func(in *catalog.ItemInput) *string { return &g(in).Name }),
		text("实施部门统一社会信用代码", "department_id", func(in *catalog.ItemInput) *string { return &in.DeptCode }),
		code("事项类型", "type", func(in *catalog.ItemInput) *catalog.ItemType { return &g(in).Type }, catalog.ParseItemType),
		code("行使层级", "level", func(in *catalog.ItemInput) *catalog.Level { return &g(in).Level }, catalog.ParseLevel),
		text("实施主体", "subject.name", func(in *catalog.ItemInput) *string { return &g(in).Subject.Name }),
		text("实施主体统一社会信用代码", "subject.credit_code", func(in *catalog.ItemInput) *string { return &g(in).Subject.CreditCode }),
		code("实施主体性质", "subject.nature", func(in *catalog.ItemInput) *catalog.SubjectNature { return &g(in).Subject.Nature }, catalog.ParseSubjectNature),
		coDepartments, legalBases,
		text("受理条件", "conditions", func(in *catalog.ItemInput) *string { return &g(in).Conditions }),
		materials, steps,
	}
	cs = append(cs, limitCols("法定办结时限", "legal_limit", func(in *catalog.ItemInput) *catalog.TimeLimit { return &g(in).LegalLimit })...)
	cs = append(cs, limitCols("承诺办结时限", "promised_limit", func(in *catalog.ItemInput) *catalog.TimeLimit { return &g(in).PromisedLimit })...)
	cs = append(cs,
		code("办件类型", "kind", func(in *catalog.ItemInput) *catalog.CaseKind { return &g(in).Kind }, catalog.ParseCaseKind),
		procedures,
		flag("是否收费", "fees", func(in *catalog.ItemInput) *bool { return &g(in).Fees.Charged }),
		fees,
		text("收费说明", "fees.note", func(in *catalog.ItemInput) *string { return &g(in).Fees.Note }),
		code("缴费时点", "fees.due", func(in *catalog.ItemInput) *catalog.FeePoint { return &g(in).Fees.Due }, catalog.ParseFeePoint),
		text("缴费方式", "fees.payment", func(in *catalog.ItemInput) *string { return &g(in).Fees.Payment }),
		text("办理结果名称", "result.name", func(in *catalog.ItemInput) *string { return &g(in).Result.Name }),
		code("结果类型", "result.type", func(in *catalog.ItemInput) *catalog.ResultType { return &g(in).Result.Type }, catalog.ParseResultType),
		validMonths,
		text("有效期说明", "result.validity", func(in *catalog.ItemInput) *string { return &g(in).Result.Validity }),
		resultSample,
		code("通办范围", "scope", func(in *catalog.ItemInput) *catalog.Scope { return &g(in).Scope }, catalog.ParseScope),
		list("服务对象", "audiences", func(in *catalog.ItemInput) *[]catalog.Audience { return &g(in).Audiences }, catalog.ParseAudience),
		themes,
		list("办理形式", "forms", func(in *catalog.ItemInput) *[]catalog.HandlingForm { return &g(in).Forms }, catalog.ParseHandlingForm),
		text("办理地点", "location", func(in *catalog.ItemInput) *string { return &g(in).Location }),
		text("办理时间", "hours", func(in *catalog.ItemInput) *string { return &g(in).Hours }),
		text("咨询方式", "consult", func(in *catalog.ItemInput) *string { return &g(in).Consult }),
		text("监督投诉方式", "complaint", func(in *catalog.ItemInput) *string { return &g(in).Complaint }),
		flag("是否网办", "online", func(in *catalog.ItemInput) *bool { return &g(in).Online }),
		text("网办地址", "online_url", func(in *catalog.ItemInput) *string { return &g(in).OnlineURL }),
		flag("是否支持预约", "appointment", func(in *catalog.ItemInput) *bool { return &g(in).Appointment }),
		flag("是否支持快递", "delivery", func(in *catalog.ItemInput) *bool { return &g(in).Delivery }),
		faqs,
		code("办理方式", "joint_mode", func(in *catalog.ItemInput) *catalog.JointMode { return &g(in).JointMode }, catalog.ParseJointMode),
		formFields,
	)
	return cs
}()

// Headers lists the column headers in order.
func Headers() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.header
	}
	return out
}

// columnOf returns the index of the column that shows errors of a field:
// the column naming the field exactly, else the one naming its first part.
func columnOf(field string) int {
	for _, try := range []string{field, strings.SplitN(field, ".", 2)[0]} {
		for i, c := range columns {
			for _, f := range c.fields {
				if f == try {
					return i
				}
			}
		}
	}
	if strings.HasPrefix(field, "fees.") {
		return columnOf("fees.items")
	}
	return -1
}

// Cells is one item as named cells, header → text.
type Cells map[string]string

// FieldError is a problem with one cell.
type FieldError struct {
	Column  int // 0-based; -1 when no column is to blame
	Message string
}

// Parse reads an item from cells; every cell that cannot be read is
// reported, by column.
func Parse(cells Cells) (catalog.ItemInput, []FieldError) {
	var in catalog.ItemInput
	var errs []FieldError
	for i, c := range columns {
		if err := c.set(&in, strings.TrimSpace(cells[c.header])); err != nil {
			errs = append(errs, FieldError{Column: i, Message: err.Error()})
		}
	}
	return in, errs
}

// Format writes an item as cells.
func Format(in *catalog.ItemInput) Cells {
	out := Cells{}
	for _, c := range columns {
		out[c.header] = c.get(in)
	}
	return out
}

// Describe names a cell for people: "第 3 行 第 N 列（承诺办结时限）".
func Describe(line, col int) string {
	if col < 0 {
		return fmt.Sprintf("第 %d 行", line)
	}
	return fmt.Sprintf("第 %d 行 第 %s 列（%s）", line, columnName(col), columns[col].header)
}

// Field is one form field of the sheet layout for the HTML form: its name
// (the column's field), its label (the header) and whether it holds a list.
type Field struct {
	Name, Label string
	List        bool
}

// Fields lists the columns as form fields.
func Fields() []Field {
	out := make([]Field, len(columns))
	for i, c := range columns {
		out[i] = Field{Name: c.fields[0], Label: c.header, List: c.list}
	}
	return out
}

// FromForm reads cells from form values named by Fields.
func FromForm(get func(name string) string) Cells {
	c := Cells{}
	for _, col := range columns {
		c[col.header] = get(col.fields[0])
	}
	return c
}

// FormValues writes an item as form values named by Fields.
func FormValues(in *catalog.ItemInput) map[string]string {
	out := map[string]string{}
	for _, c := range columns {
		out[c.fields[0]] = c.get(in)
	}
	return out
}

// FormField names the form field that shows the errors of a catalogue
// field ("materials.2.name" → "materials").
func FormField(field string) string {
	if i := columnOf(field); i >= 0 {
		return columns[i].fields[0]
	}
	return field
}

// FormError maps a cell error to its form field.
func (e FieldError) FormField() string {
	if e.Column < 0 {
		return ""
	}
	return columns[e.Column].fields[0]
}
