package apptest

import (
	"context"
	"strconv"
	"testing"

	"openhall/internal/cases"
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

// FormFor answers every field of p's application form with a valid value,
// over the base values given (which win).
func FormFor(p *cases.Procedure, base map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range p.Fields {
		out[f.Name] = sampleValue(f)
	}
	for k, v := range base {
		out[k] = v
	}
	return out
}

func sampleValue(f cases.Field) string {
	switch f.Type {
	case cases.FieldNumber:
		if f.MinValue != nil {
			return strconv.FormatFloat(*f.MinValue, 'f', -1, 64)
		}
		return "1"
	case cases.FieldDate:
		return "2026-06-01"
	case cases.FieldChoice:
		if len(f.Choices) > 0 {
			return f.Choices[0]
		}
	case cases.FieldEmail:
		return "test@example.cn"
	case cases.FieldPhone:
		return "13800001234"
	}
	return "测试" + f.Label
}
