package storetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/certs"
	"openhall/internal/identity"
)

// BenchmarkCerts measures issuing (SM2 signature plus one row and its audit
// entry, from 8 goroutines as concurrent decisions arrive) and verifying
// (two reads and an SM2 verification, from 8 goroutines). Compare ns/op as
// certificates per second: 1e9 / ns/op.
func BenchmarkCerts(b *testing.B) {
	for _, be := range Backends() {
		b.Run(be.Name, func(b *testing.B) {
			now := func() time.Time { return time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC) }
			sv := NewServices(be.Open(b, now), now)
			tr := BuildTree(b, sv)
			s, err := certs.NewService(sv.Stores.Certs, sv.Org, sv.Stores, sv.Audit, certs.Options{KEK: testKEK, Now: now})
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			issue := func() *certs.Certificate {
				c, err := s.Issue(context.Background(), identity.SystemActor(), certs.IssueInput{CentreID: tr.Centre.ID, Data: certData(int(n.Add(1)))})
				if err != nil {
					b.Fatal(err)
				}
				return c
			}
			first := issue()
			b.Run("Issue", func(b *testing.B) {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						issue()
					}
				})
			})
			b.Run("Verify", func(b *testing.B) {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if r, err := s.Verify(context.Background(), first.Number()); err != nil || !r.Valid {
							b.Fatalf("verify: %+v %v", r, err)
						}
					}
				})
			})
		})
	}
}
