package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/calendar"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/publicity"
	"openhall/internal/store/postgres"
	"openhall/internal/store/storetest"
)

// TestParticipationPerformance measures, on each backend, the public page
// of a consultation with 10,000 comments (first page, a later page and one
// article's comments) and the 双公示 register's search over 1,000,000
// decisions (service and HTTP), each next to GET /healthz measured the
// same way in the same run. It runs when OPENHALL_PERF=1; seeding the
// register takes minutes.
//
//	OPENHALL_PERF=1 ./scripts/test -run TestParticipationPerformance -v ./internal/app/
//
// OPENHALL_PERF_ENTRIES overrides the register's size (default 1,000,000).
func TestParticipationPerformance(t *testing.T) {
	if os.Getenv("OPENHALL_PERF") != "1" {
		t.Skip("set OPENHALL_PERF=1 to measure consultations and the register (several minutes)")
	}
	entries := 1_000_000
	fmt.Sscan(os.Getenv("OPENHALL_PERF_ENTRIES"), &entries)
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: func() time.Time { return time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC) }})
		id := seedConsultation(t, a, 10000)
		health := latency(t, a, []string{"/healthz"}, 500)
		t.Logf("GET /healthz:                          %v", health)
		for _, path := range []string{consult.URL(id), consult.URL(id) + "?offset=9980", consult.URL(id) + "?section=2"} {
			r := latency(t, a, []string{path}, 500)
			t.Logf("consultation page %-24s %v (p95 %.1f × /healthz)", path[len(consult.URL(id)):]+":", r, ratio(r.p95, health.p95))
			if r.p95 > 50*time.Millisecond {
				t.Errorf("%s: p95 %v, want ≤ 50 ms", path, r.p95)
			}
		}
		depts := seedRegister(t, a, entries)
		registerSearch(t, a, depts, health)
	})
}

// lat is a latency distribution.
type lat struct{ p50, p95, p99 time.Duration }

func (l lat) String() string { return fmt.Sprintf("p50 %v, p95 %v, p99 %v", l.p50, l.p95, l.p99) }

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func quantiles(ds []time.Duration) lat {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration { return ds[int(p*float64(len(ds)-1))] }
	return lat{at(0.50), at(0.95), at(0.99)}
}

// latency requests the paths in turn n times over one keep-alive client,
// after a warm-up, and returns the distribution of response times.
func latency(t *testing.T, a *apptest.App, paths []string, n int) lat {
	c := &http.Client{Timeout: 30 * time.Second}
	get := func(p string) time.Duration {
		t0 := time.Now()
		res, err := c.Get(a.URL(p))
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", p, res, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return time.Since(t0)
	}
	for _, p := range paths {
		get(p)
	}
	ds := make([]time.Duration, 0, n)
	for i := range n {
		ds = append(ds, get(paths[i%len(paths)]))
	}
	return quantiles(ds)
}

