package budget

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"openhall/internal/apperr"

	"github.com/xuri/excelize/v2"
)

// XLSXType is the media type of the workbooks.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// maxLines bounds the rows of one imported table.
const maxLines = 5000

// WriteWorkbook writes the set's tables as the published template: one
// sheet per table named as the table, a title row, a header row (编码,
// 名称, the amount columns in 万元) and the data from row 3. Without lines
// it is the blank template, fixed rows and 合计 rows already in place.
func WriteWorkbook(w io.Writer, sc *Schema, title string, lines []Line) error {
	f := excelize.NewFile()
	defer f.Close()
	byTable := map[string][]Line{}
	for _, l := range lines {
		byTable[l.Table] = append(byTable[l.Table], l)
	}
	for i := range sc.Tables {
		t := &sc.Tables[i]
		if err := writeSheet(f, t, title, rowsFor(t, byTable[t.Key])); err != nil {
			return err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// rowsFor is what a sheet shows: the lines, or the template's rows.
func rowsFor(t *Table, lines []Line) []Line {
	if len(lines) > 0 {
		return lines
	}
	if t.Coding != Fixed {
		return []Line{{Table: t.Key, Code: TotalCode, Name: "合计"}}
	}
	out := make([]Line, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = Line{Table: t.Key, Seq: i, Code: r.Code, Name: r.Name}
	}
	return out
}

func writeSheet(f *excelize.File, t *Table, title string, lines []Line) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	head := []any{"科目编码", "科目名称"}
	if t.Coding == Fixed {
		head = []any{"行次代码", "项目"}
	}
	for _, c := range t.Columns {
		head = append(head, c)
	}
	rows := [][]any{{strings.TrimSpace(title+" "+t.Name) + "（单位：万元）"}, head}
	for _, l := range lines {
		row := []any{l.Code, l.Name}
		for _, a := range l.Amounts {
			row = append(row, float64(a)/100)
		}
		rows = append(rows, row)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(t.Name, cell, &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(t.Name, "B", "B", 36)
}

// ParseWorkbook reads every table of an imported workbook. A cell that is
// not an amount, a missing sheet or an unreadable file is refused with its
// place; the balances are checked afterwards by Check.
func ParseWorkbook(sc *Schema, data []byte) ([]Line, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, apperr.Field("file", "无法读取该文件：请上传由模板填写的 .xlsx 工作簿")
	}
	defer f.Close()
	c := &checker{schema: sc}
	var lines []Line
	for i := range sc.Tables {
		lines = append(lines, c.parseSheet(f, &sc.Tables[i])...)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return lines, nil
}

func (c *checker) parseSheet(f *excelize.File, t *Table) []Line {
	rows, err := f.GetRows(t.Name, excelize.Options{RawCellValue: true})
	if err != nil {
		c.errs = append(c.errs, CellError{Table: t.Name, Cell: "-", Column: "工作表", Message: "工作簿中没有名为“" + t.Name + "”的工作表，请使用“" + c.schema.Name + "”"})
		return nil
	}
	var out []Line
	for r := dataRow - 1; r < len(rows) && len(out) <= maxLines; r++ {
		cells := rows[r]
		if blank(cells) {
			continue
		}
		l := Line{Table: t.Key, Seq: r - (dataRow - 1), Code: cellText(cells, 0), Name: cellText(cells, 1)}
		if l.Code == "" && t.Coding != Fixed && strings.TrimSpace(l.Name) == "合计" {
			l.Code = TotalCode
		}
		for j := range t.Columns {
			a, ok := parseAmount(cellText(cells, j+2))
			if !ok {
				c.add(t, l.Seq, j, "“%s”不是金额：请填写以万元为单位、最多两位小数的数字", cellText(cells, j+2))
			}
			l.Amounts = append(l.Amounts, a)
		}
		out = append(out, l)
	}
	return out
}

func blank(cells []string) bool {
	for _, s := range cells {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func cellText(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// parseAmount reads 万元 with at most two decimals; an empty cell is 0.
func parseAmount(s string) (Amount, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" || s == "-" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || math.Abs(v) > 1e13 {
		return 0, false
	}
	cents := math.Round(v * 100)
	if math.Abs(v*100-cents) > 1e-6*math.Max(1, math.Abs(cents)) {
		return 0, false
	}
	return Amount(cents), true
}

// FileName is the download name of a set's workbook.
func FileName(title string) string { return fmt.Sprintf("%s.xlsx", title) }
