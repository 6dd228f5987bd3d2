package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/demo"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// TestBrowserRatingsTablesNarrow: on a 390 px phone, in the normal and the
// large-text mode, the lists of 好差评 and complaints — the desk's
// complaints and bad-review tickets, a citizen's ratings and complaints —
// fit the screen, each cell wide enough to read and labelled with its
// column once the table stacks into cards. (The complaint list was 501 px
// wide, 655 px in large text, its 状态, 时限 and 预警 off the screen; a
// citizen's 评价对象 was one character wide.)
func TestBrowserRatingsTablesNarrow(t *testing.T) {
	a := ratingsApp(t)
	rateAtA01(t, a) // tickets and a complaint of the citizen's
	citizen := newBrowser(t, a)
	citizen.login("citizen", demo.Password)
	casePath := caseLink(t, citizen)
	if p := citizen.post(casePath, casePath+"/rating", url.Values{"level": {"5"}, "comment": {"态度差，材料要求说不清楚"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	ctx := testutil.Browser(t)
	j := &journey{t: t, ctx: ctx, a: a}
	views := map[string][]string{"supervisor": {"/staff/complaints", "/staff/ratings"}, "citizen": {"/ratings", "/complaints", "/cases"}}
	for _, large := range []bool{false, true} {
		for _, who := range []string{"supervisor", "citizen"} {
			do(t, ctx, chromedp.EmulateViewport(1280, 900))
			j.as(who)
			if on := text(t, ctx, chromedp.Evaluate[string](`String(document.documentElement.classList.contains("large-text"))`)) == "true"; on != large {
				j.follow(`button[value=large]`, chromedp.WaitVisible(chromedp.CSS(`main`)))
			}
			do(t, ctx, chromedp.EmulateViewport(390, 844))
			for _, path := range views[who] {
				do(t, ctx, chromedp.Navigate(a.URL(path)), chromedp.WaitVisible(chromedp.CSS(`main table tbody td`)))
				mode := "normal"
				if large {
					mode = "large text"
				}
				shot := "390-" + strings.ReplaceAll(mode, " ", "-") + strings.ReplaceAll(path, "/", "-")
				testutil.Screenshot(t, ctx, shot)
				if problems := text(t, ctx, chromedp.Evaluate[string](narrowTableJS)); problems != "" {
					t.Errorf("%s at 390 px, %s mode (screenshot %s):\n%s", path, mode, shot, problems)
				}
			}
		}
	}
}

// narrowTableJS lists what makes the page's table unreadable on a narrow
// screen: the table or the page wider than the screen, a caption narrower
// than the table, a cell narrower than six characters or than its text, a
// stacked cell without its column's label.
const narrowTableJS = `(() => {
  const bad = [], vw = document.documentElement.clientWidth, px = Math.round;
  const em = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const t = document.querySelector("main table");
  if (!document.documentElement.classList.contains("large-text") !== (em < 20)) bad.push("root font size " + em + " px does not match the mode");
  const tb = t.getBoundingClientRect();
  if (tb.right > vw + 1) bad.push("the table is " + px(tb.width) + " px wide, ending at " + px(tb.right) + " in a " + vw + " px viewport");
  if (t.caption && t.caption.getBoundingClientRect().width < Math.min(tb.width, 12 * em) - 1) bad.push("the caption is " + px(t.caption.getBoundingClientRect().width) + " px wide, under the table's " + px(tb.width));
  [...t.querySelectorAll("tbody td")].forEach((c, i) => {
    const name = "cell " + (c.dataset.label || i + 1) + " (" + c.textContent.trim().slice(0, 10) + ")", w = c.getBoundingClientRect().width;
    if (c.textContent.trim() && w < 6 * em) bad.push(name + " is " + px(w) + " px wide, under six characters");
    if (c.scrollWidth > c.clientWidth + 1) bad.push(name + " is narrower than its text");
    if (getComputedStyle(c).display === "block" && c.colSpan === 1 && !c.dataset.label) bad.push(name + " is stacked without its column's label");
  });
  if (document.documentElement.scrollWidth > vw + 1) bad.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + vw + " px viewport");
  return bad.slice(0, 12).join("\n");
})()`
