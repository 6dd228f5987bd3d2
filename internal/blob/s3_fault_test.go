package blob_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// faultyS3 stands between a store and the test S3 server and fails the way
// an object store does: it stops answering (hung), or it returns an
// object's content damaged while its size, ETag and metadata are intact,
// as a disk fault under the server leaves it (rotten), until the object is
// written again.
type faultyS3 struct {
	srv        *httptest.Server
	mu         sync.Mutex
	hung       bool
	slow       bool            // objects' content comes in 8 KB pieces, 150 ms apart
	rotten     map[string]bool // object paths, /bucket/key
	puts       map[string]int  // PUT requests per object path
	unanswered int             // requests received while hung
	closed     chan struct{}   // closed at the end: hung requests return
}

func newFaultyS3(t *testing.T, endpoint string) *faultyS3 {
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	f := &faultyS3{rotten: map[string]bool{}, puts: map[string]int{}, closed: make(chan struct{})}
	proxy := &httputil.ReverseProxy{
		// The request keeps its Host: the signature covers it.
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(target); r.Out.Host = r.In.Host },
		ModifyResponse: f.damage,
		FlushInterval:  -1,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.isHung() {
			f.mu.Lock()
			f.unanswered++
			f.mu.Unlock()
			// A request whose body is not read does not see its client go.
			select {
			case <-r.Context().Done():
			case <-f.closed:
			}
			return
		}
		if r.Method == http.MethodPut {
			f.mu.Lock()
			f.puts[r.URL.Path]++
			delete(f.rotten, r.URL.Path)
			f.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(f.closed); f.srv.Close() })
	return f
}

func (f *faultyS3) isHung() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.hung }

func (f *faultyS3) setHung(h bool) { f.mu.Lock(); f.hung = h; f.mu.Unlock() }

func (f *faultyS3) isSlow() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.slow }

func (f *faultyS3) setSlow(v bool) { f.mu.Lock(); f.slow = v; f.mu.Unlock() }

// trickle hands on a body in 8 KB pieces, 150 ms apart.
type trickle struct{ rc io.ReadCloser }

func (t *trickle) Read(p []byte) (int, error) {
	time.Sleep(150 * time.Millisecond)
	return t.rc.Read(p[:min(len(p), 8<<10)])
}

func (t *trickle) Close() error { return t.rc.Close() }

func (f *faultyS3) rot(path string) { f.mu.Lock(); f.rotten[path] = true; f.mu.Unlock() }

func (f *faultyS3) putsOf(path string) int { f.mu.Lock(); defer f.mu.Unlock(); return f.puts[path] }

