// Package sheet maps catalogue items to and from one row of named cells:
// the layout of the Excel template (one item per row, one column per
// field, lists one entry per line with parts separated by |) and of the
// demo catalogue's data file. Excel files are read and written with
// excelize; every problem is reported as "第 N 行 第 X 列（字段）：原因".
package sheet

import (
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/catalog"
)

// lines splits a list cell into its non-blank lines.
func lines(cell string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(cell, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parts splits one entry into exactly n parts (missing trailing parts are
// blank); more than n is an error.
func parts(line string, n int, what string, i int) ([]string, error) {
	p := strings.Split(line, "|")
	if len(p) > n {
		return nil, fmt.Errorf("第 %d 条%s有 %d 个以 | 分隔的部分，最多 %d 个", i+1, what, len(p), n)
	}
	for len(p) < n {
		p = append(p, "")
	}
	for k := range p {
		p[k] = strings.TrimSpace(p[k])
	}
	return p, nil
}

// join writes one entry, dropping trailing blank parts.
func join(p ...string) string {
	for len(p) > 1 && p[len(p)-1] == "" {
		p = p[:len(p)-1]
	}
	return strings.Join(p, "|")
}

// count parses a non-negative whole number; blank is 0.
func count(s, what string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s“%s”应为不小于 0 的整数", what, s)
	}
	return n, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// yes parses 是/否 (also 1/0, true/false); blank is 否.
func yes(s, what string) (bool, error) {
	switch strings.ToLower(s) {
	case "是", "1", "true", "y":
		return true, nil
	case "", "否", "0", "false", "n":
		return false, nil
	}
	return false, fmt.Errorf("%s应填“是”或“否”，实际为“%s”", what, s)
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// yuan parses an amount in yuan with at most two decimals into fen,
// without floating point: "10.5" → 1050.
func yuan(s, what string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(strings.TrimSuffix(s, "元"), ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("%s“%s”最多两位小数", what, s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt((frac + "00")[:2], 10, 64)
	if err1 != nil || err2 != nil || w < 0 || w > 1e12 {
		return 0, fmt.Errorf("%s“%s”应为金额（元），如 10 或 10.50", what, s)
	}
	return w*100 + f, nil
}

// fmtYuan writes fen as yuan, "10.50"; 0 is blank.
func fmtYuan(fen int64) string {
	if fen == 0 {
		return ""
	}
	if fen%100 == 0 {
		return strconv.FormatInt(fen/100, 10)
	}
	return fmt.Sprintf("%d.%02d", fen/100, fen%100)
}

// limit parses a count and a unit cell pair into a limit.
func limit(n, unit, what string) (calendar.Limit, error) {
	c, err := count(n, what)
	if err != nil {
		return calendar.Limit{}, err
	}
	if unit == "" {
		unit = string(calendar.UnitWorkday)
	}
	u, err := calendar.ParseUnit(unit)
	if err != nil {
		return calendar.Limit{}, fmt.Errorf("%s单位%v", what, err)
	}
	return calendar.Limit{N: c, Unit: u}, nil
}

// codes parses a "、"-separated list of code-table values.
func codes[T ~string](cell string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, s := range strings.FieldsFunc(cell, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		v, err := parse(s)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// labels writes code-table values by their labels, "、"-separated.
func labels[T interface{ Label() string }](xs []T) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.Label()
	}
	return strings.Join(out, "、")
}

// fileRef parses a stored file number ("12"); blank is none.
func fileRef(s, what string) (*catalog.FileRef, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("%s文件编号“%s”应为正整数", what, s)
	}
	return &catalog.FileRef{ID: n}, nil
}

func fmtFile(f *catalog.FileRef) string {
	if f == nil {
		return ""
	}
	return strconv.FormatInt(f.ID, 10)
}
