package disclosure

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/disclosure/search"
)

// NormalizeDocNo writes a 文号 in the official form: full-width digits and
// letters half-width, the year in 〔〕 whatever brackets were typed, no
// spaces: "国办发 [2017] 47 号" → "国办发〔2017〕47号".
func NormalizeDocNo(s string) string {
	rs := []rune(strings.Join(strings.Fields(s), ""))
	for i, r := range rs {
		if r >= '\uFF01' && r <= '\uFF5E' && !strings.ContainsRune("（）［］｛｝", r) {
			rs[i] = r - 0xFEE0
		}
	}
	// search.Normalize also lower-cases, which a 文号 must not be; only its
	// bracket rewriting is wanted, and it maps rune for rune.
	folded := []rune(search.Normalize(string(rs)))
	for i := range rs {
		if folded[i] == '〔' || folded[i] == '〕' {
			rs[i] = folded[i]
		}
	}
	return string(rs)
}

// DefaultIndexTemplate is the 索引号 template of a new agency: organisation
// code / year - five-digit sequence, the pattern of the State Council's
// own catalogue (000014349/2017-00110).
const DefaultIndexTemplate = "{org}/{yyyy}-{seq:5}"

var templateToken = regexp.MustCompile(`\{(org|yyyy|yyyymm|class|seq(?::([1-9]))?)\}`)

// CheckIndexTemplate validates a 索引号 template: known tokens only, and
// exactly one {seq} or {seq:n} so that numbers are unique.
func CheckIndexTemplate(t string) error {
	if strings.TrimSpace(t) == "" {
		return fmt.Errorf("请填写索引号模板")
	}
	rest := templateToken.ReplaceAllString(t, "")
	if strings.ContainsAny(rest, "{}") {
		return fmt.Errorf("索引号模板含未知占位符；可用 {org} {yyyy} {yyyymm} {class} {seq} {seq:n}")
	}
	if n := strings.Count(t, "{seq"); n != 1 {
		return fmt.Errorf("索引号模板须含且只含一个序号占位符 {seq} 或 {seq:n}")
	}
	return nil
}

// indexPeriod is the period the sequence of template t restarts in: the
// month with {yyyymm}, the year with {yyyy}, else never.
func indexPeriod(t string, d calendar.Date) string {
	switch {
	case strings.Contains(t, "{yyyymm}"):
		return fmt.Sprintf("%04d%02d", d.Year(), int(d.Month()))
	case strings.Contains(t, "{yyyy}"):
		return strconv.Itoa(d.Year())
	}
	return "all"
}

// IndexNumber expands a template for a document of category class formed
// on d with sequence number seq.
func IndexNumber(t, orgCode, class string, d calendar.Date, seq int) string {
	return templateToken.ReplaceAllStringFunc(t, func(tok string) string {
		m := templateToken.FindStringSubmatch(tok)
		switch m[1] {
		case "org":
			return orgCode
		case "yyyy":
			return strconv.Itoa(d.Year())
		case "yyyymm":
			return fmt.Sprintf("%04d%02d", d.Year(), int(d.Month()))
		case "class":
			return class
		}
		width := 1
		if m[2] != "" {
			width, _ = strconv.Atoi(m[2])
		}
		return fmt.Sprintf("%0*d", width, seq)
	})
}

// RequestNumberPrefix is the start of the numbers an agency gives its
// requests in a year: "YSQ-<agency code>-<year>", read as 依申请 of that
// agency. The code keeps its letters and digits (upper case); an agency
// without one is named by its id. The sequence after it is counted per
// prefix, so numbers are unique in the deployment even when two agencies
// share a code. Numbers issued before the code was part of them
// ("YSQ-<year>-<seq>") stay as they were.
func RequestNumberPrefix(ag *Agency, year int) string {
	code := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, ag.Code)
	if code == "" {
		code = "A" + strconv.FormatInt(ag.ID, 10)
	}
	return fmt.Sprintf("YSQ-%s-%d", code, year)
}
