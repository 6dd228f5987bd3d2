package testutil

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
)

var smokePage = template.Must(template.New("").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>冒烟测试</title></head>
<body>
<h1>OpenHall 浏览器冒烟测试</h1>
{{if .Result}}<p id="result">{{.Result}}</p><p id="lang">{{.Lang}}</p>{{else}}
<form method="post" action="/greet">
  <label for="name">姓名</label>
  <input id="name" name="name" type="text">
  <button id="submit" type="submit">提交</button>
</form>{{end}}
</body></html>`))

// TestSmokeBrowser drives a real browser through a form: the proof that
// Chromium starts, fills, clicks, follows a POST and reports the page's text.
func TestSmokeBrowser(t *testing.T) {
	ctx := Browser(t)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		data := map[string]string{}
		if r.Method == http.MethodPost {
			data["Result"] = "你好，" + r.FormValue("name") + "！"
			data["Lang"] = r.Header.Get("Accept-Language")
		}
		if err := smokePage.Execute(w, data); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "张三"),
	); err != nil {
		t.Fatalf("filling the form: %v", err)
	}
	Screenshot(t, ctx, "form")

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("result")),
	); err != nil {
		t.Fatalf("submitting the form: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("result")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "你好，张三！"; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}
	lang, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("lang")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(lang, "zh-CN") {
		t.Errorf("Accept-Language = %q, want it to start with zh-CN", lang)
	}
	navLang, err := chromedp.Run(ctx, chromedp.Evaluate[string]("navigator.language"))
	if err != nil {
		t.Fatal(err)
	}
	if navLang != "zh-CN" {
		t.Errorf("navigator.language = %q, want zh-CN", navLang)
	}
	Screenshot(t, ctx, "result")
}

func TestSanitizeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"TestX-form":             "TestX-form",
		"TestX/sub_case-a b":     "TestX_sub_case-a_b",
		"TestX/中文名-shot":         "TestX_-shot",
		"../../etc/passwd":       "etc_passwd",
		"":                       "screenshot",
		"TestX/#01-before:after": "TestX_01-before_after",
	} {
		if got := sanitizeFileName(in); got != want {
			t.Errorf("sanitizeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(mod), "module openhall\n") {
		t.Errorf("%s/go.mod is not openhall's", root)
	}
}

func TestSharedDirMissingSkips(t *testing.T) {
	// A subtest, so that its skip does not skip this test.
	var skipped bool
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		SharedDir(t, "no-such-dir-"+strings.Repeat("x", 8))
		t.Error("SharedDir returned for a missing directory")
	})
	if !skipped {
		t.Error("SharedDir did not skip for a missing directory")
	}
}

// TestPostgresHarness checks the server that scripts/test starts: reachable
// at OPENHALL_TEST_POSTGRES, UTF8, durable (fsync on) and with room for two
// test packages' pools.
func TestPostgresHarness(t *testing.T) {
	url := PostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	defer conn.Close(context.Background())
	for setting, want := range map[string]string{
		"server_encoding": "UTF8",
		"fsync":           "on",
	} {
		var got string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", setting).Scan(&got); err != nil {
			t.Fatalf("reading %s: %v", setting, err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", setting, got, want)
		}
	}
	var maxConns int
	if err := conn.QueryRow(ctx, "SELECT current_setting('max_connections')::int").Scan(&maxConns); err != nil || maxConns < 100 {
		t.Errorf("max_connections = %d, %v; the test packages' pools need at least 100", maxConns, err)
	}
	var echo string
	if err := conn.QueryRow(ctx, "SELECT $1::text", "中文").Scan(&echo); err != nil || echo != "中文" {
		t.Errorf("round trip of Chinese text = %q, %v", echo, err)
	}
}
