package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/opendata"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestOpenDataUploadAndDownload(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		d := e.dataset(t, "market-entities", opendata.TierOpen)
		gbk, _ := simplifiedchinese.GB18030.NewEncoder().String("名称,数量,日期\n西湖茶叶店,12,2026-03-01\n")
		if _, err := e.od.Upload(ctx, e.drafter, d.ID, "gbk.csv", []byte(gbk)); err != nil {
			t.Fatalf("a GB18030 CSV is refused: %v", err)
		}
		refused := map[string]string{
			"名字,数量,日期\n甲,1,2026-01-01\n":                 "第 1 行（表头）第 1 列应为“名称”",
			"名称,数量,日期\n甲,一,2026-01-01\n":                 "第 2 行第 2 列（数量）：“一”不是整数",
			"名称,数量,日期\n甲,1,2026/01/01\n":                 "不是 YYYY-MM-DD",
			"名称,数量,日期\n张三 330106198503124029,1,\n":       "疑似身份证号或手机号",
			"名称,数量,日期\n联系 13812345678,1,\n":              "疑似身份证号或手机号",
			"名称,数量,日期\n甲,1\n":                            "第 2 行有 2 列",
			"名称,数量,日期\n\"甲,1,2026-01-01\n":               "引号不匹配",
			"名称,数量,日期\n":                                 "没有数据行",
			string([]byte{0xff, 0xfe, 0xfd, 0x00, 0x81}): "无法识别文件编码",
		}
		for csv, want := range refused {
			_, err := e.od.Upload(ctx, e.drafter, d.ID, "bad.csv", []byte(csv))
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err), want) {
				t.Errorf("upload %q: %v, want Invalid saying %q", csv, err, want)
			}
		}
		e.upload(t, d, "名称,数量,日期\n甲,1,2026-01-05\n乙,2,\n")
		if _, err := e.od.Upload(ctx, e.drafter, d.ID, "same.csv", []byte("名称,数量,日期\n甲,1,2026-01-05\n乙,2,\n")); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("identical upload: %v, want Conflict (no new version)", err)
		}
		if _, err := e.od.Upload(ctx, e.outsider, d.ID, "x.csv", []byte("名称,数量,日期\n甲,1,\n")); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another county's officer uploads: %v, want Forbidden", err)
		}
		d, _ = e.od.SetStatus(ctx, e.drafter, d.ID, opendata.StatusPublished)
		if d.Version != 2 || d.RowCount != 2 {
			t.Fatalf("version %d rows %d, want 2 and 2", d.Version, d.RowCount)
		}
		var buf bytes.Buffer
		v, err := e.od.Download(ctx, nil, d, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.od.WriteTo(ctx, &buf, d, v, opendata.FormatCSV); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != "名称,数量,日期\n甲,1,2026-01-05\n乙,2,\n" {
			t.Fatalf("CSV download:\n%s", got)
		}
		buf.Reset()
		e.od.WriteTo(ctx, &buf, d, v, opendata.FormatJSON)
		if got := buf.String(); got != `[{"name":"甲","count":"1","day":"2026-01-05"},{"name":"乙","count":"2","day":""}]`+"\n" {
			t.Fatalf("JSON download: %s", got)
		}
		first, err := e.od.Download(ctx, nil, d, 1)
		if err != nil || first.RowCount != 1 {
			t.Fatalf("version 1: %+v %v", first, err)
		}
	})
}

