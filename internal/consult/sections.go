package consult

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// articleStart matches the first line of an article (第十二条 …) and
// headingStart a chapter or section heading (第二章 …, # …), the units a
// Chinese draft is commented on by.
var (
	articleStart = regexp.MustCompile(`^第[一二三四五六七八九十百千零〇两0-9]+条`)
	headingStart = regexp.MustCompile(`^(第[一二三四五六七八九十百千零〇两0-9]+[编章节]|#+\s)`)
)

// maxSections bounds the parts of one draft.
const maxSections = 1000

// ParseSections splits a draft into its commentable parts: text before the
// first heading or article (the preamble), each heading, and each article
// with the paragraphs that follow it (a heading keeps the text up to the
// next article). Blank lines are dropped.
func ParseSections(draft string) []Section {
	var out []Section
	for _, line := range strings.Split(strings.ReplaceAll(draft, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		switch {
		case headingStart.MatchString(line):
			out = append(out, Section{Label: headingLabel(line), Text: strings.TrimLeft(line, "# ")})
		case articleStart.MatchString(line):
			out = append(out, Section{Label: articleStart.FindString(line), Text: line})
		case len(out) > 0:
			out[len(out)-1].Text += "\n" + line
			continue
		default:
			out = append(out, Section{Label: "序言", Text: line})
		}
	}
	for i := range out {
		out[i].Seq = i + 1
	}
	return out
}

// headingLabel shortens a heading to a label.
func headingLabel(line string) string {
	line = strings.TrimSpace(strings.TrimLeft(line, "#"))
	if utf8.RuneCountInString(line) <= 20 {
		return line
	}
	return string([]rune(line)[:20]) + "…"
}

// SectionLabel names a section of c for people: 全文 for 0.
func (c *Consultation) SectionLabel(seq int) string {
	if seq == 0 {
		return "全文"
	}
	if seq > 0 && seq <= len(c.Sections) {
		return c.Sections[seq-1].Label
	}
	return "未知条款"
}
