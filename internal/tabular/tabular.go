// Package tabular reads and writes the one-sheet .xlsx workbooks that
// departments fill in from a published template (discretion benchmarks,
// penalty decisions): a header row, one record per row, and an
// instructions sheet. Reading checks the file and the header first and
// then hands back every row, so that callers check every cell and refuse a
// file with all its problems listed, writing nothing.
package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"openhall/internal/apperr"

	"github.com/xuri/excelize/v2"
)

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet describes a template: the data sheet's name, its column headers
// and the instructions.
type Sheet struct {
	Name    string
	Headers []string
	Help    [][2]string // (heading, text) rows of the 填写说明 sheet
	MaxRows int
}

// maxFile bounds an uploaded workbook.
const maxFile = 16 << 20

// Write writes rows under the header; no rows is the blank template.
func (s Sheet) Write(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", s.Name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", toAny(s.Headers)); err != nil {
		return err
	}
	for i, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), toAny(r)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := s.writeHelp(f); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func (s Sheet) writeHelp(f *excelize.File) error {
	if len(s.Help) == 0 {
		return nil
	}
	if _, err := f.NewSheet("填写说明"); err != nil {
		return err
	}
	for i, h := range s.Help {
		if err := f.SetSheetRow("填写说明", fmt.Sprintf("A%d", i+1), &[]any{h[0], h[1]}); err != nil {
			return err
		}
	}
	return nil
}

// Row is one non-blank data row: its line number in the sheet and its
// cells, one per header (missing cells are "").
type Row struct {
	Line  int
	Cells []string
}

// Read opens a workbook made from the template and returns its non-blank
// rows, or an Invalid error saying precisely what is wrong with the file:
// not an .xlsx, damaged, the sheet missing, a header changed, too many rows,
// or no data.
func (s Sheet) Read(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, apperr.New(apperr.Invalid, "文件超过 %d MB，请分批导入", maxFile>>20)
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, apperr.New(apperr.Invalid, "文件不是 Excel 工作簿（.xlsx）：请使用“下载模板”得到的格式，另存为 .xlsx 后再导入")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "文件无法作为 .xlsx 工作簿打开，可能已损坏")
	}
	defer f.Close()
	rows, err := f.GetRows(s.Name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "工作簿中没有名为“"+s.Name+"”的工作表")
	}
	if err := s.checkHeader(rows); err != nil {
		return nil, err
	}
	return s.dataRows(rows)
}

func (s Sheet) dataRows(rows [][]string) ([]Row, error) {
	var out []Row
	for i, r := range rows[1:] {
		if blank(r) {
			continue
		}
		cells := make([]string, len(s.Headers))
		for j := range cells {
			if j < len(r) {
				cells[j] = strings.TrimSpace(r[j])
			}
		}
		out = append(out, Row{Line: i + 2, Cells: cells})
	}
	switch {
	case len(out) == 0:
		return nil, apperr.New(apperr.Invalid, "工作表“%s”中没有数据（表头下方没有内容）", s.Name)
	case s.MaxRows > 0 && len(out) > s.MaxRows:
		return nil, apperr.New(apperr.Invalid, "一次最多导入 %d 行，文件中有 %d 行", s.MaxRows, len(out))
	}
	return out, nil
}

func (s Sheet) checkHeader(rows [][]string) error {
	if len(rows) == 0 {
		return apperr.New(apperr.Invalid, "工作表“%s”是空的：第 1 行应为表头", s.Name)
	}
	var problems []string
	for i, h := range s.Headers {
		got := ""
		if i < len(rows[0]) {
			got = strings.TrimSpace(rows[0][i])
		}
		if got != h {
			problems = append(problems, fmt.Sprintf("第 1 行 第 %s 列（表头）：应为“%s”，实际为“%s”", ColumnName(i), h, got))
		}
	}
	if len(problems) > 0 {
		return Problems(problems)
	}
	return nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ColumnName is the spreadsheet letter of a 0-based column.
func ColumnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}

// Describe names a cell for a message: 第 N 行 第 X 列（表头）.
func (s Sheet) Describe(line, col int) string {
	return fmt.Sprintf("第 %d 行 第 %s 列（%s）", line, ColumnName(col), s.Headers[col])
}

// ProblemsError lists every problem of a refused file.
type ProblemsError struct{ List []string }

func (e *ProblemsError) Error() string { return strings.Join(e.List, "\n") }

// Problems returns an Invalid error carrying the list.
func Problems(list []string) error {
	return apperr.Wrap(&ProblemsError{List: list}, apperr.Invalid,
		fmt.Sprintf("文件有 %d 处错误，未导入任何内容；请改正后重新导入", len(list)))
}

// ProblemsOf returns the problems carried by err, if any.
func ProblemsOf(err error) []string {
	var pe *ProblemsError
	if errors.As(err, &pe) {
		return pe.List
	}
	return nil
}
