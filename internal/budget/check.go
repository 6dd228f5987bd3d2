package budget

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// CellError is one problem, located at the cell of the template where the
// value sits (data rows start on row 3; columns A 编码, B 名称, then amounts).
type CellError struct {
	Table   string `json:"table"`   // table name
	Cell    string `json:"cell"`    // e.g. "C7"
	Column  string `json:"column"`  // the column's title
	Message string `json:"message"` // what is wrong, with the figures
}

func (e CellError) String() string {
	return fmt.Sprintf("《%s》%s（%s）：%s", e.Table, e.Cell, e.Column, e.Message)
}

// CheckError lists every problem of a set of tables.
type CheckError struct{ Errors []CellError }

func (e *CheckError) Error() string {
	parts := make([]string, 0, len(e.Errors))
	for _, c := range e.Errors {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, "；")
}

// maxErrors bounds the list a refusal shows.
const maxErrors = 50

// dataRow is the sheet row of a table's first data row.
const dataRow = 3

// cellOf names the cell of a line's column (-1 = the code, -2 = the name).
func cellOf(seq, col int) string {
	x := col + 3
	switch col {
	case -1:
		x = 1
	case -2:
		x = 2
	}
	c, _ := excelize.CoordinatesToCellName(x, seq+dataRow)
	return c
}

// checker collects errors over one set of tables.
type checker struct {
	schema *Schema
	tables map[string][]Line
	errs   []CellError
}

func (c *checker) add(t *Table, seq, col int, format string, args ...any) {
	if len(c.errs) >= maxErrors {
		return
	}
	title := "科目编码"
	switch {
	case col == -2:
		title = "科目名称"
	case col >= 0 && col < len(t.Columns):
		title = t.Columns[col]
	}
	c.errs = append(c.errs, CellError{Table: t.Name, Cell: cellOf(seq, col), Column: title, Message: fmt.Sprintf(format, args...)})
}

// Check verifies a whole set of tables: the rows each table must have,
// codes and names, the row sums, that every 类 and 款 is the sum of its 款
// and 项 (fixed totals the sum of their rows), the balances inside a table
// and the agreements between tables of the schema. It returns nil or a
// *CheckError.
func Check(sc *Schema, lines []Line) error {
	c := &checker{schema: sc, tables: map[string][]Line{}}
	for _, l := range lines {
		if sc.Table(l.Table) == nil {
			c.errs = append(c.errs, CellError{Table: l.Table, Cell: "-", Column: "报表", Message: "“" + sc.Name + "”中没有这张报表"})
			continue
		}
		c.tables[l.Table] = append(c.tables[l.Table], l)
	}
	structured := len(c.errs) == 0
	for i := range sc.Tables {
		if !c.structure(&sc.Tables[i]) {
			structured = false
		}
	}
	if !structured {
		return c.err()
	}
	for i := range sc.Tables {
		t := &sc.Tables[i]
		c.rowSums(t)
		c.hierarchy(t)
	}
	c.balances()
	c.agreements()
	return c.err()
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &CheckError{Errors: c.errs}
}

// structure checks codes, names and the number of amounts of one table.
func (c *checker) structure(t *Table) bool {
	before := len(c.errs)
	seen := map[string]bool{}
	for _, l := range c.tables[t.Key] {
		if len(l.Amounts) != len(t.Columns) {
			c.add(t, l.Seq, 0, "应有 %d 个金额列，实有 %d 个", len(t.Columns), len(l.Amounts))
			continue
		}
		c.checkCode(t, l, seen)
		for j, a := range l.Amounts {
			if a < 0 {
				c.add(t, l.Seq, j, "金额不能为负数（%s）", a)
			}
		}
	}
	c.missing(t, seen)
	return len(c.errs) == before
}

var (
	functionalCode = regexp.MustCompile(`^(\d{3}|\d{5}|\d{7})$`)
	economicCode   = regexp.MustCompile(`^(\d{3}|\d{5})$`)
	revenueCode    = regexp.MustCompile(`^1(\d{2}|\d{4}|\d{6})$`)
	regionCode     = regexp.MustCompile(`^[1-9]\d{5}$`)
)

func (c *checker) checkCode(t *Table, l Line, seen map[string]bool) {
	if strings.TrimSpace(l.Name) == "" {
		c.add(t, l.Seq, -2, "请填写科目名称")
	}
	if seen[l.Code] {
		c.add(t, l.Seq, -1, "编码 %s 重复出现", codeLabel(l.Code))
	}
	seen[l.Code] = true
	switch {
	case t.Coding == Fixed && t.fixedRow(l.Code) == nil:
		c.add(t, l.Seq, -1, "本表没有行次代码 %s，请使用模板中的行次", codeLabel(l.Code))
	case t.Coding == Functional && l.Code != TotalCode && !functionalCode.MatchString(l.Code):
		c.add(t, l.Seq, -1, "功能分类科目编码应为 3 位（类）、5 位（款）或 7 位（项）数字，不是“%s”", l.Code)
	case t.Coding == Economic && l.Code != TotalCode && !economicCode.MatchString(l.Code):
		c.add(t, l.Seq, -1, "经济分类科目编码应为 3 位（类）或 5 位（款）数字（基本支出细化到款），不是“%s”", l.Code)
	case t.Coding == Revenue && l.Code != TotalCode && !revenueCode.MatchString(l.Code):
		c.add(t, l.Seq, -1, "收入分类科目编码应为以 1 开头的 3 位（类）、5 位（款）或 7 位（项）数字，不是“%s”", l.Code)
	case t.Coding == Region && l.Code != TotalCode && !regionCode.MatchString(l.Code):
		c.add(t, l.Seq, -1, "地区应填 6 位行政区划代码（GB/T 2260），不是“%s”", l.Code)
	case t.Coding != Fixed && t.parent(l.Code) != TotalCode && !seen[t.parent(l.Code)]:
		c.add(t, l.Seq, -1, "科目 %s 的上级科目 %s 应列在它之前", l.Code, t.parent(l.Code))
	}
}

