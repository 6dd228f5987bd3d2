package storetest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestUploadGrants: a file's digest is granted to the account that uploaded
// it and to no other; granting it again changes nothing.
func TestUploadGrants(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		ctx := context.Background()
		a, other := strings.Repeat("a", 64), strings.Repeat("b", 64)
		at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		for range 2 {
			err := s.InTx(ctx, func(ctx context.Context) error { return s.Cases.GrantUpload(ctx, 7, a, at) })
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			user int64
			sum  string
			want bool
		}{{7, a, true}, {8, a, false}, {7, other, false}} {
			if got, err := s.Cases.HasUpload(ctx, tt.user, tt.sum); err != nil || got != tt.want {
				t.Errorf("user %d, file %.4s…: %v %v, want %v", tt.user, tt.sum, got, err, tt.want)
			}
		}
	})
}
