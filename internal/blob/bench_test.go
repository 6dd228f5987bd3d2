package blob_test

import (
	"bytes"
	"encoding/binary"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"openhall/internal/blob"
)

// BenchmarkPutConcurrent stores distinct 20 KB files from 64 uploads at
// once, as a hall's filings do, and reports the process's CPU time per file
// (user and system: most of a small file's cost is in the kernel).
func BenchmarkPutConcurrent(b *testing.B) {
	s := newStore(b)
	base := append(pdfSample(), bytes.Repeat([]byte("x"), 20<<10-len(pdfSample()))...)
	var seq atomic.Uint64
	b.SetParallelism(32)
	cpu0 := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		data := bytes.Clone(base)
		for pb.Next() {
			binary.BigEndian.PutUint64(data[len(data)-8:], seq.Add(1))
			if _, err := put(s, data, blob.PutOptions{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
