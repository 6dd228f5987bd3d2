package httpkit

import (
	"io"
	"net/http"
)

// Body is a request body with a limit. A middleware sets the largest limit
// of the route; the handler may lower it once it knows what the request
// may carry (the materials of the item applied for, say).
type Body struct {
	rc    io.ReadCloser
	w     http.ResponseWriter
	read  int64
	limit int64
}

// LimitBody limits r's body to limit bytes, or lowers the limit of a body
// already limited. Reading past the limit fails with *http.MaxBytesError
// and the connection is closed after the answer, as with
// http.MaxBytesReader.
func LimitBody(w http.ResponseWriter, r *http.Request, limit int64) *Body {
	if b, ok := r.Body.(*Body); ok {
		b.SetLimit(limit)
		return b
	}
	b := &Body{rc: http.MaxBytesReader(w, r.Body, limit), w: w, limit: limit}
	r.Body = b
	return b
}

// SetLimit lowers the limit; it never raises it.
func (b *Body) SetLimit(n int64) { b.limit = min(b.limit, n) }

// Limit is the body's current limit.
func (b *Body) Limit() int64 { return b.limit }

func (b *Body) Read(p []byte) (int, error) {
	left := b.limit - b.read
	if left <= 0 {
		// One more byte tells a body that ends exactly at the limit from
		// one that goes on.
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n == 0 {
			return 0, err
		}
		b.w.Header().Set("Connection", "close")
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := b.rc.Read(p)
	b.read += int64(n)
	return n, err
}

// Close closes the underlying body.
func (b *Body) Close() error { return b.rc.Close() }
