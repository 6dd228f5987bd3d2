package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/testutil"
)

// searchDocs is a small catalogue with the cases the issue names: one- and
// two-character words, a phrase, 文号 in the official brackets.
var searchDocs = []search.Doc{
	{Title: "关于个人所得税专项附加扣除的通知", Number: "西政办发〔2026〕3号", Body: "纳税人可以享受子女教育专项附加扣除。", Category: "a20-1", Date: calendar.NewDate(2026, 3, 1)},
	{Title: "西湖区2026年部门预算公开说明", Body: "本部门预算收入合计一千万元，预算支出合计一千万元。", Category: "a20-7", Date: calendar.NewDate(2026, 2, 10)},
	{Title: "国务院办公厅关于印发政府网站发展指引的通知", Number: "国办发〔2017〕47号", Body: "政府网站是各级政府在互联网上履行职能的平台。", Category: "a20-1", Date: calendar.NewDate(2017, 5, 15)},
	{Title: "政府信息公开工作年度报告", Summary: "本年度政府信息公开工作情况", Body: "主动公开政府信息一千条。", Category: "a49", Date: calendar.NewDate(2026, 1, 20)},
	{Title: "张益唐讲座通知", Body: "数学讲座。", Category: "a20-15", Date: calendar.NewDate(2025, 6, 1)},
	{Title: "讲座安排", Body: "张老师、益阳市、唐朝历史。", Category: "a20-15", Date: calendar.NewDate(2025, 6, 2)},
	{Title: "关于规范行政事业性收费的通知", Body: "收费项目目录见附件。税务部门负责征收。", Extra: "附件：收费目录（2026年版）", Category: "a20-8", Validity: "repealed", Date: calendar.NewDate(2024, 12, 31)},
	{Title: "Open Data 开放数据目录", Body: "GB/T 38664 政务数据开放共享。", Category: "a20-15", Date: calendar.NewDate(2023, 4, 28)},
}

var searchQueries = []search.Query{
	{Text: "税"}, {Text: "预算"}, {Text: "公开"}, {Text: "政府信息公开"}, {Text: "国办发[2017]47号"}, {Text: "国办发（2017）47号"},
	{Text: "张益唐"}, {Text: `"政府信息 公开"`}, {Text: "公开 报告"}, {Text: "，。！？"}, {Text: strings.Repeat("政务公开", 2500)},
	{Text: "公开", Sort: search.ByDate}, {Text: "通知", Year: 2026}, {Text: "通知", Validity: "repealed"}, {Text: "open data"},
	{Text: "收费目录"}, {Text: "公开", Limit: 2, Offset: 2}, {Text: "38664"}, {Text: "的"},
}

func indexSearchDocs(t testing.TB, eng *search.Engine, docs []search.Doc) {
	t.Helper()
	for i, d := range docs {
		d.Kind, d.Ref, d.Scope = search.KindDocument, int64(i+1), 1
		if d.Validity == "" {
			d.Validity = "valid"
		}
		if err := eng.Index(context.Background(), d); err != nil {
			t.Fatalf("index %s: %v", d.Title, err)
		}
	}
}

// spanText is an excerpt as shown, marks in brackets.
func spanText(spans []search.Span) string {
	var b strings.Builder
	for _, sp := range spans {
		if sp.Mark {
			b.WriteString("[" + sp.Text + "]")
		} else {
			b.WriteString(sp.Text)
		}
	}
	return b.String()
}

// resultKey is what must be the same on both backends, excerpts included.
func resultKey(r *search.Result) string {
	var refs []string
	for _, h := range r.Hits {
		refs = append(refs, fmt.Sprintf("%d:%v:%s", h.Ref, h.InTitle, spanText(h.Snippet)))
	}
	return fmt.Sprintf("total=%d capped=%v terms=%q hits=%s", r.Total, r.Capped, r.Terms, strings.Join(refs, ","))
}

func runQueries(t testing.TB, eng *search.Engine, qs []search.Query) []string {
	t.Helper()
	var out []string
	for _, q := range qs {
		r, err := eng.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("search %.20q: %v", q.Text, err)
		}
		out = append(out, resultKey(r))
	}
	return out
}

