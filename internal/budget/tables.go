package budget

import "openhall/internal/apperr"

// The standard table set of a department's 预算 and 决算 (部门预算/决算公开
// 参考格式). 预算法实施条例 (2020) Art 6 sets the detail: expenditure by
// functional class (功能分类) down to 项, basic expenditure by economic class
// (经济分类) down to 款, and the "三公" items separately (seed 000 §7:
// 细化到“项”级科目; 出国出境、公务接待、公务用车). The layout below follows the
// common national reference format; the exact column set varies a little by
// province, which the reference material does not pin down (unverified).

// Coding is how a table's rows are keyed.
type Coding int

// Codings.
const (
	Fixed      Coding = iota // fixed rows with codes of this product (I01, S00 …)
	Functional               // 支出功能分类科目: 类 3 digits, 款 5, 项 7
	Economic                 // 支出经济分类科目: 类 3 digits, 款 5
	Revenue                  // 收入分类科目: 类 3 digits from 1, 款 5, 项 7
	Region                   // 行政区划代码 (GB/T 2260), 6 digits, under 合计 only
)

// Table is one table of the set.
type Table struct {
	Key     string
	Name    string
	Columns []string // amount columns; for coded tables the first is 合计
	Coding  Coding
	Rows    []FixedRow // fixed tables only, in display order
	RowSum  bool       // column 0 is the sum of the other columns, per row
}

// FixedRow is a row of a fixed table; Of lists the rows it sums.
type FixedRow struct {
	Code string
	Name string
	Of   []string
}

// Agreement says that a cell of one table equals a cell of another
// (the tables agree with each other); Row "" is a coded table's 合计 row.
type Agreement struct {
	Table, Row string
	Col        int
	Other      string
	OtherRow   string
	OtherCol   int
}

// Balance says two rows of one fixed table are equal (收入总计 = 支出总计).
type Balance struct {
	Table, Row, Other string
}

// Schema is one table set: its tables in workbook order, the balances
// inside them and the agreements between them.
type Schema struct {
	Name       string // how its template is named
	Summary    string // what the published document says it contains
	Tables     []Table
	Balances   []Balance
	Agreements []Agreement
}

// sanGongTable is the "三公" table, common to both sets.
var sanGongTable = Table{Key: "sangong", Name: "“三公”经费支出表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
	{"S00", "合计", []string{"S01", "S02", "S03"}},
	{"S01", "因公出国（境）费", nil},
	{"S02", "公务用车购置及运行费", []string{"S21", "S22"}},
	{"S21", "其中：公务用车购置费", nil},
	{"S22", "　　　公务用车运行费", nil},
	{"S03", "公务接待费", nil},
}}

// Department is the set of a department's 预算 and 决算.
var Department = &Schema{Name: "部门预决算公开模板",
	Summary:    "含收支总表、一般公共预算支出表（功能分类到项）、基本支出表（经济分类到款）和“三公”经费支出表。",
	Tables:     departmentTables,
	Balances:   []Balance{{"summary", "I00", "E00"}, {"fiscal", "F00", "G00"}},
	Agreements: departmentAgreements,
}

var departmentTables = []Table{
	{Key: "summary", Name: "收支总表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"I01", "一、一般公共预算拨款收入", nil}, {"I02", "二、政府性基金预算拨款收入", nil},
		{"I03", "三、国有资本经营预算拨款收入", nil}, {"I04", "四、事业收入", nil}, {"I05", "五、事业单位经营收入", nil},
		{"I06", "六、其他收入", nil}, {"I07", "七、上年结转结余", nil},
		{"I00", "收入总计", []string{"I01", "I02", "I03", "I04", "I05", "I06", "I07"}},
		{"E01", "一、基本支出", nil}, {"E02", "二、项目支出", nil}, {"E03", "三、结转下年", nil},
		{"E00", "支出总计", []string{"E01", "E02", "E03"}},
	}},
	{Key: "income", Name: "收入总表", Coding: Functional, RowSum: true, Columns: []string{"合计", "上年结转", "一般公共预算拨款",
		"政府性基金预算拨款", "国有资本经营预算拨款", "事业收入", "事业单位经营收入", "其他收入"}},
	{Key: "expense", Name: "支出总表", Coding: Functional, RowSum: true, Columns: []string{"合计", "基本支出", "项目支出"}},
	{Key: "fiscal", Name: "财政拨款收支总表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"F01", "一般公共预算拨款", nil}, {"F02", "政府性基金预算拨款", nil}, {"F03", "国有资本经营预算拨款", nil},
		{"F00", "财政拨款收入合计", []string{"F01", "F02", "F03"}},
		{"G01", "一般公共预算支出", nil}, {"G02", "政府性基金预算支出", nil}, {"G03", "国有资本经营预算支出", nil},
		{"G00", "财政拨款支出合计", []string{"G01", "G02", "G03"}},
	}},
	{Key: "gpb", Name: "一般公共预算支出表", Coding: Functional, RowSum: true, Columns: []string{"合计", "基本支出", "项目支出"}},
	{Key: "gpbbasic", Name: "一般公共预算基本支出表", Coding: Economic, RowSum: true, Columns: []string{"合计", "人员经费", "公用经费"}},
	{Key: "gf", Name: "政府性基金预算支出表", Coding: Functional, RowSum: true, Columns: []string{"合计", "基本支出", "项目支出"}},
	sanGongTable,
}

var departmentAgreements = []Agreement{
	{"income", "", 0, "summary", "I00", 0},
	{"income", "", 1, "summary", "I07", 0},
	{"income", "", 2, "summary", "I01", 0},
	{"income", "", 3, "summary", "I02", 0},
	{"income", "", 4, "summary", "I03", 0},
	{"income", "", 5, "summary", "I04", 0},
	{"income", "", 6, "summary", "I05", 0},
	{"income", "", 7, "summary", "I06", 0},
	{"expense", "", 1, "summary", "E01", 0},
	{"expense", "", 2, "summary", "E02", 0},
	{"fiscal", "F01", 0, "summary", "I01", 0},
	{"fiscal", "F02", 0, "summary", "I02", 0},
	{"fiscal", "F03", 0, "summary", "I03", 0},
	{"gpb", "", 0, "fiscal", "G01", 0},
	{"gpbbasic", "", 0, "gpb", "", 1},
	{"gf", "", 0, "fiscal", "G02", 0},
}

// Table returns a table of the set by key, nil if unknown.
func (s *Schema) Table(key string) *Table {
	for i := range s.Tables {
		if s.Tables[i].Key == key {
			return &s.Tables[i]
		}
	}
	return nil
}

// fixedRow returns a fixed row of the table by code.
func (t *Table) fixedRow(code string) *FixedRow {
	for i := range t.Rows {
		if t.Rows[i].Code == code {
			return &t.Rows[i]
		}
	}
	return nil
}

// TotalCode is the code of a coded table's 合计 row.
const TotalCode = ""

// SanGong are the rows of the "三公" table, in display order.
var SanGong = []string{"S00", "S01", "S02", "S21", "S22", "S03"}

// TemplateSchema is the table set whose blank template a request for kind
// asks for: a department's when kind is empty.
func TemplateSchema(kind string) (*Schema, error) {
	if kind == "" {
		return Department, nil
	}
	if k := Kind(kind); k.Valid() {
		return k.Schema(), nil
	}
	return nil, apperr.Field("kind", "类型应为 budget（部门预算）、final（部门决算）、gov_budget（本级政府预算）或 gov_final（本级政府决算）")
}
