package demo_test

import (
	"context"
	"sync"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/org"
)

func TestLoadOnceOnBothBackends(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		ctx := context.Background()
		loaded, err := demo.Load(ctx, a.Stores, a.Services)
		if err != nil || !loaded {
			t.Fatalf("first load: %v %v", loaded, err)
		}
		if again, err := demo.Load(ctx, a.Stores, a.Services); err != nil || again {
			t.Fatalf("second load: %v %v", again, err)
		}
		for _, acc := range demo.Accounts() {
			if _, _, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: acc.Username, Password: demo.Password}); err != nil {
				t.Errorf("demo account %s cannot log in: %v", acc.Username, err)
			}
		}
		villages, _ := a.Services.Org.Regions(ctx, org.RegionFilter{})
		if len(villages) < 8 {
			t.Fatalf("regions: %d", len(villages))
		}
		if r, _ := a.Services.Audit.Verify(ctx); r == nil || !r.OK {
			t.Fatalf("audit chain after the demo load: %+v", r)
		}
	})
}

// TestLoadByNodesStartingTogether: two nodes started with --demo at the same
// moment on one empty database both start, the data set is loaded once.
func TestLoadByNodesStartingTogether(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		b := a
		if backend == "postgres" {
			b = apptest.New(t, backend, apptest.Options{NoTree: true, Postgres: a.Config.DB})
		}
		ctx := context.Background()
		loaded := make([]bool, 2)
		errs := make([]error, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, n := range []*apptest.App{a, b} {
			wg.Go(func() {
				<-start
				loaded[i], errs[i] = demo.Load(ctx, n.Stores, n.Services)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || loaded[0] == loaded[1] {
			t.Fatalf("loads at the same moment: loaded %v, errors %v; want one load and no error", loaded, errs)
		}
		for _, acc := range demo.Accounts() {
			if _, _, err := b.Services.Identity.Login(ctx, identity.LoginInput{Username: acc.Username, Password: demo.Password}); err != nil {
				t.Errorf("demo account %s cannot log in: %v", acc.Username, err)
			}
		}
		if r, _ := a.Services.Audit.Verify(ctx); r == nil || !r.OK {
			t.Fatalf("audit chain after the demo load: %+v", r)
		}
	})
}
