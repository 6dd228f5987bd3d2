package app_test

import (
	"context"
	"fmt"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/testutil"
)

// BenchmarkEnqueueInTx measures what enqueuing costs a change: one op is a
// transaction that enqueues 20 jobs, on each backend. On SQLite the
// enqueue runs in the one writer, so its cost bounds how many changes per
// second the writer can take; compare builds with benchstat.
func BenchmarkEnqueueInTx(b *testing.B) {
	for _, backend := range apptest.Backends() {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" {
				testutil.PostgresURL(b)
			}
			a := apptest.New(b, backend, apptest.Options{NoTree: true})
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				err := a.Stores.InTx(ctx, func(ctx context.Context) error {
					for j := 0; j < 20; j++ {
						if err := a.Queue().Enqueue(ctx, probe{Key: fmt.Sprint(i, j)}, nil); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