func TestOpenDataPersonalColumnsOnlyWhenClosed(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		in := opendata.DatasetInput{PublisherID: e.agency.ID, Name: "holders", Title: "持证人名单", Description: "持证人",
			Theme: "market", Frequency: "monthly", License: "cc-by-4.0", ContactName: "联系人", ContactEmail: "open@example.gov.cn",
			Tier: opendata.TierConditional, TierReason: "仅限监管用途",
			Columns: []opendata.Column{{Name: "id_number", Title: "身份证号", Type: opendata.TypeText, Personal: true}}}
		_, err := e.od.SaveDataset(context.Background(), e.drafter, 0, in)
		if fields := apperr.FieldsOf(err); !strings.Contains(fields["columns.0"], "含个人信息") {
			t.Fatalf("personal column in a conditional dataset: %v", err)
		}
		in.Tier, in.TierReason = opendata.TierClosed, "涉及个人隐私（政府信息公开条例第十五条）"
		if _, err := e.od.SaveDataset(context.Background(), e.drafter, 0, in); err != nil {
			t.Fatalf("a closed dataset may hold personal columns: %v", err)
		}
		in.Name, in.Tier, in.Columns = "bad name!", "", nil
		_, err = e.od.SaveDataset(context.Background(), e.drafter, 0, in)
		f := apperr.FieldsOf(err)
		for _, k := range []string{"name", "tier", "columns"} {
			if f[k] == "" {
				t.Errorf("field %s not named in %v", k, f)
			}
		}
	})
}

func TestOpenDataVersionsArePruned(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		d := e.dataset(t, "series", opendata.TierOpen)
		for i := 1; i <= 12; i++ {
			e.upload(t, d, fmt.Sprintf("名称,数量,日期\n甲,%d,\n", i))
		}
		d, _ = e.od.DatasetByID(context.Background(), e.drafter, d.ID)
		vs, err := e.od.Versions(context.Background(), d)
		if err != nil || len(vs) != 12 || vs[0].Number != 12 {
			t.Fatalf("versions: %d %v", len(vs), err)
		}
		if !vs[11].Pruned || !vs[10].Pruned || vs[9].Pruned {
			t.Fatalf("pruning: v1 %v v2 %v v3 %v, want only the two oldest pruned", vs[11].Pruned, vs[10].Pruned, vs[9].Pruned)
		}
		if _, err := e.od.Download(context.Background(), e.drafter, d, 1); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("download of a pruned version: %v", err)
		}
	})
}

func TestOpenDataSearchAndListing(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		e.published(t, "open-one", opendata.TierOpen)
		e.published(t, "conditional-one", opendata.TierConditional)
		e.dataset(t, "draft-one", opendata.TierOpen)
		all, n, err := e.od.Search(ctx, opendata.DatasetFilter{})
		if err != nil || n != 2 || len(all) != 2 {
			t.Fatalf("search all: %d %d %v", n, len(all), err)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Q: "conditional"}); n != 1 {
			t.Fatalf("search by name: %d", n)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Tier: opendata.TierConditional, PublisherID: e.agency.ID}); n != 1 {
			t.Fatalf("search by tier and publisher: %d", n)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{PublisherID: e.other.ID}); n != 0 {
			t.Fatalf("the other agency publishes nothing, found %d", n)
		}
		if _, err := e.od.Dataset(ctx, nil, "draft-one"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a draft is visible to the public: %v", err)
		}
		mine, err := e.od.StaffDatasets(ctx, e.drafter, opendata.DatasetFilter{})
		if err != nil || len(mine) != 3 {
			t.Fatalf("staff list: %d %v", len(mine), err)
		}
		if theirs, _ := e.od.StaffDatasets(ctx, e.outsider, opendata.DatasetFilter{}); len(theirs) != 0 {
			t.Fatalf("another county's officer sees %d datasets", len(theirs))
		}
		if _, err := e.od.Download(ctx, nil, all[0], 0); all[0].Tier == opendata.TierConditional && !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("conditional data downloaded without a key: %v", err)
		}
	})
}

// fakeSource yields one dataset whose rows the test changes.
type fakeSource struct{ rows *[][]string }

