package storetest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"openhall/internal/blob"
	"openhall/internal/opendata"
)

// A CSV download streams from the database: the live heap while 50,000
// rows are written grows no more than while 5,000 are (a download that
// collected its rows, or the file, would hold ten times as much).
func TestOpenDataDownloadHeapDoesNotGrowWithRows(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 55,000 rows")
	}
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		small := streamPeak(t, e, 5000)
		large := streamPeak(t, e, 50000)
		t.Logf("live heap growth while streaming: 5,000 rows %d KiB (file %d KiB); 50,000 rows %d KiB (file %d KiB)",
			small.heap>>10, small.bytes>>10, large.heap>>10, large.bytes>>10)
		if large.heap > small.heap+1<<20 || large.heap > large.bytes/4 {
			t.Fatalf("the heap grows with the rows: %d bytes for 5,000 rows, %d for 50,000 (file %d bytes)",
				small.heap, large.heap, large.bytes)
		}
	})
}

type streamed struct{ heap, bytes uint64 }

// streamPeak publishes a dataset of n rows and downloads it as CSV,
// sampling the live heap (after a collection) every 64 KiB written.
func streamPeak(t *testing.T, e *openDataEnv, n int) streamed {
	t.Helper()
	ctx := context.Background()
	d := e.dataset(t, fmt.Sprintf("stream-%d", n), opendata.TierOpen)
	var b strings.Builder
	b.WriteString("名称,数量,日期\n")
	for i := range n {
		fmt.Fprintf(&b, "西湖区市场主体登记记录第%d条,%d,2026-%02d-%02d\n", i, i%1000, i%12+1, i%28+1)
	}
	e.upload(t, d, b.String())
	d, err := e.od.SetStatus(ctx, e.drafter, d.ID, opendata.StatusPublished)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.od.Download(ctx, nil, d, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := &heapSampler{base: liveHeap()}
	downloadCSV(t, e.od, d, v, w)
	if w.lines != n+1 {
		t.Fatalf("downloaded %d lines, want %d", w.lines, n+1)
	}
	return streamed{heap: w.peak, bytes: w.n}
}

// heapSampler discards what is written, counting it, and records the
// highest live heap above base seen every 64 KiB.
type heapSampler struct {
	base, peak, n, next uint64
	lines               int
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.n += uint64(len(p))
	h.lines += strings.Count(string(p), "\n")
	if h.n >= h.next {
		h.next = h.n + 64<<10
		if live := liveHeap(); live > h.base && live-h.base > h.peak {
			h.peak = live - h.base
		}
	}
	return len(p), nil
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestOpenDataCSVFromFile: with a file store, an upload keeps its version's
// CSV as a file under the version's SHA-256 and a download copies it, the
// same bytes the rows give, with next to nothing on the heap; a version
// whose file is gone is streamed from its rows and its file kept again.
func TestOpenDataCSVFromFile(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		files, err := blob.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		deps := e.deps
		deps.Files = blob.CSVFiles{Blobs: files}
		e.od = opendata.NewService(deps)
		fromFile := streamPeak(t, e, 50000)
		d, err := e.od.Dataset(context.Background(), nil, "stream-50000")
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.od.Download(context.Background(), nil, d, 0)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := files.Exists(v.SHA256); !ok || err != nil {
			t.Fatalf("the upload kept no file: %v %v", ok, err)
		}
		t.Logf("live heap growth while copying 50,000 rows from the file: %d KiB (file %d KiB)", fromFile.heap>>10, fromFile.bytes>>10)
		if fromFile.heap > 256<<10 {
			t.Fatalf("copying the file grew the heap by %d bytes", fromFile.heap)
		}
		rows := download(t, opendata.NewService(e.deps), d, v)
		if got := download(t, e.od, d, v); got != rows {
			t.Fatalf("the file (%d bytes) is not what the rows give (%d bytes)", len(got), len(rows))
		}
		path := filepath.Join(files.Root(), v.SHA256[0:2], v.SHA256[2:4], v.SHA256)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if got := download(t, e.od, d, v); got != rows {
			t.Fatalf("without its file the version downloads %d bytes, want %d", len(got), len(rows))
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("the file was not kept again: %v", err)
		}
	})
}

func download(t *testing.T, od *opendata.Service, d *opendata.Dataset, v *opendata.Version) string {
	t.Helper()
	var b strings.Builder
	downloadCSV(t, od, d, v, &b)
	return b.String()
}

// downloadCSV writes v as CSV as the portal answers it: its kept file, or
// its rows when it has none.
func downloadCSV(t testing.TB, od *opendata.Service, d *opendata.Dataset, v *opendata.Version, w io.Writer) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/download.csv", nil)
	served, err := od.ServeCSV(writerResponse{w, http.Header{}}, r, d, v)
	if err == nil && !served {
		err = od.WriteTo(r.Context(), w, d, v, opendata.FormatCSV)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// writerResponse answers a request into a writer, dropping the headers.
type writerResponse struct {
	io.Writer
	header http.Header
}

func (r writerResponse) Header() http.Header { return r.header }
func (writerResponse) WriteHeader(int)       {}
