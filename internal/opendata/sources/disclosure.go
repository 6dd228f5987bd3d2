package sources

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"openhall/internal/disclosure"
	"openhall/internal/opendata"
)

// Documents is each agency's disclosure catalogue (政府信息公开目录) as a
// dataset of the metadata of its published documents (Art 12: 索引, 名称,
// 内容概述, 生成日期, with the portal's other fields).
type Documents struct {
	Agencies Agencies
	Docs     interface {
		PublishedDocuments(ctx context.Context, f disclosure.DocFilter) ([]*disclosure.Document, int, error)
	}
	BaseURL string
}

// Key implements opendata.Source.
func (Documents) Key() string { return "disclosure.documents" }

// Every implements opendata.Source.
func (Documents) Every() time.Duration { return 30 * time.Minute }

var documentColumns = []opendata.Column{
	text("index_no", "索引号"), text("title", "名称"), text("doc_no", "文号"), text("summary", "内容概述"),
	text("topic", "主题分类"), text("category", "公开类别"), text("genre", "体裁"), text("validity", "有效性"),
	date("formed_on", "成文日期"), date("published_on", "发布日期"), text("url", "链接"),
}

// Datasets implements opendata.Source: one per agency.
func (d Documents) Datasets(ctx context.Context) ([]opendata.Spec, error) {
	ags, err := d.Agencies.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	specs := make([]opendata.Spec, 0, len(ags))
	for _, ag := range ags {
		specs = append(specs, opendata.Spec{Part: strconv.FormatInt(ag.ID, 10), Name: fmt.Sprintf("disclosure-catalogue-%d", ag.ID),
			Title:       ag.Name + "政府信息公开目录",
			Description: ag.Name + "主动公开的政府信息目录：每条信息的索引号、名称、文号、内容概述、主题分类、公开类别、有效性、成文日期和发布日期（政府信息公开条例第十二条）。信息发布后自动更新。",
			PublisherID: ag.ID, Theme: "gov", Keywords: []string{"政府信息公开", "公开目录"}, Frequency: "daily",
			Spatial: regionName(ag), Columns: documentColumns})
	}
	return specs, nil
}

// Rows implements opendata.Source.
func (d Documents) Rows(ctx context.Context, sp opendata.Spec, emit func([]string) error) error {
	agency, _ := strconv.ParseInt(sp.Part, 10, 64)
	const page = 500
	for off := 0; ; off += page {
		docs, total, err := d.Docs.PublishedDocuments(ctx, disclosure.DocFilter{AgencyID: agency, Limit: page, Offset: off})
		if err != nil {
			return err
		}
		for _, doc := range docs {
			row := []string{doc.IndexNo, doc.Title, doc.DocNo, doc.Summary, doc.Topic, doc.CategoryLabel(), doc.Genre.Label(),
				doc.Validity.Label(), dateText(doc.FormedOn), dateText(doc.PublishedOn),
				strings.TrimSuffix(d.BaseURL, "/") + disclosure.DocURL(doc.ID)}
			if err := emit(row); err != nil {
				return err
			}
		}
		if off+page >= total {
			return nil
		}
	}
}

// ReportSnapshot is a published annual report's frozen tables.
type ReportSnapshot struct {
	AgencyID int64
	Year     int
	Tables   []byte // disclosure.Tables as JSON
}

// Reports is each agency's annual reports (政府信息公开工作年度报告) as one
// dataset: the cells of Tables 2, 3 and 4 of every published report, read
// from the tables frozen when the report became a document.
type Reports struct {
	Agencies  Agencies
	Snapshots interface {
		PublishedReports(ctx context.Context) ([]ReportSnapshot, error)
	}
}

// Key implements opendata.Source.
func (Reports) Key() string { return "disclosure.reports" }

// Every implements opendata.Source.
func (Reports) Every() time.Duration { return 6 * time.Hour }

var reportColumns = []opendata.Column{
	integer("year", "年度"), text("table", "表"), text("row", "项目"), text("column", "栏目"), text("value", "数值"),
}

