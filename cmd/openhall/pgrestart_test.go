package main

import (
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/testutil"
)

const (
	restartWorkers = 8
	restartDown    = 2 * time.Second        // how long the database stays down
	restartPause   = 250 * time.Millisecond // a client's wait after a refusal
	restartAcksMin = 30                     // acknowledged filings before the stop, and after the start
)

// TestPostgresRestartDuringSubmissions files applications from many clients
// while the PostgreSQL server is stopped (fast shutdown: every session ends
// at once) and started again. It checks that while the database is down
// every refused filing is a 503 with Retry-After and a Chinese message (no
// library error text), that filings are acknowledged again after the
// restart without restarting openhall, that every acknowledged filing is in
// the database whole, and that repeating each refused one with its
// Idempotency-Key files it exactly once.
//
// The server is a private cluster of this test (stopping the one that
// scripts/test shares would break every other package's tests).
func TestPostgresRestartDuringSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and restarts a PostgreSQL cluster")
	}
	pg := testutil.PrivatePostgres(t)
	bin := buildBinary(t)
	if out, err := exec.Command(bin, "migrate", "--db", pg.URL).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	env := []string{"OPENHALL_DB=" + pg.URL, "OPENHALL_DATA=" + filepath.Join(t.TempDir(), "data")}
	p := startServe(t, bin, env, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.caseIDs(t)

	l := c.startRestartLoad()
	if !l.waitAcks(restartAcksMin) {
		l.stop()
		t.Fatalf("only %d filings acknowledged before the database stopped\n%s", l.acks.Load(), p.stderr)
	}
	downAt := time.Now()
	pg.Stop(t)
	time.Sleep(restartDown)
	pg.Start(t)
	upAt := time.Now()
	ackedBefore := l.acks.Load()
	resumed := l.waitAcks(ackedBefore + restartAcksMin)
	attempts := l.stop()
	if !resumed {
		t.Fatalf("filings not acknowledged again within a minute of the restart (%d before it)\n%s", ackedBefore, p.stderr)
	}
	checkRefusals(t, attempts, downAt, upAt)

	byKey := c.checkCases(t, before)
	checkAcknowledged(t, attempts, byKey)
	logFound(t, attempts, byKey)
	created, repeated := c.retryUnacknowledged(t, attempts, byKey)
	checkExactlyOnce(t, attempts, c.checkCases(t, before))
	t.Logf("retries: %d filed anew (201), %d found filed (200)", created, repeated)
}

// filingLoad is filings sent by restartWorkers clients until stopped; a client
// waits restartPause after a refusal, as one honouring Retry-After would
// (only shorter, to keep the test quick).
type filingLoad struct {
	mu       sync.Mutex
	attempts []attempt
	acks     atomic.Int64
	halt     atomic.Bool
	wg       sync.WaitGroup
}

func (c *filingClient) startRestartLoad() *filingLoad {
	l := &filingLoad{}
	var seq atomic.Int64
	run := fmt.Sprintf("pgrestart-%x", time.Now().UnixNano())
	for range restartWorkers {
		l.wg.Go(func() {
			for !l.halt.Load() {
				a := c.file(fmt.Sprintf("%s-%d", run, seq.Add(1)))
				if a.acked() {
					l.acks.Add(1)
				} else {
					time.Sleep(restartPause)
				}
				l.mu.Lock()
				l.attempts = append(l.attempts, a)
				l.mu.Unlock()
			}
		})
	}
	return l
}

// waitAcks waits up to a minute for n acknowledged filings in all.
func (l *filingLoad) waitAcks(n int64) bool {
	for deadline := time.Now().Add(time.Minute); l.acks.Load() < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func (l *filingLoad) stop() []attempt {
	l.halt.Store(true)
	l.wg.Wait()
	return l.attempts
}

var han = regexp.MustCompile(`\p{Han}`)

// checkRefusals checks every filing that was not acknowledged: the server
// stayed up, so each got an answer, and that answer is a retryable 503
// with a Chinese message that shows nothing of the driver.
func checkRefusals(t *testing.T, attempts []attempt, downAt, upAt time.Time) {
	t.Helper()
	var refused, during int
	for _, a := range attempts {
		if a.acked() {
			continue
		}
		refused++
		if a.started.After(downAt) && a.started.Before(upAt) {
			during++
		}
		r := a.refusal
		switch {
		case r.status == 0:
			t.Errorf("filing %s got no answer from the server: %s", a.key, a.err)
		case r.status != http.StatusServiceUnavailable || r.code != "unavailable":
			t.Errorf("filing %s refused with %d %s %q, want 503 unavailable", a.key, r.status, r.code, r.message)
		case r.retryAfter == "":
			t.Errorf("filing %s: 503 without Retry-After", a.key)
		case !han.MatchString(r.message) || leaksDriver(r.message):
			t.Errorf("filing %s: 503 with message %q, want a Chinese one", a.key, r.message)
		}
	}
	if during == 0 {
		t.Errorf("no filing was refused while the database was down (%d attempts)", len(attempts))
	}
	t.Logf("load: %d filings, %d refused (%d of them sent while the database was down for %s)",
		len(attempts), refused, during, upAt.Sub(downAt).Round(time.Millisecond))
}

func leaksDriver(msg string) bool {
	low := strings.ToLower(msg)
	for _, s := range []string{"pgx", "pgconn", "dial", "connect", "sqlstate", "eof", "tcp"} {
		if strings.Contains(low, s) {
			return true
		}
	}
	return false
}
