package app

import (
	"bufio"
	"bytes"
	"os"
	"strconv"

	"openhall/internal/store"

	"github.com/prometheus/client_golang/prometheus"
)

// registerStoreMetrics exposes the backend's counters and the bytes this
// process has written to storage, so that `openhall load` can report the
// cost of one operation from two scrapes of /metrics.
func (a *App) registerStoreMetrics() {
	if c, ok := a.Stores.Backend.(store.Counted); ok {
		n := c.Counters()
		a.Metrics.MustRegister(
			counterFunc("openhall_db_statements_total", "SQL statements sent to the database, BEGIN and COMMIT included.", n.Statements.Load),
			counterFunc("openhall_db_round_trips_total", "Waits for the database: a statement or a batch sent together.", n.RoundTrips.Load),
			counterFunc("openhall_db_commits_total", "Write transactions committed.", n.Commits.Load))
	}
	if _, err := os.Stat("/proc/self/io"); err == nil {
		a.Metrics.MustRegister(counterFunc("openhall_process_write_bytes_total",
			"Bytes this process caused to be written to storage (Linux /proc/self/io write_bytes).", procWriteBytes))
	}
}

func counterFunc(name, help string, load func() int64) prometheus.CounterFunc {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(load()) })
}

// procWriteBytes reads write_bytes of /proc/self/io; 0 when unreadable.
func procWriteBytes() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("write_bytes: ")); ok {
			n, _ := strconv.ParseInt(string(v), 10, 64)
			return n
		}
	}
	return 0
}
