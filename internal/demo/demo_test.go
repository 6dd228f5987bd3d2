package demo_test

import (
	"context"
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
