package app

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// connTracker remembers which connections have not sent a request yet.
// Browsers open such sockets speculatively; http.Server.Shutdown counts
// them as busy for five seconds, so shutdown closes them itself: nothing
// is lost, since no request has been read from them.
type connTracker struct {
	mu    sync.Mutex
	fresh map[net.Conn]struct{}
}

func newConnTracker() *connTracker { return &connTracker{fresh: map[net.Conn]struct{}{}} }

// state is the http.Server ConnState hook.
func (t *connTracker) state(c net.Conn, s http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s == http.StateNew {
		t.fresh[c] = struct{}{}
	} else {
		delete(t.fresh, c)
	}
}

// closeFresh closes every connection that has not sent a request.
func (t *connTracker) closeFresh() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.fresh {
		c.Close()
		delete(t.fresh, c)
	}
}

// shutdown runs srv.Shutdown and meanwhile closes request-less sockets.
func (t *connTracker) shutdown(ctx context.Context, srv *http.Server) error {
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		t.closeFresh()
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
	}
}
