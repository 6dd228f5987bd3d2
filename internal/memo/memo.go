// Package memo keeps values read from the database for a short while, so
// that a hot path does not read a row that rarely changes at every request.
// A change made through this process is seen at once by whoever forgets
// the value it changed; one made through another node of a cluster is seen
// once the value's life is over.
package memo

import (
	"context"
	"sync"
	"time"
)

// Cache keeps up to max values for life each; make one with New. A nil
// Cache keeps nothing: Load always reads.
type Cache[K comparable, V any] struct {
	life time.Duration
	max  int
	now  func() time.Time

	mu sync.Mutex
	m  map[K]entry[V]
}

type entry[V any] struct {
	v  V
	at time.Time
}

// New returns a cache keeping up to max values for life each; now is the
// clock (time.Now when nil).
func New[K comparable, V any](life time.Duration, max int, now func() time.Time) *Cache[K, V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[K, V]{life: life, max: max, now: now, m: map[K]entry[V]{}}
}

// Get returns the value kept for k, if it is still alive.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	if c == nil {
		var zero V
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || c.now().Sub(e.at) >= c.life {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v for k. A full cache is emptied first.
func (c *Cache[K, V]) Put(k K, v V) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = entry[V]{v: v, at: c.now()}
}

// Load returns the value kept for k, or reads it with read and keeps it
// (Keep) when read succeeds.
func (c *Cache[K, V]) Load(ctx context.Context, k K, read func() (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := read()
	if err == nil {
		c.Keep(ctx, k, v)
	}
	return v, err
}

// Forget drops the value kept for k.
func (c *Cache[K, V]) Forget(k K) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// Clear drops every value.
func (c *Cache[K, V]) Clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}
