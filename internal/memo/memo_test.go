package memo

import (
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
		if v, err := c.Load(1, read); err != nil || v != "西湖区市场监督管理局" {
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
	c.Load(1, read)
	c.Forget(1)
	c.Load(1, read)
	if reads != 3 {
		t.Fatalf("reads after expiry and Forget: %d, want 3", reads)
	}
	if _, err := c.Load(2, func() (string, error) { return "", errors.New("gone") }); err == nil {
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
		c.Load(1, func() (string, error) { reads++; return "x", nil })
	}
	c.Forget(1)
	c.Clear()
	if reads != 2 {
		t.Fatalf("a nil cache read %d times for two loads", reads)
	}
}
