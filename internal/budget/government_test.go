package budget

import (
	"bytes"
	"strings"
	"testing"
)

func TestGovernmentSampleBalances(t *testing.T) {
	for _, pct := range []int64{100, 107, 91} {
		if err := Check(Government, SampleGovernment(pct)); err != nil {
			t.Fatalf("government sample at %d%% does not balance: %v", pct, err)
		}
	}
}

// gov returns the government sample with one cell changed.
func gov(table, code string, col int, v Amount) []Line {
	ls := SampleGovernment(100)
	for i := range ls {
		if ls[i].Table == table && ls[i].Code == code {
			ls[i].Amounts[col] = v
		}
	}
	return ls
}

// raise adds d to a coded line and every line above it (款, 类, 合计) in
// the columns given, so the table balances in itself.
func raise(ls []Line, table, code string, d Amount, cols ...int) []Line {
	for i := range ls {
		if ls[i].Table == table && strings.HasPrefix(code, ls[i].Code) {
			for _, c := range cols {
				ls[i].Amounts[c] += d
			}
		}
	}
	return ls
}

// TestGovernmentCheck: each rule of the government set (预算法 Art 14 ¶1
// tables; Art 27 revenue kinds; Art 46 and 实施条例 Art 6 detail), broken
// once, is reported at the cell that breaks it.
func TestGovernmentCheck(t *testing.T) {
	cases := []struct {
		name  string
		lines []Line
		table string
		cell  string
		says  string
	}{
		{"收入总计 ≠ 支出总计", gov("gsummary", "R06", 0, 100), "一般公共预算收支总表", "C11", "各分项之和"},
		{"税收收入 disagrees with the revenue table's 类 101", raise(SampleGovernment(100), "grevenue", "1010101", 100, 0),
			"一般公共预算收入表", "C3", "与《一般公共预算收支总表》"},
		{"支出表 disagrees with 收支总表 P01", raise(SampleGovernment(100), "gexpense", "2140104", 100, 0, 2),
			"一般公共预算支出表（本级）", "C3", "与《一般公共预算收支总表》"},
		{"基本支出表 disagrees with 支出表's 基本支出", raise(SampleGovernment(100), "gbasic", "50201", 100, 0),
			"一般公共预算基本支出表（本级）", "C3", "基本支出"},
		{"分地区表 disagrees with 一般性转移支付", raise(SampleGovernment(100), "gregion", "340103", 100, 0),
			"一般性转移支付分地区表", "C3", "一般性转移支付"},
		{"政府性基金 unbalanced", gov("gfund", "FR4", 0, 100), "政府性基金预算收支表", "C7", "各分项之和"},
		{"国有资本经营 row total", gov("gsoe", "OP0", 0, 1), "国有资本经营预算收支表", "C9", "各分项之和"},
		{"region under 合计 only", gov("gregion", "340102", 0, 1), "一般性转移支付分地区表", "C3", "其下各地区之和"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ce, ok := Check(Government, c.lines).(*CheckError)
			if !ok {
				t.Fatalf("Check accepted the changed set")
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

func TestGovernmentCodes(t *testing.T) {
	cases := []struct {
		table, code, says string
	}{
		{"grevenue", "2010301", "以 1 开头"},
		{"grevenue", "10101011", "以 1 开头"},
		{"gregion", "3401", "行政区划代码"},
		{"gregion", "034010", "行政区划代码"},
		{"gbasic", "5010101", "经济分类科目编码"},
		{"gexpense", "20103011", "功能分类科目编码"},
	}
	for _, c := range cases {
		ls := SampleGovernment(100)
		n := len(Government.Table(c.table).Columns)
		ls = append(ls, Line{Table: c.table, Seq: 50, Code: c.code, Name: "错误", Amounts: make([]Amount, n)})
		err := Check(Government, ls)
		if err == nil || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "A53") {
			t.Errorf("%s code %q: Check = %v, want %q at A53", c.table, c.code, err, c.says)
		}
	}
}

// TestSchemasKeepApart: a department's table in a government set, or the
// other way round, is refused, not silently stored.
func TestSchemasKeepApart(t *testing.T) {
	mixed := append(SampleGovernment(100), Sample(100)[0])
	if err := Check(Government, mixed); err == nil || !strings.Contains(err.Error(), "本级政府预决算公开模板”中没有这张报表") {
		t.Fatalf("Check(Government, +department table) = %v", err)
	}
	if err := Check(Department, SampleGovernment(100)); err == nil {
		t.Fatal("a government set passed as a department's")
	}
}

func TestGovernmentWorkbookRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, Government, "2027年本级政府预算", SampleGovernment(103)); err != nil {
		t.Fatal(err)
	}
	lines, err := ParseWorkbook(Government, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(Government, lines); err != nil || len(lines) != len(SampleGovernment(103)) {
		t.Fatalf("re-read government workbook: %d lines, %v", len(lines), err)
	}
	if _, err := ParseWorkbook(Department, buf.Bytes()); err == nil || !strings.Contains(err.Error(), "收支总表") {
		t.Fatalf("a government workbook read as a department's: %v", err)
	}
	buf.Reset()
	if err := WriteWorkbook(&buf, Government, "空白模板", nil); err != nil {
		t.Fatal(err)
	}
	blank, err := ParseWorkbook(Government, buf.Bytes())
	if err != nil || Check(Government, blank) != nil {
		t.Fatalf("blank government template: %v / %v", err, Check(Government, blank))
	}
}

func TestKinds(t *testing.T) {
	for _, c := range []struct {
		kind   Kind
		gov    bool
		schema *Schema
		label  string
	}{
		{KindBudget, false, Department, "部门预算"},
		{KindFinal, false, Department, "部门决算"},
		{KindGovBudget, true, Government, "本级政府预算"},
		{KindGovFinal, true, Government, "本级政府决算"},
	} {
		if c.kind.Government() != c.gov || c.kind.Schema() != c.schema || c.kind.Label() != c.label || !c.kind.Valid() {
			t.Errorf("%s: government %v, label %q", c.kind, c.kind.Government(), c.kind.Label())
		}
	}
	if Kind("gov").Valid() {
		t.Error(`Kind("gov") is valid`)
	}
}
