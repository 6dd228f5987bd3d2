package catalog

import (
	"context"
	"sync"
	"time"

	"openhall/internal/calendar"
)

// The public guide is the most visited page of the product, and what it
// shows changes only when an item is published, suspended, resumed or
// cancelled, each of which moves the item's UpdatedAt, or when a version
// takes effect on a later day. A request therefore needs only the item's
// stamp (see stamps.go) and reuses the view built for that stamp and day.
// A node serves a guide another node has since replaced for at most
// stampTTL.

// Stamp identifies the state of an item's public view.
type Stamp struct {
	ID        int64
	UpdatedAt time.Time
}

// PublicView is an item's public guide as of one stamp and day. It is
// shared by concurrent requests and must not be modified.
type PublicView struct {
	Item    *Item
	Version *Version
	History []HistoryEntry

	renders sync.Map // name → []byte: renderings the faces keep with the view
}

// Rendered returns the rendering of the view called name, making it once
// with render. A rendering lives exactly as long as the view, so it is
// never stale.
func (v *PublicView) Rendered(name string, render func() ([]byte, error)) ([]byte, error) {
	if b, ok := v.renders.Load(name); ok {
		return b.([]byte), nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	v.renders.Store(name, b)
	return b, nil
}

type viewKey struct {
	stamp Stamp
	day   calendar.Date
}

// viewCache holds the views built, bounded: when full it starts afresh,
// which costs one rebuild per item.
type viewCache struct {
	mu sync.RWMutex
	m  map[int64]viewEntry
}

type viewEntry struct {
	key  viewKey
	view *PublicView
}

const maxViews = 50000

func (c *viewCache) get(k viewKey) *PublicView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if e, ok := c.m[k.stamp.ID]; ok && e.key == k {
		return e.view
	}
	return nil
}

func (c *viewCache) put(k viewKey, v *PublicView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxViews {
		c.m = map[int64]viewEntry{}
	}
	c.m[k.stamp.ID] = viewEntry{k, v}
}

// PublicGuide returns the guide of the item with a 实施编码 in effect today,
// with its change history.
func (s *Service) PublicGuide(ctx context.Context, implCode string) (*PublicView, error) {
	st, err := s.itemStamp(ctx, implCode)
	if err != nil {
		return nil, err
	}
	k := viewKey{st, s.today()}
	if v := s.views.get(k); v != nil {
		return v, nil
	}
	v, err := s.buildView(ctx, st.ID, k.day)
	if err != nil {
		return nil, err
	}
	s.views.put(k, v)
	return v, nil
}

func (s *Service) buildView(ctx context.Context, itemID int64, day calendar.Date) (*PublicView, error) {
	it, err := s.store.FindItemByID(ctx, itemID)
	if err != nil {
		return nil, err
	}
	ver, err := s.store.FindPublishedVersion(ctx, itemID, day)
	if err != nil {
		return nil, err
	}
	h, err := s.History(ctx, it)
	if err != nil {
		return nil, err
	}
	return &PublicView{Item: it, Version: ver, History: h}, nil
}
