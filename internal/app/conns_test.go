package app

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// A socket that never sends a request does not hold up shutdown.
func TestShutdownClosesRequestlessSockets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := newConnTracker()
	srv := &http.Server{Handler: http.NotFoundHandler(), ConnState: conns.state}
	go srv.Serve(ln)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitFresh(t, conns)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := conns.shutdown(ctx, srv); err != nil {
		t.Fatalf("shutdown with an idle new socket: %v", err)
	}
}

func waitFresh(t *testing.T, conns *connTracker) {
	for range 200 {
		conns.mu.Lock()
		n := len(conns.fresh)
		conns.mu.Unlock()
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the server never saw the connection")
}