// seedConsultation publishes a consultation of 20 articles and stores n
// comments spread over them (a tenth hidden, a few answered).
func seedConsultation(t *testing.T, a *apptest.App, n int) int64 {
	ctx, sys := context.Background(), identity.SystemActor()
	ag, err := a.Services.Disclosure.SaveAgency(ctx, sys, 0, disclosure.AgencyInput{RegionID: a.Tree.County.ID, Name: "西湖区人民政府", Code: "002482133"})
	if err != nil {
		t.Fatal(err)
	}
	draft := ""
	for i := 1; i <= 20; i++ {
		draft += fmt.Sprintf("第%d条 本办法第%d条规定的内容，适用于本区行政区域内的有关管理活动。\n", i, i)
	}
	a.Staff(t, "perfofficer", "disclosure_officer", &a.Tree.County.ID, nil)
	_, officer, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "perfofficer", Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Services.Consult.Create(ctx, officer, consult.Input{AgencyID: ag.ID, Title: "性能测试办法（征求意见稿）", Draft: draft,
		Explanation: "说明", Days: 30, RealName: true})
	if err == nil {
		_, err = a.Services.Consult.Publish(ctx, officer, c.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < n; start += 1000 {
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := start; i < min(start+1000, n); i++ {
				cm := &consult.Comment{ConsultationID: c.ID, Section: i % 21, Author: "张*", Status: consult.CommentPublished,
					Body: fmt.Sprintf("第 %d 条意见：建议对本条的适用范围作进一步明确，并增加相应的监督措施。", i), CreatedAt: time.Now().UTC()}
				if i%10 == 0 {
					cm.Status, cm.HiddenReason = consult.CommentHidden, "与征求意见内容无关"
				}
				if err := a.Stores.Consult.CreateComment(ctx, cm); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return c.ID
}

// Vocabulary of generated register entries: names and items mix common and
// rare grams as real registers do.
var (
	places   = []string{"杭州", "西湖", "余杭", "拱墅", "滨江", "萧山", "临平", "钱塘", "富阳", "临安"}
	words    = []string{"恒", "信", "达", "丰", "和", "瑞", "昌", "盛", "隆", "鑫", "宏", "泰", "安", "康", "源", "通", "华", "美", "嘉", "益"}
	trades   = []string{"餐饮管理", "商贸", "科技", "食品", "药房", "物业管理", "建筑工程", "文化传媒", "汽车服务", "生物医药", "教育咨询", "电子商务"}
	titles   = []string{"食品经营许可", "药品零售企业许可", "公共场所卫生许可", "城市道路占用、挖掘许可", "建设工程规划许可", "道路运输经营许可"}
	offences = []string{"未取得食品经营许可从事食品经营", "销售不符合食品安全标准的食品", "未按规定公示价格", "虚假宣传", "无照经营", "违规占道经营"}
)

// companyName is the i-th generated company.
func companyName(i int) string {
	return places[i%len(places)] + words[(i/10)%len(words)] + words[(i/200)%len(words)] + trades[(i/7)%len(trades)] + "有限公司"
}

// seedRegister stores n decisions of ten departments over 2020–2026, nine
// in ten legal persons, straight through the store in transactions of
// 2,000, and returns the departments.
func seedRegister(t *testing.T, a *apptest.App, n int) []int64 {
	ctx, sys := context.Background(), identity.SystemActor()
	depts := []int64{a.Tree.Department.ID}
	for i := 2; i <= 10; i++ {
		d, err := a.Services.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: a.Tree.County.ID,
			Name: fmt.Sprintf("西湖区第%d局", i), CreditCode: storetest.CreditCode(900 + i)})
		if err != nil {
			t.Fatal(err)
		}
		depts = append(depts, d.ID)
	}
	t0 := time.Now()
	base := calendar.NewDate(2020, 1, 1)
	for start := 0; start < n; start += 2000 {
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := start; i < min(start+2000, n); i++ {
				if err := a.Stores.Publicity.CreateEntry(ctx, generatedEntry(i, depts, base)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("register: %d decisions stored in %v", n, time.Since(t0).Round(time.Second))
	if db, ok := a.Stores.Backend.(*postgres.DB); ok {
		// What autovacuum does after a bulk load, so that the gram
		// statistics choose the search path as they would in production.
		if _, err := db.Pool().Exec(ctx, `ANALYZE publicity_entries`); err != nil {
			t.Fatal(err)
		}
	}
	return depts
}

func generatedEntry(i int, depts []int64, base calendar.Date) *publicity.Entry {
	day := base.AddDays(i * 2300 / 1_000_000 % 2300)
	e := &publicity.Entry{Kind: publicity.KindPermit, DepartmentID: depts[i%len(depts)], Title: titles[i%len(titles)],
		HolderKind: publicity.HolderLegal, HolderName: companyName(i), CreditCode: fmt.Sprintf("91330106MA%08d", i),
		DecidedOn: day, ValidFrom: day, Content: "许可证", Basis: "依据", Status: publicity.StatusPublished, PublishedOn: day,
		CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC(), DeptName: "部门"}
	e.Number = fmt.Sprintf("许可决定-33010620%07d", i)
	if i%3 == 0 {
		e.Kind, e.Title, e.Number = publicity.KindPenalty, offences[i%len(offences)], fmt.Sprintf("杭西罚〔%d〕%d号", day.Year(), i)
		e.PenaltyKinds, e.FineFen, e.PublicUntil = []string{"罚款"}, 500000, calendar.NewDate(2029, 12, 31)
	}
	if i%10 == 9 {
		e.HolderKind, e.HolderName, e.CreditCode = publicity.HolderPerson, "陈*"+words[i%len(words)], ""
	}
	return e
}

// registerSearch measures query classes through the service and the page.
func registerSearch(t *testing.T, a *apptest.App, depts []int64, health lat) {
	rare := companyName(123457)
	queries := []struct {
		name string
		q    publicity.Search
	}{
		{"newest, no term", publicity.Search{}},
		{"one common character", publicity.Search{Q: "餐"}},
		{"two characters", publicity.Search{Q: "药房"}},
		{"company name (thousands)", publicity.Search{Q: rare}},
		{"credit code (one)", publicity.Search{Q: "91330106MA00654321"}},
		{"decision number (one)", publicity.Search{Q: "许可决定-330106200654322"}},
		{"kind and term", publicity.Search{Q: "西湖", Kind: publicity.KindPenalty}},
		{"department and term", publicity.Search{Q: "食品", DepartmentID: depts[3]}},
		{"two terms", publicity.Search{Q: "杭州 生物医药"}},
		{"no match", publicity.Search{Q: "不存在的公司"}},
	}
	var all []time.Duration
	for _, qc := range queries {
		var ds []time.Duration
		var hits int
		for range 40 {
			t0 := time.Now()
			p, err := a.Services.Publicity.Search(context.Background(), qc.q)
			if err != nil {
				t.Fatal(err)
			}
			ds, hits = append(ds, time.Since(t0)), len(p.Entries)
		}
		all = append(all, ds...)
		t.Logf("register search %-26s %d hits on the first page, %v", qc.name+":", hits, quantiles(ds))
	}
	svc := quantiles(all)
	t.Logf("register search, every class:        %v", svc)
	var paths []string
	for _, qc := range queries {
		paths = append(paths, "/publicity?q="+url.QueryEscape(qc.q.Q)+"&kind="+string(qc.q.Kind))
	}
	page := latency(t, a, paths, 400)
	t.Logf("register page (HTTP), every class:   %v (p95 %.1f × /healthz %v)", page, ratio(page.p95, health.p95), health.p95)
	if svc.p95 > 50*time.Millisecond || page.p95 > 50*time.Millisecond {
		t.Errorf("register search p95: service %v, page %v; want ≤ 50 ms", svc.p95, page.p95)
	}
}
