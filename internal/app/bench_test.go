package app_test

import (
	"context"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// BenchmarkHTTP measures /healthz, the login page, the home page and a
// guide page (anonymous visitors) against a hello-world handler in the same
// run (64 concurrent keep-alive connections over loopback). Compare the
// req/s of each with Hello's.
func BenchmarkHTTP(b *testing.B) {
	hello, stop := loadgen.HelloServer()
	defer stop()
	b.Run("Hello", func(b *testing.B) { loadgen.Bench(b, hello+"/") })
	a := apptest.New(b, "sqlite", apptest.Options{NoTree: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		b.Fatal(err)
	}
	items, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: "特种设备使用登记"})
	if err != nil || len(items) == 0 {
		b.Fatalf("demo item: %v", err)
	}
	b.Run("Healthz", func(b *testing.B) { loadgen.Bench(b, a.URL("/healthz")) })
	b.Run("LoginPage", func(b *testing.B) { loadgen.Bench(b, a.URL("/login")) })
	b.Run("HomePage", func(b *testing.B) { loadgen.Bench(b, a.URL("/")) })
	b.Run("GuidePage", func(b *testing.B) { loadgen.Bench(b, a.URL("/items/"+items[0].ImplCode)) })
}
