package tick

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestEvery: run is called on each tick, its errors are reported, and it
// stops when the context ends.
func TestEvery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	runs, errs := 0, 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		Every(ctx, time.Millisecond, func(context.Context) error {
			runs++
			if runs == 3 {
				cancel()
			}
			return errors.New("failed")
		}, func(error) { errs++ })
	}()
	<-done
	if runs != 3 || errs != 2 {
		t.Fatalf("runs %d, errors reported %d (the last one came after the end)", runs, errs)
	}
}
