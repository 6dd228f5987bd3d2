package storetest

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"openhall/internal/audit"
	"openhall/internal/store"
)

// benchBackends opens each backend that is available for a benchmark.
func benchBackends(b *testing.B, fn func(b *testing.B, s *store.Stores)) {
	for _, be := range Backends() {
		b.Run(be.Name, func(b *testing.B) { fn(b, be.Open(b, nil)) })
	}
}

func appendOne(ctx context.Context, s *store.Stores, log *audit.Log, i int) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		return log.Append(ctx, audit.Record{Actor: audit.Actor{ID: 1, Label: "测试员（bench）"}, Scope: "region:/1/2/",
			Action: "bench.thing.update", ObjectType: "thing", ObjectID: strconv.Itoa(i),
			Change: map[string]any{"field": "status", "from": "draft", "to": "published", "n": i}})
	})
}

// BenchmarkAuditAppend measures single-change transactions that each append
// one audit entry: Serial from one goroutine, Concurrent from 16 as a server
// has them (SQLite's writer then commits several callers together).
func BenchmarkAuditAppend(b *testing.B) {
	benchBackends(b, func(b *testing.B, s *store.Stores) {
		log := audit.NewLog(s.Audit, nil)
		ctx := context.Background()
		b.Run("Serial", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if err := appendOne(ctx, s, log, i); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
		b.Run("Concurrent16", func(b *testing.B) {
			b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					if err := appendOne(ctx, s, log, i); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	})
}

// BenchmarkAuditVerify re-walks a sealed chain of 50,000 entries.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 50000
	benchBackends(b, func(b *testing.B, s *store.Stores) {
		log := audit.NewLog(s.Audit, nil)
		ctx := context.Background()
		for i := 0; i < n; i += 500 {
			err := s.InTx(ctx, func(ctx context.Context) error {
				for j := i; j < i+500; j++ {
					if err := appendOne(ctx, s, log, j); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if _, err := log.Seal(ctx); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			r, err := log.Verify(ctx)
			if err != nil || !r.OK || r.Checked != n {
				b.Fatalf("verify: %+v %v", r, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}
