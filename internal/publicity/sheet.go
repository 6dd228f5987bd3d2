package publicity

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/powers"
	"openhall/internal/tabular"
)

// PenaltySheet is the published template for importing penalty decisions.
var PenaltySheet = tabular.Sheet{
	Name: "行政处罚决定",
	Headers: []string{"决定书文号", "当事人类型", "当事人名称", "统一社会信用代码", "违法行为类型", "处罚内容", "处罚依据",
		"处罚种类", "罚款金额（元）", "处罚决定日期", "职权编码", "裁量基准序号", "超出基准理由"},
	Help: [][2]string{
		{"总体", "每行一份行政处罚决定；全部行检查通过后一次性导入并公示，任何一行有误则不导入任何内容。"},
		{"当事人类型", "法人及非法人组织、个体工商户或自然人；自然人不填统一社会信用代码，姓名公示时隐去部分。"},
		{"处罚种类", "以顿号（、）分隔：" + strings.Join(powers.PenaltyKinds, "、")},
		{"处罚决定日期", "格式 YYYY-MM-DD，不晚于导入当天。"},
		{"职权编码、裁量基准序号", "本部门权责清单中已公布的行政处罚职权编码，及其裁量基准中适用条目的序号（见职权页面）。"},
		{"超出基准理由", "处罚种类或罚款金额超出所适用的裁量基准时必填。"},
	},
	MaxRows: 5000,
}

// fieldColumns maps an input field to its column in PenaltySheet.
var fieldColumns = map[string]int{"number": 0, "holder_kind": 1, "holder_name": 2, "credit_code": 3, "title": 4, "content": 5,
	"basis": 6, "kinds": 7, "fine": 8, "decided_on": 9, "power_code": 10, "benchmark_seq": 11, "outside_reason": 12}

// PenaltyRow is one row of an imported workbook.
type PenaltyRow struct {
	Line  int
	Input PenaltyInput
}

// ReadPenalties reads a penalty workbook for a department. Cells whose
// format is wrong are reported here; the rest is checked by
// ImportPenalties.
func ReadPenalties(r io.Reader, deptID int64) ([]PenaltyRow, error) {
	rows, err := PenaltySheet.Read(r)
	if err != nil {
		return nil, err
	}
	out := make([]PenaltyRow, 0, len(rows))
	var problems []string
	seen := map[string]int{}
	for _, row := range rows {
		c := row.Cells
		in := PenaltyInput{DepartmentID: deptID, Number: c[0], HolderKind: c[1], HolderName: c[2], CreditCode: c[3], Title: c[4],
			Content: c[5], Basis: c[6], Kinds: splitKinds(c[7]), Fine: c[8], DecidedOn: c[9], PowerCode: c[10], OutsideReason: c[12]}
		if c[11] != "" {
			n, err := strconv.Atoi(c[11])
			if err != nil || n <= 0 {
				problems = append(problems, PenaltySheet.Describe(row.Line, 11)+"：应为正整数，实际为“"+c[11]+"”")
			}
			in.BenchmarkSeq = n
		}
		if first, dup := seen[in.Number]; dup && in.Number != "" {
			problems = append(problems, PenaltySheet.Describe(row.Line, 0)+fmt.Sprintf("：与第 %d 行的文号重复", first))
		}
		seen[in.Number] = row.Line
		out = append(out, PenaltyRow{Line: row.Line, Input: in})
	}
	if len(problems) > 0 {
		return nil, tabular.Problems(problems)
	}
	return out, nil
}

func splitKinds(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；", r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowProblems turns a row's field errors into "第 N 行 第 X 列（字段）：原因".
func rowProblems(r PenaltyRow, err error) []string {
	fields := apperr.FieldsOf(err)
	if len(fields) == 0 {
		return []string{fmt.Sprintf("第 %d 行：%s", r.Line, apperr.MessageOf(err))}
	}
	var out []string
	for col := range PenaltySheet.Headers {
		for f, c := range fieldColumns {
			if c == col && fields[f] != "" {
				out = append(out, PenaltySheet.Describe(r.Line, col)+"："+fields[f])
			}
		}
	}
	for f, msg := range fields {
		if _, ok := fieldColumns[f]; !ok {
			out = append(out, fmt.Sprintf("第 %d 行：%s", r.Line, msg))
		}
	}
	return out
}

func importProblems(list []string) error { return tabular.Problems(list) }

// RegisterSheet is the layout of a register download.
var RegisterSheet = tabular.Sheet{
	Name: "双公示",
	Headers: []string{"类别", "决定文书号", "许可事项或违法行为类型", "行政相对人", "统一社会信用代码", "决定日期", "有效期自", "有效期至",
		"许可或处罚内容", "依据", "处罚种类", "罚款金额（元）", "作出决定部门", "公示状态", "状态说明"},
}

// WriteRegister writes entries as a workbook.
func WriteRegister(w io.Writer, es []*Entry) error {
	rows := make([][]string, len(es))
	for i, e := range es {
		fine := ""
		if e.FineFen > 0 {
			fine = powers.Yuan(e.FineFen)
		}
		rows[i] = []string{e.Kind.Label(), e.Number, e.Title, e.HolderName, e.CreditCode, e.DecidedOn.String(), dateCell(e.ValidFrom),
			dateCell(e.ValidTo), e.Content, e.Basis, strings.Join(e.PenaltyKinds, "、"), fine, e.DeptName, e.Status.Label(), e.StatusReason}
	}
	return RegisterSheet.Write(w, rows)
}
