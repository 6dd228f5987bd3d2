package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"openhall/internal/apperr"
)

// TestBatchPlaces places materials through a batch: each is readable at
// its address after Sync, content that does not match its address is
// refused and leaves nothing behind, and placing a file twice is harmless.
func TestBatchPlaces(t *testing.T) {
	ctx := context.Background()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b := s.Batch()
	contents := [][]byte{[]byte("%PDF-1.4 first"), []byte("%PDF-1.4 second"), []byte("%PDF-1.4 first")}
	for _, c := range contents {
		sum := sha256.Sum256(c)
		if err := b.Place(ctx, hex.EncodeToString(sum[:]), bytes.NewReader(c)); err != nil {
			t.Fatal(err)
		}
	}
	bad := strings.Repeat("ab", 32)
	if err := b.Place(ctx, bad, strings.NewReader("other content")); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("content that does not match its address: %v", err)
	}
	if err := b.Sync(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Exists(bad); ok {
		t.Fatal("refused content was stored")
	}
	for _, c := range contents {
		sum := sha256.Sum256(c)
		rc, _, err := s.Open(hex.EncodeToString(sum[:]))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, c) {
			t.Fatalf("read %q, placed %q", got, c)
		}
	}
}
