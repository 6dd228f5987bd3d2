package audit

import (
	"context"
	"sync"
	"testing"
	"time"
)

// sealCounter is a store that only counts appends and seal transactions.
type sealCounter struct {
	Store
	mu       sync.Mutex
	pending  int
	seals    int
	sealedAt []time.Time
}

func (s *sealCounter) AppendAuditEntry(context.Context, *Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending++
	return nil
}

func (s *sealCounter) SealAuditEntries(context.Context, int, func(Head, []*Entry) Head) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.pending
	s.pending = 0
	if n > 0 {
		s.seals++
		s.sealedAt = append(s.sealedAt, time.Now())
	}
	return n, nil
}

func (s *sealCounter) state() (pending, seals int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending, s.seals
}

// A burst of appends, each kicking the sealer, is sealed by one or two
// seal transactions soon after, not by one per append: under load a seal
// costs a durable commit per gathering, not per change.
func TestSealerGathersABurst(t *testing.T) {
	store := &sealCounter{}
	l := NewLog(store, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.RunSealer(ctx, time.Hour, func(err error) { t.Error(err) })
	start := time.Now()
	for range 200 {
		if err := l.Append(ctx, Record{Action: "test.burst", Change: 1}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Microsecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		pending, seals := store.state()
		if pending == 0 && seals > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s, %d entries still unsealed (%d seals)", pending, seals)
		}
		time.Sleep(time.Millisecond)
	}
	if _, seals := store.state(); seals > 1+int(time.Since(start)/sealGather) {
		t.Fatalf("%d seal transactions for a burst of 200 appends over %v; want at most one per %v", seals, time.Since(start), sealGather)
	}
	if first := store.sealedAt[0].Sub(start); first < sealGather {
		t.Fatalf("first seal %v after the first append; want it to wait %v for more", first, sealGather)
	}
}
