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
