package blob

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCheckRange: RFC 9110 §14.1.2 ranges against a 63-byte file.
func TestCheckRange(t *testing.T) {
	for _, tc := range []struct {
		h    string
		want rangeAnswer
	}{
		{"", rangeServe},
		{"bytes=0-9", rangeServe},
		{"bytes=10-", rangeServe},
		{"bytes=-5", rangeServe},
		{"bytes=-100", rangeServe}, // more than the file: all of it
		{"bytes=0-99", rangeServe}, // past the end: clipped
		{"bytes=0-1,5-6", rangeServe},
		{"bytes=-0", rangeUnsatisfiable}, // a suffix of nothing
		{"bytes=63-", rangeUnsatisfiable},
		{"bytes=100-200", rangeUnsatisfiable},
		{"bytes=5-2", rangeUnsatisfiable},
		{"bytes=a-b", rangeUnsatisfiable},
		{"bytes=", rangeUnsatisfiable},
		{"bytes=0-1,0-1,0-1", rangeWhole}, // overlapping: the file once
		{"bytes=0-5,3-8", rangeWhole},
		{"bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8", rangeWhole}, // too many
		{"items=0-5", rangeWhole},                                 // another unit
	} {
		if got := checkRange(tc.h, 63); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.h, got, tc.want)
		}
	}
}

// TestServeContentRanges: the answers a client sees.
func TestServeContentRanges(t *testing.T) {
	body := strings.Repeat("x", 63)
	for _, tc := range []struct {
		h      string
		status int
		length int
	}{
		{"bytes=-0", http.StatusRequestedRangeNotSatisfiable, -1},
		{"bytes=0-1,0-1,0-1", http.StatusOK, 63},
		{"bytes=-5", http.StatusPartialContent, 5},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Range", tc.h)
		w := httptest.NewRecorder()
		serveContent(w, r, 63, strings.NewReader(body))
		if w.Code != tc.status || (tc.length >= 0 && w.Body.Len() != tc.length) {
			t.Errorf("%q: %d, %d bytes", tc.h, w.Code, w.Body.Len())
		}
		if w.Code == http.StatusRequestedRangeNotSatisfiable &&
			(w.Header().Get("Content-Range") != "bytes */63" || !strings.Contains(w.Body.String(), "字节范围")) {
			t.Errorf("%q: 416 with %q, %q", tc.h, w.Header().Get("Content-Range"), w.Body.String())
		}
	}
}
