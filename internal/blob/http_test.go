package blob_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

func TestServe(t *testing.T) {
	s := newStore(t)
	b, err := put(s, pngSample(t), blob.PutOptions{Name: "营业执照 \"副本\".png"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/m/1", nil)
	if err := s.Serve(rec, req, b.SHA256, "营业执照 \"副本\".png"); err != nil {
		t.Fatal(err)
	}
	h := rec.Result().Header
	want := map[string]string{
		"Content-Type":           "image/png",
		"Content-Disposition":    `attachment; filename="____ ____.png"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22.png`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, no-store",
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	body, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK || !bytes.Equal(body, pngSample(t)) {
		t.Fatalf("status %d, %d bytes", rec.Code, len(body))
	}

	rec = httptest.NewRecorder()
	req.Header.Set("Range", "bytes=0-3")
	s.Serve(rec, req, b.SHA256, "")
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "\x89PNG" {
		t.Fatalf("range: %d %q", rec.Code, rec.Body.String())
	}
	if cd := rec.Result().Header.Get("Content-Disposition"); cd != `attachment; filename="`+b.SHA256[:16]+`.png"; filename*=UTF-8''`+b.SHA256[:16]+".png" {
		t.Fatalf("unnamed: %s", cd)
	}
	if err := s.Serve(httptest.NewRecorder(), req, sum([]byte("none")), "x"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("missing: %v", err)
	}
}
