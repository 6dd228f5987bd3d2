package catalog

import (
	"context"

	"openhall/internal/memo"
)

// keptItem is an item as read at a write epoch of this node.
type keptItem struct {
	item  Item
	epoch uint64
}

// newKeptItems keeps items read for a filing for stampTTL.
func newKeptItems() *memo.Cache[int64, keptItem] {
	return memo.New[int64, keptItem](stampTTL, maxViews, nil)
}

// ItemKept returns the item as read at most stampTTL ago: each filing
// checks that its item accepts applications. A change made through this
// node (any write transaction of the catalogue ends an epoch) is seen at
// once, one made through another node within stampTTL, as on guide pages.
func (s *Service) ItemKept(ctx context.Context, id int64) (*Item, error) {
	e := s.epoch.Load()
	if k, ok := s.kept.Get(id); ok && k.epoch == e {
		it := k.item
		return &it, nil
	}
	it, err := s.store.FindItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.kept.Keep(ctx, id, keptItem{item: *it, epoch: e})
	return it, nil
}
