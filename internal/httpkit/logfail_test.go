package httpkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
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
