package search

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("甲", 100) + "预算" + strings.Repeat("乙", 300)
	cases := []struct {
		name, body, needle string
		runes              int
		want               string
	}{
		{"needle deep: 40 characters before it", long, "预算", 50, strings.Repeat("甲", 40) + "预算" + strings.Repeat("乙", 8)},
		{"needle near the start", "甲甲预算乙", "预算", 4, "甲甲预算"},
		{"no needle: the start", "甲乙丙丁", "预算", 2, "甲乙"},
		{"shorter than asked", "甲预算", "预算", 10, "甲预算"},
		{"ASCII and Chinese mixed", "ab预算cd", "cd", 3, "ab预"},
	}
	for _, c := range cases {
		if got := excerpt(c.body, c.needle, c.runes); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestBodySkipsTitleAndNumber(t *testing.T) {
	for text, want := range map[string]string{
		"标题\n文号\n摘要\n正文": "摘要\n正文",
		"标题\n文号\n":       "",
		"标题\n文号":         "",
		"标题":             "",
	} {
		if got := body(text); got != want {
			t.Errorf("body(%q) = %q, want %q", text, got, want)
		}
	}
}
