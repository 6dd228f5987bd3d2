package opendata

import (
	"strings"

	"openhall/internal/calendar"
)

// Term is an entry of a controlled vocabulary: its code, Chinese label and
// the URI DCAT-AP exports it as.
type Term struct {
	Code  string
	Label string
	URI   string
}

const (
	euTheme = "http://publications.europa.eu/resource/authority/data-theme/"
	euFreq  = "http://publications.europa.eu/resource/authority/frequency/"
)

// Themes are the catalogue's subjects (数据领域), each exported as the
// closest EU data theme (DCAT-AP recommends that vocabulary for
// dcat:theme). The Chinese list follows the domains local open-data
// portals commonly use; no national list is fixed in the reference
// material (unverified).
var Themes = []Term{
	{"gov", "政务服务", euTheme + "GOVE"},
	{"finance", "财税金融", euTheme + "ECON"},
	{"economy", "经济建设", euTheme + "ECON"},
	{"market", "市场监管", euTheme + "ECON"},
	{"social", "社会民生", euTheme + "SOCI"},
	{"health", "医疗卫生", euTheme + "HEAL"},
	{"education", "教育文化", euTheme + "EDUC"},
	{"transport", "交通出行", euTheme + "TRAN"},
	{"environment", "资源环境", euTheme + "ENVI"},
	{"agriculture", "农业农村", euTheme + "AGRI"},
	{"urban", "城建住房", euTheme + "REGI"},
	{"safety", "公共安全", euTheme + "JUST"},
	{"science", "科技创新", euTheme + "TECH"},
}

// Frequencies are update frequencies (更新频率), exported as the EU
// frequency authority table.
var Frequencies = []Term{
	{"continuous", "实时", euFreq + "UPDATE_CONT"},
	{"daily", "每日", euFreq + "DAILY"},
	{"weekly", "每周", euFreq + "WEEKLY"},
	{"monthly", "每月", euFreq + "MONTHLY"},
	{"quarterly", "每季度", euFreq + "QUARTERLY"},
	{"annual", "每年", euFreq + "ANNUAL"},
	{"irregular", "不定期", euFreq + "IRREG"},
}

// Licenses are the licences a dataset may carry.
var Licenses = []Term{
	{"cc-by-4.0", "知识共享署名 4.0 国际（CC BY 4.0）", "https://creativecommons.org/licenses/by/4.0/"},
	{"cc0-1.0", "知识共享零（CC0 1.0，放弃权利）", "https://creativecommons.org/publicdomain/zero/1.0/"},
	{"gov-open", "政府数据开放许可（注明来源，可免费使用和再加工）", ""},
}

// lookup returns the term with code, ok false when unknown.
func lookup(terms []Term, code string) (Term, bool) {
	for _, t := range terms {
		if t.Code == code {
			return t, true
		}
	}
	return Term{}, false
}

// ThemeLabel names a theme code, "" if unknown.
func ThemeLabel(code string) string { t, _ := lookup(Themes, code); return t.Label }

// FrequencyLabel names a frequency code, "" if unknown.
func FrequencyLabel(code string) string { t, _ := lookup(Frequencies, code); return t.Label }

// LicenseLabel names a licence code, "" if unknown.
func LicenseLabel(code string) string { t, _ := lookup(Licenses, code); return t.Label }

// ThemeURI, FrequencyURI and LicenseURI give a code's exported URI; a
// licence without one of its own is published on the portal (base + path).
func ThemeURI(code string) string     { t, _ := lookup(Themes, code); return t.URI }
func FrequencyURI(code string) string { t, _ := lookup(Frequencies, code); return t.URI }

// LicenseURI is the licence's URI, or the portal's page for it.
func LicenseURI(base, code string) string {
	if t, ok := lookup(Licenses, code); ok && t.URI != "" {
		return t.URI
	}
	return base + "/opendata/licenses/" + code
}

// ThemeLabel is the dataset's theme in Chinese.
func (d *Dataset) ThemeLabel() string { return ThemeLabel(d.Theme) }

// FrequencyLabel is the dataset's update frequency in Chinese.
func (d *Dataset) FrequencyLabel() string { return FrequencyLabel(d.Frequency) }

// LicenseLabel is the dataset's licence in Chinese.
func (d *Dataset) LicenseLabel() string { return LicenseLabel(d.License) }

// Formats lists what the dataset is served as: files for 无条件开放, the
// keyed API for 有条件开放, nothing for 不予开放 or before any data.
func (d *Dataset) Formats() []string {
	switch {
	case !d.HasData() || d.Tier == TierClosed:
		return nil
	case d.Tier == TierConditional:
		return []string{"API"}
	}
	return []string{"CSV", "JSON", "XLSX", "API"}
}

// Temporal is the time coverage in words, "" when none is declared.
func (d *Dataset) Temporal() string {
	from, to := d.TemporalFrom, d.TemporalTo
	switch {
	case from == (calendar.Date{}) && to == (calendar.Date{}):
		return ""
	case to == (calendar.Date{}):
		return from.String() + " 起"
	case from == (calendar.Date{}):
		return "至 " + to.String()
	}
	return from.String() + " 至 " + to.String()
}

// SearchText is what a catalogue search matches: the name, title and
// keywords and the start of the description, lower-cased.
func (d *Dataset) SearchText() string {
	desc := []rune(d.Description)
	if len(desc) > 200 {
		desc = desc[:200]
	}
	return strings.ToLower(strings.Join(append([]string{d.Name, d.Title, string(desc)}, d.Keywords...), " "))
}
