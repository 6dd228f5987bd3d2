package memo

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	c := New[int, string](5*time.Second, 2, func() time.Time { return now })
	reads := 0
	read := func() (string, error) { reads++; return "西湖区市场监督管理局", nil }
	for range 3 {
		if v, err := c.Load(context.Background(), 1, read); err != nil || v != "西湖区市场监督管理局" {
			t.Fatalf("load: %q %v", v, err)
		}
	}
	if reads != 1 {
		t.Fatalf("read %d times within its life, want once", reads)
	}
	now = now.Add(5 * time.Second)
	if _, ok := c.Get(1); ok {
		t.Fatal("a value outlived its life")
	}
	c.Load(context.Background(), 1, read)
	c.Forget(1)
	c.Load(context.Background(), 1, read)
	if reads != 3 {
		t.Fatalf("reads after expiry and Forget: %d, want 3", reads)
	}
	if _, err := c.Load(context.Background(), 2, func() (string, error) { return "", errors.New("gone") }); err == nil {
		t.Fatal("a failed read gave no error")
	}
	if _, ok := c.Get(2); ok {
		t.Fatal("a failed read was kept")
	}
	c.Put(2, "b")
	c.Put(3, "c") // full: emptied first
	if _, ok := c.Get(1); ok {
		t.Fatal("a full cache kept its values")
	}
	if v, ok := c.Get(3); !ok || v != "c" {
		t.Fatalf("the value put into a full cache: %q %v", v, ok)
	}
	c.Clear()
	if _, ok := c.Get(3); ok {
		t.Fatal("Clear kept a value")
	}
}

func TestNilCache(t *testing.T) {
	var c *Cache[int, string]
	reads := 0
	for range 2 {
		c.Load(context.Background(), 1, func() (string, error) { reads++; return "x", nil })
	}
	c.Forget(1)
	c.Clear()
	if reads != 2 {
		t.Fatalf("a nil cache read %d times for two loads", reads)
	}
}

// TestHeld: a value read inside a transaction is kept only once the
// transaction commits, and never when it is rolled back.
func TestHeld(t *testing.T) {
	c := New[int, string](time.Minute, 8, nil)
	ctx, h := Hold(context.Background())
	c.Load(ctx, 1, func() (string, error) { return "新设部门", nil })
	c.Keep(ctx, 2, "新设中心")
	if _, ok := c.Get(1); ok {
		t.Fatal("a value read inside a transaction was kept before it committed")
	}
	h.Release()
	if v, ok := c.Get(1); !ok || v != "新设部门" {
		t.Fatalf("after commit: %q %v", v, ok)
	}
	if _, ok := c.Get(2); !ok {
		t.Fatal("Keep inside a transaction was lost at commit")
	}
	ctx, _ = Hold(context.Background()) // rolled back: never released
	c.Load(ctx, 3, func() (string, error) { return "回滚的部门", nil })
	if _, ok := c.Get(3); ok {
		t.Fatal("a value read inside a rolled-back transaction was kept")
	}
	c.Keep(context.Background(), 4, "x")
	if _, ok := c.Get(4); !ok {
		t.Fatal("Keep outside a transaction kept nothing")
	}
	var none *Held
	none.Release()
}
