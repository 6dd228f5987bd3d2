package sheet

import (
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// listColumn is a column of entries, one per line, each split by |.
func listColumn(header, field string, n int, get func(in *catalog.ItemInput) []string,
	set func(in *catalog.ItemInput, p []string, i int) error) column {
	return column{header: header, fields: []string{field}, list: true,
		get: func(in *catalog.ItemInput) string { return strings.Join(get(in), "\n") },
		set: func(in *catalog.ItemInput, cell string) error {
			for i, l := range lines(cell) {
				p, err := parts(l, n, header, i)
				if err == nil {
					err = set(in, p, i)
				}
				if err != nil {
					return err
				}
			}
			return nil
		}}
}

var coDepartments = listColumn("共同实施部门", "co_departments", 1,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, d := range in.Guide.CoDepartments {
			out = append(out, d.CreditCode)
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, _ int) error {
		in.Guide.CoDepartments = append(in.Guide.CoDepartments, catalog.DeptRef{CreditCode: p[0]})
		return nil
	})

// legalBases: 法律法规名称|条款|条文摘要
var legalBases = listColumn("设定依据", "legal_bases", 3,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, b := range in.Guide.LegalBases {
			out = append(out, join(b.Law, b.Article, b.Text))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, _ int) error {
		in.Guide.LegalBases = append(in.Guide.LegalBases, catalog.LegalBasis{Law: p[0], Article: p[1], Text: p[2]})
		return nil
	})

// materials: 名称|来源渠道|出具单位|原件份数|复印件份数|是否必要|提交情形|提交方式|空白表格文件号|样表文件号|备注
var materials = listColumn("申请材料", "materials", 11,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, m := range in.Guide.Materials {
			out = append(out, join(m.Name, m.Source, m.Issuer, itoa(m.Originals), itoa(m.Copies), m.Need.Label(), m.Condition,
				m.Type.Label(), fmtFile(m.Form), fmtFile(m.Sample), m.Note))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, i int) error {
		m := catalog.Material{Name: p[0], Source: p[1], Issuer: p[2], Condition: p[6], Note: p[10]}
		what := fmt.Sprintf("第 %d 项材料的", i+1)
		var errs []error
		var err error
		m.Originals, err = count(p[3], what+"原件份数")
		errs = append(errs, err)
		m.Copies, err = count(p[4], what+"复印件份数")
		errs = append(errs, err)
		m.Need, err = catalog.ParseNeed(p[5])
		errs = append(errs, err)
		m.Type, err = catalog.ParseMaterialType(p[7])
		errs = append(errs, err)
		m.Form, err = fileRef(p[8], what+"空白表格")
		errs = append(errs, err)
		m.Sample, err = fileRef(p[9], what+"样表")
		errs = append(errs, err)
		in.Guide.Materials = append(in.Guide.Materials, m)
		return first(errs)
	})

func first(errs []error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var stepRoles = []identity.Role{identity.RoleWindowClerk, identity.RoleApprover, identity.RoleDeptHead}

func parseRole(s string) (identity.Role, error) {
	for _, r := range stepRoles {
		if s == string(r) || s == r.Label() {
			return r, nil
		}
	}
	return "", fmt.Errorf("办理角色“%s”应为窗口人员、审批人员或部门负责人", s)
}

// steps: 环节名称|办理角色|时限|时限单位|窗口用时（分钟）|等候时间（分钟）|是否并行|办理部门信用代码|说明
var steps = listColumn("办理流程", "steps", 9,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, s := range in.Guide.Steps {
			dept := ""
			if s.Department != nil {
				dept = s.Department.CreditCode
			}
			out = append(out, join(s.Name, s.Role.Label(), itoa(s.Limit.N), s.Limit.Unit.Label(), itoa(s.CounterMin),
				itoa(s.WaitMin), yesNo(s.Parallel), dept, s.Description))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, i int) error {
		s := catalog.Step{Name: p[0], Description: p[8]}
		what := fmt.Sprintf("第 %d 个环节的", i+1)
		var errs []error
		var err error
		s.Role, err = parseRole(p[1])
		errs = append(errs, err)
		s.Limit, err = limit(p[2], p[3], what+"时限")
		errs = append(errs, err)
		s.CounterMin, err = count(p[4], what+"窗口用时")
		errs = append(errs, err)
		s.WaitMin, err = count(p[5], what+"等候时间")
		errs = append(errs, err)
		s.Parallel, err = yes(p[6], what+"是否并行")
		errs = append(errs, err)
		if p[7] != "" {
			s.Department = &catalog.DeptRef{CreditCode: p[7]}
		}
		in.Guide.Steps = append(in.Guide.Steps, s)
		return first(errs)
	})

// procedures: 种类|名称|是否中止计时|时限|时限单位|依据
var procedures = listColumn("特别程序", "special_procedures", 6,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, p := range in.Guide.Procedures {
			out = append(out, join(p.Kind.Label(), p.Name, yesNo(p.StopsClock), itoa(p.MaxLimit.N), p.MaxLimit.Unit.Label(), p.Basis))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, i int) error {
		pr := catalog.Procedure{Name: p[1], Basis: p[5]}
		what := fmt.Sprintf("第 %d 项特别程序的", i+1)
		var errs []error
		var err error
		pr.Kind, err = catalog.ParseProcedureKind(p[0])
		errs = append(errs, err)
		pr.StopsClock, err = yes(p[2], what+"是否中止计时")
		errs = append(errs, err)
		pr.MaxLimit, err = limit(p[3], p[4], what+"时限")
		errs = append(errs, err)
		in.Guide.Procedures = append(in.Guide.Procedures, pr)
		return first(errs)
	})

// fees: 名称|收费依据|收费标准|金额（元）|计费数量|基数（元）|单价（元）|免计数量|最低（元）|最高（元）
var fees = listColumn("收费项目", "fees.items", 10,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, f := range in.Guide.Fees.Items {
			p := []string{f.Name, f.Basis, f.Standard, fmtYuan(f.AmountFen), "", "", "", "", "", ""}
			if m := f.Formula; m != nil {
				p[4], p[5], p[6], p[7], p[8], p[9] = m.Quantity, fmtYuan(m.BaseFen), fmtYuan(m.UnitFen), itoa(int(m.Free)), fmtYuan(m.MinFen), fmtYuan(m.MaxFen)
			}
			out = append(out, join(p...))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, i int) error {
		f := catalog.Fee{Name: p[0], Basis: p[1], Standard: p[2]}
		what := fmt.Sprintf("第 %d 项收费的", i+1)
		var err error
		if f.AmountFen, err = yuan(p[3], what+"金额"); err == nil && p[4] != "" {
			f.Formula, err = formula(p, what)
		}
		in.Guide.Fees.Items = append(in.Guide.Fees.Items, f)
		return err
	})

func formula(p []string, what string) (*catalog.Formula, error) {
	m := &catalog.Formula{Quantity: p[4]}
	var errs []error
	var err error
	var free int
	m.BaseFen, err = yuan(p[5], what+"基数")
	errs = append(errs, err)
	m.UnitFen, err = yuan(p[6], what+"单价")
	errs = append(errs, err)
	free, err = count(p[7], what+"免计数量")
	m.Free = int64(free)
	errs = append(errs, err)
	m.MinFen, err = yuan(p[8], what+"最低金额")
	errs = append(errs, err)
	m.MaxFen, err = yuan(p[9], what+"最高金额")
	errs = append(errs, err)
	return m, first(errs)
}

var validMonths = column{header: "有效期（月）", fields: []string{"result.valid_months"},
	get: func(in *catalog.ItemInput) string { return itoa(in.Guide.Result.ValidMonths) },
	set: func(in *catalog.ItemInput, cell string) (err error) {
		in.Guide.Result.ValidMonths, err = count(cell, "有效期（月）")
		return err
	}}

var resultSample = column{header: "结果样本文件号", fields: []string{"result.sample"},
	get: func(in *catalog.ItemInput) string { return fmtFile(in.Guide.Result.Sample) },
	set: func(in *catalog.ItemInput, cell string) (err error) {
		in.Guide.Result.Sample, err = fileRef(cell, "结果样本")
		return err
	}}

var themes = column{header: "服务主题", fields: []string{"themes"},
	get: func(in *catalog.ItemInput) string { return strings.Join(in.Guide.Themes, "、") },
	set: func(in *catalog.ItemInput, cell string) (err error) {
		in.Guide.Themes, err = codes(cell, func(s string) (string, error) { return s, nil })
		return err
	}}

// faqs: 问题|解答
var faqs = listColumn("常见问题", "faqs", 2,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, q := range in.Guide.FAQs {
			out = append(out, join(q.Question, q.Answer))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, _ int) error {
		in.Guide.FAQs = append(in.Guide.FAQs, catalog.FAQ{Question: p[0], Answer: p[1]})
		return nil
	})

// columnName is the Excel letter name of a 0-based column: 0 → A, 26 → AA.
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// formFields: 名称|类型|是否必填|最小值|最大值|单位|选项（以、分隔）|填写说明
var formFields = listColumn("申请表字段", "fields", 8,
	func(in *catalog.ItemInput) []string {
		var out []string
		for _, f := range in.Guide.Fields {
			out = append(out, join(f.Name, f.Type.Label(), yesNo(f.Required), fmtNum(f.Min), fmtNum(f.Max), f.Unit,
				strings.Join(f.Choices, "、"), f.Hint))
		}
		return out
	},
	func(in *catalog.ItemInput, p []string, i int) error {
		f := catalog.FormField{Name: p[0], Unit: p[5], Hint: p[7]}
		what := fmt.Sprintf("第 %d 个申请表字段的", i+1)
		var errs []error
		var err error
		f.Type, err = catalog.ParseFieldType(p[1])
		errs = append(errs, err)
		f.Required, err = yes(p[2], what+"是否必填")
		errs = append(errs, err)
		f.Min, err = optNum(p[3], what+"最小值")
		errs = append(errs, err)
		f.Max, err = optNum(p[4], what+"最大值")
		errs = append(errs, err)
		if p[6] != "" {
			f.Choices = strings.Split(p[6], "、")
		}
		in.Guide.Fields = append(in.Guide.Fields, f)
		return first(errs)
	})

func fmtNum(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// optNum parses an optional number; blank is none.
func optNum(s, what string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("%s“%s”应为数字", what, s)
	}
	return &v, nil
}