// missing reports the rows a table must have but lacks.
func (c *checker) missing(t *Table, seen map[string]bool) {
	next := len(c.tables[t.Key])
	if t.Coding != Fixed {
		if !seen[TotalCode] {
			c.add(t, 0, -2, "缺少“合计”行（科目编码留空、名称为“合计”，列在第一行）")
		}
		return
	}
	for _, r := range t.Rows {
		if !seen[r.Code] {
			c.add(t, next, -1, "缺少行次 %s %s", r.Code, r.Name)
			next++
		}
	}
}

func codeLabel(code string) string {
	if code == TotalCode {
		return "（合计）"
	}
	return code
}

// parent is the 类 of a 款 or the 款 of a 项; a region's parent, and a
// 类's, is the 合计 row.
func (t *Table) parent(code string) string {
	if t.Coding == Region || len(code) <= 3 {
		return TotalCode
	}
	return code[:len(code)-2]
}

// rowSums checks column 0 = the sum of the others on every row.
func (c *checker) rowSums(t *Table) {
	if !t.RowSum {
		return
	}
	for _, l := range c.tables[t.Key] {
		var sum Amount
		parts := make([]string, 0, len(l.Amounts)-1)
		for j := 1; j < len(l.Amounts); j++ {
			sum += l.Amounts[j]
			parts = append(parts, t.Columns[j])
		}
		if sum != l.Amounts[0] {
			c.add(t, l.Seq, 0, "%s %s 的%s %s 不等于 %s 之和 %s", codeLabel(l.Code), l.Name, t.Columns[0], l.Amounts[0],
				strings.Join(parts, "、"), sum)
		}
	}
}

// hierarchy checks that every parent row is the sum of its children.
func (c *checker) hierarchy(t *Table) {
	rows := c.tables[t.Key]
	byCode := map[string]Line{}
	for _, l := range rows {
		byCode[l.Code] = l
	}
	for _, l := range rows {
		kids := c.children(t, l, rows)
		if len(kids) == 0 {
			continue
		}
		for j := range l.Amounts {
			var sum Amount
			for _, k := range kids {
				sum += byCode[k].Amounts[j]
			}
			if sum != l.Amounts[j] {
				c.add(t, l.Seq, j, "%s %s 为 %s，其下%s之和为 %s，相差 %s", codeLabel(l.Code), l.Name, l.Amounts[j],
					childLabel(t, l.Code), sum, l.Amounts[j]-sum)
			}
		}
	}
}

// children lists the codes a row sums: a fixed row's Of, or the coded
// rows one level below (the 类 under 合计).
func (c *checker) children(t *Table, l Line, rows []Line) []string {
	if t.Coding == Fixed {
		return t.fixedRow(l.Code).Of
	}
	var out []string
	for _, k := range rows {
		if k.Code != TotalCode && t.parent(k.Code) == l.Code {
			out = append(out, k.Code)
		}
	}
	return out
}

func childLabel(t *Table, code string) string {
	switch {
	case t.Coding == Fixed:
		return "各分项"
	case t.Coding == Region:
		return "各地区"
	case code == TotalCode:
		return "各类"
	case len(code) == 3:
		return "各款"
	}
	return "各项"
}

// cell returns a table's line by code.
func (c *checker) cell(table, code string) (Line, bool) {
	for _, l := range c.tables[table] {
		if l.Code == code {
			return l, true
		}
	}
	return Line{}, false
}

func (c *checker) balances() {
	for _, b := range c.schema.Balances {
		t := c.schema.Table(b.Table)
		x, ok1 := c.cell(b.Table, b.Row)
		y, ok2 := c.cell(b.Table, b.Other)
		if ok1 && ok2 && x.Amounts[0] != y.Amounts[0] {
			c.add(t, x.Seq, 0, "%s %s 不等于 %s（%s 行）%s，收支不平衡", x.Name, x.Amounts[0], y.Name, cellOf(y.Seq, 0), y.Amounts[0])
		}
	}
}

func (c *checker) agreements() {
	for _, a := range c.schema.Agreements {
		t, o := c.schema.Table(a.Table), c.schema.Table(a.Other)
		x, ok1 := c.cell(a.Table, a.Row)
		y, ok2 := c.cell(a.Other, a.OtherRow)
		if ok1 && ok2 && x.Amounts[a.Col] != y.Amounts[a.OtherCol] {
			c.add(t, x.Seq, a.Col, "%s %s 与《%s》%s（%s %s）%s 不一致", x.Name, x.Amounts[a.Col], o.Name,
				cellOf(y.Seq, a.OtherCol), y.Name, o.Columns[a.OtherCol], y.Amounts[a.OtherCol])
		}
	}
}