// Datasets implements opendata.Source: one per agency with a published report.
func (r Reports) Datasets(ctx context.Context) ([]opendata.Spec, error) {
	snaps, err := r.Snapshots.PublishedReports(ctx)
	if err != nil {
		return nil, err
	}
	ags, err := r.Agencies.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	has := map[int64]bool{}
	for _, s := range snaps {
		has[s.AgencyID] = true
	}
	var specs []opendata.Spec
	for _, ag := range ags {
		if has[ag.ID] {
			specs = append(specs, opendata.Spec{Part: strconv.FormatInt(ag.ID, 10), Name: fmt.Sprintf("disclosure-annual-report-%d", ag.ID),
				Title:       ag.Name + "政府信息公开工作年度报告数据",
				Description: ag.Name + "历年政府信息公开工作年度报告的表二（主动公开）、表三（收到和处理申请）、表四（复议诉讼）各栏数据，按国办公开办函〔2021〕30号格式。报告公开后自动更新。",
				PublisherID: ag.ID, Theme: "gov", Keywords: []string{"政府信息公开", "年度报告"}, Frequency: "annual",
				Spatial: regionName(ag), Columns: reportColumns})
		}
	}
	return specs, nil
}

// Rows implements opendata.Source.
func (r Reports) Rows(ctx context.Context, sp opendata.Spec, emit func([]string) error) error {
	agency, _ := strconv.ParseInt(sp.Part, 10, 64)
	snaps, err := r.Snapshots.PublishedReports(ctx)
	if err != nil {
		return err
	}
	for _, s := range snaps {
		if s.AgencyID != agency {
			continue
		}
		var t disclosure.Tables
		if err := json.Unmarshal(s.Tables, &t); err != nil {
			return fmt.Errorf("report %d/%d: %w", s.AgencyID, s.Year, err)
		}
		for _, row := range reportRows(t) {
			if err := emit(append([]string{strconv.Itoa(s.Year)}, row...)); err != nil {
				return err
			}
		}
	}
	return nil
}

var table3Heads = []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}

var table4Heads = []string{"行政复议 结果维持", "行政复议 结果纠正", "行政复议 其他结果", "行政复议 尚未审结", "行政复议 总计",
	"未经复议直接起诉 结果维持", "未经复议直接起诉 结果纠正", "未经复议直接起诉 其他结果", "未经复议直接起诉 尚未审结", "未经复议直接起诉 总计",
	"复议后起诉 结果维持", "复议后起诉 结果纠正", "复议后起诉 其他结果", "复议后起诉 尚未审结", "复议后起诉 总计"}

// reportRows flattens a report's tables into (table, row, column, value).
func reportRows(t disclosure.Tables) [][]string {
	n := strconv.Itoa
	t2 := t.Table2
	out := [][]string{
		{"表二", "规章", "本年制发件数", n(t2.RulesMade)}, {"表二", "规章", "本年废止件数", n(t2.RulesRepealed)},
		{"表二", "规章", "现行有效件数", n(t2.RulesInForce)}, {"表二", "行政规范性文件", "本年制发件数", n(t2.NormativeMade)},
		{"表二", "行政规范性文件", "本年废止件数", n(t2.NormativeRepealed)}, {"表二", "行政规范性文件", "现行有效件数", n(t2.NormativeInForce)},
		{"表二", "行政许可", "本年处理决定数量", n(t2.Permits)}, {"表二", "行政处罚", "本年处理决定数量", n(t2.Penalties)},
		{"表二", "行政强制", "本年处理决定数量", n(t2.Enforcement)}, {"表二", "行政事业性收费", "本年收费金额（万元）", orZero(t2.FeesWan)},
	}
	for _, row := range disclosure.Table3Rows {
		if v, ok := t.Table3[row.Key]; ok {
			for j, h := range table3Heads {
				out = append(out, []string{"表三", row.Label, h, n(v[j])})
			}
		}
	}
	for j, h := range table4Heads {
		out = append(out, []string{"表四", "行政复议、行政诉讼", h, n(t.Table4[j])})
	}
	return out
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
