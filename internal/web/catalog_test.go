package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
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
