package app_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/jobs"
)

// probe is a job that records where and how often it ran.
type probe struct {
	Key      string `json:"key"`
	FailOnce bool   `json:"fail_once"`
}

func (probe) Kind() string { return "test.probe" }

type runs struct {
	mu     sync.Mutex
	byKey  map[string]int
	byNode map[string]int
}

func newRuns() *runs { return &runs{byKey: map[string]int{}, byNode: map[string]int{}} }

// handler returns the registration for one node.
func (r *runs) handler(node string) func(*jobs.Registry) {
	return func(reg *jobs.Registry) {
		jobs.Register(reg, func(ctx context.Context, p probe) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.byKey[p.Key]++
			r.byNode[node]++
			if p.FailOnce && r.byKey[p.Key] == 1 {
				return errors.New("first attempt fails")
			}
			return nil
		})
	}
}

func (r *runs) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byKey[key]
}

func (r *runs) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.byKey {
		n += c
	}
	return n
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func enqueue(t *testing.T, a *apptest.App, p probe, fail bool) error {
	t.Helper()
	return a.Stores.InTx(context.Background(), func(ctx context.Context) error {
		if err := a.Queue().Enqueue(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		if fail {
			return errors.New("the change fails, so must the job")
		}
		return nil
	})
}

func TestJobsEnqueuedInTransaction(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		r := newRuns()
		a := apptest.New(t, backend, apptest.Options{Workers: true, Jobs: r.handler("a"), NoTree: true})
		if err := enqueue(t, a, probe{Key: "rolled-back"}, true); err == nil {
			t.Fatal("want the transaction's error")
		}
		if err := enqueue(t, a, probe{Key: "committed"}, false); err != nil {
			t.Fatal(err)
		}
		if err := enqueue(t, a, probe{Key: "retried", FailOnce: true}, false); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the committed job", func() bool { return r.count("committed") == 1 })
		waitFor(t, 30*time.Second, "the retry", func() bool { return r.count("retried") == 2 })
		time.Sleep(300 * time.Millisecond)
		if n := r.count("rolled-back"); n != 0 {
			t.Fatalf("a job enqueued in a rolled-back transaction ran %d times", n)
		}
		if n := r.count("committed"); n != 1 {
			t.Fatalf("committed job ran %d times", n)
		}
	})
}

// TestTwoNodesRunEachJobOnce runs two complete openhall nodes (separate
// connection pools and job clients, as two processes would have) on one
// PostgreSQL database: both serve, and every job runs exactly once.
func TestTwoNodesRunEachJobOnce(t *testing.T) {
	r := newRuns()
	t.Run("postgres", func(t *testing.T) {
		a := apptest.New(t, "postgres", apptest.Options{Workers: true, Jobs: r.handler("a")})
		b := apptest.New(t, "postgres", apptest.Options{Workers: true, Jobs: r.handler("b"), Postgres: a.Config.DB, NoTree: true})
		for _, node := range []*apptest.App{a, b} {
			res, err := node.Client(t).Get(node.URL("/readyz"))
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("node %s not ready: %v %v", node.BaseURL, res, err)
			}
			res.Body.Close()
		}
		const n = 300
		for i := 0; i < n; i++ {
			node := a
			if i%2 == 1 {
				node = b
			}
			if err := enqueue(t, node, probe{Key: fmt.Sprint(i)}, false); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, 60*time.Second, "all jobs", func() bool { return r.total() >= n })
		time.Sleep(500 * time.Millisecond)
		for i := 0; i < n; i++ {
			if c := r.count(fmt.Sprint(i)); c != 1 {
				t.Fatalf("job %d ran %d times", i, c)
			}
		}
		t.Logf("jobs worked per node: %v", r.byNode)
	})
}
