package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// TestCatalogExcelRoundTrip exports the whole demo catalogue to Excel,
// imports the file into a fresh deployment with the same organisation and
// files, and checks that every item comes back exactly, as a draft.
func TestCatalogExcelRoundTrip(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		if _, err := Load(ctx, a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		want, err := a.Services.Catalog.Export(ctx, catalog.SearchQuery{})
		if err != nil {
			t.Fatal(err)
		}
		checkDemoCatalogue(t, a, want)
		var file bytes.Buffer
		if err := sheet.Write(&file, want); err != nil {
			t.Fatal(err)
		}

		b := apptest.New(t, backend, apptest.Options{NoTree: true})
		l := loadOrgOnly(t, b)
		copyFiles(t, a, b, l.sys)
		rows, err := sheet.Read(&file)
		if err != nil {
			t.Fatal(err)
		}
		its, err := b.Services.Catalog.Import(ctx, l.sys, rows)
		if err != nil || len(its) != len(want) {
			t.Fatalf("import: %d items, %v; want %d", len(its), err, len(want))
		}
		for i, it := range its {
			if it, err = b.Services.Catalog.Item(ctx, it.ID); err != nil { // loaded with its department's code
				t.Fatal(err)
			}
			v, err := b.Services.Catalog.OpenVersion(ctx, l.sys, it)
			if err != nil || v.State != catalog.StateDraft {
				t.Fatalf("imported %s: %+v %v", it.Name, v, err)
			}
			got := catalog.ItemInput{Code: it.Code, ImplCode: it.ImplCode, DeptCode: it.DepartmentCode, Guide: v.Guide}
			if !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("item %d (%s) differs after the round trip:\n got %+v\nwant %+v", i, it.Name, got, want[i])
			}
		}
	})
}

// checkDemoCatalogue: at least 40 items over at least 8 departments, at
// every level from province to village, most of them free.
func checkDemoCatalogue(t *testing.T, a *apptest.App, items []catalog.ItemInput) {
	depts, levels, free := map[string]bool{}, map[catalog.Level]bool{}, 0
	for _, in := range items {
		depts[in.DeptCode], levels[in.Guide.Level] = true, true
		if !in.Guide.Fees.Charged {
			free++
		}
	}
	if len(items) < 40 || len(depts) < 8 || free*2 < len(items) {
		t.Fatalf("demo catalogue: %d items, %d departments, %d free", len(items), len(depts), free)
	}
	for _, l := range []catalog.Level{catalog.LevelProvince, catalog.LevelCity, catalog.LevelCounty, catalog.LevelTownship, catalog.LevelVillage} {
		if !levels[l] {
			t.Errorf("no demo item at level %s", l.Label())
		}
	}
	it, err := a.Services.Catalog.ItemByCode(context.Background(), "XK00013000-330106000000-11330106002525810K")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := a.Services.Catalog.History(context.Background(), it)
	if len(h) < 2 || h[0].Text != "承诺办结时限由 15 个工作日调整为 10 个工作日" {
		t.Fatalf("history of the revised demo item: %+v", h)
	}
}

// loadOrgOnly loads the demo organisation without its catalogue.
func loadOrgOnly(t *testing.T, b *apptest.App) *loader {
	var ds dataSet
	if err := json.Unmarshal(orgJSON, &ds); err != nil {
		t.Fatal(err)
	}
	l := &loader{s: b.Services, sys: identity.SystemActor(), regions: map[string]*org.Region{},
		centres: map[string]int64{}, depts: map[string]int64{}, users: map[string]int64{}}
	for _, step := range []func(context.Context, *dataSet) error{l.loadRegions, l.loadCentres, l.loadDepartments} {
		if err := step(context.Background(), &ds); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// copyFiles stores a's attached files in b in the same order, so that the
// file numbers the sheet carries name the same files.
func copyFiles(t *testing.T, a, b *apptest.App, sys *identity.Actor) {
	ctx := context.Background()
	for id := int64(1); ; id++ {
		f, err := a.Services.Catalog.File(ctx, id)
		if err != nil {
			return
		}
		g, err := b.Services.Catalog.AddFile(ctx, sys, f.Name, f.ContentType, f.Data)
		if err != nil || g.ID != f.ID {
			t.Fatalf("copy file %d: %+v %v", id, g, err)
		}
	}
}
