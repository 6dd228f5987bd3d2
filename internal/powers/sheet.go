package powers

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"openhall/internal/tabular"
)

// BenchmarkSheet is the published template of a discretion benchmark.
var BenchmarkSheet = tabular.Sheet{
	Name:    "裁量基准",
	Headers: []string{"违法行为", "处罚依据", "裁量阶次", "适用情形", "处罚种类", "罚款下限（元）", "罚款上限（元）", "备注"},
	Help: [][2]string{
		{"总体", "每行为一种违法行为在一个裁量阶次下的处罚标准；导入将替换该职权草稿中的全部裁量基准，须经审核后发布。"},
		{"裁量阶次", "不予处罚、减轻处罚、从轻处罚、一般处罚或从重处罚（可省略“处罚”二字）"},
		{"处罚种类", "以顿号（、）分隔，取行政处罚法第九条规定的种类：" + strings.Join(PenaltyKinds, "、")},
		{"罚款", "单位为元，可带两位小数；不处罚款的两栏留空。含“罚款”种类时须填写上下限。"},
	},
	MaxRows: maxBench,
}

// ReadBenchmarks reads a benchmark workbook: every row, or every problem
// as 第 N 行 第 X 列（字段）：原因, never part of the rows.
func ReadBenchmarks(r io.Reader) ([]Benchmark, error) {
	rows, err := BenchmarkSheet.Read(r)
	if err != nil {
		return nil, err
	}
	var out []Benchmark
	var problems []string
	for _, row := range rows {
		b, errs := parseBenchmark(row.Cells)
		for col := range BenchmarkSheet.Headers {
			if msg, ok := errs[col]; ok {
				problems = append(problems, BenchmarkSheet.Describe(row.Line, col)+"："+msg)
			}
		}
		if msg := b.problem(); len(errs) == 0 && msg != "" {
			problems = append(problems, fmt.Sprintf("第 %d 行：%s", row.Line, msg))
		}
		out = append(out, b)
	}
	if len(problems) > 0 {
		return nil, tabular.Problems(problems)
	}
	return out, nil
}

// parseBenchmark reads one row; errs maps a column to its problem.
func parseBenchmark(c []string) (Benchmark, map[int]string) {
	errs := map[int]string{}
	b := Benchmark{Violation: c[0], Basis: c[1], Circumstance: c[3], Note: c[7]}
	if b.Violation == "" {
		errs[0] = "不能为空"
	}
	var ok bool
	if b.Level, ok = ParseLevel(c[2]); !ok {
		errs[2] = "应为不予处罚、减轻处罚、从轻处罚、一般处罚或从重处罚，实际为“" + c[2] + "”"
	}
	for _, k := range splitList(c[4]) {
		if !IsPenaltyKind(k) {
			errs[4] = "“" + k + "”不是行政处罚法第九条规定的处罚种类"
		}
		b.Kinds = append(b.Kinds, k)
	}
	var err error
	if b.FineMin, err = ParseYuan(c[5]); err != nil {
		errs[5] = err.Error()
	}
	if b.FineMax, err = ParseYuan(c[6]); err != nil {
		errs[6] = err.Error()
	}
	return b, errs
}

// splitList splits a cell on 、，, and ; into trimmed entries.
func splitList(s string) []string {
	f := func(r rune) bool { return strings.ContainsRune("、，,;；", r) }
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseYuan reads an amount in yuan ("1000", "1,000.50", "") as fen.
func ParseYuan(s string) (int64, error) {
	s = strings.NewReplacer(",", "", "，", "", "元", "", " ", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v > 1e12 {
		return 0, fmt.Errorf("金额“%s”不是有效的元数", s)
	}
	fen := math.Round(v * 100)
	if math.Abs(fen-v*100) > 1e-6 {
		return 0, fmt.Errorf("金额“%s”最多两位小数", s)
	}
	return int64(fen), nil
}

// WriteBenchmarks writes a benchmark as a workbook in the template's
// layout; none is the blank template.
func WriteBenchmarks(w io.Writer, bs []Benchmark) error {
	rows := make([][]string, len(bs))
	for i, b := range bs {
		rows[i] = []string{b.Violation, b.Basis, b.Level.Label(), b.Circumstance, strings.Join(b.Kinds, "、"),
			yuanCell(b.FineMin, b.FineMax), yuanCell(b.FineMax, b.FineMax), b.Note}
	}
	return BenchmarkSheet.Write(w, rows)
}

func yuanCell(v, max int64) string {
	if max == 0 {
		return ""
	}
	return Yuan(v)
}

// ParseBenchmarkLines reads a benchmark written one row per line with the
// template's columns separated by |, as the web form takes it.
func ParseBenchmarkLines(text string) ([]Benchmark, error) {
	var out []Benchmark
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := make([]string, len(BenchmarkSheet.Headers))
		for j, c := range strings.Split(line, "|") {
			if j < len(cells) {
				cells[j] = strings.TrimSpace(c)
			}
		}
		b, errs := parseBenchmark(cells)
		for col := range BenchmarkSheet.Headers {
			if msg, ok := errs[col]; ok {
				return nil, fmt.Errorf("第 %d 行“%s”：%s", i+1, BenchmarkSheet.Headers[col], msg)
			}
		}
		out = append(out, b)
	}
	return out, nil
}

// FormatBenchmarkLines writes a benchmark in the line format.
func FormatBenchmarkLines(bs []Benchmark) string {
	var b strings.Builder
	for _, x := range bs {
		b.WriteString(strings.Join([]string{x.Violation, x.Basis, x.Level.Label(), x.Circumstance, strings.Join(x.Kinds, "、"),
			yuanCell(x.FineMin, x.FineMax), yuanCell(x.FineMax, x.FineMax), x.Note}, "|") + "\n")
	}
	return b.String()
}
