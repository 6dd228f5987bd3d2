package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"openhall/internal/store/dbbench"
)

// Meter samples what a load costs: the server's own counters from its
// /metrics (CPU time, statements, round trips, commits, bytes written), the
// PostgreSQL server's (commits, WAL, statements, CPU) when DB is set, and
// the CPU time of this load generator.
type Meter struct {
	BaseURL string
	DB      *dbbench.PGMeter // nil on SQLite
}

// Sample is the counters at one moment.
type Sample struct {
	At     time.Time
	Server map[string]float64 // unlabelled /metrics values
	DB     dbbench.PGSample
	Self   time.Duration
}

// statsDelay is how long PostgreSQL may take to publish a transaction's
// statistics after it ended.
const statsDelay = 1100 * time.Millisecond

// Take reads every counter.
func (m *Meter) Take(ctx context.Context) (Sample, error) {
	s := Sample{At: time.Now(), Self: selfCPU()}
	var err error
	if s.Server, err = scrape(m.BaseURL + "/metrics"); err != nil {
		return s, err
	}
	if m.DB != nil {
		s.DB, err = m.DB.Sample(ctx)
	}
	return s, err
}

// Settle waits until the database's statistics include what just ended.
func (m *Meter) Settle() {
	if m.DB != nil {
		time.Sleep(statsDelay)
	}
}

// Cost is what one operation cost on average.
type Cost struct {
	Ops          int
	Statements   float64 // sent by the server, BEGIN and COMMIT included
	RoundTrips   float64
	Commits      float64       // PostgreSQL: transactions the database committed (reads included); SQLite: write transactions
	DBStatements float64       // pg_stat_statements calls; -1 when unknown
	DBPlans      float64       // statements PostgreSQL planned; -1 when unknown
	DBPlanning   time.Duration // the time it spent planning them; -1 when unknown
	WALBytes     float64       // PostgreSQL: WAL; SQLite: bytes the server wrote (WAL, checkpoints, materials)
	WALSyncs     float64       // PostgreSQL: WAL flushes
	ServerCPU    time.Duration
	DBCPU        time.Duration // -1 when unknown (SQLite runs inside the server)
	LoadCPU      time.Duration // -1 when the load generator runs inside the server's process (counted in ServerCPU)
	Postgres     bool
}

// CostOf divides what happened between a and b by ops.
func (m *Meter) CostOf(a, b Sample, ops int) Cost {
	if ops <= 0 {
		return Cost{}
	}
	n := float64(ops)
	per := func(name string) float64 { return (b.Server[name] - a.Server[name]) / n }
	c := Cost{Ops: ops, Statements: per("openhall_db_statements_total"), RoundTrips: per("openhall_db_round_trips_total"),
		Commits: per("openhall_db_commits_total"), WALBytes: per("openhall_process_write_bytes_total"),
		ServerCPU: seconds(per("process_cpu_seconds_total")), LoadCPU: (b.Self - a.Self) / time.Duration(ops),
		DBStatements: -1, DBPlans: -1, DBPlanning: -1, DBCPU: -1, Postgres: m.DB != nil}
	if m.DB != nil {
		c.Commits = float64(b.DB.Commits-a.DB.Commits) / n
		c.WALBytes = float64(b.DB.WALBytes-a.DB.WALBytes) / n
		c.WALSyncs = float64(b.DB.WALSyncs-a.DB.WALSyncs) / n
		if m.DB.HasStatements() {
			c.DBStatements = float64(b.DB.Statements-a.DB.Statements) / n
		}
		if m.DB.HasPlanning() {
			c.DBPlans = float64(b.DB.Plans-a.DB.Plans) / n
			c.DBPlanning = (b.DB.Planning - a.DB.Planning) / time.Duration(ops)
		}
		if m.DB.HasCPU() {
			c.DBCPU = (b.DB.CPU - a.DB.CPU) / time.Duration(ops)
		}
	}
	return c
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func (c Cost) String() string {
	if c.Ops == 0 {
		return "no operations"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "per op: %.1f statements, %.1f round trips, %.2f commits", c.Statements, c.RoundTrips, c.Commits)
	if c.DBStatements >= 0 {
		fmt.Fprintf(&b, " (pg_stat_statements %.1f)", c.DBStatements)
	}
	if c.Postgres && c.DBPlans >= 0 {
		fmt.Fprintf(&b, ", %.2f planned taking %.3f ms", c.DBPlans, ms(c.DBPlanning))
	}
	if c.Postgres {
		fmt.Fprintf(&b, ", WAL %.0f B, %.2f WAL flushes", c.WALBytes, c.WALSyncs)
	} else {
		fmt.Fprintf(&b, ", %.0f B written", c.WALBytes)
	}
	fmt.Fprintf(&b, "; CPU ms: server %.3f", ms(c.ServerCPU))
	if c.DBCPU >= 0 {
		fmt.Fprintf(&b, ", database %.3f", ms(c.DBCPU))
	}
	if c.LoadCPU >= 0 {
		fmt.Fprintf(&b, ", load generator %.3f", ms(c.LoadCPU))
	} else {
		b.WriteString(" (load generator included)")
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// scrape reads the unlabelled samples of a Prometheus text page.
func scrape(url string) (map[string]float64, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.ContainsRune(line, '{') {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); ok && err == nil {
			out[name] = v
		}
	}
	return out, sc.Err()
}
