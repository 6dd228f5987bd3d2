package budget

import (
	"bytes"
	"strings"
	"testing"
)

func TestSampleBalances(t *testing.T) {
	for _, pct := range []int64{100, 105, 93} {
		if err := Check(Department, Sample(pct)); err != nil {
			t.Fatalf("sample at %d%% does not balance: %v", pct, err)
		}
	}
}

// set returns the sample with one cell changed.
func set(table, code string, col int, v Amount) []Line {
	ls := Sample(100)
	for i := range ls {
		if ls[i].Table == table && ls[i].Code == code {
			ls[i].Amounts[col] = v
		}
	}
	return ls
}

// TestCheckRefusesWithCell: each rule of the set, broken once, is reported
// at the cell that breaks it, with the figures.
func TestCheckRefusesWithCell(t *testing.T) {
	cases := []struct {
		name  string
		lines []Line
		table string
		cell  string
		says  string
	}{
		{"项 does not add up to 款 (功能分类到项)", set("gpb", "2013801", 1, 49999), "一般公共预算支出表", "D5", "其下各项之和"},
		{"row sum 合计 = 基本 + 项目", set("gpb", "2013816", 0, 1), "一般公共预算支出表", "C8", "不等于 基本支出、项目支出 之和"},
		{"收支总表 income ≠ expenditure", set("summary", "I06", 0, 4000), "收支总表", "C10", "各分项之和"},
		{"三公 total", set("sangong", "S00", 0, 9900), "“三公”经费支出表", "C3", "各分项之和"},
		{"basic expenditure (经济分类) disagrees with 一般公共预算支出表", set("gpbbasic", "30211", 2, 900), "一般公共预算基本支出表", "E7", "其下各款之和"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(Department, c.lines)
			ce, ok := err.(*CheckError)
			if !ok {
				t.Fatalf("Check = %v, want a *CheckError", err)
			}
			for _, e := range ce.Errors {
				if e.Table == c.table && e.Cell == c.cell && strings.Contains(e.Message, c.says) {
					return
				}
			}
			t.Fatalf("no error at %s %s saying %q; got %v", c.table, c.cell, c.says, ce)
		})
	}
}

func TestCheckAgreementBetweenTables(t *testing.T) {
	ls := Sample(100)
	// Raise one 项 of 一般公共预算支出表 with its 款, 类 and 合计: the table
	// balances in itself but no longer agrees with 财政拨款收支总表.
	for i := range ls {
		if ls[i].Table == "gpb" && (ls[i].Code == "" || strings.HasPrefix("2013816", ls[i].Code)) {
			ls[i].Amounts[0] += 100
			ls[i].Amounts[2] += 100
		}
	}
	err := Check(Department, ls)
	if err == nil || !strings.Contains(err.Error(), "与《财政拨款收支总表》") {
		t.Fatalf("Check = %v, want disagreement with 财政拨款收支总表", err)
	}
}

func TestCheckStructure(t *testing.T) {
	ls := Sample(100)
	ls = append(ls, Line{Table: "gpb", Seq: 99, Code: "20138011", Name: "错误", Amounts: make([]Amount, 3)})
	err := Check(Department, ls)
	if err == nil || !strings.Contains(err.Error(), "7 位（项）") || !strings.Contains(err.Error(), "A102") {
		t.Fatalf("Check = %v, want the bad code located at A102", err)
	}
	var noTotal []Line
	for _, l := range Sample(100) {
		if !(l.Table == "gf" && l.Code == TotalCode) {
			noTotal = append(noTotal, l)
		}
	}
	if err := Check(Department, noTotal); err == nil || !strings.Contains(err.Error(), "缺少“合计”行") {
		t.Fatalf("Check = %v, want the missing 合计 row", err)
	}
}

func TestWorkbookRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, Department, "测试局2026年部门预算", Sample(105)); err != nil {
		t.Fatal(err)
	}
	lines, err := ParseWorkbook(Department, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(Department, lines); err != nil {
		t.Fatalf("re-read workbook does not balance: %v", err)
	}
	if len(lines) != len(Sample(105)) {
		t.Fatalf("read %d lines, wrote %d", len(lines), len(Sample(105)))
	}
	buf.Reset()
	if err := WriteWorkbook(&buf, Department, "空白模板", nil); err != nil {
		t.Fatal(err)
	}
	blank, err := ParseWorkbook(Department, buf.Bytes())
	if err != nil {
		t.Fatalf("blank template: %v", err)
	}
	if err := Check(Department, blank); err != nil {
		t.Fatalf("the blank template (all zero) should balance: %v", err)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]Amount{"": 0, "12": 1200, "12.3": 1230, "12.34": 1234, "1,234.50": 123450, "12.300000000000001": 1230} {
		if got, ok := parseAmount(in); !ok || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"12.345", "abc", "1e400", "NaN"} {
		if _, ok := parseAmount(in); ok {
			t.Errorf("parseAmount(%q) accepted", in)
		}
	}
}
