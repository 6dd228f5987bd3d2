package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"openhall/internal/demo"

	"github.com/PuerkitoBio/goquery"
)

// TestWithdrawPenaltyFromItsPage: the department that published a 行政处罚
// decision withdraws it from the decision's page, as 双公示 requires when
// the decision is changed or revoked; without a reason it is told so and
// nothing changes.
func TestWithdrawPenaltyFromItsPage(t *testing.T) {
	a, _ := demoAt(t, time.Date(2026, 6, 17, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	b := newBrowser(t, a)
	b.login("depthead", demo.Password)
	entry, action := "", ""
	for _, href := range b.get("/publicity").doc.Find(`a[href^="/publicity/entries/"]`).Map(func(_ int, l *goquery.Selection) string { return l.AttrOr("href", "") }) {
		if act, ok := b.get(href).doc.Find(`form[action$="/withdraw"]`).Attr("action"); ok {
			entry, action = href, act
			break
		}
	}
	if entry == "" {
		t.Fatal("no penalty on the register that depthead may withdraw")
	}
	p := b.post(entry, action, url.Values{"reason": {" "}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("withdraw without a reason: %d %s", p.status, crawlSays(p))
	}
	if got := b.get(entry); !strings.Contains(got.doc.Find(".flash").Text(), "请填写理由") || got.doc.Find(".notice-repealed").Length() != 0 {
		t.Fatalf("after a withdrawal without a reason: flash %q, notice %q", got.doc.Find(".flash").Text(), got.doc.Find(".notice-repealed").Text())
	}
	if p := b.post(entry, action, url.Values{"reason": {"复议决定撤销原处罚决定"}}); p.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", p.status, crawlSays(p))
	}
	got := b.get(entry)
	if notice := got.doc.Find(".notice-repealed").Text(); !strings.Contains(notice, "撤回") || !strings.Contains(notice, "复议决定撤销原处罚决定") {
		t.Fatalf("the withdrawn decision's page says %q", notice)
	}
	if got.doc.Find(`form[action$="/withdraw"]`).Length() != 0 {
		t.Fatal("a withdrawn decision still offers to withdraw it")
	}
}
