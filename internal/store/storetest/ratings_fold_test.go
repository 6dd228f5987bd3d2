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

// TestRatingsFoldDays: the fold puts a rating on its China day and month,
// at the edges (23:59:59 and midnight, the last night of a month and of a
// year), as the figures count it before the fold.
func TestRatingsFoldDays(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		st := b.Open(t, func() time.Time { return ratingDay }).Ratings
		ctx := context.Background()
		cst := time.FixedZone("CST", 8*3600)
		ats := []time.Time{time.Date(2026, 3, 9, 23, 59, 59, 999999000, cst), time.Date(2026, 3, 10, 0, 0, 0, 0, cst),
			time.Date(2026, 3, 31, 23, 30, 0, 0, cst), time.Date(2026, 4, 1, 0, 30, 0, 0, cst),
			time.Date(2026, 12, 31, 23, 59, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 1, 0, cst)}
		rs := make([]*rating.Rating, len(ats))
		for i, at := range ats {
			rs[i] = newRating(fmt.Sprintf("edge%d", i), int64(100+i), rating.StageDone, rating.Satisfied, rating.Target{RegionPath: "/1/", DepartmentID: 3}, at)
		}
		if err := st.CreateRatings(ctx, rs); err != nil {
			t.Fatal(err)
		}
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }
		spans := []struct {
			from, to time.Time
			want     int
		}{
			{day(2026, 3, 9), day(2026, 3, 10), 1}, {day(2026, 3, 10), day(2026, 3, 11), 1},
			{day(2026, 3, 1), day(2026, 4, 1), 3}, {day(2026, 4, 1), day(2026, 5, 1), 1},
			{day(2026, 3, 31), day(2026, 4, 2), 2}, {day(2026, 2, 1), day(2026, 5, 1), 4},
			{day(2026, 12, 1), day(2027, 1, 1), 1}, {day(2027, 1, 1), day(2027, 2, 1), 1},
			{day(2026, 12, 31), day(2027, 1, 2), 2},
		}
		check := func(when string) {
			for _, sp := range spans {
				f := rating.FigureFilter{By: rating.ByDepartment, From: sp.from, To: sp.to}
				if n := countAll(t, st, f); n != sp.want {
					t.Errorf("%s, %s – %s: %d, want %d", when, sp.from.Format(time.DateOnly), sp.to.Format(time.DateOnly), n, sp.want)
				}
			}
		}
		check("before the fold")
		if n, err := st.FoldCounts(ctx, 100); err != nil || n != len(rs) {
			t.Fatalf("fold: %d %v", n, err)
		}
		check("after the fold")
	})
}

// TestRatingsFoldWaitsForInserts: a fold while an insert that took lower
// ids than one already committed is still open does not move its mark
// past them (which would leave them out of the figures for good).
func TestRatingsFoldWaitsForInserts(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		stores := b.Open(t, func() time.Time { return ratingDay })
		st := stores.Ratings
		ctx := context.Background()
		visit := func(key string) []*rating.Rating {
			r := newRating(key, 0, rating.StageDone, rating.Satisfied, rating.Target{RegionPath: "/1/", WindowID: 1}, ratingDay)
			r.Subject = rating.SubjectVisit
			return []*rating.Rating{r}
		}
		taken, release, slow := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		var once sync.Once
		go func() {
			slow <- stores.InTx(ctx, func(ctx context.Context) error {
				if err := st.CreateRatings(ctx, visit("slow")); err != nil {
					return err
				}
				once.Do(func() { close(taken) }) // on SQLite the function may run twice
				<-release
				return nil
			})
		}()
		<-taken
		// The later insert commits at once on PostgreSQL; on SQLite it
		// waits for the first (one writer). Then the fold runs, or waits.
		fast, folded := make(chan error, 1), make(chan error, 1)
		go func() { fast <- st.CreateRatings(ctx, visit("fast")) }()
		fastErr := waitUpTo(fast, 200*time.Millisecond)
		go func() {
			_, err := st.FoldCounts(ctx, 100)
			folded <- err
		}()
		foldErr := waitUpTo(folded, 200*time.Millisecond)
		close(release)
		for _, err := range []error{<-slow, fastErr(), foldErr()} {
			if err != nil {
				t.Fatal(err)
			}
		}
		f := rating.FigureFilter{By: rating.ByWindow, From: ratingDay.Add(-24 * time.Hour), To: ratingDay.Add(24 * time.Hour)}
		if n := countAll(t, st, f); n != 2 {
			t.Fatalf("counted %d of 2 ratings", n)
		}
		if _, err := st.FoldCounts(ctx, 100); err != nil {
			t.Fatal(err)
		}
		if n := countAll(t, st, f); n != 2 {
			t.Fatalf("after the last fold, counted %d of 2 ratings", n)
		}
	})
}

// waitUpTo waits up to d for c and returns how to read its value: at once
// if it came, or by waiting on.
func waitUpTo(c chan error, d time.Duration) func() error {
	select {
	case err := <-c:
		return func() error { return err }
	case <-time.After(d):
		return func() error { return <-c }
	}
}
