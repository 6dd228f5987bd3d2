package web_test

import (
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// TestBrowserInboxAndVerification: a citizen sees the unread count in the
// header, reads a message with the keyboard and mouse, then opens the
// certificate's public verification page.
func TestBrowserInboxAndVerification(t *testing.T) {
	ctx := testutil.Browser(t)
	a := apptest.New(t, "sqlite", apptest.Options{})
	me := a.Citizen(t, "citizen", "张三丰", 7, "", "")
	sendMessages(t, a, me.ID, 2)
	c := issueLicence(t, a, me.ID)
	do(t, ctx,
		chromedp.Navigate(a.URL("/login")),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), "citizen"),
		chromedp.SendKeys(chromedp.ID("f-password"), "secret123\n"),
		chromedp.WaitVisible(chromedp.CSS(`.inbox-link .badge`)),
	)
	if badge := text(t, ctx, chromedp.Text(chromedp.CSS(`.inbox-link .badge`))); !strings.HasPrefix(badge, "2") {
		t.Fatalf("badge %q", badge)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.inbox-link`)),
		chromedp.WaitVisible(chromedp.CSS(`.messages li.unread`)),
	)
	testutil.Screenshot(t, ctx, "inbox")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.messages li.unread button:not([name=open])`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if badge := text(t, ctx, chromedp.Text(chromedp.CSS(`.inbox-link .badge`))); !strings.HasPrefix(badge, "1") {
		t.Fatalf("badge after reading one: %q", badge)
	}
	do(t, ctx,
		chromedp.Navigate(a.URL("/verify/"+url.PathEscape(c.Number()))),
		chromedp.WaitVisible(chromedp.CSS(`.verdict-valid`)),
	)
	testutil.Screenshot(t, ctx, "certificate-verification")
	if v := text(t, ctx, chromedp.Text(chromedp.CSS(`.verdict strong`))); v != "有效" {
		t.Fatalf("verdict %q", v)
	}
	loaded := text(t, ctx, chromedp.Evaluate[string](`String(document.querySelector('.cert-qr img').naturalWidth)`))
	if loaded == "0" {
		t.Fatal("the QR code image did not load")
	}
}