func TestSearch(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		eng := search.NewEngine(b.Open(t, nil).Search)
		indexSearchDocs(t, eng, searchDocs)
		ctx := context.Background()
		refs := func(q search.Query) []int64 {
			r, err := eng.Search(ctx, q)
			if err != nil {
				t.Fatalf("%q: %v", q.Text, err)
			}
			var out []int64
			for _, h := range r.Hits {
				out = append(out, h.Ref)
			}
			return out
		}
		cases := []struct {
			q    search.Query
			want []int64
		}{
			{search.Query{Text: "税"}, []int64{1, 7}},
			{search.Query{Text: "预算"}, []int64{2}},
			{search.Query{Text: "张益唐"}, []int64{5}},
			{search.Query{Text: "国办发[2017]47号"}, []int64{3}},
			{search.Query{Text: "国办发 (2017) 47号"}, []int64{3}},
			{search.Query{Text: "政府信息公开"}, []int64{4}},
			// By relevance: 4 has 公开 in its title, summary and body.
			{search.Query{Text: "公开"}, []int64{4, 2}},
			{search.Query{Text: "网站", Sort: search.ByDate}, []int64{3}},
			{search.Query{Text: "通知", Sort: search.ByDate}, []int64{1, 5, 7, 3}},
			// All four have it in the title: the shortest title first,
			// the repealed notice last.
			{search.Query{Text: "通知"}, []int64{5, 1, 3, 7}},
			{search.Query{Text: "通知", Year: 2026}, []int64{1}},
			{search.Query{Text: "通知", Validity: "repealed"}, []int64{7}},
			{search.Query{Text: "收费目录"}, []int64{7}},
			{search.Query{Text: "目录"}, []int64{8, 7}},
			{search.Query{Text: "目录", Sort: search.ByDate}, []int64{7, 8}},
			{search.Query{Text: "OPEN data"}, []int64{8}},
			{search.Query{Text: "，。！？"}, nil},
			{search.Query{Text: strings.Repeat("政务公开", 2500)}, nil},
		}
		for _, c := range cases {
			if got := refs(c.q); !slices.Equal(got, c.want) {
				t.Errorf("%.30q (sort %s, year %d): %v, want %v", c.q.Text, c.q.Sort, c.q.Year, got, c.want)
			}
		}
		r, _ := eng.Search(ctx, search.Query{Text: "预算"})
		if len(r.Hits) != 1 || !hasMark(r.Hits[0].Title, "预算") || !hasMark(r.Hits[0].Snippet, "预算") {
			t.Errorf("no highlighted snippet: %+v", r.Hits)
		}
		if err := eng.Remove(ctx, search.KindDocument, 2); err != nil || len(refs(search.Query{Text: "预算"})) != 0 {
			t.Errorf("removed document still found: %v", err)
		}
		// The index itself drops it: not counted, and not held for pages.
		if r, err := eng.Search(ctx, search.Query{Text: "预算"}); err != nil || r.Total != 0 {
			t.Errorf("removed document still counted: %+v, %v", r, err)
		}
	})
}

func hasMark(spans []search.Span, text string) bool {
	for _, s := range spans {
		if s.Mark && s.Text == text {
			return true
		}
	}
	return false
}

// TestSearch_SameResultsOnBothBackends indexes the same documents into
// SQLite and PostgreSQL and compares every query's page and count.
func TestSearch_SameResultsOnBothBackends(t *testing.T) {
	testutil.PostgresURL(t)
	docs := append([]search.Doc{}, searchDocs...)
	t.Run("laws", func(t *testing.T) {
		laws := lawDocs(t, 150)
		docs = append(docs, laws...)
	})
	var results [][]string
	for _, b := range Backends() {
		eng := search.NewEngine(b.Open(t, nil).Search)
		indexSearchDocs(t, eng, docs)
		qs := append(searchQueries, search.Query{Text: "条例"}, search.Query{Text: "国务院令第711号"}, search.Query{Text: "第一条", Sort: search.ByDate, Offset: 20})
		results = append(results, runQueries(t, eng, qs))
	}
	for i := range results[0] {
		if results[0][i] != results[1][i] {
			t.Errorf("query %d differs:\n sqlite   %s\n postgres %s", i, results[0][i], results[1][i])
		}
	}
}

// lawDocs reads the first n files of the laws corpus as search documents.
func lawDocs(t testing.TB, n int) []search.Doc {
	dir := testutil.SharedDir(t, "corpus/laws")
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	var out []search.Doc
	for _, f := range files[:min(n, len(files))] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lf, err := disclosure.ParseLawFile(f, b)
		if err != nil {
			continue
		}
		out = append(out, search.Doc{Title: lf.Title, Body: lf.Body, Summary: strings.Join(lf.Info, "；"), Category: "a20-1", Date: lf.Date})
	}
	return out
}

