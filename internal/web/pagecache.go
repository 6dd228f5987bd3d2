package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"openhall/internal/httpkit"
	"strconv"
	"strings"
)

// A page kept for anonymous visitors is the same for every one of them: it
// carries no token (the forms an anonymous page shows, display and region,
// set only the visitor's own preferences and are checked by origin, see
// preferencePaths). It is kept with its gzip encoding, which browsers
// accept and which fits a page into one write.

// keptPage is a rendered page and its gzip encoding.
type keptPage struct {
	raw, gz []byte
}

// keepPage encodes raw for keeping.
func keepPage(raw []byte) (*keptPage, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &keptPage{raw: raw, gz: b.Bytes()}, nil
}

// write sends the page, gzip-encoded if the client accepts it.
func (p *keptPage) write(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	body := p.raw
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = p.gz
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return httpkit.SendFailed(err)
}

// acceptsGzip reports whether an Accept-Encoding header (RFC 9110 §12.5.3)
// admits gzip: listed by name without q=0, or, when not named, by * without
// q=0.
func acceptsGzip(header string) bool {
	named, star := 0, 0 // 0 not listed, 1 admitted, -1 refused
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		verdict := 1
		if q := strings.ReplaceAll(strings.ToLower(params), " ", ""); strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q[3:], "."), "0") == "" {
			verdict = -1
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip":
			named = verdict
		case "*":
			star = verdict
		}
	}
	return named == 1 || named == 0 && star == 1
}
