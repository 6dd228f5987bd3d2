package disclosure

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// ReportInput is what the office writes.
type ReportInput struct {
	Section1, Section5, Section6    string
	Permits, Penalties, Enforcement int
	FeesWan                         string
}

var wanAmount = regexp.MustCompile(`^\d{1,9}(\.\d{1,4})?$`)

func (in *ReportInput) validate() error {
	var f apperr.Fields
	in.FeesWan = strings.TrimSpace(in.FeesWan)
	checkLen(&f, "section1", "一、总体情况", in.Section1, 20000, false)
	checkLen(&f, "section5", "五、存在的主要问题及改进情况", in.Section5, 20000, false)
	checkLen(&f, "section6", "六、其他需要报告的事项", in.Section6, 20000, false)
	f.Check(in.Permits < 0, "permits", "行政许可处理决定数量不能为负数")
	f.Check(in.Penalties < 0, "penalties", "行政处罚处理决定数量不能为负数")
	f.Check(in.Enforcement < 0, "enforcement", "行政强制处理决定数量不能为负数")
	f.Check(in.FeesWan != "" && !wanAmount.MatchString(in.FeesWan), "fees_wan", "收费金额以万元为单位，如 12.5（最多 4 位小数）")
	return f.Err()
}

// SaveReport saves the office's text and figures for a year.
func (s *Service) SaveReport(ctx context.Context, a *identity.Actor, agencyID int64, year int, in ReportInput) (*Report, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var rep *Report
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		ag, err := s.officeOf(ctx, a, agencyID)
		if err != nil {
			return err
		}
		if rep, _, err = s.reportTables(ctx, ag, year); err != nil {
			return err
		}
		rep.Section1, rep.Section5, rep.Section6 = in.Section1, in.Section5, in.Section6
		rep.Permits, rep.Penalties, rep.Enforcement, rep.FeesWan = in.Permits, in.Penalties, in.Enforcement, in.FeesWan
		rep.UpdatedAt = s.now()
		if err := s.store.SaveReport(ctx, rep); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "disclosure.report.save", "disclosure_report", rep.ID, map[string]any{"year": year})
	})
	return rep, err
}

// MakeReportDocument turns a year's report into a disclosure document (a
// draft of genre 年度报告) and freezes its tables: the document then goes
// through 保密审查, approval and publication like any other, and next year's
// continuity check reads the frozen 结转.
func (s *Service) MakeReportDocument(ctx context.Context, a *identity.Actor, agencyID int64, year int) (*Document, error) {
	var d *Document
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		ag, err := s.officeOf(ctx, a, agencyID)
		if err != nil {
			return err
		}
		rep, t, err := s.reportTables(ctx, ag, year)
		if err != nil {
			return err
		}
		if rep.DocID != nil {
			return apperr.New(apperr.Conflict, "%d 年度报告已生成公开文档", year)
		}
		if d, err = s.reportDocument(ctx, a, ag, rep, t); err != nil {
			return err
		}
		return s.freezeReport(ctx, a, ag, rep, t, d)
	})
	return d, err
}

func (s *Service) reportDocument(ctx context.Context, a *identity.Actor, ag *Agency, rep *Report, t *Tables) (*Document, error) {
	d := &Document{Status: StatusDraft, Validity: Valid}
	in := DocInput{AgencyID: ag.ID, Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", ag.Name, rep.Year),
		Topic: "综合政务", Genre: GenreReport, Category: "a49", BodyFormat: "markdown", Body: ReportMarkdown(ag, rep, t),
		Summary: fmt.Sprintf("%s%d年政府信息公开工作情况", ag.Name, rep.Year), FormedOn: s.today().String()}
	in.normalize()
	if err := s.fillDocument(ctx, d, in); err != nil {
		return nil, err
	}
	return d, s.saveDocument(ctx, a, ag, d)
}

func (s *Service) freezeReport(ctx context.Context, a *identity.Actor, ag *Agency, rep *Report, t *Tables, d *Document) error {
	snap, err := json.Marshal(t)
	if err != nil {
		return err
	}
	rep.DocID, rep.Snapshot, rep.UpdatedAt = &d.ID, snap, s.now()
	if err := s.store.SaveReport(ctx, rep); err != nil {
		return err
	}
	return s.record(ctx, a, ag, "disclosure.report.document", "disclosure_report", rep.ID, map[string]any{"year": rep.Year, "doc": d.ID})
}

// ReportMarkdown writes the whole report: the six sections with Tables 2, 3
// and 4 in the national layout (as Markdown tables, one header row each).
func ReportMarkdown(ag *Agency, rep *Report, t *Tables) string {
	var b strings.Builder
	section := func(title, text string) {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, orNone(text))
	}
	section("一、总体情况", rep.Section1)
	b.WriteString("## 二、主动公开政府信息情况\n\n")
	writeTable2(&b, t.Table2)
	b.WriteString("## 三、收到和处理政府信息公开申请情况\n\n")
	writeTable3(&b, t)
	b.WriteString("## 四、政府信息公开行政复议、行政诉讼情况\n\n")
	writeTable4(&b, t.Table4)
	section("五、存在的主要问题及改进情况", rep.Section5)
	section("六、其他需要报告的事项", rep.Section6)
	return b.String()
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "无。"
	}
	return s
}

func writeTable2(b *strings.Builder, t Table2) {
	fmt.Fprintf(b, "| 第二十条第（一）项 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n")
	fmt.Fprintf(b, "| 规章 | %d | %d | %d |\n| 行政规范性文件 | %d | %d | %d |\n\n", t.RulesMade, t.RulesRepealed, t.RulesInForce,
		t.NormativeMade, t.NormativeRepealed, t.NormativeInForce)
	fmt.Fprintf(b, "| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 第二十条第（五）项 行政许可 | %d |\n", t.Permits)
	fmt.Fprintf(b, "| 第二十条第（六）项 行政处罚 | %d |\n| 第二十条第（六）项 行政强制 | %d |\n\n", t.Penalties, t.Enforcement)
	fmt.Fprintf(b, "| 第二十条第（八）项 信息内容 | 本年收费金额（单位：万元） |\n|---|---|\n| 行政事业性收费 | %s |\n\n", orZero(t.FeesWan))
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func writeTable3(b *strings.Builder, t *Tables) {
	b.WriteString(Table3Corner + "\n\n| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|\n")
	for _, row := range Table3Rows {
		fmt.Fprintf(b, "| %s%s |", strings.Repeat("　", row.Indent), row.Label)
		if row.Key != "3" {
			for _, n := range t.Table3[row.Key] {
				fmt.Fprintf(b, " %d |", n)
			}
		} else {
			b.WriteString(strings.Repeat("  |", Table3Columns))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func writeTable4(b *strings.Builder, t Table4) {
	b.WriteString("| 行政复议 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 复议后起诉 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n")
	b.WriteString(strings.Repeat("|---", 15) + "|\n|")
	for _, n := range t {
		fmt.Fprintf(b, " %d |", n)
	}
	b.WriteString("\n\n")
}