func (fakeSource) Key() string          { return "test.fake" }
func (fakeSource) Every() time.Duration { return time.Hour }
func (fakeSource) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "fake-stats", Title: "测试统计", Description: "测试来源生成的数据集", Theme: "gov",
		Frequency: "daily", Columns: []opendata.Column{{Name: "k", Title: "键", Type: opendata.TypeText}}}}, nil
}
func (f fakeSource) Rows(_ context.Context, _ opendata.Spec, emit func([]string) error) error {
	for _, r := range *f.rows {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func TestOpenDataGeneratedDatasets(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		rows := [][]string{{"a"}, {"b"}}
		e.od.Register(fakeSource{&rows})
		res, err := e.od.Regenerate(ctx, "", false)
		if err != nil || res.Versions != 1 {
			t.Fatalf("first run: %+v %v", res, err)
		}
		d, err := e.od.Dataset(ctx, nil, "fake-stats")
		if err != nil || d.Status != opendata.StatusPublished || d.PublisherID != e.agency.ID || d.Version != 1 {
			t.Fatalf("generated dataset: %+v %v (published by the top-level government)", d, err)
		}
		if res, _ := e.od.Regenerate(ctx, "", false); res.Checked != 0 {
			t.Fatalf("regenerated before it was due: %+v", res)
		}
		if res, _ := e.od.Regenerate(ctx, "test.fake", true); res.Checked != 1 || res.Versions != 0 {
			t.Fatalf("unchanged data made a version: %+v", res)
		}
		rows = append(rows, []string{"c"})
		*e.now = e.now.Add(2 * time.Hour)
		if res, _ := e.od.Regenerate(ctx, "", false); res.Versions != 1 {
			t.Fatalf("changed data, due: %+v", res)
		}
		d, _ = e.od.Dataset(ctx, nil, "fake-stats")
		if d.Version != 2 || d.RowCount != 3 {
			t.Fatalf("after change: version %d rows %d", d.Version, d.RowCount)
		}
		if _, err := e.od.SaveDataset(ctx, e.drafter, d.ID, opendata.DatasetInput{}); err == nil {
			t.Fatal("a generated dataset was edited by hand")
		}
	})
}

// TestOpenDataConcurrentFirstGeneration: two regenerations that both find
// no dataset yet (the job on change and a start-up run, or two nodes) do
// not fail: the one that loses the race leaves the dataset to the other.
func TestOpenDataConcurrentFirstGeneration(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		rows := [][]string{{"a"}, {"b"}}
		both := &sync.WaitGroup{}
		both.Add(2)
		e.od.Register(barrierSource{fakeSource{&rows}, both})
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := e.od.Regenerate(context.Background(), "", true)
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("concurrent first generation: %v", err)
			}
		}
		d, err := e.od.Dataset(context.Background(), nil, "fake-stats")
		if err != nil || d.Version < 1 {
			t.Fatalf("generated dataset: %+v %v", d, err)
		}
	})
}

// barrierSource holds each run at its rows until both runs have looked for
// the dataset and found none.
type barrierSource struct {
	fakeSource
	both *sync.WaitGroup
}

func (b barrierSource) Rows(ctx context.Context, sp opendata.Spec, emit func([]string) error) error {
	b.both.Done()
	b.both.Wait()
	return b.fakeSource.Rows(ctx, sp, emit)
}

