package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// TestCatalogueStamp: the catalogue's stamp changes with every item created
// or stamped anew, and a guide read through a node follows a change made
// through it at once and one made through another node within a second.
func TestCatalogueStamp(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		ctx, sys := context.Background(), identity.SystemActor()
		clk := &clockAt{t: time.Date(2026, 2, 2, 2, 0, 0, 0, time.UTC)}
		sv := NewServices(b.Open(t, clk.now), clk.now)
		other := NewServices(sv.Stores, clk.now) // a second node on the same database
		tr := BuildTree(t, sv)
		stamps := map[string]bool{}
		stamp := func(what string) {
			t.Helper()
			s, err := sv.Stores.Catalog.CatalogueStamp(ctx)
			if err != nil || stamps[s] {
				t.Fatalf("after %s: catalogue stamp %q (seen before: %v), %v", what, s, stamps[s], err)
			}
			stamps[s] = true
		}
		stamp("nothing")
		it, _ := mustCreate(t, sv, SampleItem(tr, "XK00019000"))
		stamp("create")
		clk.t = clk.t.Add(time.Minute)
		mustPublish(t, sv, it.ID, calendar.Date{})
		stamp("publish")
		guide := func(node *Services, want catalog.Status) {
			t.Helper()
			v, err := node.Catalog.PublicGuide(ctx, it.ImplCode)
			if err != nil || v.Item.Status != want {
				t.Fatalf("guide: %v, want status %s (%v)", v.Item.Status, want, err)
			}
		}
		guide(sv, catalog.StatusActive)
		guide(other, catalog.StatusActive)
		clk.t = clk.t.Add(time.Minute)
		if _, err := sv.Catalog.Suspend(ctx, sys, it.ID, catalog.StatusInput{Reason: "系统升级"}); err != nil {
			t.Fatal(err)
		}
		stamp("suspend")
		guide(sv, catalog.StatusSuspended)  // this node: at once
		time.Sleep(1100 * time.Millisecond) // the other node checks the catalogue at least once a second
		guide(other, catalog.StatusSuspended)
	})
}
