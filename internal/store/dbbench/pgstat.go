package dbbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PGMeter reads what a PostgreSQL server did for one database between two
// samples: transactions committed, WAL written and flushed, statements
// (from pg_stat_statements when the server loads it) and, when the server
// runs on this machine, the CPU time of all its processes.
type PGMeter struct {
	pool       *pgxpool.Pool
	postmaster int  // 0 when the server's processes cannot be seen
	statements bool // pg_stat_statements is usable
	planning   bool // and it times planning (pg_stat_statements.track_planning)
}

// PGSample is the state of the counters at one moment.
type PGSample struct {
	Commits    int64
	WALBytes   int64 // position in the WAL
	WALSyncs   int64 // WAL flushes to disk (group commit makes them fewer than commits)
	Statements int64 // calls in pg_stat_statements for the database; -1 without it
	Plans      int64 // statements planned, and the time it took, when planning is timed
	Planning   time.Duration
	CPU        time.Duration
}

// NewPGMeter connects to the database of url. It creates the
// pg_stat_statements extension there when the server preloads the module
// and the role may.
func NewPGMeter(ctx context.Context, url string) (*PGMeter, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	m := &PGMeter{pool: pool}
	var pid int
	if err := pool.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		pool.Close()
		return nil, err
	}
	m.postmaster = parentOf(pid)
	_, err = pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
	if err == nil {
		_, err = pool.Exec(ctx, `SELECT count(*) FROM pg_stat_statements`)
	}
	m.statements = err == nil
	if m.statements {
		var track string
		err = pool.QueryRow(ctx, `SELECT current_setting('pg_stat_statements.track_planning')`).Scan(&track)
		m.planning = err == nil && track == "on"
	}
	return m, nil
}

// Close disconnects.
func (m *PGMeter) Close() { m.pool.Close() }

// HasStatements reports whether statements are counted.
func (m *PGMeter) HasStatements() bool { return m.statements }

// HasPlanning reports whether the time spent planning statements is counted.
func (m *PGMeter) HasPlanning() bool { return m.planning }

// HasCPU reports whether the server's CPU time is measured.
func (m *PGMeter) HasCPU() bool { return m.postmaster != 0 }

// Sample reads the counters. The statistics of a transaction reach the
// views up to a second after it ended, so a sample taken right after a load
// waits that long first.
func (m *PGMeter) Sample(ctx context.Context) (PGSample, error) {
	var s PGSample
	var lsn string
	err := m.pool.QueryRow(ctx, `SELECT xact_commit, pg_current_wal_lsn()::text, (SELECT wal_sync FROM pg_stat_wal)
		FROM pg_stat_database WHERE datname = current_database()`).Scan(&s.Commits, &lsn, &s.WALSyncs)
	if err != nil {
		return s, fmt.Errorf("read PostgreSQL statistics: %w", err)
	}
	if s.WALBytes, err = parseLSN(lsn); err != nil {
		return s, err
	}
	s.Statements = -1
	if m.statements {
		var planMS float64
		err = m.pool.QueryRow(ctx, `SELECT COALESCE(sum(calls), 0)::bigint, COALESCE(sum(plans), 0)::bigint,
			COALESCE(sum(total_plan_time), 0)::float8 FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&s.Statements, &s.Plans, &planMS)
		s.Planning = time.Duration(planMS * float64(time.Millisecond))
		if err != nil {
			return s, fmt.Errorf("read pg_stat_statements: %w", err)
		}
	}
	if m.postmaster != 0 {
		s.CPU = treeCPU(m.postmaster)
	}
	return s, nil
}

// StatementCost is one statement's share of a load.
type StatementCost struct {
	Calls    int64
	Rows     int64
	TimeMS   float64 // execution time
	WALBytes int64
	Query    string
}

// ResetStatements empties pg_stat_statements (for every database).
func (m *PGMeter) ResetStatements(ctx context.Context) error {
	if !m.statements {
		return nil
	}
	_, err := m.pool.Exec(ctx, `SELECT pg_stat_statements_reset()`)
	return err
}

// TopStatements lists the n statements of the database that took the most
// execution time since the last reset.
func (m *PGMeter) TopStatements(ctx context.Context, n int) ([]StatementCost, error) {
	if !m.statements {
		return nil, nil
	}
	rows, err := m.pool.Query(ctx, `SELECT calls, rows, total_exec_time, wal_bytes::bigint, query FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY total_exec_time DESC LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatementCost
	for rows.Next() {
		var c StatementCost
		if err := rows.Scan(&c.Calls, &c.Rows, &c.TimeMS, &c.WALBytes, &c.Query); err != nil {
			return nil, err
		}
		c.Query = strings.Join(strings.Fields(c.Query), " ")
		out = append(out, c)
	}
	return out, rows.Err()
}

// parseLSN turns "16/B374D848" into a byte position.
func parseLSN(s string) (int64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unexpected WAL position %q", s)
	}
	return int64(h<<32 | l), nil
}

// clockTick is USER_HZ, the unit of CPU times in /proc (100 on Linux).
const clockTick = 100

// procStat reads a process's parent and its CPU time (with that of its
// reaped children when withChildren).
func procStat(pid int, withChildren bool) (ppid int, cpu time.Duration, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, false
	}
	// The command name may hold spaces; the fields after it are fixed.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	ticks := int64(0)
	last := 12 // utime, stime are fields 11 and 12 after the name
	if withChildren {
		last = 14 // cutime, cstime
	}
	for i := 11; i <= last; i++ {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += n
	}
	return ppid, time.Duration(ticks) * time.Second / clockTick, true
}

// parentOf returns the parent of pid, 0 when it cannot be read.
func parentOf(pid int) int {
	ppid, _, ok := procStat(pid, false)
	if !ok {
		return 0
	}
	return ppid
}

// treeCPU is the CPU time of a process, its live children and the children
// it has reaped: for PostgreSQL, the postmaster and every backend.
func treeCPU(root int) time.Duration {
	_, total, _ := procStat(root, true)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		if ppid, cpu, ok := procStat(pid, false); ok && ppid == root {
			total += cpu
		}
	}
	return total
}

// ProcessCPU is the CPU time of one process (0 when it cannot be read).
func ProcessCPU(pid int) time.Duration {
	_, cpu, _ := procStat(pid, false)
	return cpu
}
