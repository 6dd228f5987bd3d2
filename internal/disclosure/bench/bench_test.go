package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"openhall/internal/disclosure/bench"
	"openhall/internal/disclosure/search"
	"openhall/internal/store/sqlite"
)

func TestDocsAreRepeatableAndFindable(t *testing.T) {
	a, b := bench.Docs(1, 50, 7), bench.Docs(1, 50, 7)
	for i := range a {
		if a[i].Title != b[i].Title || a[i].Body != b[i].Body || a[i].Ref != bench.RefBase+int64(i+1) {
			t.Fatalf("doc %d differs between two runs with the same seed", i)
		}
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "b.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eng := search.NewEngine(db.Search())
	const n = 1100
	if err := bench.Index(ctx, db, eng, bench.Docs(1, n, 1), nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range bench.Classes(n) {
		_, hits, err := bench.Measure(ctx, eng, c, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hits {
			if c.Name == "文号" && h != 1 {
				t.Errorf("文号 query %q found %d documents, want exactly 1", c.Queries[i].Text, h)
			}
		}
	}
}

// BenchmarkSearch measures the query classes on SQLite over generated
// documents (OPENHALL_BENCH_DOCS, default 20000). The database is built once
// into the OS temp dir and reused by later runs; `openhall bench-disclosure`
// measures the full corpus on both backends.
func BenchmarkSearch(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("OPENHALL_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("openhall-bench-search-%d.db", n))
	_, statErr := os.Stat(path)
	db, err := sqlite.Open(ctx, sqlite.Options{Path: path, Sync: "normal"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	eng := search.NewEngine(db.Search())
	if statErr != nil {
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if err := bench.Index(ctx, db, eng, bench.Docs(1, n, 2026), nil); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	}
	if err := eng.Ready(ctx); err != nil {
		b.Fatal(err)
	}
	for _, c := range bench.Classes(n) {
		b.Run(c.Name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := eng.Search(ctx, c.Queries[i%len(c.Queries)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestPick(t *testing.T) {
	all := bench.Classes(1000)
	got, err := bench.Pick(all, " 两词, 一字")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "一字" || got[1].Name != "两词" {
		t.Fatalf("Pick(两词, 一字) = %v, want 一字 then 两词 (the order of all)", got)
	}
	if got, err := bench.Pick(all, ""); err != nil || len(got) != len(all) {
		t.Fatalf("Pick(\"\") = %d classes, %v; want all %d", len(got), err, len(all))
	}
	if _, err := bench.Pick(all, "三字"); err == nil || !strings.Contains(err.Error(), "三字") {
		t.Fatalf("Pick(三字) error = %v, want one naming 三字", err)
	}
}