// damage flips one byte of a rotten object's content.
func (f *faultyS3) damage(resp *http.Response) error {
	f.mu.Lock()
	rotten := f.rotten[resp.Request.URL.Path]
	f.mu.Unlock()
	if resp.Request.Method != http.MethodGet || resp.StatusCode/100 != 2 {
		return nil
	}
	if f.isSlow() {
		resp.Body = &trickle{rc: resp.Body}
	}
	if !rotten {
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if len(data) > 0 {
		data[len(data)/2] ^= 0x20
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return nil
}

// faultyStore is a store on a fresh bucket reached through a faultyS3.
func faultyStore(t *testing.T) (*blob.S3, *faultyS3, blob.S3Config) {
	c := s3TestConfig(t)
	f := newFaultyS3(t, c.Endpoint)
	c.Endpoint = f.srv.URL
	s, err := blob.NewS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return s, f, c
}

// objectPath is the request path of sum's object in c's bucket.
func objectPath(c blob.S3Config, sum string) string {
	bucket, prefix, _ := blob.ParseS3URL(c.URL)
	return "/" + bucket + "/" + prefix + "/" + sum[0:2] + "/" + sum[2:4] + "/" + sum
}

// TestS3HungEndpoint: an object store that stops answering fails each
// operation with a Chinese message within the store's wait, instead of
// holding the request (and the user) for many minutes.
func TestS3HungEndpoint(t *testing.T) {
	s, f, _ := faultyStore(t)
	ctx := context.Background()
	stored, err := s.Put(ctx, bytes.NewReader(bigPDF(3000, 5)), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	s.SetWait(time.Second) // set once stored: a loaded test machine may take that long to store
	f.setHung(true)
	ops := map[string]func() error{
		"Put": func() error {
			_, err := s.Put(ctx, bytes.NewReader(bigPDF(3000, 6)), blob.PutOptions{Name: "b.pdf"})
			return err
		},
		"Exists": func() error { _, err := s.Exists(stored.SHA256); return err },
		"Open":   func() error { rc, _, err := s.Open(stored.SHA256); return closeAndRead(rc, err) },
		"Serve": func() error {
			w := httptest.NewRecorder()
			err := s.Serve(w, httptest.NewRequest("GET", "/d", nil), stored.SHA256, "a.pdf")
			if w.Body.Len() != 0 {
				t.Errorf("Serve sent %d bytes", w.Body.Len())
			}
			return err
		},
		"Ping": func() error { return s.Ping(ctx) },
	}
	for name, op := range ops {
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- op() }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s succeeded against a store that does not answer", name)
			} else if name != "Ping" && (!apperr.Is(err, apperr.Unavailable) || !strings.Contains(apperr.MessageOf(err), "暂时无法")) {
				t.Errorf("%s: %v, want a Chinese message saying it is unavailable", name, err)
			}
			if d := time.Since(start); d > 15*time.Second {
				t.Errorf("%s took %s", name, d)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s still waits after 30 s on an object store that does not answer", name)
		}
	}
}

// TestS3HungPutAsksOnce: an upload to an object store that stops
// answering fails after the first exchange it gets no answer to, instead
// of taking that for a missing object and waiting as long again to send it.
func TestS3HungPutAsksOnce(t *testing.T) {
	s, f, _ := faultyStore(t)
	s.SetWait(time.Second)
	f.setHung(true)
	_, err := s.Put(context.Background(), bytes.NewReader(bigPDF(3000, 7)), blob.PutOptions{Name: "c.pdf"})
	f.mu.Lock()
	n := f.unanswered
	f.mu.Unlock()
	if !apperr.Is(err, apperr.Unavailable) || n != 1 {
		t.Fatalf("Put to a store that does not answer: %v after %d requests, want unavailable after 1", err, n)
	}
}

// TestS3SlowReader: an object that comes slowly, for longer in all than
// the store's wait, each piece in time, is read whole: the wait bounds each
// answer of the object store, not the length of a download (a large file
// to a slow village line takes minutes).
func TestS3SlowReader(t *testing.T) {
	s, f, _ := faultyStore(t)
	content := bigPDF(80<<10, 7)
	stored, err := s.Put(context.Background(), bytes.NewReader(content), blob.PutOptions{Name: "slow.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	s.SetWait(time.Second)
	f.setSlow(true)
	start := time.Now()
	got := readAll(t, s, stored.SHA256)
	if !bytes.Equal(got, content) {
		t.Fatalf("read %d bytes, want %d", len(got), len(content))
	}
	if d := time.Since(start); d < 1200*time.Millisecond {
		t.Fatalf("the object came in %s: the test did not outlast the wait", d)
	}
}

func closeAndRead(rc io.ReadCloser, err error) error {
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// TestS3RottenObject: an object whose content was damaged under the
// server, its ETag and metadata intact, is never served, whole or by
// range; the same content uploaded again is not taken as stored already
// but written anew, which repairs it.
func TestS3RottenObject(t *testing.T) {
	s, f, c := faultyStore(t)
	ctx := context.Background()
	data := bigPDF(5000, 7)
	b, err := s.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	path := objectPath(c, b.SHA256)
	f.rot(path)
	for _, rng := range []string{"", "bytes=0-9", "bytes=-10"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/d", nil)
		if rng != "" {
			r.Header.Set("Range", rng)
		}
		err := s.Serve(w, r, b.SHA256, "a.pdf")
		if !apperr.Is(err, apperr.Unavailable) || !strings.Contains(apperr.MessageOf(err), "已损坏") || w.Body.Len() != 0 {
			t.Errorf("rotten object, Range %q: %v, %d bytes sent", rng, err, w.Body.Len())
		}
	}
	puts := f.putsOf(path)
	if _, err := s.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "a.pdf"}); err != nil {
		t.Fatal(err)
	}
	if f.putsOf(path) == puts {
		t.Fatal("the upload was confirmed against the rotten object instead of writing it again")
	}
	if got := readAll(t, s, b.SHA256); !bytes.Equal(got, data) {
		t.Fatal("the object is still damaged after the upload")
	}
}

// TestMigrateRottenObject: a migration run again does not count a rotten
// object as already copied; it copies it again from the intact local file.
func TestMigrateRottenObject(t *testing.T) {
	to, f, c := faultyStore(t)
	from := newStore(t)
	ctx := context.Background()
	data := bigPDF(4000, 8)
	b, err := from.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "m.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	noop := func(string, blob.Outcome, error) {}
	if s, err := blob.Migrate(ctx, from, to, noop); err != nil || s.Copied != 1 {
		t.Fatalf("first run: %+v, %v", s, err)
	}
	f.rot(objectPath(c, b.SHA256))
	if s, err := blob.Migrate(ctx, from, to, noop); err != nil || s.Copied != 1 || s.Skipped != 0 {
		t.Fatalf("run over a rotten object: %+v, %v; want it copied again", s, err)
	}
	if got := readAll(t, to, b.SHA256); !bytes.Equal(got, data) {
		t.Fatal("the object is still damaged after the migration")
	}
}
