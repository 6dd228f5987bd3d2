package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"openhall/internal/disclosure/bench"
	"openhall/internal/disclosure/search"
	"openhall/internal/loadgen"
)

// httpBench measures the JSON search endpoint the way visitors reach it:
// the app serves on loopback, a fixed number of clients send the queries of
// one class in turn for a while, and /healthz is measured the same way in
// the same run, before and after, as the baseline the ratio is taken to.
type httpBench struct {
	clients  int
	duration time.Duration
	profile  string // CPU profile of the search classes, when set
	classes  []bench.Class
}

// run serves the app's handler on a loopback port for the measurement.
func (h httpBench) run(ctx context.Context, b *benchRun) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: b.a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	o := loadgen.Options{Concurrency: h.clients, Duration: h.duration, Warmup: time.Second, Check: wantOK}
	fmt.Fprintf(b.out, "JSON 接口（%d 个并发客户端，每项 %s）：\n", h.clients, h.duration)
	before := loadgen.Run(ctx, loadgen.Get(base+"/healthz"), o)
	fmt.Fprintf(b.out, "  /healthz（前）        %s\n", before)
	var results []httpResult
	stopProfile, err := startProfile(h.profile)
	if err != nil {
		return err
	}
	for _, c := range h.classes {
		for _, sort := range []search.Sort{search.ByRelevance, search.ByDate} {
			r := loadgen.Run(ctx, rotateQueries(base, c.Queries, sort), o)
			results = append(results, httpResult{c.Name, sort, r})
		}
	}
	stopProfile()
	after := loadgen.Run(ctx, loadgen.Get(base+"/healthz"), o)
	fmt.Fprintf(b.out, "  /healthz（后）        %s\n", after)
	health := max(before.P95, after.P95)
	for _, r := range results {
		h.print(b, r, health)
	}
	return nil
}

type httpResult struct {
	class string
	sort  search.Sort
	res   loadgen.Result
}

// print writes one class's figures with the ratios the targets are set in:
// p95 ≤ 30 ms and ≤ 15 × the p95 of /healthz.
func (h httpBench) print(b *benchRun, r httpResult, health time.Duration) {
	ratio := float64(r.res.P95) / float64(max(health, time.Microsecond))
	ok := r.res.P95 <= 30*time.Millisecond && ratio <= 15 && r.res.Errors == 0
	fmt.Fprintf(b.out, "  检索 %-4s %-9s %s；p95 / healthz p95 = %.1f（%s）\n", r.class, r.sort, r.res, ratio, verdict(ok))
	if r.res.FirstErr != nil {
		fmt.Fprintf(b.out, "    首个错误：%v\n", r.res.FirstErr)
	}
}

// rotateQueries asks the class's queries in turn, each worker from its own
// place in the list, with the given sort.
func rotateQueries(base string, qs []search.Query, sort search.Sort) loadgen.Request {
	urls := make([]string, 0, len(qs))
	seen := map[string]bool{}
	for _, q := range qs {
		if seen[q.Text] {
			continue
		}
		seen[q.Text] = true
		v := url.Values{"q": {q.Text}, "sort": {string(sort)}, "limit": {strconv.Itoa(20)}}
		urls = append(urls, base+"/api/v1/disclosure/search?"+v.Encode())
	}
	return func(worker, n int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, urls[(worker*7+n)%len(urls)], nil)
	}
}
