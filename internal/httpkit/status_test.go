package httpkit_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
)

// TestWriteStatus: the status of each kind of error, and Retry-After where
// the client may try again and knows when.
func TestWriteStatus(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		retry  string
	}{
		{"invalid", apperr.Field("name", "请填写"), http.StatusUnprocessableEntity, ""},
		{"unavailable", apperr.New(apperr.Unavailable, "数据库暂时不可用"), http.StatusServiceUnavailable, "5"},
		{"throttled, wait known", apperr.New(apperr.TooMany, "请稍后再试").After(90*time.Second + time.Millisecond), http.StatusTooManyRequests, "91"},
		{"throttled, wait unknown", apperr.New(apperr.TooMany, "请稍后再试"), http.StatusTooManyRequests, ""},
		{"wrapped", errors.Join(apperr.New(apperr.TooMany, "x").After(time.Minute)), http.StatusTooManyRequests, "60"},
		{"internal", errors.New("boom"), http.StatusInternalServerError, ""},
	} {
		w := httptest.NewRecorder()
		if got := httpkit.WriteStatus(w, tc.err); got != tc.status || w.Header().Get("Retry-After") != tc.retry {
			t.Errorf("%s: %d, Retry-After %q; want %d, %q", tc.name, got, w.Header().Get("Retry-After"), tc.status, tc.retry)
		}
	}
}
