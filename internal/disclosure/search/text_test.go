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

func TestAnalyze(t *testing.T) {
	cases := []struct {
		term         string
		quoted       bool
		need, extra  []string
		exact, loose bool
	}{
		{"税", false, []string{"税"}, nil, true, false},
		{"预算", false, []string{"预算"}, nil, true, false},
		{"食品经营", false, []string{"食品", "经营"}, []string{"品经"}, false, true},
		{"个人所得税", false, []string{"个人", "所得", "得税"}, []string{"人所"}, false, true},
		{"食品经营", true, []string{"食品", "品经", "经营"}, nil, false, false},
		{"国办发〔2017〕47号", false, []string{"国办", "办发", "发〔", "〔2", "20", "01", "17", "7〕", "〕4", "47", "7号"}, nil, false, false},
		{"gb/t", false, []string{"gb", "t"}, nil, false, false},
	}
	for _, c := range cases {
		got := analyze(parsedTerm{text: c.term, quoted: c.quoted})
		if !slices.Equal(got.need, c.need) || !slices.Equal(got.extra, c.extra) || got.exact != c.exact || got.loose != c.loose {
			t.Errorf("analyze(%q, quoted %v) = need %v extra %v exact %v loose %v", c.term, c.quoted, got.need, got.extra, got.exact, got.loose)
		}
	}
}

// TestBands: a title hit outweighs any number of body mentions, a short
// text outweighs a long one with the same count, and a repealed item sinks
// two bands.
func TestBands(t *testing.T) {
	lens := [numFields]int{15, 0, 40, 300}
	title := bandOf(impact([numFields]int{1, 0, 0, 0}, lens, 1))
	body := bandOf(impact([numFields]int{0, 0, 0, 30}, lens, 1))
	longBody := bandOf(impact([numFields]int{0, 0, 0, 30}, [numFields]int{15, 0, 40, 200000}, 1))
	repealed := bandOf(impact([numFields]int{1, 0, 0, 0}, lens, validityFactor("repealed")))
	if title <= body || body <= longBody || title-repealed != 2 {
		t.Fatalf("bands: title %d, body ×30 %d, long body ×30 %d, repealed title %d", title, body, longBody, repealed)
	}
	if b := bandOf(impact([numFields]int{3, 2, 3, 100}, [numFields]int{10, 12, 20, 100}, 1)); b != bands-1 && bandValue(b) < 20 {
		t.Fatalf("the strongest item is in band %d", b)
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
