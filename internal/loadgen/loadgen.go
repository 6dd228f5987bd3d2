// Package loadgen drives HTTP load at a server from inside the repository:
// a fixed number of concurrent keep-alive connections send requests for a
// fixed time, and the result reports throughput and latency percentiles.
// Benchmarks measure a hello-world handler the same way in the same run, so
// figures are compared as ratios on a noisy machine.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"
)

// Request builds the next request of one worker.
type Request func(worker, n int) (*http.Request, error)

// Get returns a Request for a fixed URL.
func Get(url string) Request {
	return func(int, int) (*http.Request, error) { return http.NewRequest(http.MethodGet, url, nil) }
}

// Options configure a run.
type Options struct {
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	// Check validates a response; a failed check counts as an error.
	Check func(*http.Response) error
}

// Result is the outcome of a run.
type Result struct {
	Requests int
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	P50, P95 time.Duration
	P99, Max time.Duration
}

// RPS is requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%.0f req/s, p50 %v, p95 %v, p99 %v, max %v, %d errors", r.RPS(),
		r.P50.Round(time.Microsecond), r.P95.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond), r.Errors)
}

// Run sends load until the duration has passed.
func Run(ctx context.Context, next Request, o Options) Result {
	client := newClient(o.Concurrency)
	return RunSteps(ctx, func(ctx context.Context, id, n int) error {
		req, err := next(id, n)
		if err != nil {
			return err
		}
		return do(client, req.WithContext(ctx), o.Check)
	}, o)
}

// Step is a worker's n-th operation of a load that is not one HTTP
// request (a message on a connection the worker keeps, say).
type Step func(ctx context.Context, worker, n int) error

// RunSteps runs steps in o.Concurrency workers, after a warm-up, until the
// duration has passed; a step still running when it has is not counted.
func RunSteps(ctx context.Context, step Step, o Options) Result {
	if o.Warmup > 0 {
		runSteps(ctx, step, o, o.Warmup)
	}
	return runSteps(ctx, step, o, o.Duration)
}

func newClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext, DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type worker struct {
	lat      []time.Duration
	errors   int
	firstErr error
}

func runSteps(ctx context.Context, step Step, o Options, d time.Duration) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	workers := make([]*worker, o.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		w := &worker{lat: make([]time.Duration, 0, 4096)}
		workers[i] = w
		wg.Add(1)
		go func() { defer wg.Done(); w.loop(ctx, step, i) }()
	}
	wg.Wait()
	return summarize(workers, time.Since(start))
}

func (w *worker) loop(ctx context.Context, step Step, id int) {
	for n := 0; ctx.Err() == nil; n++ {
		t0 := time.Now()
		err := step(ctx, id, n)
		if ctx.Err() != nil {
			return // the run ended mid-step: not counted
		}
		w.lat = append(w.lat, time.Since(t0))
		if err != nil {
			w.errors++
			if w.firstErr == nil {
				w.firstErr = err
			}
		}
	}
}

func do(client *http.Client, req *http.Request, check func(*http.Response) error) error {
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if check != nil {
		return check(res)
	}
	if res.StatusCode >= 400 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

func summarize(workers []*worker, elapsed time.Duration) Result {
	var all []time.Duration
	r := Result{Elapsed: elapsed}
	for _, w := range workers {
		all = append(all, w.lat...)
		r.Errors += w.errors
		if r.FirstErr == nil {
			r.FirstErr = w.firstErr
		}
	}
	r.Requests = len(all)
	if len(all) == 0 {
		return r
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	r.P50, r.P95, r.P99, r.Max = pct(0.50), pct(0.95), pct(0.99), all[len(all)-1]
	return r
}

// HelloServer serves a minimal net/http handler on loopback: the baseline
// every throughput figure is compared with.
func HelloServer() (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "hello, world\n")
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }
}

// Bench runs one GET per benchmark iteration from 64 goroutines (on any
// number of CPUs) over keep-alive connections, and reports req/s and the
// p99 latency next to ns/op.
func Bench(b *testing.B, url string) {
	client := newClient(64)
	if err := do(client, mustGet(url), nil); err != nil {
		b.Fatalf("GET %s: %v", url, err)
	}
	var mu sync.Mutex
	var all []time.Duration
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		for pb.Next() {
			t0 := time.Now()
			if err := do(client, mustGet(url), nil); err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, time.Since(t0))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	if len(all) > 0 {
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}

func mustGet(url string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	return req
}
