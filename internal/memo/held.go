package memo

import (
	"context"
	"sync"
)

// Held is what the reads of one database transaction would have caches
// keep, waiting for that transaction to commit. A value read inside a
// transaction may be one that transaction (or, on SQLite, another one
// committed with it) wrote; if the transaction is rolled back or run
// again, the value must not outlive it. The storage backends hold each
// transaction's values and release them once it has committed.
type Held struct {
	mu   sync.Mutex
	puts []func()
}

type heldKey struct{}

// Hold returns ctx carrying a new Held: Keep and Load inside it keep
// nothing until Release.
func Hold(ctx context.Context) (context.Context, *Held) {
	h := &Held{}
	return context.WithValue(ctx, heldKey{}, h), h
}

// Release keeps what was held; call it once the transaction has committed.
// A nil Held releases nothing.
func (h *Held) Release() {
	if h == nil {
		return
	}
	h.mu.Lock()
	puts := h.puts
	h.puts = nil
	h.mu.Unlock()
	for _, put := range puts {
		put()
	}
}

// hold adds put to the Held of ctx, if any, and reports whether it did.
func hold(ctx context.Context, put func()) bool {
	h, ok := ctx.Value(heldKey{}).(*Held)
	if !ok {
		return false
	}
	h.mu.Lock()
	h.puts = append(h.puts, put)
	h.mu.Unlock()
	return true
}

// Keep keeps v for k, at once outside a transaction, or once the
// transaction of ctx has committed (Hold).
func (c *Cache[K, V]) Keep(ctx context.Context, k K, v V) {
	if c == nil {
		return
	}
	if !hold(ctx, func() { c.Put(k, v) }) {
		c.Put(k, v)
	}
}
