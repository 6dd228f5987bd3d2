package rating

import (
	"context"
	"sync"
)

// pending is a tablet rating waiting to be stored.
type pending struct {
	r    Rating // the rating to store
	out  Rating // as stored (with its id), set before done
	done chan error
}

// maxCounterBatch bounds the ratings stored by one insert.
const maxCounterBatch = 256

// batcher stores tablet ratings in batches without a goroutine of its
// own: the first caller finding it idle stores what is queued (its own
// rating first) and, if more arrived meanwhile, hands the rest to a
// goroutine that stores batch after batch until the queue is empty. A
// busy hall's ratings thus share one insert, one transaction and one
// durable commit, and each caller returns once its rating is stored.
type batcher struct {
	mu    sync.Mutex
	queue []*pending
	busy  bool
	flush func(ctx context.Context, batch []*pending) error
}

func (b *batcher) submit(ctx context.Context, p *pending) error {
	p.done = make(chan error, 1)
	b.mu.Lock()
	b.queue = append(b.queue, p)
	lead := !b.busy
	b.busy = true
	b.mu.Unlock()
	if lead {
		ctx = context.WithoutCancel(ctx)
		if b.flushNext(ctx) {
			go b.drain(ctx)
		}
	}
	return <-p.done
}

// flushNext stores the next batch and reports whether more is queued; if
// not, the batcher is idle again.
func (b *batcher) flushNext(ctx context.Context) bool {
	b.mu.Lock()
	n := min(len(b.queue), maxCounterBatch)
	batch := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()
	if n > 0 {
		err := b.flush(ctx, batch)
		for _, p := range batch {
			p.done <- err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.busy, b.queue = false, nil
		return false
	}
	return true
}

func (b *batcher) drain(ctx context.Context) {
	for b.flushNext(ctx) {
	}
}
