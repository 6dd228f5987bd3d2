package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"
)

// upload posts a file as the multipart field "file" with the page's token.
func (b *browser) upload(from, path string, data []byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", b.csrf(from))
	fw, _ := mw.CreateFormFile("file", "catalog.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.app.URL(path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestCatalogImportPage(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	dept := a.Tree.Department.ID
	a.Staff(t, "editor", "approver", nil, &dept)
	a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
	clerk := newBrowser(t, a)
	clerk.login("clerk", "secret123")
	if p := clerk.get("/staff/catalog"); p.status != http.StatusForbidden {
		t.Fatalf("a window clerk opened the catalogue work page: %d", p.status)
	}
	b := newBrowser(t, a)
	b.login("editor", "secret123")
	good, bad := storetest.SampleItem(a.Tree, "XK00012000"), storetest.SampleItem(a.Tree, "XK00013000")
	good.DeptCode, bad.DeptCode, bad.Guide.LegalBases = a.Tree.Department.CreditCode, a.Tree.Department.CreditCode, nil
	var file bytes.Buffer
	sheet.Write(&file, []catalog.ItemInput{good, bad})
	p := b.upload("/staff/catalog", "/staff/catalog/import", file.Bytes())
	problems := p.doc.Find(".problems li").Text()
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(problems, "第 3 行 第 K 列（设定依据）：请至少填写一项设定依据") {
		t.Fatalf("refused import: %d %q", p.status, problems)
	}
	if _, n, _ := a.Services.Catalog.Items(t.Context(), catalog.ItemFilter{}); n != 0 {
		t.Fatalf("a refused import wrote %d items", n)
	}
	file.Reset()
	sheet.Write(&file, []catalog.ItemInput{good})
	if p := b.upload("/staff/catalog", "/staff/catalog/import", file.Bytes()); p.status != http.StatusSeeOther {
		t.Fatalf("import: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	if flash := b.get("/staff/catalog").doc.Find(".flash").Text(); !strings.Contains(flash, "已导入 1 个事项草稿") {
		t.Fatalf("after import: %q", flash)
	}
}

// TestAnonymousGuideKept: every anonymous visitor of a guide gets the same
// page, gzip-encoded when the client accepts it, with no cookie set; a
// change to the item shows at once; a logged-in visitor still gets forms
// with their token.
func TestAnonymousGuideKept(t *testing.T) {
	a := demoApp(t)
	items, _, err := a.Services.Catalog.Search(t.Context(), catalog.SearchQuery{Text: "结婚登记"})
	if err != nil || len(items) == 0 {
		t.Fatalf("demo item: %v", err)
	}
	it := items[0]
	guide := func(encoding string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, a.URL("/items/"+it.ImplCode), nil)
		req.Header.Set("Accept-Encoding", encoding)
		res, err := a.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			if body, err = gzip.NewReader(res.Body); err != nil {
				t.Fatal(err)
			}
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}
	zipped, first := guide("gzip, deflate, br")
	plain, second := guide("identity")
	if zipped.Header.Get("Content-Encoding") != "gzip" || plain.Header.Get("Content-Encoding") != "" ||
		zipped.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("encodings: %q and %q, Vary %q", zipped.Header.Get("Content-Encoding"), plain.Header.Get("Content-Encoding"), zipped.Header.Get("Vary"))
	}
	if first != second || !strings.Contains(first, it.Name) || strings.Contains(first, "csrf_token") ||
		zipped.Header.Get("Set-Cookie") != "" || plain.Header.Get("Set-Cookie") != "" {
		t.Fatalf("the two visitors' pages differ, carry a token or set a cookie:\n%s", first)
	}
	if _, err := a.Services.Catalog.Suspend(t.Context(), identity.SystemActor(), it.ID, catalog.StatusInput{Reason: "系统升级"}); err != nil {
		t.Fatal(err)
	}
	if _, after := guide("gzip"); after == first || !strings.Contains(after, "暂停") {
		t.Fatalf("the suspension does not show on the kept page:\n%s", after)
	}
	b := newBrowser(t, a)
	a.Citizen(t, "guidereader", "读者", 71, "13900000071", "")
	b.login("guidereader", "secret123")
	if p := b.get("/items/" + it.ImplCode); p.doc.Find(`input[name=csrf_token]`).Length() == 0 {
		t.Fatalf("a logged-in visitor's guide page has no token")
	}
}
