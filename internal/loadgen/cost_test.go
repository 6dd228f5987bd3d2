package loadgen

import (
	"strings"
	"testing"
	"time"
)

func TestCostString(t *testing.T) {
	tests := []struct {
		name      string
		c         Cost
		want, not string
	}{
		{"none", Cost{}, "no operations", "per op"},
		{"sqlite", Cost{Ops: 10, Statements: 13, RoundTrips: 13, Commits: 0.06, WALBytes: 4800, ServerCPU: 660 * time.Microsecond, DBStatements: -1, DBCPU: -1, LoadCPU: 105 * time.Microsecond},
			"per op: 13.0 statements, 13.0 round trips, 0.06 commits, 4800 B written; CPU ms: server 0.660, load generator 0.105", "database"},
		{"postgres", Cost{Ops: 10, Statements: 10.3, RoundTrips: 6.3, Commits: 3.8, DBStatements: 11, DBPlans: -1, WALBytes: 4512, WALSyncs: 0.64, ServerCPU: time.Millisecond, DBCPU: 1400 * time.Microsecond, LoadCPU: 220 * time.Microsecond, Postgres: true},
			"(pg_stat_statements 11.0), WAL 4512 B, 0.64 WAL flushes; CPU ms: server 1.000, database 1.400, load generator 0.220", "written"},
		{"postgres planning", Cost{Ops: 10, Statements: 17.6, RoundTrips: 10.6, Commits: 4.3, DBStatements: 20.5, DBPlans: 0.07, DBPlanning: 62 * time.Microsecond, Postgres: true},
			"(pg_stat_statements 20.5), 0.07 planned taking 0.062 ms, WAL", "planned taking -"},
		{"generator in the server", Cost{Ops: 10, Statements: 0.6, RoundTrips: 0.6, Commits: 0.06, ServerCPU: 150 * time.Microsecond, DBStatements: -1, DBCPU: -1, LoadCPU: -1},
			"CPU ms: server 0.150 (load generator included)", "load generator -"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.String()
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Fatalf("got %q\nwant it to contain %q and not %q", got, tc.want, tc.not)
			}
		})
	}
}
