package web_test

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/rating"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// TestBrowserRatingsReportLayout: the supervisor's 评价与投诉统计 shows its
// two figure tables as tables — caption, header, rows and totals one under
// the other, every cell under its column's header and none on top of
// another — for each dimension, at 1280 px in the normal and the
// large-text mode, and at 390 px, where each table scrolls inside its own
// wrapper instead of running off the page. (A rule for the supervision
// workbench's list of figures, `.figures { display: grid }`, once laid the
// tables' caption, head, body and foot out side by side.)
func TestBrowserRatingsReportLayout(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := testutil.Browser(t)
		at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: func() time.Time { return at }})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		rateAtA01(t, a)
		j := &journey{t: t, ctx: ctx, a: a}
		j.as("supervisor")
		j.nav("/staff/ratings/report")
		dims := []string{"window", "department", "staff", "item"}
		for _, by := range dims {
			j.reportBy(by)
			j.figureTablesReadable("1280 " + by)
		}
		testutil.Screenshot(t, ctx, "report-1280")
		j.follow(`button[value=large]`, chromedp.WaitVisible(chromedp.CSS(`html.large-text main table.figures`)))
		for _, by := range dims {
			j.reportBy(by)
			j.figureTablesReadable("large text " + by)
		}
		testutil.Screenshot(t, ctx, "report-large-text")
		do(t, ctx, chromedp.EmulateViewport(390, 844))
		for _, by := range dims {
			j.reportBy(by)
			j.figureTablesReadable("390 large text " + by)
		}
		testutil.Screenshot(t, ctx, "report-390-large-text")
		j.follow(`button[value=large]`, chromedp.WaitVisible(chromedp.CSS(`html:not(.large-text) main table.figures`)))
		j.reportBy("window")
		j.figureTablesReadable("390 window")
		testutil.Screenshot(t, ctx, "report-390")
	})
}

// rateAtA01 gives the report rows: ratings of every level on the counter
// tablet of window A01 and a complaint about the window.
func rateAtA01(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx := context.Background()
	a01 := a.Window(t, "A01")
	tok, _, err := a.Services.Ratings.StartCounter(ctx, demoActor(t, a, "clerk"), a01.ID)
	if err != nil {
		t.Fatal(err)
	}
	counter, err := a.Services.Ratings.CounterByToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range append(rating.Levels, rating.VerySatisfied, rating.Satisfied) {
		if _, err := a.Services.Ratings.RateCounter(ctx, counter, rating.Input{Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Services.Complaints.Submit(ctx, demoActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: a01.ID, Content: "窗口工作人员态度生硬，拒绝解释材料要求"}); err != nil {
		t.Fatal(err)
	}
}

// reportBy shows the report by a dimension through its form.
func (j *journey) reportBy(by string) {
	j.t.Helper()
	do(j.t, j.ctx, chromedp.SetValue(chromedp.ID("f-by"), by))
	j.follow(`form[action='/staff/ratings/report'] button[type=submit]`, chromedp.WaitVisible(chromedp.CSS(`main table.figures`)))
	if got := text(j.t, j.ctx, chromedp.Evaluate[string](`new URLSearchParams(location.search).get("by") || ""`)); got != by {
		j.t.Fatalf("the report shows by=%q, want %q", got, by)
	}
	if n := text(j.t, j.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll("main table.figures tbody tr td:not([colspan])").length > 0)`)); n != "true" {
		j.t.Fatalf("by %s: the report has no rows:\n%s", by, j.main())
	}
}

// figureTablesReadable fails the test, naming what it measured, unless
// both figure tables are laid out as tables: caption, head, body rows and
// foot one under the other, the cells of each row side by side without
// overlapping, under their column's header cell, and each cell wide enough
// for its text; and each table in a wrapper that scrolls sideways and ends
// within the viewport, so that the page itself never does, its caption in
// view however far the table is scrolled.
func (j *journey) figureTablesReadable(when string) {
	j.t.Helper()
	problems := text(j.t, j.ctx, chromedp.Evaluate[string](figureTablesJS))
	if problems != "" {
		testutil.Screenshot(j.t, j.ctx, "unreadable")
		j.t.Fatalf("%s: the figure tables are not readable tables:\n%s", when, problems)
	}
}

const figureTablesJS = `(() => {
  const bad = [], box = e => e.getBoundingClientRect(), px = n => Math.round(n);
  const tables = [...document.querySelectorAll("main table.figures")];
  if (tables.length !== 2) return "found " + tables.length + " figure tables, want 2";
  const vw = document.documentElement.clientWidth;
  tables.forEach((t, ti) => {
    const name = "table " + (ti + 1) + " (" + (t.caption ? t.caption.textContent.trim().slice(0, 12) : "no caption") + ")";
    if (getComputedStyle(t).display !== "table") bad.push(name + ": display is " + getComputedStyle(t).display);
    const parts = [t.caption, t.tHead, ...t.tBodies, t.tFoot].filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const a = box(parts[i - 1]), b = box(parts[i]);
      if (b.top < a.bottom - 1) bad.push(name + ": " + parts[i].tagName + " (top " + px(b.top) + ") is not below " + parts[i - 1].tagName + " (bottom " + px(a.bottom) + ")");
    }
    const rows = [...t.rows];
    for (let i = 1; i < rows.length; i++) {
      const a = box(rows[i - 1]), b = box(rows[i]);
      if (b.top < a.bottom - 1) bad.push(name + ": row " + (i + 1) + " overlaps the row above it");
    }
    const head = [...t.tHead.rows[0].cells].map(box);
    rows.forEach((r, ri) => {
      const cells = [...r.cells];
      cells.forEach((c, ci) => {
        const b = box(c);
        if (ci > 0 && b.left < box(cells[ci - 1]).right - 1) bad.push(name + ": row " + (ri + 1) + " cell " + (ci + 1) + " overlaps the cell before it");
        if (cells.length === head.length && (Math.abs(b.left - head[ci].left) > 1 || Math.abs(b.right - head[ci].right) > 1))
          bad.push(name + ": row " + (ri + 1) + " cell " + (ci + 1) + " [" + px(b.left) + "," + px(b.right) + "] is not under its header [" + px(head[ci].left) + "," + px(head[ci].right) + "]");
        if (c.scrollWidth > c.clientWidth + 1) bad.push(name + ": row " + (ri + 1) + " cell " + (ci + 1) + " is narrower than its text");
      });
    });
    const w = t.parentElement, ox = getComputedStyle(w).overflowX;
    if (ox !== "auto" && ox !== "scroll") bad.push(name + ": its wrapper " + w.tagName + "." + w.className + " does not scroll sideways (overflow-x " + ox + ")");
    if (box(w).right > vw + 1) bad.push(name + ": its wrapper ends at " + px(box(w).right) + ", past the viewport's " + vw);
    if (box(t).width > box(w).width + 1 && w.scrollWidth <= w.clientWidth) bad.push(name + ": wider than its wrapper, which does not scroll");
    for (const x of [w.scrollWidth, 0]) {
      w.scrollLeft = x;
      const c = box(t.caption), wb = box(w);
      if (c.left < wb.left - 1 || c.right > Math.min(wb.right, vw) + 1)
        bad.push(name + ": with the table scrolled to " + w.scrollLeft + " its caption [" + px(c.left) + "," + px(c.right) + "] is not in view [" + px(wb.left) + "," + px(Math.min(wb.right, vw)) + "]");
    }
  });
  if (document.documentElement.scrollWidth > vw + 1) bad.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + vw + " px viewport");
  return bad.slice(0, 12).join("\n");
})()`
