package supervision

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// figureCache shares the workbench's counts between requests for the same
// scope for a moment: the counts are only as fresh as the last evaluation
// anyway (the evaluator runs every few seconds), and a room of supervisors
// watching the same figures should cost one count, not one each.
// Everything this process writes bumps the generation, so its own changes
// show at once; another node's show within the lifetime.
type figureCache struct {
	gen  atomic.Int64
	mu   sync.Mutex
	m    map[string]*cacheEntry
	life time.Duration
}

type cacheEntry struct {
	at   time.Time
	done chan struct{}
	v    any
	err  error
}

// changed marks everything cached so far as out of date.
func (c *figureCache) changed() { c.gen.Add(1) }

// get returns the value cached under key, computing it with fn when it is
// missing or older than the cache's lifetime; concurrent callers of a
// missing key wait for one computation. fn must not depend on the first
// caller's request staying alive (callers pass a context without its
// cancellation).
func (c *figureCache) get(key string, fn func() (any, error)) (any, error) {
	key = fmt.Sprintf("%d|%s", c.gen.Load(), key)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*cacheEntry{}
	}
	e, ok := c.m[key]
	if ok && time.Since(e.at) < c.life {
		c.mu.Unlock()
		<-e.done
		return e.v, e.err
	}
	e = &cacheEntry{at: time.Now(), done: make(chan struct{})}
	c.m[key] = e
	if len(c.m) > 1000 {
		c.m = map[string]*cacheEntry{key: e}
	}
	c.mu.Unlock()
	e.v, e.err = fn()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key) // an error is not kept: the next caller tries again
		}
		c.mu.Unlock()
	}
	return e.v, e.err
}
