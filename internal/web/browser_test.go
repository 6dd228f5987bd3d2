package web_test

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminFlow drives the UI in headless Chromium with the keyboard
// and mouse a user has: login, navigation by role, a failed form showing its
// field errors, then creating and editing a service centre.
func TestBrowserAdminFlow(t *testing.T) {
	ctx := testutil.Browser(t)
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	shot := func(name string) { testutil.Screenshot(t, ctx, name) }

	do(t, ctx,
		chromedp.Navigate(a.URL("/login")),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), "root"),
		chromedp.SendKeys(chromedp.ID("f-password"), "wrong-password1"),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.form-error`)),
	)
	shot("login-failed")
	do(t, ctx,
		chromedp.Clear(chromedp.ID("f-password")),
		chromedp.SendKeys(chromedp.ID("f-password"), "secret123\n"),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	shot("staff-home")
	nav := text(t, ctx, chromedp.Text(chromedp.CSS(`.main-nav`)))
	for _, want := range []string{"工作台", "服务中心", "账号与角色", "审计日志"} {
		if !strings.Contains(nav, want) {
			t.Fatalf("admin navigation %q lacks %q", nav, want)
		}
	}
	do(t, ctx,
		chromedp.Navigate(a.URL("/admin/centres/new")),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		chromedp.SetValue(chromedp.ID("f-region_id"), idStr(a.Tree.Village.ID)),
		chromedp.SetValue(chromedp.ID("f-kind"), "gov_service_centre"),
		chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.ID("form-error")),
	)
	shot("centre-form-errors")
	if errText := text(t, ctx, chromedp.Text(chromedp.ID("form-error"))); !strings.Contains(errText, "请填写中心名称") || !strings.Contains(errText, "政务服务中心不能设在") {
		t.Fatalf("error summary: %q", errText)
	}
	if focused := text(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "form-error" {
		t.Errorf("focus after a failed submit is on %q, want the error summary", focused)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-kind"), "proxy_point"),
		chromedp.SendKeys(chromedp.ID("f-name"), "测试代办点"),
		chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if flash := text(t, ctx, chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(flash, "测试代办点") {
		t.Fatalf("after create: %q", flash)
	}
	do(t, ctx,
		chromedp.Click(`//tr[td[text()="测试代办点"]]//a[text()="编辑"]`),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		chromedp.Clear(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "兰里村代办点"),
		chromedp.SetValue(chromedp.ID("f-kind"), "convenience_station"),
		chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	shot("centre-edited")
	if table := text(t, ctx, chromedp.Text(chromedp.CSS(`table`))); !strings.Contains(table, "兰里村代办点") || !strings.Contains(table, "便民服务站") {
		t.Fatalf("centres after edit: %q", table)
	}
}

// TestBrowserLargeText checks the large-text and high-contrast switches.
func TestBrowserLargeText(t *testing.T) {
	ctx := testutil.Browser(t)
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	do(t, ctx,
		chromedp.Navigate(a.URL("/")),
		chromedp.WaitVisible(chromedp.CSS(`button[value=large]`)),
		chromedp.Click(chromedp.CSS(`button[value=large]`)),
		chromedp.WaitVisible(chromedp.CSS(`html.large-text`)),
		chromedp.Click(chromedp.CSS(`button[value=contrast]`)),
		chromedp.WaitVisible(chromedp.CSS(`html.high-contrast`)),
	)
	testutil.Screenshot(t, ctx, "large-contrast")
	if size := text(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).fontSize`)); size != "21px" {
		t.Fatalf("root font size in large-text mode: %s", size)
	}
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, a chromedp.Action[string]) string {
	t.Helper()
	s, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
