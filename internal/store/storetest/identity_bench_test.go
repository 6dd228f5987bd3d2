package storetest

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"openhall/internal/identity"
)

// BenchmarkAuthenticate measures what authenticating a request costs right
// after another transaction committed, as under load (SQLite readers then
// start with a cold page cache): Read is the one-query read of the session,
// account and grants that every request made before sessions were kept;
// Kept is Authenticate on a node that keeps the session (the auth epoch's
// row, then the kept copy). ns/auth leaves out the commit before each
// request.
func BenchmarkAuthenticate(b *testing.B) {
	for _, be := range Backends() {
		b.Run(be.Name, func(b *testing.B) {
			clock := newFakeClock()
			sv := NewServices(be.Open(b, clock.Now), clock.Now)
			tr := BuildTree(b, sv)
			u, _ := Staff(b, sv, "benchauth", identity.RoleApprover, nil, &tr.Department.ID)
			ctx := context.Background()
			if _, err := sv.Identity.GrantRole(ctx, identity.SystemActor(), identity.GrantInput{UserID: u.ID, Role: "supervisor", RegionID: &tr.City.ID}); err != nil {
				b.Fatal(err)
			}
			token := loginToken(b, sv, "benchauth")
			sum := sha256.Sum256([]byte(token)) // a session's id is the SHA-256 of its token
			id := sum[:]
			timed := func(b *testing.B, auth func() error) {
				var spent time.Duration
				for i := 0; b.Loop(); i++ {
					if err := appendOne(ctx, sv.Stores, sv.Audit, i); err != nil {
						b.Fatal(err)
					}
					t0 := time.Now()
					if err := auth(); err != nil {
						b.Fatal(err)
					}
					spent += time.Since(t0)
				}
				b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "ns/auth")
			}
			b.Run("Read", func(b *testing.B) {
				timed(b, func() error { _, _, _, err := sv.Stores.Identity.FindSessionActor(ctx, id); return err })
			})
			b.Run("Kept", func(b *testing.B) {
				timed(b, func() error { _, err := sv.Identity.Authenticate(ctx, token); return err })
			})
		})
	}
}