// TestOpenDataBigramCount: a public two-character search is counted from
// the search grams kept beside the datasets on PostgreSQL (migration 0021);
// the count follows publication, withdrawal, tier and title changes, and
// always equals the number of matches listed.
func TestOpenDataBigramCount(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		open := e.published(t, "open-one", opendata.TierOpen)
		cond := e.published(t, "conditional-one", opendata.TierConditional)
		e.dataset(t, "draft-one", opendata.TierOpen)
		closed := e.dataset(t, "closed-one", opendata.TierClosed)
		if _, err := e.od.SetStatus(ctx, e.drafter, closed.ID, opendata.StatusPublished); err != nil {
			t.Fatal(err)
		}
		want := func(step string, listed, published int) {
			t.Helper()
			for _, q := range []string{"测试", "测"} { // counted from the grams, and through the general path
				for _, f := range []opendata.DatasetFilter{{Q: q, Limit: 50, Listed: true}, {Q: q, Limit: 50}} {
					n := map[bool]int{true: listed, false: published}[f.Listed]
					ds, total, err := e.od.Search(ctx, f)
					if err != nil || total != n || len(ds) != n {
						t.Fatalf("%s: search %q (listed only %v) counts %d and lists %d, want %d (%v)", step, q, f.Listed, total, len(ds), n, err)
					}
				}
			}
			staff, err := e.od.StaffDatasets(ctx, e.drafter, opendata.DatasetFilter{Q: "测试"})
			if err != nil || len(staff) != 4 {
				t.Fatalf("%s: staff search lists %d, want all 4 (%v)", step, len(staff), err)
			}
		}
		want("published", 2, 3)
		if _, err := e.od.SetStatus(ctx, e.drafter, cond.ID, opendata.StatusWithdrawn); err != nil {
			t.Fatal(err)
		}
		want("one withdrawn", 1, 2)
		in := opendata.DatasetInput{PublisherID: e.agency.ID, Name: open.Name, Title: "企业名录", Description: "登记的企业",
			Theme: open.Theme, Keywords: "企业", Frequency: open.Frequency, License: open.License, ContactName: "张联系",
			ContactPhone: "0571-87061234", Tier: opendata.TierOpen, Spatial: "西湖区", Columns: open.Columns}
		if _, err := e.od.SaveDataset(ctx, e.drafter, open.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Q: "测试"}); n != 1 {
			t.Fatalf("after retitling, only the 不予开放 dataset still says 测试: %d", n)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Q: "名录"}); n != 1 {
			t.Fatalf("the new title's bigram counts %d", n)
		}
		if err := e.s.Analyze(ctx); err != nil {
			t.Fatalf("analyze: %v", err)
		}
		if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Q: "名录", Listed: true}); n != 1 {
			t.Fatalf("after analyze the bigram counts %d", n)
		}
	})
}

// TestOpenDataBigramOrder: a search by one bigram is answered from the gram
// rows and their copies of the sort keys; with a filter added that excludes
// nothing it takes the general path. Both give the same pages in every
// order, and a dataset's new version moves it in both.
func TestOpenDataBigramOrder(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		var first *opendata.Dataset
		for i, n := range []string{"b-one", "d-two", "a-three", "c-four", "e-five"} {
			*e.now = e.now.Add(time.Hour)
			tier := []opendata.Tier{opendata.TierOpen, opendata.TierOpen, opendata.TierConditional, opendata.TierClosed, opendata.TierOpen}[i]
			d := e.published(t, n, tier)
			if i == 0 {
				first = d
			}
		}
		e.dataset(t, "f-draft", opendata.TierOpen)
		pages := func(f opendata.DatasetFilter) (out []string) {
			t.Helper()
			for f.Offset = 0; f.Offset < 6; f.Offset += 2 {
				ds, _, err := e.od.Search(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range ds {
					out = append(out, d.Name)
				}
			}
			return out
		}
		same := func(step string) []string {
			t.Helper()
			var listed []string
			for _, sort := range []string{"", "name", "id", "modified_asc"} {
				for _, f := range []opendata.DatasetFilter{{Q: "测试", Sort: sort, Limit: 2, Listed: true}, {Q: "测试", Sort: sort, Limit: 2, Status: opendata.StatusPublished}} {
					got := pages(f)
					f.Theme = "market"
					if want := pages(f); strings.Join(got, " ") != strings.Join(want, " ") {
						t.Fatalf("%s: sort %q (listed %v): by the bigram %v, by the general path %v", step, sort, f.Listed, got, want)
					}
					if sort == "" && f.Listed {
						listed = got
					}
				}
			}
			return listed
		}
		if got := strings.Join(same("published"), " "); got != "e-five a-three d-two b-one" {
			t.Fatalf("newest first: %s", got)
		}
		*e.now = e.now.Add(time.Hour)
		e.upload(t, first, "名称,数量,日期\n丁,4,2026-03-07\n")
		if got := strings.Join(same("new version"), " "); got != "b-one e-five a-three d-two" {
			t.Fatalf("after b-one's new version: %s", got)
		}
	})
}
