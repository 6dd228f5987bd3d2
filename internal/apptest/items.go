package apptest

import (
	"context"
	"testing"

	"openhall/internal/catalog"
)

// ItemVersion is the published version of the demo item named name. The
// demo has items of the same name in several regions: the first one created
// is taken, whatever the search's ranking puts first.
func ItemVersion(t testing.TB, a *App, name string) int64 {
	t.Helper()
	items, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	var found *catalog.Item
	for _, it := range items {
		if it.Name == name && it.PublishedID != nil && (found == nil || it.ID < found.ID) {
			found = it
		}
	}
	if found == nil {
		t.Fatalf("demo item %q not found", name)
	}
	return *found.PublishedID
}
