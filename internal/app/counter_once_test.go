package app_test

import (
	"context"
	"sync"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/rating"
)

// TestCounterRatingSentAgain: a tablet that lost its connection before the
// answer sends its rating again under the key it drew; the rating is
// stored once, whether the repeat comes later or in the same batch, and a
// bad one opens one ticket. Other tablets' ratings in the batch are kept.
// A malformed key is refused, naming the field.
func TestCounterRatingSentAgain(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		counter := a01Tablet(t, a)
		const bad = "0123456789abcdef0123456789abcdef"
		if err := a.Services.Ratings.RateCounterOnce(ctx, counter, bad, rating.Input{Level: rating.VeryDissatisfied}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if i%2 == 0 { // the repeats, racing fresh ratings into the same batches
					err = a.Services.Ratings.RateCounterOnce(ctx, counter, bad, rating.Input{Level: rating.VeryDissatisfied})
				} else {
					err = a.Services.Ratings.RateCounterOnce(ctx, counter, keyOf(i), rating.Input{Level: rating.Satisfied})
				}
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		_, n, err := a.Stores.Ratings.FindRatings(ctx, rating.Filter{Limit: 1})
		if err != nil || n != 11 {
			t.Fatalf("%d ratings stored (%v), want 11: the first and ten fresh ones", n, err)
		}
		tk, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "xhadmin"), true)
		if err != nil || len(tk) != 1 {
			t.Fatalf("%d tickets (%v), want 1 for the one bad rating", len(tk), err)
		}
		for _, k := range []string{"", "0123", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdeg"} {
			err := a.Services.Ratings.RateCounterOnce(ctx, counter, k, rating.Input{Level: rating.Satisfied})
			if !apperr.Is(err, apperr.Invalid) || apperr.FieldsOf(err)["key"] == "" {
				t.Errorf("key %q: %v, want an error on key", k, err)
			}
		}
	})
}

func keyOf(i int) string {
	const hex = "0123456789abcdef"
	k := []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	k[0], k[1] = hex[i/16%16], hex[i%16]
	return string(k)
}

// TestCounterReplacedAtOnce: a tablet started at a window replaces the one
// running there, which takes no rating from that moment on this node (it
// was still taken, for the clerk before, until its cached entry expired).
func TestCounterReplacedAtOnce(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		tok, _, err := a.Services.Ratings.StartCounter(ctx, actor(t, a, "clerk"), demoWindow(t, a, "A01").ID)
		if err != nil {
			t.Fatal(err)
		}
		old, err := a.Services.Ratings.CounterByToken(ctx, tok) // cached from now on
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Ratings.RateCounter(ctx, old, rating.Input{Level: rating.Satisfied}); err != nil {
			t.Fatal(err)
		}
		a01Tablet(t, a) // the clerk starts the window's tablet again, on another device
		if _, err := a.Services.Ratings.CounterByToken(ctx, tok); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the replaced tablet is still found: %v", err)
		}
	})
}
