package httpkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestLogFailure(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r := httptest.NewRequest("GET", "/x", nil)
	LogFailure(log, r, "api request failed", errors.New("disk full"))
	if !strings.Contains(buf.String(), "level=ERROR") {
		t.Fatalf("a server failure is not logged as an error: %q", buf.String())
	}
	buf.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	LogFailure(log, r.WithContext(ctx), "api request failed", fmt.Errorf("query: %w", context.Canceled))
	if buf.Len() != 0 {
		t.Fatalf("a client that went away is logged above debug: %q", buf.String())
	}
	LogFailure(log, r, "api request failed", context.Canceled)
	if !strings.Contains(buf.String(), "level=ERROR") {
		t.Fatalf("a cancellation while the client still waits is a failure: %q", buf.String())
	}
}

// An error met while sending a begun response is the client's going away:
// logged at debug level, and the handler's error path must not answer
// again (Started).
func TestSendFailedAndStarted(t *testing.T) {
	if SendFailed(nil) != nil {
		t.Fatal("SendFailed(nil) is not nil")
	}
	err := SendFailed(fmt.Errorf("write tcp: %w", io.ErrClosedPipe))
	if !Sent(err) || !errors.Is(err, io.ErrClosedPipe) || Sent(errors.New("other")) {
		t.Fatalf("Sent/Is wrong for %v", err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	LogFailure(log, httptest.NewRequest("GET", "/x", nil), "api request failed", err)
	if buf.Len() != 0 {
		t.Fatalf("a failed send is logged above debug: %q", buf.String())
	}
	var before, after bool
	h := Observe(slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wrapped := unwrapper{w}
		before = Started(wrapped)
		w.WriteHeader(http.StatusOK)
		after = Started(wrapped)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if before || !after {
		t.Fatalf("Started before/after WriteHeader = %v/%v, want false/true", before, after)
	}
	if Started(httptest.NewRecorder()) {
		t.Fatal("a writer without Observe's recorder reported as started")
	}
}

type unwrapper struct{ http.ResponseWriter }

func (u unwrapper) Unwrap() http.ResponseWriter { return u.ResponseWriter }
