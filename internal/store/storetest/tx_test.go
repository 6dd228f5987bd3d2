package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/store"
)

func TestInTx(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		ctx := context.Background()

		t.Run("CommitsOnSuccess", func(t *testing.T) {
			if err := s.InTx(ctx, func(ctx context.Context) error {
				return s.Settings.PutSetting(ctx, "a", "1")
			}); err != nil {
				t.Fatal(err)
			}
			mustSetting(t, s, "a", "1")
		})

		t.Run("RollsBackOnError", func(t *testing.T) {
			boom := errors.New("boom")
			err := s.InTx(ctx, func(ctx context.Context) error {
				if err := s.Settings.PutSetting(ctx, "b", "1"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want boom", err)
			}
			if _, err := s.Settings.Setting(ctx, "b"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("rolled-back write is visible: %v", err)
			}
		})

		t.Run("NestedJoinsOuter", func(t *testing.T) {
			err := s.InTx(ctx, func(ctx context.Context) error {
				if err := s.InTx(ctx, func(ctx context.Context) error { return s.Settings.PutSetting(ctx, "c", "1") }); err != nil {
					return err
				}
				return errors.New("outer fails")
			})
			if err == nil {
				t.Fatal("want error")
			}
			if _, err := s.Settings.Setting(ctx, "c"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("inner write survived the outer rollback: %v", err)
			}
		})

		t.Run("ConcurrentCallersAreIsolated", func(t *testing.T) {
			concurrentIsolation(t, s)
		})
	})
}

// concurrentIsolation runs many transactions at once, every third failing:
// exactly the successful ones must persist, even when the backend groups
// several callers into one database transaction.
func concurrentIsolation(t *testing.T, s *store.Stores) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 90)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InTx(ctx, func(ctx context.Context) error {
				if err := s.Settings.PutSetting(ctx, fmt.Sprintf("k%d", i), "v"); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("caller %d fails", i)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		_, getErr := s.Settings.Setting(ctx, fmt.Sprintf("k%d", i))
		if i%3 == 0 && (err == nil || getErr == nil) {
			t.Fatalf("caller %d: err=%v, row present=%v; want failure and no row", i, err, getErr == nil)
		}
		if i%3 != 0 && (err != nil || getErr != nil) {
			t.Fatalf("caller %d: err=%v, read=%v; want success and a row", i, err, getErr)
		}
	}
}

func mustSetting(t *testing.T, s *store.Stores, key, want string) {
	t.Helper()
	got, err := s.Settings.Setting(context.Background(), key)
	if err != nil || got != want {
		t.Fatalf("setting %s = %q, %v; want %q", key, got, err, want)
	}
}

func TestSettings(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		ctx := context.Background()
		if _, err := s.Settings.Setting(ctx, "x"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unset: %v", err)
		}
		v, err := s.Settings.PutSettingIfAbsent(ctx, "x", "first")
		if err != nil || v != "first" {
			t.Fatalf("first put: %q %v", v, err)
		}
		v, err = s.Settings.PutSettingIfAbsent(ctx, "x", "second")
		if err != nil || v != "first" {
			t.Fatalf("second put-if-absent = %q %v, want the first value kept", v, err)
		}
		if err := s.Settings.PutSetting(ctx, "x", "third"); err != nil {
			t.Fatal(err)
		}
		mustSetting(t, s, "x", "third")
	})
}

func TestSchemaStatus(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		st, err := s.SchemaStatus(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !st.UpToDate() || st.Current == 0 {
			t.Fatalf("fresh migrated database: %+v (%s)", st, st.Describe())
		}
		applied, err := s.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v; want nothing", applied, err)
		}
	})
}

// TestPutSettingIfAbsentConcurrent: nodes starting together on an empty
// database each put their own random key; every one of them must get the
// one value that was kept, never an error.
func TestPutSettingIfAbsentConcurrent(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		ctx := context.Background()
		for round := range 40 {
			key := fmt.Sprintf("secret.r%d", round)
			got := make([]string, 6)
			errs := make([]error, len(got))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					<-start
					got[i], errs[i] = s.Settings.PutSettingIfAbsent(ctx, key, fmt.Sprintf("v%d", i))
				})
			}
			close(start)
			wg.Wait()
			for i := range got {
				if errs[i] != nil || got[i] == "" || got[i] != got[0] {
					t.Fatalf("round %d caller %d: %q, %v; want the value all callers share (%q)", round, i, got[i], errs[i], got[0])
				}
			}
		}
	})
}

// TestTextThatCannotBeStored: a NUL character or broken UTF-8 typed into a
// search box or a login form is the caller's mistake (PostgreSQL cannot
// hold either), not an internal error.
func TestTextThatCannotBeStored(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		for _, key := range []string{"a\x00b", "a\xffb"} {
			_, err := s.Settings.Setting(context.Background(), key)
			if !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Invalid) {
				t.Errorf("setting %q: %v; want not found or invalid", key, err)
			}
		}
	})
}
