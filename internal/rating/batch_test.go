package rating

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apperr"
)

// TestBatcherStoresEveryRatingOnce: many concurrent callers each return
// after their own rating was flushed, every rating is flushed exactly
// once, slow flushes gather the waiting ratings into batches, and no more
// than maxFlushes batches are stored at once.
func TestBatcherStoresEveryRatingOnce(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	var flushes, running, most atomic.Int32
	b := &batcher{flush: func(_ context.Context, batch []*pending) error {
		flushes.Add(1)
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		for _, p := range batch {
			seen[p.r.Key]++
			p.out = p.r
		}
		return nil
	}}
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &pending{r: Rating{Key: string(rune('A'+i%26)) + string(rune(i))}}
			if err := b.submit(context.Background(), p); err != nil || p.out.Key != p.r.Key {
				t.Errorf("submit: %v, out %q", err, p.out.Key)
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d distinct ratings flushed, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Fatalf("rating %q flushed %d times", k, c)
		}
	}
	if f := flushes.Load(); f >= n/2 {
		t.Fatalf("%d flushes for %d ratings: no batching", f, n)
	}
	if m := most.Load(); m > maxFlushes {
		t.Fatalf("%d batches stored at once, at most %d allowed", m, maxFlushes)
	}
	// The last flusher may still be stopping after its callers returned.
	for deadline := time.Now().Add(5 * time.Second); !b.idle(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the batcher did not become idle")
		}
	}
}

func (b *batcher) idle() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushes == 0 && len(b.queue) == 0
}

func TestBatcherReportsFailure(t *testing.T) {
	boom := errors.New("disk full")
	b := &batcher{flush: func(context.Context, []*pending) error { return boom }}
	if err := b.submit(context.Background(), &pending{}); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if err := b.submit(context.Background(), &pending{}); !errors.Is(err, boom) {
		t.Fatalf("the batcher must stay usable: %v", err)
	}
}

func TestLinkTokens(t *testing.T) {
	s := &Service{d: Deps{Secret: []byte("k1")}}
	tok := s.token('c', 42)
	if k, id, ok := s.parseToken(tok); !ok || k != 'c' || id != 42 {
		t.Fatalf("parse: %c %d %v", k, id, ok)
	}
	other := &Service{d: Deps{Secret: []byte("k2")}}
	if _, _, ok := other.parseToken(tok); ok {
		t.Fatal("a token signed with another secret was accepted")
	}
	forged := []byte(tok)
	forged[3] ^= 1
	if _, _, ok := s.parseToken(string(forged)); ok {
		t.Fatal("a changed token was accepted")
	}
}

// TestBatcherRefusedRatingAlone: a batch the database refuses (one
// rating it cannot take) is stored again one rating at a time, so only
// that rating fails; a batch that failed for another reason (the database
// unavailable) is not tried again rating by rating.
func TestBatcherRefusedRatingAlone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fail    error
		stored  int // ratings stored in the end
		flushes int
	}{
		{"refused", apperr.New(apperr.Invalid, "refused"), 3, 5},
		{"repeated key", apperr.New(apperr.Conflict, "评价已存在"), 3, 5},
		{"unavailable", apperr.New(apperr.Unavailable, "down"), 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stored, flushes := 0, 0
			b := &batcher{flush: func(_ context.Context, batch []*pending) error {
				flushes++
				for _, p := range batch {
					if p.r.Key == "poison" {
						return tc.fail
					}
				}
				stored += len(batch)
				return nil
			}}
			batch := []*pending{{r: Rating{Key: "a"}}, {r: Rating{Key: "poison"}}, {r: Rating{Key: "b"}}, {r: Rating{Key: "c"}}}
			for _, p := range batch {
				p.done = make(chan error, 1)
			}
			b.store(context.Background(), batch)
			for _, p := range batch {
				err := <-p.done
				if want := p.r.Key == "poison" || tc.stored == 0; (err != nil) != want {
					t.Errorf("%s: %v", p.r.Key, err)
				}
			}
			if stored != tc.stored || flushes != tc.flushes {
				t.Errorf("stored %d in %d flushes, want %d in %d", stored, flushes, tc.stored, tc.flushes)
			}
		})
	}
}
