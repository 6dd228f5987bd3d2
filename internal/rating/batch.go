package rating

import (
	"context"
	"sync"

	"openhall/internal/apperr"
)

// pending is a tablet rating waiting to be stored.
type pending struct {
	r    Rating // the rating to store
	out  Rating // as stored (with its id), set before done
	done chan error
}

// maxCounterBatch bounds the ratings stored by one insert.
const maxCounterBatch = 256

// maxFlushes bounds the batches being stored at once. Two let the next
// batch run in the database while the one before waits for its durable
// commit; more would only split the ratings into smaller batches.
const maxFlushes = 2

// batcher stores tablet ratings in batches without a goroutine of its
// own: a caller finding fewer than maxFlushes batches being stored stores
// what is queued (its own rating first) and, if more arrived meanwhile,
// hands the rest to a goroutine that stores batch after batch until the
// queue is empty. A busy hall's ratings thus share one insert, one
// transaction and one durable commit, and each caller returns once its
// rating is stored.
type batcher struct {
	mu      sync.Mutex
	queue   []*pending
	flushes int // batches being stored, each by its own goroutine
	flush   func(ctx context.Context, batch []*pending) error
}

func (b *batcher) submit(ctx context.Context, p *pending) error {
	p.done = make(chan error, 1)
	b.mu.Lock()
	b.queue = append(b.queue, p)
	lead := b.flushes < maxFlushes
	if lead {
		b.flushes++
	}
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
// not, its goroutine stops storing.
func (b *batcher) flushNext(ctx context.Context) bool {
	b.mu.Lock()
	n := min(len(b.queue), maxCounterBatch)
	batch := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()
	if n > 0 {
		b.store(ctx, batch)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.flushes, b.queue = b.flushes-1, nil
		return false
	}
	return true
}

// store stores a batch and answers its callers. A batch the database
// refuses (a rating it cannot take, a key another batch stored meanwhile)
// is stored again one rating at a time, so that only the rating at fault
// fails; a batch that failed otherwise (the database unavailable) is not
// tried again, and every caller is told.
func (b *batcher) store(ctx context.Context, batch []*pending) {
	err := b.flush(ctx, batch)
	if err != nil && len(batch) > 1 && (apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict)) {
		for _, p := range batch {
			p.done <- b.flush(ctx, []*pending{p})
		}
		return
	}
	for _, p := range batch {
		p.done <- err
	}
}

func (b *batcher) drain(ctx context.Context) {
	for b.flushNext(ctx) {
	}
}
