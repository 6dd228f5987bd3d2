package sqlcommon

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	body := strings.Repeat("甲", 100) + "预算" + strings.Repeat("乙", 300)
	cases := []struct {
		name, piece, needle string
		runes               int
		want                string
	}{
		{"needle deep: 40 characters before it", body, "预算", 50, strings.Repeat("甲", 40) + "预算" + strings.Repeat("乙", 8)},
		{"needle near the start", "甲甲预算乙", "预算", 4, "甲甲预算"},
		{"no needle: the start", "甲乙丙丁", "预算", 2, "甲乙"},
		{"cut in the middle of a character at both ends", "\x99\x99甲预算乙\xe4\xb9", "预算", 10, "甲预算乙"},
		{"shorter than asked", "甲预算", "预算", 10, "甲预算"},
	}
	for _, c := range cases {
		if got := Excerpt(c.piece, c.needle, c.runes); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestExcerptOfBytes(t *testing.T) {
	body := strings.Repeat("甲", 100) + "预算" + strings.Repeat("乙", 300)
	for _, runes := range []int{1, 7, 50, 500} {
		if got, want := Excerpt([]byte(body), "预算", runes), Excerpt(body, "预算", runes); got != want {
			t.Errorf("%d characters: bytes give %q, the string %q", runes, got, want)
		}
	}
}
