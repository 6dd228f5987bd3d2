package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/demo"
)

// TestComplaintAboutCaseForm: the form asks for the case's 查询密码 beside
// its number, saying where to find it; a visitor's wrong code and a number
// that does not exist get the same words on 办件编号; with the code from the
// receipt the visitor's complaint is filed, and the logged-in applicant
// files by the number alone.
func TestComplaintAboutCaseForm(t *testing.T) {
	a := ratingsApp(t)
	c, code := citizenCase(t, a)
	visitor := newBrowser(t, a)
	form := visitor.get("/complaints/new?case=" + url.QueryEscape(c.Number))
	if got, _ := form.doc.Find("#f-case_number").Attr("value"); got != c.Number || form.doc.Find(`[data-when="case"] #f-query_code`).Length() != 1 ||
		!strings.Contains(form.doc.Find("#h-query_code").Text(), "受理回执") {
		t.Fatalf("the form about a case: number %q, code field %d, hint %q", got, form.doc.Find("#f-query_code").Length(), form.doc.Find("#h-query_code").Text())
	}
	post := func(b *browser, number, code string) *page {
		return b.post("/complaints/new", "/complaints", url.Values{"kind": {"complaint"}, "subject": {"case"}, "case_number": {number},
			"query_code": {code}, "content": {"办理时间过长，无人答复"}, "name": {"王五"}, "phone": {"13700002222"}})
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	byCode, byNumber := post(visitor, c.Number, wrong), post(visitor, c.Number+"9", code)
	if byCode.status != http.StatusUnprocessableEntity || byCode.fieldError(t, "case_number") != "办件编号或查询密码不对，请核对受理回执" {
		t.Fatalf("a wrong 查询密码: %d %q", byCode.status, byCode.fieldError(t, "case_number"))
	}
	if byNumber.status != byCode.status || byNumber.doc.Find("form .error").Text() != byCode.doc.Find("form .error").Text() {
		t.Fatalf("a number that does not exist: %d %q", byNumber.status, byNumber.doc.Find("form .error").Text())
	}
	if p := post(visitor, c.Number, ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError(t, "query_code"), "查询密码") {
		t.Fatalf("no 查询密码: %d %q", p.status, p.fieldError(t, "query_code"))
	}
	if p := post(visitor, c.Number, code); p.status != http.StatusSeeOther {
		t.Fatalf("with the 查询密码: %d %s", p.status, p.doc.Find("form .error").Text())
	}
	applicant := newBrowser(t, a)
	applicant.login("citizen", demo.Password)
	if p := post(applicant, c.Number, ""); p.status != http.StatusSeeOther {
		t.Fatalf("the applicant by the number alone: %d %s", p.status, p.doc.Find("form .error").Text())
	}
}

// TestComplaintFormTooManyCodes: once wrong 查询密码 are refused for a
// while, the form comes back (429, with Retry-After) with the message and
// everything the visitor wrote, not an error page that loses it.
func TestComplaintFormTooManyCodes(t *testing.T) {
	a := ratingsApp(t)
	c, _ := citizenCase(t, a)
	visitor := newBrowser(t, a)
	const content = "窗口人员态度恶劣，多次推诿"
	var p *page
	for range 50 {
		p = visitor.post("/complaints/new", "/complaints", url.Values{"kind": {"complaint"}, "subject": {"case"},
			"case_number": {c.Number}, "query_code": {"0000000"}, "content": {content}, "name": {"王五"}, "phone": {"13700002222"}})
		if p.status != http.StatusUnprocessableEntity {
			break
		}
	}
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("after many wrong 查询密码: %d", p.status)
	}
	if got := p.doc.Find("#f-content").Text(); got != content {
		t.Fatalf("the complaint's text is lost: %q", got)
	}
	if msg := p.doc.Find(".error, [role=alert]").Text(); msg == "" {
		t.Fatal("no message says why the complaint was refused")
	}
	if p.header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}

// TestComplaintFromProgressPage: the visitor who looked a case up with its
// number and 查询密码 presses 对本办件投诉 and gets the form with both filled
// in (posted, not put in the address), and files without typing the code
// again.
func TestComplaintFromProgressPage(t *testing.T) {
	a := ratingsApp(t)
	c, code := citizenCase(t, a)
	visitor := newBrowser(t, a)
	progress := visitor.post("/progress", "/progress", url.Values{"number": {c.Number}, "code": {code}})
	button := progress.doc.Find(`form[action="/complaints/new"]`)
	if progress.status != http.StatusOK || button.Length() != 1 || !strings.Contains(button.Find("button").Text(), "对本办件投诉") {
		t.Fatalf("the progress page: %d, %d forms to complain", progress.status, button.Length())
	}
	carried := url.Values{}
	button.Find(`input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		carried.Set(name, value)
	})
	if carried.Get("case_number") != c.Number || carried.Get("query_code") != code {
		t.Fatalf("the button carries %v", carried)
	}
	form := visitor.post("/progress", "/complaints/new", carried)
	number, _ := form.doc.Find("#f-case_number").Attr("value")
	typed, _ := form.doc.Find("#f-query_code").Attr("value")
	if form.status != http.StatusOK || number != c.Number || typed != code {
		t.Fatalf("the complaint form: %d, number %q, code %q", form.status, number, typed)
	}
	filed := visitor.post("/complaints/new", "/complaints", url.Values{"kind": {"complaint"}, "subject": {"case"}, "case_number": {number},
		"query_code": {typed}, "content": {"办理时间过长，无人答复"}, "name": {"王五"}, "phone": {"13700002222"}})
	if filed.status != http.StatusSeeOther {
		t.Fatalf("filing from the progress page: %d %s", filed.status, filed.doc.Find("form .error").Text())
	}
}

// citizenCase returns the demo citizen's first case and its 查询密码, as
// its receipt gives them.
func citizenCase(t *testing.T, a *apptest.App) (*cases.Case, string) {
	t.Helper()
	ctx, citizen := context.Background(), demoActor(t, a, "citizen")
	mine, _, err := a.Services.Cases.Mine(ctx, citizen, 0)
	if err != nil || len(mine) == 0 {
		t.Fatalf("the citizen's cases: %v", err)
	}
	c, _, err := a.Services.Cases.Get(ctx, citizen, mine[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	code, err := a.Services.Cases.QueryCode(ctx, citizen, c)
	if err != nil {
		t.Fatal(err)
	}
	return c, code
}
