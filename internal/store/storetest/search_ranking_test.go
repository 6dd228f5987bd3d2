package storetest

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/disclosure/search"
)

// rankingSet is the ranking test set: everyday questions a citizen types,
// over the laws corpus, each with the law a citizen would expect among the
// first three results (by a part of its title).
var rankingSet = []struct {
	query, want string
}{
	{"信息公开", "政府信息公开条例"},
	{"个人所得税", "个人所得税法"},
	{"食品安全", "食品安全法"},
	{"劳动合同", "劳动合同法"},
	{"消费者 权益", "消费者权益保护法"},
	{"交通安全", "道路交通安全法"},
	{"治安 处罚", "治安管理处罚法"},
	{"行政复议", "行政复议法"},
	{"结婚 登记", "婚姻登记条例"},
	{"著作权", "著作权法"},
	{"环境保护", "环境保护法"},
	{"护照", "护照法"},
	{"土地", "土地管理法"},
	{"义务教育", "义务教育法"},
	{"食品经营", "食品安全法"},
	{"工伤", "工伤保险条例"},
}

// TestSearchRanking indexes the whole laws corpus and checks that every
// query of the ranking set has its expected law in the first three, on
// both backends; it logs how many were first.
func TestSearchRanking(t *testing.T) {
	laws := lawDocs(t, 5000)
	ForEach(t, func(t *testing.T, b Backend) {
		eng := search.NewEngine(b.Open(t, nil).Search)
		indexSearchDocs(t, eng, laws)
		first, top3 := 0, 0
		for _, c := range rankingSet {
			r, err := eng.Search(context.Background(), search.Query{Text: c.query, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			found := -1
			for i, h := range r.Hits {
				title := spansText(h.Title)
				titles = append(titles, title)
				if found < 0 && strings.Contains(title, c.want) {
					found = i
				}
			}
			switch {
			case found == 0:
				first++
				top3++
			case found > 0:
				top3++
			default:
				t.Errorf("%q: %q not in the first three: %q", c.query, c.want, titles)
			}
		}
		t.Logf("ranking set over %d laws: %d of %d first, %d of %d in the first three", len(laws), first, len(rankingSet), top3, len(rankingSet))
	})
}

func spansText(ss []search.Span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Text)
	}
	return b.String()
}
