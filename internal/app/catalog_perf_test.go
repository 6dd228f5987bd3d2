package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/loadgen"
)

// TestCatalogPerformance measures the catalogue on SQLite with the demo
// catalogue plus 10,000 generated items: the home page (search box,
// 个人办事/法人办事, 部门办事, 热门事项, 一件事), the public guide page and
// /api/v1/items/{code} under 64 concurrent connections against a
// hello-world handler in the same run, and the search latency. It runs
// when OPENHALL_PERF=1 (it takes about a minute); OPENHALL_PERF_SECONDS
// sets the length of each load run (default 5).
//
//	OPENHALL_PERF=1 go test ./internal/app -run TestCatalogPerformance -v
func TestCatalogPerformance(t *testing.T) {
	if os.Getenv("OPENHALL_PERF") != "1" {
		t.Skip("set OPENHALL_PERF=1 to measure the catalogue (about a minute)")
	}
	secs := 5
	fmt.Sscan(os.Getenv("OPENHALL_PERF_SECONDS"), &secs)
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	codes := seedCatalogue(t, a, 10000)
	t.Logf("catalogue: %d published items", len(codes))

	hello, stop := loadgen.HelloServer()
	defer stop()
	o := loadgen.Options{Concurrency: 64, Duration: time.Duration(secs) * time.Second, Warmup: time.Second}
	cold := warm(t, a, codes)
	t.Logf("first view of each item (cold, one client): guide page p50 %v, API p50 %v", cold[0], cold[1])
	base := loadgen.Run(context.Background(), loadgen.Get(hello+"/"), o)
	home := loadgen.Run(context.Background(), loadgen.Get(a.URL("/")), o)
	guide := loadgen.Run(context.Background(), rotate(a, "/items/", codes), o)
	homeGz := loadgen.Run(context.Background(), gzipped(loadgen.Get(a.URL("/"))), o)
	guideGz := loadgen.Run(context.Background(), gzipped(rotate(a, "/items/", codes)), o)
	api := loadgen.Run(context.Background(), rotate(a, "/api/v1/items/", codes), o)
	t.Logf("hello world:            %v", base)
	t.Logf("home page:              %v (%.0f %% of hello world)", home, 100*home.RPS()/base.RPS())
	t.Logf("guide page:             %v (%.0f %% of hello world)", guide, 100*guide.RPS()/base.RPS())
	t.Logf("home page (gzip):       %v (%.0f %% of hello world)", homeGz, 100*homeGz.RPS()/base.RPS())
	t.Logf("guide page (gzip):      %v (%.0f %% of hello world)", guideGz, 100*guideGz.RPS()/base.RPS())
	t.Logf("/api/v1/items/{code}:   %v (%.0f %% of hello world)", api, 100*api.RPS()/base.RPS())
	for name, r := range map[string]loadgen.Result{"home page": home, "guide page": guide, "home page (gzip)": homeGz,
		"guide page (gzip)": guideGz, "api item": api} {
		if r.Errors > 0 || r.RPS() < 0.3*base.RPS() || r.P99 > 25*time.Millisecond {
			t.Errorf("%s: %v; want ≥ 30 %% of %.0f req/s and p99 ≤ 25 ms without errors (first error %v)", name, r, base.RPS(), r.FirstErr)
		}
	}
	p50, p95, p99 := searchLatency(t, a)
	t.Logf("search over %d items:   p50 %v, p95 %v, p99 %v", len(codes), p50, p95, p99)
	if p95 > 20*time.Millisecond {
		t.Errorf("search p95 %v, want ≤ 20 ms", p95)
	}
}

// warm requests every item's guide page and API guide once, as a running
// server has after its first visitors, and returns the median time of
// those first (cold) requests.
func warm(t *testing.T, a *apptest.App, codes []string) [2]time.Duration {
	var out [2]time.Duration
	for i, prefix := range []string{"/items/", "/api/v1/items/"} {
		lat := make([]time.Duration, 0, len(codes))
		for _, c := range codes {
			t0 := time.Now()
			res, err := http.Get(a.URL(prefix + c))
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("warm %s%s: %v %v", prefix, c, res, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			lat = append(lat, time.Since(t0))
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		out[i] = lat[len(lat)/2]
	}
	return out
}

// gzipped asks as a browser does, for a gzip-encoded answer; like wrk or
// hey given that header, the load generator reads the compressed bytes
// without decoding them, so that its own work stays out of the figure.
func gzipped(next loadgen.Request) loadgen.Request {
	return func(worker, n int) (*http.Request, error) {
		req, err := next(worker, n)
		if err == nil {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		return req, err
	}
}

// rotate requests the page of a different item each time.
func rotate(a *apptest.App, prefix string, codes []string) loadgen.Request {
	return func(worker, n int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, a.URL(prefix+codes[(worker*7919+n*104729)%len(codes)]), nil)
	}
}

// searchQueries are one-, two- and four-character queries, common and
// rare, and one that matches nothing (the slowest: every row is read).
var searchQueries = []string{"证", "许", "登", "食", "户", "宅", "许可", "登记", "保险", "身份", "食品经营", "居民身份", "农村村民", "飞机场站"}

// searchLatency runs each query many times through the service, with the
// count and the first page, as the search page and the API do.
func searchLatency(t *testing.T, a *apptest.App) (p50, p95, p99 time.Duration) {
	var lat []time.Duration
	for round := 0; round < 30; round++ {
		for _, q := range searchQueries {
			t0 := time.Now()
			if _, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: q}); err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	return at(0.50), at(0.95), at(0.99)
}

// seedCatalogue loads the demo data set and publishes n generated items
// made from the demo guides, in transactions of 500 items, and returns the
// 实施编码 of every published item.
func seedCatalogue(t testing.TB, a *apptest.App, n int) []string {
	ctx, sys := context.Background(), identity.SystemActor()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	demoItems, err := a.Services.Catalog.Export(ctx, catalog.SearchQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < n; start += 500 {
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := start; i < min(start+500, n); i++ {
				if err := publishGenerated(ctx, a, sys, demoItems[i%len(demoItems)], i); err != nil {
					return fmt.Errorf("generated item %d: %w", i, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var codes []string
	for off := 0; ; off += catalog.MaxPage {
		its, total, err := a.Services.Catalog.PublicItems(ctx, catalog.ItemFilter{Offset: off, Limit: catalog.MaxPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range its {
			codes = append(codes, it.ImplCode)
		}
		if off+catalog.MaxPage >= total {
			return codes
		}
	}
}

// publishGenerated publishes a copy of a demo item under a new code and a
// numbered name.
func publishGenerated(ctx context.Context, a *apptest.App, sys *identity.Actor, in catalog.ItemInput, i int) error {
	in.Code = fmt.Sprintf("%s%05d%03d", in.Code[:2], 50000+i/1000, i%1000)
	in.ImplCode = ""
	in.Guide.Name = fmt.Sprintf("%s（第 %d 号实施清单）", in.Guide.Name, i+1)
	it, _, err := a.Services.Catalog.CreateItem(ctx, sys, in)
	if err != nil {
		return err
	}
	if _, err := a.Services.Catalog.Submit(ctx, sys, it.ID); err != nil {
		return err
	}
	_, err = a.Services.Catalog.Approve(ctx, sys, it.ID, catalog.ReviewInput{})
	return err
}
