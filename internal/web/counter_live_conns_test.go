package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// liveServer serves channels whose answers take slow to come.
func liveServer(t *testing.T, l *liveConns, slow time.Duration) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, raw, err := acceptLive(w, r)
		if err != nil {
			return
		}
		l.serve(r.Context(), conn, raw, func(context.Context, []byte) liveReply {
			time.Sleep(slow)
			return liveReply{Key: "k", OK: true}
		}, func(context.Context) *liveReply { return nil })
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func dialTest(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// TestCloseLiveAnswersFirst: shutting down, an idle channel is closed at
// once as going away; one whose rating is being stored gets its answer
// first, then the close, so no rating is stored without the tablet told.
func TestCloseLiveAnswersFirst(t *testing.T) {
	l := &liveConns{}
	url := liveServer(t, l, 300*time.Millisecond)
	idle, busy := dialTest(t, url), dialTest(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := busy.Write(ctx, websocket.MessageText, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	for l.count() < 2 || !l.anyBusy() {
		time.Sleep(5 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { l.closeAll(ctx); close(closed) }()
	if _, _, err := idle.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("the idle channel: %v", err)
	}
	_, data, err := busy.Read(ctx)
	if err != nil || !strings.Contains(string(data), `"ok":true`) {
		t.Fatalf("the busy channel's answer: %s %v", data, err)
	}
	if _, _, err := busy.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("the busy channel after its answer: %v", err)
	}
	<-closed
	// A channel opened while the server shuts down is closed at once.
	late := dialTest(t, url)
	if _, _, err := late.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("a channel opened after: %v", err)
	}
}

// TestCloseLiveBounded: a tablet that never answers the close does not
// hold the shutdown past its deadline.
func TestCloseLiveBounded(t *testing.T) {
	l := &liveConns{}
	url := liveServer(t, l, 0)
	mute, _, err := websocket.Dial(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mute.CloseNow() // never reads: the close frame is never answered
	for l.count() < 1 {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	l.closeAll(ctx)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("closing took %v with a deadline of 300ms", d)
	}
}

func (l *liveConns) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

func (l *liveConns) anyBusy() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, st := range l.conns {
		if st.busy {
			return true
		}
	}
	return false
}
