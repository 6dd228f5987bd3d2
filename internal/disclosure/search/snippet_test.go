package search

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// refSnippet is Snippet as first written, on rune slices: the byte-offset
// version must cut and mark exactly as it does.
func refSnippet(text string, terms []string, n int) []Span {
	text = strings.Join(strings.Fields(text), " ")
	rs := []rune(text)
	marks := markRunes(rs, terms)
	first := 0
	for i, m := range marks {
		if m {
			first = i
			break
		}
	}
	from := max(first-n/3, 0)
	to := min(from+n, len(rs))
	out := runeSpans(rs[from:to], marks[from:to])
	if from > 0 {
		out = append([]Span{{Text: "…"}}, out...)
	}
	if to < len(rs) {
		out = append(out, Span{Text: "…"})
	}
	return out
}

func TestSnippetMatchesRuneVersion(t *testing.T) {
	alphabet := []rune("预算公开政府信息 \n\t\u3000\u00a0\u2003\u0085ab。")
	word := func(rng *rand.Rand, max int) string {
		rs := make([]rune, rng.IntN(max))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(rs)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		text := word(rng, 80)
		terms := []string{strings.TrimSpace(word(rng, 4)), strings.TrimSpace(word(rng, 3))}
		n := 1 + rng.IntN(40)
		got, want := Snippet(text, terms, n), refSnippet(text, terms, n)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: Snippet(%q, %q, %d) =\n%v\nwant\n%v", i, text, terms, n, got, want)
		}
		if got, want := Highlight(text, terms), runeSpans([]rune(text), markRunes([]rune(Normalize(text)), terms)); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: Highlight(%q, %q) =\n%v\nwant\n%v", i, text, terms, got, want)
		}
	}
}

func TestSnippetOverlapsAndEnds(t *testing.T) {
	got := Snippet("  公开公开公  \n", []string{"公开公"}, 10)
	want := []Span{{Text: "公开公开公", Mark: true}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("overlapping occurrences: got %v, want %v", got, want)
	}
	if got := Snippet("", []string{"公开"}, 10); len(got) != 0 {
		t.Fatalf("empty text: got %v", got)
	}
	if got := Highlight("ＡＢ预算", []string{"ab"}); !reflect.DeepEqual(got, []Span{{Text: "ＡＢ", Mark: true}, {Text: "预算"}}) {
		t.Fatalf("full-width title: got %v", got)
	}
}

// TestCollapseSpaceMatchesFields compares collapseSpace with the plain
// strings.Join(strings.Fields(s), " ") on random bytes: spaces of every
// width, Chinese text, and cut or invalid UTF-8.
func TestCollapseSpaceMatchesFields(t *testing.T) {
	pieces := []string{" ", "  ", "\n", "\t", "\u3000", "\u00a0", "\u2003", "\u0085", "\u2028", "预", "算", "a", "\xe3", "\xe3\x80", "\xc2", "\x80", "\xff"}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 50000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("case %d: collapseSpace(%q) = %q, want %q", i, s, got, want)
		}
	}
}

func TestNormalizeLeavesPlainTextAsIs(t *testing.T) {
	for _, s := range []string{"关于2026年部门预算公开的说明", "国发〔2016〕8号", "", "a"} {
		if got := Normalize(s); got != s {
			t.Errorf("Normalize(%q) = %q, want it unchanged", s, got)
		}
	}
	for in, want := range map[string]string{"\xff预算": "\ufffd预算", "国发[2016]8号": "国发〔2016〕8号", "ＡＢ": "ab"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
