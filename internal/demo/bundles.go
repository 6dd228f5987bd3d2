package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"openhall/internal/catalog"
	"openhall/internal/hall"
)

// bundlesJSON is the demo's 一件事: each names its items by department key
// and 基本编码, and its shared fields' mappings by 基本编码 and field.
//
//go:embed data/bundles.json
var bundlesJSON []byte

type demoBundle struct {
	Region, Name, Audience, Summary string
	Items                           []struct {
		Dept, Code string
		When       *hall.Condition
	}
	Fields []struct {
		catalog.FormField
		Maps [][2]string
	}
}

// loadBundles defines the demo's bundles and puts them online.
func (l *loader) loadBundles(ctx context.Context, ds *dataSet) error {
	var bs []demoBundle
	if err := json.Unmarshal(bundlesJSON, &bs); err != nil {
		return fmt.Errorf("parse demo bundles: %w", err)
	}
	for _, b := range bs {
		in, err := l.bundleInput(ctx, b)
		if err != nil {
			return fmt.Errorf("demo bundle %s: %w", b.Name, err)
		}
		saved, err := l.s.Hall.SaveBundle(ctx, l.sys, 0, in)
		if err != nil {
			return fmt.Errorf("demo bundle %s: %w", b.Name, err)
		}
		if _, err := l.s.Hall.SetBundleStatus(ctx, l.sys, saved.ID, hall.BundleActive); err != nil {
			return fmt.Errorf("demo bundle %s: %w", b.Name, err)
		}
	}
	return nil
}

func (l *loader) bundleInput(ctx context.Context, b demoBundle) (hall.BundleInput, error) {
	in := hall.BundleInput{RegionID: l.regions[b.Region].ID, Name: b.Name, Audience: hall.Audience(b.Audience)}
	in.Summary = b.Summary
	impl := map[string]string{}
	for _, it := range b.Items {
		its, _, err := l.s.Catalog.Items(ctx, catalog.ItemFilter{Code: it.Code, DepartmentID: l.depts[it.Dept], Limit: 1})
		if err != nil || len(its) == 0 {
			return in, fmt.Errorf("no item %s of %s: %v", it.Code, it.Dept, err)
		}
		impl[it.Code] = its[0].ImplCode
		in.Items = append(in.Items, hall.BundleItem{ImplCode: its[0].ImplCode, When: it.When})
	}
	for _, f := range b.Fields {
		sf := hall.SharedField{FormField: f.FormField}
		for _, m := range f.Maps {
			sf.Maps = append(sf.Maps, hall.FieldMap{ImplCode: impl[m[0]], Field: m[1]})
		}
		in.Fields = append(in.Fields, sf)
	}
	return in, nil
}
