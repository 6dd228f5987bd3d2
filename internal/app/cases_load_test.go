package app_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// TestCaseLoad runs the case workflow load in-process (for profiling with
// -cpuprofile). It runs only with OPENHALL_PERF=1; figures are printed, not
// asserted: see `openhall load` for the measurement runs.
// OPENHALL_PERF_PROFILES=DIR writes a CPU profile of each phase alone
// (submissions.prof, transitions.prof) into DIR.
func TestCaseLoad(t *testing.T) {
	if os.Getenv("OPENHALL_PERF") != "1" {
		t.Skip("set OPENHALL_PERF=1 to run the case load")
	}
	backend := os.Getenv("OPENHALL_PERF_BACKEND")
	if backend == "" {
		backend = "sqlite"
	}
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Workers: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	items, _, _ := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: "特种设备使用登记"})
	l := loadgen.CaseLoad{BaseURL: a.BaseURL, ItemVersion: *items[0].PublishedID, Password: demo.Password, Applicant: "citizen",
		Steps: []string{"clerk", "approver", "depthead"}, Concurrency: 64, Duration: 10 * time.Second}
	cpu0 := cpuTime()
	stop := profileTo(t, "submissions.prof")
	sub, err := l.RunSubmissions(context.Background())
	stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("submissions %.0f/s p99 %v errors %d %s; CPU %.1f s", sub.SubmitRate, sub.SubmitP99, sub.SubmitErrors, sub.FirstErr, (cpuTime() - cpu0).Seconds())
	cpu0 = cpuTime()
	stop = profileTo(t, "transitions.prof")
	defer stop()
	tr, err := l.RunTransitions(context.Background(), sub.Cases)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("transitions %.0f/s p99 %v errors %d %s; CPU %.1f s", tr.TransitionRate, tr.TransitionP99, tr.TransitionErrs, tr.FirstErr, (cpuTime() - cpu0).Seconds())
}

// TestCaseLoadWorks runs the case load briefly, as `openhall load cases`
// and `load compare` do, and fails on any error: the load measures nothing
// if its requests are refused (its first step once sent no version).
func TestCaseLoadWorks(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Workers: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	items, _, _ := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: "特种设备使用登记"})
	l := loadgen.CaseLoad{BaseURL: a.BaseURL, ItemVersion: *items[0].PublishedID, Password: demo.Password, Applicant: "citizen",
		Steps: []string{"clerk", "approver", "depthead"}, Concurrency: 4, Duration: time.Second}
	sub, err := l.RunSubmissions(context.Background())
	if err != nil || sub.Submissions == 0 || sub.SubmitErrors != 0 {
		t.Fatalf("submissions: %d, %d errors %s; %v", sub.Submissions, sub.SubmitErrors, sub.FirstErr, err)
	}
	tr, err := l.RunTransitions(context.Background(), sub.Cases)
	if err != nil || tr.Transitions == 0 || tr.TransitionErrs != 0 {
		t.Fatalf("transitions: %d, %d errors %s; %v", tr.Transitions, tr.TransitionErrs, tr.FirstErr, err)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// profileTo starts a CPU profile into the file name in the directory
// OPENHALL_PERF_PROFILES names, if it names one.
func profileTo(t *testing.T, name string) (stop func()) {
	dir := os.Getenv("OPENHALL_PERF_PROFILES")
	if dir == "" {
		return func() {}
	}
	w, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(w); err != nil {
		t.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); w.Close() }
}
