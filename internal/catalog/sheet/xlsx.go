package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/catalog"

	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the catalogue sheet; the template also has a
// sheet of instructions.
const SheetName = "事项目录"

// MaxRows bounds an import: a whole province's catalogue fits.
const MaxRows = 20000

// Write writes items as an .xlsx workbook: the header row, one row per
// item and the instructions sheet. An empty list is the blank template.
func Write(w io.Writer, items []catalog.ItemInput) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", toAny(Headers())); err != nil {
		return err
	}
	for i := range items {
		cells := Format(&items[i])
		row := make([]string, len(columns))
		for j, c := range columns {
			row[j] = cells[c.header]
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), toAny(row)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeHelp(f); err != nil {
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

// help explains each list column's line format and the code tables.
var help = [][2]string{
	{"总体", "每行一个事项；多项内容（材料、环节等）每项占单元格中的一行，各部分以 | 分隔；导入只生成草稿，须经审核后发布。"},
	{"设定依据", "法律法规名称|条款|条文摘要"},
	{"申请材料", "名称|来源渠道|出具单位|原件份数|复印件份数|是否必要（必要/按情形提交）|提交情形|提交方式（上传电子件/窗口出示原件/领取时签署）|空白表格文件号|样表文件号|备注"},
	{"办理流程", "环节名称|办理角色（窗口人员/审批人员/部门负责人）|时限|时限单位|窗口用时（分钟）|等候时间（分钟）|是否并行（是/否）|办理部门统一社会信用代码|说明"},
	{"特别程序", "种类（延长审批/除延长审批之外的情况）|名称|是否中止计时|时限|时限单位|依据"},
	{"收费项目", "名称|收费依据|收费标准|金额（元）|计费数量名称|基数（元）|单价（元）|免计数量|最低（元）|最高（元）"},
	{"常见问题", "问题|解答"},
	{"共同实施部门", "每行一个部门的统一社会信用代码"},
	{"代码", "事项类型、行使层级、服务对象、办理形式、办件类型等可填中文名称或 GB/T 39046-2020 附录 A 的代码；时限单位填 工作日、自然日 或 小时"},
}

func writeHelp(f *excelize.File) error {
	if _, err := f.NewSheet("填写说明"); err != nil {
		return err
	}
	for i, h := range help {
		if err := f.SetSheetRow("填写说明", fmt.Sprintf("A%d", i+1), &[]any{h[0], h[1]}); err != nil {
			return err
		}
	}
	return nil
}

// Read parses an .xlsx workbook made from the template. It checks the
// file, the header row and every cell of every row, and returns either
// every row or every problem, never part of the rows.
func Read(r io.Reader) ([]catalog.ImportRow, error) {
	rows, err := readRows(r)
	if err != nil {
		return nil, err
	}
	var out []catalog.ImportRow
	var problems []string
	for i, row := range rows[1:] {
		line := i + 2
		if blank(row) {
			continue
		}
		in, errs := Parse(cellsOf(row))
		for _, e := range errs {
			problems = append(problems, Describe(line, e.Column)+"："+e.Message)
		}
		out = append(out, catalog.ImportRow{Line: line, Input: in})
	}
	if len(problems) > 0 {
		return nil, Problems(problems)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Invalid, "文件中没有事项数据（表头下方没有内容）")
	}
	return out, nil
}

func readRows(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, apperr.New(apperr.Invalid, "文件超过 %d MB，请分批导入", maxFile>>20)
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, apperr.New(apperr.Invalid, "文件不是 Excel 工作簿（.xlsx）：请使用“下载空白模板”得到的格式，另存为 .xlsx 后再导入")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "文件无法作为 .xlsx 工作簿打开，可能已损坏")
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "工作簿中没有名为“"+SheetName+"”的工作表")
	}
	if len(rows) > MaxRows+1 {
		return nil, apperr.New(apperr.Invalid, "一次最多导入 %d 个事项，文件中有 %d 行", MaxRows, len(rows)-1)
	}
	return rows, checkHeader(rows)
}

// maxFile bounds an uploaded workbook.
const maxFile = 32 << 20

func checkHeader(rows [][]string) error {
	if len(rows) == 0 {
		return apperr.New(apperr.Invalid, "工作表“%s”是空的：第 1 行应为表头", SheetName)
	}
	var problems []string
	for i, h := range Headers() {
		got := ""
		if i < len(rows[0]) {
			got = strings.TrimSpace(rows[0][i])
		}
		if got != h {
			problems = append(problems, fmt.Sprintf("第 1 行 第 %s 列（表头）：应为“%s”，实际为“%s”", columnName(i), h, got))
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

func cellsOf(row []string) Cells {
	c := Cells{}
	for i, col := range columns {
		if i < len(row) {
			c[col.header] = row[i]
		}
	}
	return c
}

// ProblemsError lists every problem of a refused file, each as
// "第 N 行 第 X 列（字段）：原因".
type ProblemsError struct{ List []string }

// Problems returns an Invalid application error carrying the list.
func Problems(list []string) error {
	return apperr.Wrap(&ProblemsError{List: list}, apperr.Invalid,
		fmt.Sprintf("文件有 %d 处错误，未导入任何事项；请改正后重新导入", len(list)))
}

func (e *ProblemsError) Error() string { return strings.Join(e.List, "\n") }

// ProblemsOf returns the problems carried by err, if any.
func ProblemsOf(err error) []string {
	var pe *ProblemsError
	if errors.As(err, &pe) {
		return pe.List
	}
	var ie *catalog.ImportError
	if errors.As(err, &ie) {
		out := make([]string, len(ie.Rows))
		for i, r := range ie.Rows {
			out[i] = Describe(r.Line, columnOf(r.Field)) + "：" + r.Message
		}
		return out
	}
	return nil
}

// BlankForm makes a blank application form as an .xlsx workbook: the
// form's title and the fields every applicant fills in, ready to print.
func BlankForm(title string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{title}, {"申请人（单位）名称", ""}, {"统一社会信用代码或身份证号码", ""}, {"联系人", ""},
		{"联系电话", ""}, {"地址", ""}, {"申请事项及内容", ""}, {"申请人签名（盖章）", ""}, {"申请日期", "    年    月    日"}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth("Sheet1", "A", "B", 36); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	return buf.Bytes(), err
}

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Send writes items as a workbook download named name; no items is the
// blank template.
func Send(w http.ResponseWriter, name string, items []catalog.ItemInput) error {
	var buf bytes.Buffer
	if err := Write(&buf, items); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err := buf.WriteTo(w)
	return err
}
