package hall

import (
	"context"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// Favourite items (收藏), the proxy points serving an item (找代办), and the
// home page's lists.

// ToggleFavourite adds an item to the user's favourites or removes it, and
// reports whether it is a favourite now.
func (s *Service) ToggleFavourite(ctx context.Context, a *identity.Actor, implCode string) (bool, error) {
	if a == nil {
		return false, apperr.New(apperr.Unauthenticated, "请先登录后再收藏")
	}
	it, err := s.d.Catalog.ItemByCode(ctx, implCode)
	if err != nil || !it.Public() {
		return false, apperr.New(apperr.NotFound, "事项不存在")
	}
	var on bool
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		was, err := s.d.Store.IsFavourite(ctx, a.UserID, it.ID)
		if err != nil {
			return err
		}
		if on = !was; on {
			return s.d.Store.PutFavourite(ctx, a.UserID, it.ID, s.d.Now())
		}
		return s.d.Store.DeleteFavourite(ctx, a.UserID, it.ID)
	})
	return on, err
}

// IsFavourite reports whether an item is among the user's favourites.
func (s *Service) IsFavourite(ctx context.Context, a *identity.Actor, itemID int64) (bool, error) {
	if a == nil {
		return false, nil
	}
	return s.d.Store.IsFavourite(ctx, a.UserID, itemID)
}

// Favourites lists the user's favourite items, newest first.
func (s *Service) Favourites(ctx context.Context, a *identity.Actor) ([]*catalog.Item, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	ids, err := s.d.Store.FindFavourites(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	var out []*catalog.Item
	for _, id := range ids {
		if it, err := s.d.Catalog.Item(ctx, id); err == nil && it.Public() {
			out = append(out, it)
		}
	}
	return out, nil
}

// ProxyPoints lists the village proxy points (代办点) inside the region that
// handles an item: their 代办员 file for residents, free of charge.
func (s *Service) ProxyPoints(ctx context.Context, it *catalog.Item) ([]*org.Centre, error) {
	path, err := s.d.Orgs.RegionPath(ctx, it.RegionID)
	if err != nil {
		return nil, err
	}
	cs, err := s.d.Orgs.Centres(ctx, org.CentreFilter{PathPrefix: path})
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if c.Kind == org.CentreProxyPoint {
			out = append(out, c)
		}
	}
	return out, nil
}

// Hot items: the items most filed in the last quarter, counted at most
// every hotTTL; while there are few filings, online items fill the list.
const (
	hotTTL    = 10 * time.Minute
	hotWindow = 90 * 24 * time.Hour
	hotItems  = 8
)

// HotItems lists the popular items, each published and taking applications.
func (s *Service) HotItems(ctx context.Context) ([]*catalog.Item, error) {
	s.hot.mu.Lock()
	defer s.hot.mu.Unlock()
	now := s.d.Now()
	if s.hot.items != nil && now.Sub(s.hot.at) < hotTTL {
		return s.hot.items, nil
	}
	items, err := s.countHot(ctx, now)
	if err != nil {
		return nil, err
	}
	s.hot.items, s.hot.at = items, now
	return items, nil
}

func (s *Service) countHot(ctx context.Context, now time.Time) ([]*catalog.Item, error) {
	counts, err := s.d.Store.CountFiled(ctx, now.Add(-hotWindow), 4*hotItems)
	if err != nil {
		return nil, err
	}
	out := []*catalog.Item{}
	seen := map[int64]bool{}
	add := func(it *catalog.Item) {
		if len(out) < hotItems && !seen[it.ID] && it.Accepting() {
			seen[it.ID] = true
			out = append(out, it)
		}
	}
	for _, c := range counts {
		if v, err := s.d.Catalog.Version(ctx, c.VersionID); err == nil {
			if it, err := s.d.Catalog.Item(ctx, v.ItemID); err == nil {
				add(it)
			}
		}
	}
	if len(out) < hotItems {
		online, _, err := s.d.Catalog.PublicItems(ctx, catalog.ItemFilter{Statuses: []catalog.Status{catalog.StatusActive}, Limit: 50})
		if err != nil {
			return nil, err
		}
		for _, it := range online {
			if it.Online {
				add(it)
			}
		}
	}
	return out, nil
}

// LocalItems lists the items of a township's or village's own region: what
// its residents can do there, shown before the county's.
func (s *Service) LocalItems(ctx context.Context, regionID int64) ([]*catalog.Item, *org.Region, error) {
	r, err := s.d.Orgs.Region(ctx, regionID)
	if err != nil {
		return nil, nil, err
	}
	items, _, err := s.d.Catalog.PublicItems(ctx, catalog.ItemFilter{RegionID: regionID, Statuses: []catalog.Status{catalog.StatusActive}, Limit: 20})
	if err != nil {
		return nil, nil, err
	}
	if r.Level >= org.LevelTownship {
		return items, r, nil
	}
	return nil, r, nil
}

// HomeRegion is the region a staff member's grants place them in, used as
// the home page's region when they chose none: the deepest of their grants.
func HomeRegion(a *identity.Actor) string {
	best := ""
	if a == nil {
		return ""
	}
	for _, g := range a.Grants {
		if strings.Count(g.RegionPath, "/") > strings.Count(best, "/") {
			best = g.RegionPath
		}
	}
	return best
}
