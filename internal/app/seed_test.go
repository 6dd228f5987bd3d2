package app_test

import (
	"bytes"
	"context"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// TestSeedCases copies an accepted case and opens copies with the
// template's 查询密码.
func TestSeedCases(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		items, _, err := a.Services.Catalog.Search(ctx, catalog.SearchQuery{Text: "特种设备使用登记"})
		if err != nil || len(items) == 0 {
			t.Fatalf("demo item: %v", err)
		}
		tpl, err := loadgen.FileAccepted(a.BaseURL, *items[0].PublishedID, demo.Password, "citizen", "clerk")
		if err != nil {
			t.Fatal(err)
		}
		var reported []int
		first, last, err := a.SeedCases(ctx, tpl.Number, 2500, func(done int) { reported = append(reported, done) })
		if err != nil {
			t.Fatal(err)
		}
		if last-first+1 != 2500 || first <= tpl.ID {
			t.Fatalf("copies %d–%d after template %d, want 2500", first, last, tpl.ID)
		}
		if len(reported) != 2 || reported[0] != 2000 || reported[1] != 2500 {
			t.Fatalf("progress %v, want [2000 2500]", reported)
		}
		orig, origHash, err := a.Stores.Cases.FindCaseByNumber(ctx, tpl.Number)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			id   int64
		}{{"first", first}, {"middle", first + 1234}, {"last", last}} {
			t.Run(tc.name, func(t *testing.T) {
				number := cases.FormatNumber(orig.Procedure.RegionCode, orig.CreatedAt, tc.id)
				c, hash, err := a.Stores.Cases.FindCaseByNumber(ctx, number)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(hash, origHash) || c.Status != orig.Status || len(c.Events) != len(orig.Events) ||
					len(c.Materials) != len(orig.Materials) || c.Materials[0].SHA256 != orig.Materials[0].SHA256 {
					t.Fatalf("copy %s differs from the template: %+v", number, c)
				}
				if c.Applicant.UserID != 0 || c.Applicant.Name == "" {
					t.Fatalf("copy applicant %+v", c.Applicant)
				}
				p, err := a.Services.Cases.Lookup(ctx, number, tpl.Code, "192.0.2.1")
				if err != nil {
					t.Fatal(err)
				}
				if p.Number != number || p.Status != orig.Status || len(p.Events) == 0 {
					t.Fatalf("progress %+v", p)
				}
			})
		}
	})
}
