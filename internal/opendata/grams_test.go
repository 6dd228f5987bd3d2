package opendata

import (
	"slices"
	"testing"
)

func TestSearchGrams(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", nil}, {"统", nil}, {"统计", []string{"统计"}},
		{"统计统计表", []string{"统计", "计统", "计表"}}, // distinct, in order of first appearance
		{"ab c", []string{"ab", "b ", " c"}},
	} {
		if got := SearchGrams(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("SearchGrams(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestQueryGrams(t *testing.T) {
	for _, tc := range []struct {
		q     string
		grams int
		check bool
	}{
		{"流", 0, true}, {" 流量 ", 1, false}, {"MARKET", 5, true}, {"交通流量统计数据开放目录清单", maxQueryGrams, true},
	} {
		if got := QueryGrams(tc.q); len(got) != tc.grams {
			t.Errorf("QueryGrams(%q) = %q, want %d grams", tc.q, got, tc.grams)
		}
		if got := QueryNeedsCheck(tc.q); got != tc.check {
			t.Errorf("QueryNeedsCheck(%q) = %v", tc.q, got)
		}
	}
	if got := QueryGrams("MArket"); got[0] != "ma" {
		t.Errorf("a query is lower-cased as the search text is: %q", got)
	}
}
