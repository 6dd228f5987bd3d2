package catalog

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Reading an item's stamp is one indexed row, but it is still most of the
// cost of a guide page seen by a visitor. A node therefore remembers items'
// stamps and checks the stamp of the whole catalogue (its items' count,
// highest id and a checksum of their UpdatedAt) instead, at most once per
// stampTTL: a change made through this node is seen at once (every write
// transaction ends an epoch, which forces a check), a change made through
// another node within stampTTL.
const stampTTL = time.Second

// stampCache holds items' stamps as of one check of the catalogue's stamp.
type stampCache struct {
	mu      sync.Mutex
	whole   string           // the catalogue's stamp at the last check
	epoch   uint64           // this node's write epoch when it was read
	checked time.Time        // when it was read (monotonic)
	items   map[string]Stamp // by 实施编码
	refresh sync.Mutex       // held by the one request checking
}

// current reports whether the cached stamps may be used at epoch e.
func (c *stampCache) current(e uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items != nil && c.epoch == e && time.Since(c.checked) < stampTTL
}

func (c *stampCache) get(code string) (Stamp, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.items[code]
	return st, ok
}

// put remembers st if no check of the catalogue happened since epoch e,
// when st was read.
func (c *stampCache) put(code string, st Stamp, e uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items != nil && c.epoch == e && len(c.items) < maxViews {
		c.items[code] = st
	}
}

// record records the catalogue's stamp read at epoch e, started at t,
// forgetting the items' stamps if it changed.
func (c *stampCache) record(whole string, e uint64, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil || whole != c.whole {
		c.items = map[string]Stamp{}
	}
	c.whole, c.epoch, c.checked = whole, e, t
}

// itemStamp returns the stamp of the item with the 实施编码 code.
func (s *Service) itemStamp(ctx context.Context, code string) (Stamp, error) {
	e := s.epoch.Load()
	if !s.stamps.current(e) && !s.checkCatalogue(ctx, e) {
		return s.store.FindItemStamp(ctx, code)
	}
	if st, ok := s.stamps.get(code); ok {
		return st, nil
	}
	st, err := s.store.FindItemStamp(ctx, code)
	if err == nil {
		s.stamps.put(code, st, e)
	}
	return st, err
}

// checkCatalogue reads the catalogue's stamp, reporting whether the cached
// stamps may be used: false while another request is checking or when the
// check failed (the caller then reads the item's own stamp).
func (s *Service) checkCatalogue(ctx context.Context, e uint64) bool {
	if !s.stamps.refresh.TryLock() {
		return false
	}
	defer s.stamps.refresh.Unlock()
	t := time.Now()
	whole, err := s.store.CatalogueStamp(ctx)
	if err != nil {
		return false
	}
	s.stamps.record(whole, e, t)
	return true
}

// epochTx ends a write epoch after every transaction of the service, so
// that the next guide read through this node checks the catalogue again.
type epochTx struct {
	Transactor
	epoch *atomic.Uint64
}

func (t epochTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	defer t.epoch.Add(1)
	return t.Transactor.InTx(ctx, fn)
}