// TestSearch_ExcerptAroundDeepNeedle checks the excerpt of a body holding
// the word near its start, far into it (past where either backend first
// looks), and not at all (the word only in the title): around the word,
// 40 characters before it, or the body's start.
func TestSearch_ExcerptAroundDeepNeedle(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		eng := search.NewEngine(b.Open(t, nil).Search)
		docs := []search.Doc{
			{Title: "近处", Body: strings.Repeat("甲", 100) + "鲲鹏" + strings.Repeat("乙", 300), Date: calendar.NewDate(2026, 1, 1)},
			{Title: "远处", Body: strings.Repeat("丙", 9000) + "鲲鹏" + strings.Repeat("丁", 300), Date: calendar.NewDate(2026, 1, 2)},
			{Title: "鲲鹏在标题", Body: strings.Repeat("戊", 300), Date: calendar.NewDate(2026, 1, 3)},
		}
		indexSearchDocs(t, eng, docs)
		r, err := eng.Search(context.Background(), search.Query{Text: "鲲鹏", Sort: search.ByDate})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"近处":    strings.Repeat("甲", 40) + "[鲲鹏]" + strings.Repeat("乙", 78) + "…",
			"远处":    strings.Repeat("丙", 40) + "[鲲鹏]" + strings.Repeat("丁", 78) + "…",
			"鲲鹏在标题": strings.Repeat("戊", 120) + "…",
		}
		if len(r.Hits) != 3 {
			t.Fatalf("%d hits, want 3", len(r.Hits))
		}
		for _, h := range r.Hits {
			title := spanText(h.Title)
			title = strings.NewReplacer("[", "", "]", "").Replace(title)
			if got := spanText(h.Snippet); got != want[title] {
				t.Errorf("%s: excerpt %q, want %q", title, got, want[title])
			}
		}
		// A four-character word as written far into a long body ranks
		// above a short body holding its pieces apart.
		indexSearchDocs(t, eng, append(docs,
			search.Doc{Title: "长文", Body: strings.Repeat("己", 9000) + "鲲鹏展翅" + strings.Repeat("庚", 300), Date: calendar.NewDate(2026, 1, 4)},
			search.Doc{Title: "短文", Body: "鲲鹏" + strings.Repeat("辛", 20) + "鹏展" + strings.Repeat("辛", 20) + "展翅", Date: calendar.NewDate(2026, 1, 5)}))
		r, err = eng.Search(context.Background(), search.Query{Text: "鲲鹏展翅"})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, h := range r.Hits {
			order = append(order, spanText(h.Title))
		}
		if !slices.Equal(order, []string{"长文", "短文"}) {
			t.Errorf("鲲鹏展翅: %v, want the long text holding it as written first", order)
		}
	})
}

// TestSearch_ProximityLiftsAnItemOntoThePage checks the proximity boost on
// pages: an item holding two terms together as typed ranks above items of
// the same score holding them apart, even when without the boost it would
// be past the page; and a later page, read apart from the check, still has
// its excerpts.
func TestSearch_ProximityLiftsAnItemOntoThePage(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		eng := search.NewEngine(b.Open(t, nil).Search)
		var docs []search.Doc
		for i, name := range []string{"甲一", "甲二", "甲三", "甲四", "甲五", "甲六"} {
			docs = append(docs, search.Doc{Title: name, Body: "公开事项与预算", Date: calendar.NewDate(2026, 1, 2+i)})
		}
		// The oldest: of equal scores, the last without the boost.
		docs = append(docs, search.Doc{Title: "乙", Body: "公开预算与事项", Date: calendar.NewDate(2026, 1, 1)})
		indexSearchDocs(t, eng, docs)
		page := func(offset int) []string {
			t.Helper()
			r, err := eng.Search(context.Background(), search.Query{Text: "公开 预算", Offset: offset, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range r.Hits {
				out = append(out, spanText(h.Title)+" "+spanText(h.Snippet))
			}
			return out
		}
		if got, want := page(0), []string{"乙 [公开预算]与事项", "甲六 [公开]事项与[预算]", "甲五 [公开]事项与[预算]"}; !slices.Equal(got, want) {
			t.Errorf("first page %q, want %q", got, want)
		}
		if got, want := page(3), []string{"甲四 [公开]事项与[预算]", "甲三 [公开]事项与[预算]", "甲二 [公开]事项与[预算]"}; !slices.Equal(got, want) {
			t.Errorf("second page %q, want %q", got, want)
		}
	})
}
