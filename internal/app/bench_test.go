package app_test

import (
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/loadgen"
)

// BenchmarkHTTP measures /healthz and the login page against a hello-world
// handler in the same run (64 concurrent keep-alive connections over
// loopback). Compare the req/s of each with Hello's.
func BenchmarkHTTP(b *testing.B) {
	hello, stop := loadgen.HelloServer()
	defer stop()
	b.Run("Hello", func(b *testing.B) { loadgen.Bench(b, hello+"/") })
	a := apptest.New(b, "sqlite", apptest.Options{NoTree: true})
	b.Run("Healthz", func(b *testing.B) { loadgen.Bench(b, a.URL("/healthz")) })
	b.Run("LoginPage", func(b *testing.B) { loadgen.Bench(b, a.URL("/login")) })
}
