package store

import "sync/atomic"

// Counters count what a backend asks of its database, for /metrics and for
// `openhall load`, which reads them before and after a load to report the
// cost of one operation.
type Counters struct {
	// Statements is every SQL statement sent, BEGIN and COMMIT included.
	Statements atomic.Int64
	// RoundTrips is how often the process waited for the database: a
	// statement, or a batch of statements sent together (PostgreSQL). On
	// SQLite, which runs in the process, it equals Statements.
	RoundTrips atomic.Int64
	// Commits is the write transactions committed (each one durable write
	// on SQLite, whose writer groups the transactions of many requests).
	Commits atomic.Int64
}

// Counted is a backend that keeps Counters.
type Counted interface {
	Counters() *Counters
}
