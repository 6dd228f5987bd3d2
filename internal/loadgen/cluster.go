package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// ClusterLoad spreads the case workflow over several nodes of one cluster,
// as a reverse proxy would: each operation goes to the next node that is up,
// a node that refuses connections is taken out until it is put back (a
// proxy's health check), and every operation a node acknowledged is
// recorded, so that a check can later find each of them in the database.
type ClusterLoad struct {
	Nodes       []string // base URLs
	ItemVersion int64
	Password    string
	Applicant   string
	Steps       []string // as in CaseLoad: the clerk accepts, then each step's approver passes
	Concurrency int

	up       []atomic.Bool
	sessions []*session // Applicant, then Steps; logged in on the first node, used on all
	uploads  []string
	mu       sync.Mutex
	acks     []Ack
	failed   []Failure
	next     atomic.Int64
	stop     context.CancelFunc
	done     sync.WaitGroup
}

// Ack is one operation a node acknowledged (a 2xx answer).
type Ack struct {
	Node    int
	At      time.Time
	Op      string // "submit", or the action kind ("accept", "pass")
	Step    int    // 0 for the filing, then 1 + the index in Steps
	Case    int64
	Number  string
	Key     string // the filing's Idempotency-Key
	Version int    // the case's version after the operation
}

// Failure is one operation that got no acknowledgment.
type Failure struct {
	Node int
	At   time.Time
	Op   string
	Err  string
}

// Start logs the accounts in on the first node and starts the load, sent
// to the nodes marked up (all of them, at first).
func (l *ClusterLoad) Start(ctx context.Context) error {
	l.up = make([]atomic.Bool, len(l.Nodes))
	for i := range l.up {
		l.up[i].Store(true)
	}
	for _, u := range append([]string{l.Applicant}, l.Steps...) {
		s, err := login(l.Nodes[0], u, l.Password, l.Concurrency*len(l.Nodes))
		if err != nil {
			return err
		}
		l.sessions = append(l.sessions, s)
	}
	var err error
	if l.uploads, err = l.sessions[0].uploads(l.ItemVersion); err != nil {
		return err
	}
	ctx, l.stop = context.WithCancel(ctx)
	run := fmt.Sprintf("cluster-%x", time.Now().UnixNano())
	for w := range l.Concurrency {
		l.done.Go(func() { l.worker(ctx, run, w) })
	}
	return nil
}

// Stop ends the load and waits for the operations in flight.
func (l *ClusterLoad) Stop() {
	l.stop()
	l.done.Wait()
}

// SetUp puts a node back into (or takes it out of) the rotation.
func (l *ClusterLoad) SetUp(node int, up bool) { l.up[node].Store(up) }

// Acks returns the operations acknowledged so far.
func (l *ClusterLoad) Acks() []Ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Ack(nil), l.acks...)
}

// Failures returns the operations that got no acknowledgment.
func (l *ClusterLoad) Failures() []Failure {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Failure(nil), l.failed...)
}

// worker files a case, then takes it through every step, each operation on
// the next node that is up, until the load stops.
func (l *ClusterLoad) worker(ctx context.Context, run string, w int) {
	for n := 0; ctx.Err() == nil; n++ {
		key := fmt.Sprintf("%s-%d-%d", run, w, n)
		a, ok := l.do(ctx, Ack{Op: "submit", Key: key}, func(base string) (filed, error) {
			return l.sessions[0].on(base).submit(l.ItemVersion, l.uploads, key)
		})
		if !ok {
			continue
		}
		l.advance(ctx, a.Case, a.Version)
	}
}

func (l *ClusterLoad) advance(ctx context.Context, id int64, version int) {
	for i := range l.Steps {
		kind := "pass"
		if i == 0 {
			kind = "accept"
		}
		a, ok := l.do(ctx, Ack{Op: kind, Step: 1 + i, Case: id}, func(base string) (filed, error) {
			return l.sessions[1+i].on(base).act(id, kind, version)
		})
		if !ok {
			return
		}
		version = a.Version
	}
}

// do sends one operation to the next node that is up and records the outcome.
func (l *ClusterLoad) do(ctx context.Context, a Ack, send func(base string) (filed, error)) (Ack, bool) {
	node, ok := l.pick(ctx)
	if !ok {
		return Ack{}, false
	}
	f, err := send(l.Nodes[node])
	a.Node, a.At = node, time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			l.failed = append(l.failed, Failure{Node: node, At: a.At, Op: a.Op, Err: err.Error()})
		}
		if isConnErr(err) {
			l.up[node].Store(false)
		}
		return Ack{}, false
	}
	a.Case, a.Number, a.Version = f.ID, f.Number, f.Version
	l.acks = append(l.acks, a)
	return a, true
}

// pick returns the next node that is up, waiting while none is.
func (l *ClusterLoad) pick(ctx context.Context) (int, bool) {
	for ctx.Err() == nil {
		start := int(l.next.Add(1))
		for i := range l.Nodes {
			if n := (start + i) % len(l.Nodes); l.up[n].Load() {
				return n, true
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0, false
}

// isConnErr tells a node that is gone from an answer it gave.
func isConnErr(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne)
}

// on returns the session pointed at another node: the same cookie (the
// session lives in the shared database) and CSRF token.
func (s *session) on(base string) *session {
	return &session{base: base, http: s.http, csrf: s.csrf}
}
