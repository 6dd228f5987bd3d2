package disclosure

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSXType is the media type of the workbook ReportXLSX writes.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ReportFileName is the download name of a year's report workbook.
func ReportFileName(ag *Agency, year int) string {
	return fmt.Sprintf("%s%d年政府信息公开工作年度报告.xlsx", ag.Name, year)
}

// ReportXLSX writes Tables 2, 3 and 4 as a workbook with one sheet per
// table, laid out as the national format lays them out (merged header cells
// included), for offices that file the report as a spreadsheet.
func ReportXLSX(ag *Agency, year int, t *Tables) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	steps := []func(*excelize.File, string, *Tables) error{sheet2, sheet3, sheet4}
	names := []string{"表二 主动公开", "表三 依申请公开", "表四 复议诉讼"}
	for i, step := range steps {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", names[0]); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(names[i]); err != nil {
			return nil, err
		}
		if err := step(f, names[i], t); err != nil {
			return nil, fmt.Errorf("write %s: %w", names[i], err)
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", ag.Name, year), Creator: "阳光政务大厅"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cells writes rows of values from a top-left cell.
func cells(f *excelize.File, sheet string, row int, values ...[]any) error {
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(1, row+i)
		if err := f.SetSheetRow(sheet, cell, &v); err != nil {
			return err
		}
	}
	return nil
}

func merge(f *excelize.File, sheet string, ranges ...[2]string) error {
	for _, r := range ranges {
		if err := f.MergeCell(sheet, r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}

func sheet2(f *excelize.File, s string, t *Tables) error {
	x := t.Table2
	err := cells(f, s, 1,
		[]any{"第二十条第（一）项"},
		[]any{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
		[]any{"规章", x.RulesMade, x.RulesRepealed, x.RulesInForce},
		[]any{"行政规范性文件", x.NormativeMade, x.NormativeRepealed, x.NormativeInForce},
		[]any{"第二十条第（五）项"},
		[]any{"信息内容", "本年处理决定数量"},
		[]any{"行政许可", x.Permits},
		[]any{"第二十条第（六）项"},
		[]any{"信息内容", "本年处理决定数量"},
		[]any{"行政处罚", x.Penalties},
		[]any{"行政强制", x.Enforcement},
		[]any{"第二十条第（八）项"},
		[]any{"信息内容", "本年收费金额（单位：万元）"},
		[]any{"行政事业性收费", orZero(x.FeesWan)})
	if err != nil {
		return err
	}
	f.SetColWidth(s, "A", "A", 24)
	f.SetColWidth(s, "B", "D", 18)
	return merge(f, s, [2]string{"A1", "D1"}, [2]string{"A5", "D5"}, [2]string{"A8", "D8"}, [2]string{"A12", "D12"})
}

func sheet3(f *excelize.File, s string, t *Tables) error {
	err := cells(f, s, 1,
		[]any{Table3Corner, "", "", "申请人情况"},
		[]any{"", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"},
		[]any{"", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""})
	if err != nil {
		return err
	}
	for i, row := range Table3Rows {
		vals := []any{row.Label, "", ""}
		if row.Key != "3" {
			for _, n := range t.Table3[row.Key] {
				vals = append(vals, n)
			}
		}
		if err := cells(f, s, 4+i, vals); err != nil {
			return err
		}
		a, _ := excelize.CoordinatesToCellName(1, 4+i)
		c, _ := excelize.CoordinatesToCellName(3, 4+i)
		if err := merge(f, s, [2]string{a, c}); err != nil {
			return err
		}
	}
	f.SetColWidth(s, "A", "A", 60)
	return merge(f, s, [2]string{"A1", "C3"}, [2]string{"D1", "J1"}, [2]string{"D2", "D3"}, [2]string{"E2", "I2"}, [2]string{"J2", "J3"})
}

func sheet4(f *excelize.File, s string, t *Tables) error {
	heads := []any{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	row3 := append(append(append([]any{}, heads...), heads...), heads...)
	row4 := make([]any, len(t.Table4))
	for i, n := range t.Table4 {
		row4[i] = n
	}
	err := cells(f, s, 1,
		[]any{"行政复议", "", "", "", "", "行政诉讼"},
		[]any{"", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉"},
		row3, row4)
	if err != nil {
		return err
	}
	return merge(f, s, [2]string{"A1", "E2"}, [2]string{"F1", "O1"}, [2]string{"F2", "J2"}, [2]string{"K2", "O2"})
}
