package blob

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxRanges bounds the ranges one request may ask for; more are answered
// with the whole file (RFC 9110 §14.2 lets a server ignore Range).
const maxRanges = 8

// rangeAnswer is what a download does with a request's Range header.
type rangeAnswer int

const (
	rangeServe         rangeAnswer = iota // as asked
	rangeWhole                            // ignore it: the whole file, 200
	rangeUnsatisfiable                    // 416
)

// serveContent answers a download of size bytes, Range requests included.
// net/http's ServeContent answers a suffix range of zero bytes ("-0") with
// an empty 206 and a Content-Range that ends before it starts, serves
// overlapping and very many ranges as asked (a small file many times over),
// and refuses in English; this looks at the header first.
func serveContent(w http.ResponseWriter, r *http.Request, size int64, content io.ReadSeeker) {
	switch checkRange(r.Header.Get("Range"), size) {
	case rangeUnsatisfiable:
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		fmt.Fprintf(w, "请求的字节范围无效或超出文件大小（文件共 %d 字节）", size)
		return
	case rangeWhole:
		r = r.Clone(r.Context())
		r.Header.Del("Range")
	}
	http.ServeContent(w, r, "", time.Time{}, content)
}

// checkRange judges a Range header (RFC 9110 §14.1.2) against a size.
func checkRange(h string, size int64) rangeAnswer {
	h = strings.TrimSpace(h)
	if h == "" {
		return rangeServe
	}
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return rangeWhole // another unit: ignored
	}
	var spans [][2]int64 // satisfiable [first, last]
	parts := strings.Split(spec, ",")
	if len(parts) > maxRanges {
		return rangeWhole
	}
	for _, p := range parts {
		first, last, ok := parseSpan(strings.TrimSpace(p), size)
		if !ok {
			return rangeUnsatisfiable
		}
		if first <= last {
			spans = append(spans, [2]int64{first, last})
		}
	}
	if len(spans) == 0 {
		return rangeUnsatisfiable
	}
	slices.SortFunc(spans, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	for i := 1; i < len(spans); i++ {
		if spans[i][0] <= spans[i-1][1] {
			return rangeWhole // overlapping ranges: the file once
		}
	}
	return rangeServe
}

// parseSpan reads one range: "a-b", "a-" or "-n". It reports false when
// the syntax is wrong; a range past the end gives first > last.
func parseSpan(p string, size int64) (first, last int64, ok bool) {
	a, b, found := strings.Cut(p, "-")
	if !found {
		return 0, 0, false
	}
	if a == "" { // the last n bytes
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false
		}
		return size - min(n, size), size - 1, true
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return 0, 0, false
	}
	last = size - 1
	if b != "" {
		if last, err = strconv.ParseInt(b, 10, 64); err != nil || last < first {
			return 0, 0, false
		}
		last = min(last, size-1)
	}
	if first >= size {
		return 1, 0, true // not satisfiable
	}
	return first, last, true
}
