package app

import (
	"context"
	"errors"
	"log/slog"
	"testing"
)

// failingQueue fails its first fails starts.
type failingQueue struct {
	jobQueue
	fails, starts int
}

func (q *failingQueue) Start(context.Context) error {
	q.starts++
	if q.starts <= q.fails {
		return errors.New("start job queue: timed out waiting for interrupt operation")
	}
	return nil
}

func TestStartQueueTriesAgain(t *testing.T) {
	for _, c := range []struct {
		fails, starts int
		ok            bool
	}{
		{0, 1, true},
		{2, 3, true}, // the third try starts it
		{5, 3, false},
	} {
		q := &failingQueue{fails: c.fails}
		err := startQueue(context.Background(), q, slog.New(slog.DiscardHandler), 3, 0)
		if (err == nil) != c.ok || q.starts != c.starts {
			t.Errorf("%d failures: %d starts, err %v; want %d starts, ok %v", c.fails, q.starts, err, c.starts, c.ok)
		}
	}
}

func TestStartQueueStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q := &failingQueue{fails: 5}
	if err := startQueue(ctx, q, slog.New(slog.DiscardHandler), 3, 0); err == nil || q.starts != 1 {
		t.Errorf("cancelled: %d starts, err %v; want 1 start and an error", q.starts, err)
	}
}
