package disclosure

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// LawFile is a law or regulation in the Markdown format of the laws corpus
// (LawRefBook): the title in the first heading, promulgation lines before
// the "<!-- INFO END -->" marker, the text after it. Its date is the one in
// the file name ("政府信息公开条例(2019-04-03).md") or, when the name has
// none, the latest promulgation date of its header lines (公布, 通过,
// 修订, 修正; 施行 only when nothing else is dated).
type LawFile struct {
	Title   string
	Info    []string // promulgation and amendment lines
	Body    string   // Markdown
	Date    calendar.Date
	Section string // the corpus folder: 行政法规, 宪法相关法 …
}

const infoEnd = "<!-- INFO END -->"

var fileDate = regexp.MustCompile(`\((\d{4}-\d{2}-\d{2})\)\.md$`)

// ParseLawFile parses one file of the corpus.
func ParseLawFile(name string, content []byte) (*LawFile, error) {
	text := strings.ReplaceAll(string(content), "\r\n", "\n")
	head, body, ok := strings.Cut(text, infoEnd)
	if !ok {
		return nil, fmt.Errorf("没有 %s 标记，不是法律法规库格式", infoEnd)
	}
	lf := &LawFile{Body: strings.TrimSpace(body), Section: filepath.Base(filepath.Dir(name))}
	for _, line := range strings.Split(head, "\n") {
		line = strings.TrimSpace(strings.Trim(line, "\u3000 "))
		switch {
		case line == "":
		case strings.HasPrefix(line, "# ") && lf.Title == "":
			lf.Title = strings.TrimSpace(line[2:])
		default:
			lf.Info = append(lf.Info, line)
		}
	}
	if lf.Title == "" {
		return nil, fmt.Errorf("没有标题（# 开头的第一行）")
	}
	d, ok := lawDate(filepath.Base(name), lf.Info)
	if !ok {
		return nil, fmt.Errorf("文件名和公布信息中都没有日期")
	}
	lf.Date = d
	return lf, nil
}

var headerDate = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日`)

// lawDate is the file name's date, else the latest promulgation date of
// the header lines, else the latest date there at all.
func lawDate(base string, info []string) (calendar.Date, bool) {
	if m := fileDate.FindStringSubmatch(base); m != nil {
		if d, err := calendar.ParseDate(m[1]); err == nil {
			return d, true
		}
	}
	var best, any calendar.Date
	for _, line := range info {
		for _, m := range headerDate.FindAllStringSubmatch(line, -1) {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			day, _ := strconv.Atoi(m[3])
			if mo < 1 || mo > 12 || day < 1 || day > 31 || y < 1949 {
				continue
			}
			d := calendar.NewDate(y, time.Month(mo), day)
			any = later(any, d)
			if !strings.Contains(line, "施行") || strings.ContainsAny(line, "公布通过修订修正发布") {
				best = later(best, d)
			}
		}
	}
	if best == (calendar.Date{}) {
		best = any
	}
	return best, best != (calendar.Date{})
}

func later(a, b calendar.Date) calendar.Date {
	if a == (calendar.Date{}) || b.After(a) {
		return b
	}
	return a
}

// docNumberForms are the 文号 found in promulgation lines: decrees
// (国务院令第711号), bracketed years (法释〔2021〕1号, 国发[2016]8号 …) and
// announcements (…公告2020年第12号).
var docNumberForms = []*regexp.Regexp{
	regexp.MustCompile(`(中华人民共和国)?\p{Han}{0,12}令第\s*[0-9一二三四五六七八九十百零〇]+\s*号`),
	regexp.MustCompile(`\p{Han}{1,12}[〔\[（(【［]\s*\d{4}\s*[〕\]）)】］]\s*第?\s*\d+\s*号`),
	regexp.MustCompile(`\p{Han}{0,12}公告\s*(\d{4}\s*年)?\s*第\s*\d+\s*号`),
}

// docNo is the number of the last promulgation line that has one, in the
// official form (NormalizeDocNo).
func (lf *LawFile) docNo() string {
	for i := len(lf.Info) - 1; i >= 0; i-- {
		for _, re := range docNumberForms {
			if m := re.FindString(lf.Info[i]); m != "" {
				return NormalizeDocNo(strings.TrimPrefix(m, "中华人民共和国"))
			}
		}
	}
	return ""
}

// ImportLaw adds a parsed law as a published document of the agency, the
// way the command line and the demo load the corpus. The system actor
// records the 保密审查 (published national legislation needs no secrecy
// review beyond confirming its source) so that publication keeps its rule.
func (s *Service) ImportLaw(ctx context.Context, agencyID int64, lf *LawFile) (*Document, error) {
	sys := identity.SystemActor()
	var d *Document
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		ag, err := s.agencyOf(ctx, "", agencyID)
		if err != nil {
			return err
		}
		d = &Document{Status: StatusDraft, Validity: Valid}
		if err := s.fillDocument(ctx, d, lawInput(ag.ID, lf)); err != nil {
			return fmt.Errorf("%s: %w", lf.Title, err)
		}
		d.Status = StatusApproved
		if err := s.assignIndex(ctx, ag, d); err != nil {
			return err
		}
		if err := s.saveDocument(ctx, sys, ag, d); err != nil {
			return err
		}
		if err := s.store.CreateReview(ctx, &Review{DocID: d.ID, ReviewerName: "系统导入", ReviewedOn: s.today(),
			Conclusion: ConcludePass, Basis: "已公布的法律法规文本，来源：法律法规库", CreatedAt: s.now()}); err != nil {
			return err
		}
		if err := s.markPublished(ctx, ag, d); err != nil {
			return err
		}
		d.PublishedOn = lf.Date
		if err := s.index(ctx, d); err != nil {
			return err
		}
		if err := s.store.UpdateDocument(ctx, d); err != nil {
			return err
		}
		return s.record(ctx, sys, ag, "disclosure.doc.publish", "disclosure_doc", d.ID, docChange(d))
	})
	return d, err
}

func lawInput(agencyID int64, lf *LawFile) DocInput {
	in := DocInput{AgencyID: agencyID, Title: lf.Title, DocNo: lf.docNo(), Topic: "综合政务", Genre: GenreLaw,
		Category: "a20-1", BodyFormat: "markdown", Body: lf.Body, Mode: ModeActive, FormedOn: lf.Date.String(),
		Summary: truncate(strings.Join(lf.Info, "；"), 500)}
	in.normalize()
	return in
}

func truncate(s string, n int) string {
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n])
	}
	return s
}

// ImportLaws imports every Markdown file under root in fsys (sorted by path,
// at most limit when limit > 0) as published documents of the agency. A file
// that is not in the corpus format is reported through skip and left out.
func (s *Service) ImportLaws(ctx context.Context, agencyID int64, fsys fs.FS, root string, limit int, skip func(name string, err error)) (int, error) {
	var names []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && path.Base(p) != "_index.md" { // _index.md: a folder's front matter
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(names)
	if limit > 0 && len(names) > limit {
		names = names[:limit]
	}
	n := 0
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return n, err
		}
		lf, err := ParseLawFile(name, b)
		if err != nil {
			skip(name, err)
			continue
		}
		if _, err := s.ImportLaw(ctx, agencyID, lf); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
