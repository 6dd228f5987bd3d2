package app

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/disclosure/search"
)

// The portal's one search box holds the service catalogue next to the
// government information: each published item is indexed (kind 办事) in
// the transaction that publishes, suspends, resumes or cancels it, and the
// catalogue's own search (/items?q=, /api/v1/items?q=) asks the same engine.

// catalogIndex feeds the search engine from the catalogue.
type catalogIndex struct {
	cat *catalog.Service
	eng *search.Engine
}

// ItemChanged indexes an item's listing: its name and 实施编码, department
// and region, conditions and materials; a suspended or cancelled item
// stays findable, lower.
func (c catalogIndex) ItemChanged(ctx context.Context, it *catalog.Item) error {
	if it.PublishedID == nil {
		return nil
	}
	v, err := c.cat.Version(ctx, *it.PublishedID)
	if err != nil {
		return err
	}
	var materials []string
	for _, m := range v.Guide.Materials {
		materials = append(materials, m.Name)
	}
	validity := map[catalog.Status]string{catalog.StatusSuspended: "expired", catalog.StatusCancelled: "repealed"}[it.Status]
	if validity == "" {
		validity = "valid"
	}
	return c.eng.Index(ctx, search.Doc{Kind: search.KindService, Ref: it.ID, Title: it.Name, Number: it.ImplCode,
		Summary: it.DepartmentName + " " + it.RegionName, Body: v.Guide.Conditions + "\n" + strings.Join(materials, "\n"),
		Extra: strings.Join(v.Guide.Themes, " "), Validity: validity, Date: v.EffectiveDate, URL: "/items/" + it.ImplCode})
}

// catalogSearch answers the catalogue's searches from the engine: ranked
// refs of kind 办事, then the catalogue's own filters on them. Filters the
// items do not carry (a region subtree, statuses) go to the store's search.
type catalogSearch struct {
	store catalog.Store
	eng   *search.Engine
}

func (c catalogSearch) SearchItems(ctx context.Context, q catalog.SearchQuery) ([]*catalog.Item, int, error) {
	f := q.ItemFilter
	if f.PathPrefix != "" || f.RegionID != 0 || len(f.Statuses) > 0 {
		return c.store.SearchItems(ctx, q)
	}
	refs, total, err := c.eng.SearchRefs(ctx, search.Query{Text: q.Text, Kind: search.KindService}, search.MaxCount)
	if err != nil {
		return nil, 0, err
	}
	if !filtered(f) {
		page := refs[min(f.Offset, len(refs)):min(f.Offset+f.Limit, len(refs))]
		items, err := c.items(ctx, page, f)
		return items, total, err
	}
	all, err := c.items(ctx, refs, f)
	if err != nil {
		return nil, 0, err
	}
	return all[min(f.Offset, len(all)):min(f.Offset+f.Limit, len(all))], len(all), nil
}

func filtered(f catalog.ItemFilter) bool {
	return f.DepartmentID != 0 || f.Level != "" || f.Audience != "" || f.Legal || f.Theme != "" || f.Type != "" || f.Code != ""
}

// items loads the items of refs in order, keeping those the filter passes.
func (c catalogSearch) items(ctx context.Context, refs []int64, f catalog.ItemFilter) ([]*catalog.Item, error) {
	var out []*catalog.Item
	for _, id := range refs {
		it, err := c.store.FindItemByID(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if passes(it, f) {
			out = append(out, it)
		}
	}
	return out, nil
}

// passes applies a catalogue filter to one item, as the store's listing does.
func passes(it *catalog.Item, f catalog.ItemFilter) bool {
	if (f.PublicOnly && it.Status == catalog.StatusDraft) || (f.DepartmentID != 0 && it.DepartmentID != f.DepartmentID) ||
		(f.Level != "" && it.Level != f.Level) || (f.Type != "" && it.Type != f.Type) || (f.Code != "" && it.Code != f.Code) {
		return false
	}
	if f.Theme != "" && !containsStr(it.Themes, f.Theme) {
		return false
	}
	if _, legal := catalog.AudienceFlags(it.Audiences); f.Legal && !legal {
		return false
	}
	return f.Audience == "" || containsAudience(it.Audiences, f.Audience)
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func containsAudience(xs []catalog.Audience, x catalog.Audience) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// indexCatalogOnce indexes the items published before the catalogue fed
// the search engine, once per database (a setting remembers it).
func (a *App) indexCatalogOnce(ctx context.Context) error {
	const key = "search.catalog.indexed"
	if _, err := a.Stores.Settings.Setting(ctx, key); err == nil || !apperr.Is(err, apperr.NotFound) {
		return err
	}
	ix := catalogIndex{cat: a.Services.Catalog, eng: a.searchEngine}
	for off := 0; ; off += catalog.MaxPage {
		its, total, err := a.Services.Catalog.PublicItems(ctx, catalog.ItemFilter{Offset: off, Limit: catalog.MaxPage})
		if err != nil {
			return err
		}
		err = a.Stores.InTx(ctx, func(ctx context.Context) error {
			for _, it := range its {
				if err := ix.ItemChanged(ctx, it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if off+catalog.MaxPage >= total {
			break
		}
	}
	return a.Stores.Settings.PutSetting(ctx, key, calendar.DateOf(a.now()).String())
}
