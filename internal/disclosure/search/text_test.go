package search

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"国办发[2017]47号": "国办发〔2017〕47号",
		"国办发（2017）47号": "国办发〔2017〕47号",
		"国办发【2017】47号": "国办发〔2017〕47号",
		"ＧＢ／Ｔ　３８６６４":   "gb/t 38664",
		"第(一)项":        "第(一)项", // not a year: left alone
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if len([]rune(Normalize(in))) != len([]rune(in)) {
			t.Errorf("Normalize(%q) changed the rune count", in)
		}
	}
}

func TestGrams(t *testing.T) {
	got := Grams("公开，预算")
	want := []string{"公", "开", "公开", "预", "算", "预算"}
	if !slices.Equal(got, want) {
		t.Fatalf("Grams = %v, want %v (no gram across the comma)", got, want)
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"税", []string{"税"}},
		{"  公开   预算 公开 ", []string{"公开", "预算"}},
		{`“政府 信息”  公开`, []string{"政府 信息", "公开"}},
		{"，。！？……", nil},
		{"国办发[2017]47号", []string{"国办发〔2017〕47号"}},
	}
	for _, c := range cases {
		if got := ParseQuery(c.in); !slices.Equal(got, c.want) {
			t.Errorf("ParseQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	start := time.Now()
	long := ParseQuery(strings.Repeat("政务 公开。", 2000))
	if len(long) > maxTerms || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("10,000-character query: %d terms in %s", len(long), time.Since(start))
	}
}

func TestTermGrams(t *testing.T) {
	cases := []struct {
		term  string
		grams []string
		exact bool
	}{
		{"税", []string{"税"}, true},
		{"预算", []string{"预算"}, true},
		{"政府信息", []string{"政府", "府信", "信息"}, false},
		{"2017", []string{"20", "01", "17"}, false},
		{"国办发〔2017〕47号", []string{"国办", "办发", "7〕", "〕4", "7号"}, false},
	}
	for _, c := range cases {
		grams, exact := termGrams(c.term)
		if !slices.Equal(grams, c.grams) || exact != c.exact {
			t.Errorf("termGrams(%q) = %v %v, want %v %v", c.term, grams, exact, c.grams, c.exact)
		}
	}
}

func TestHighlight(t *testing.T) {
	spans := Highlight("国办发[2017]47号通知", []string{"国办发〔2017〕47号"})
	if len(spans) != 2 || !spans[0].Mark || spans[0].Text != "国办发[2017]47号" || spans[1].Text != "通知" {
		t.Fatalf("the match is marked in the text as written: %+v", spans)
	}
	snip := Snippet(strings.Repeat("无关内容。", 50)+"预算公开"+strings.Repeat("其他。", 50), []string{"预算"}, 40)
	if snip[0].Text != "…" || !slices.ContainsFunc(snip, func(s Span) bool { return s.Mark && s.Text == "预算" }) {
		t.Fatalf("snippet around the first match: %+v", snip)
	}
}
