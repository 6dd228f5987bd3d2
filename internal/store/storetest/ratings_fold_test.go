package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"openhall/internal/rating"
)

// TestRatingsFoldConcurrent: ratings stored by several writers at once
// while the fold runs are each counted once at every moment: a reader
// never sees the total go down or past what was stored, and once the
// writers are done the figures count every rating, before and after the
// last fold.
func TestRatingsFoldConcurrent(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		st := b.Open(t, func() time.Time { return ratingDay }).Ratings
		ctx := context.Background()
		const writers, batches, size = 4, 20, 5
		f := rating.FigureFilter{By: rating.ByWindow, From: ratingDay.Add(-24 * time.Hour), To: ratingDay.Add(24 * time.Hour)}
		var wg sync.WaitGroup
		done := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				writeRatings(t, st, w, batches, size)
			}()
		}
		folds := make(chan error, 1)
		go func() { folds <- foldUntil(st, done) }()
		last := 0
		for i := 0; i < 200 && last < writers*batches*size; i++ {
			n := countAll(t, st, f)
			if n < last || n > writers*batches*size {
				t.Fatalf("read %d after %d (of %d stored at most)", n, last, writers*batches*size)
			}
			last = n
		}
		wg.Wait()
		close(done)
		if err := <-folds; err != nil {
			t.Fatal(err)
		}
		if n := countAll(t, st, f); n != writers*batches*size {
			t.Fatalf("before the last fold: %d", n)
		}
		if _, err := st.FoldCounts(ctx, 1000); err != nil {
			t.Fatal(err)
		}
		if n := countAll(t, st, f); n != writers*batches*size {
			t.Fatalf("after the last fold: %d", n)
		}
	})
}

func writeRatings(t *testing.T, st rating.Store, w, batches, size int) {
	for i := range batches {
		rs := make([]*rating.Rating, size)
		for j := range rs {
			target := rating.Target{RegionPath: "/1/", DepartmentID: int64(w + 1), WindowID: int64(j + 1)}
			rs[j] = newRating(fmt.Sprintf("w%d-%d-%d", w, i, j), 0, rating.StageDone, rating.Satisfied, target, ratingDay)
			rs[j].Subject = rating.SubjectVisit
		}
		if err := st.CreateRatings(context.Background(), rs); err != nil {
			t.Error(err)
			return
		}
	}
}

// foldUntil folds a few ratings at a time until done is closed.
func foldUntil(st rating.Store, done <-chan struct{}) error {
	for {
		select {
		case <-done:
			return nil
		default:
		}
		if _, err := st.FoldCounts(context.Background(), 7); err != nil {
			return err
		}
	}
}

func countAll(t *testing.T, st rating.Store, f rating.FigureFilter) int {
	cs, err := st.CountRatings(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		n += c.N
	}
	return n
}
