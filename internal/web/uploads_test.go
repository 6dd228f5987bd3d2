package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/demo"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// An attachment is kept whole up to its limit of 8 MB (it used to be cut
// at 1 MB without a word) and one over the limit is refused, saying so.
func TestAttachmentKeptWholeOrRefused(t *testing.T) {
	a, ag, _ := disclosureApp(t, "sqlite")
	ctx := context.Background()
	_, officer, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "officer", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := a.Services.Disclosure.SaveDocument(ctx, officer, 0, disclosure.DocInput{AgencyID: ag.ID, Title: "附件测试",
		Topic: "综合政务", Genre: disclosure.GenreNormative, Category: "a20-1", FormedOn: "2026-03-10", Body: "正文"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.login("officer", "secret123")
	docPage := fmt.Sprintf("/disclosure/docs/%d", doc.ID)
	send := func(name string, data []byte) *page {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf_token", b.csrf(docPage))
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, b.app.URL(docPage+"/attachments"), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return b.do(req)
	}
	three := bytes.Repeat([]byte("政务公开附件正文。\n"), (3<<20)/28)
	if p := send("说明.txt", three); p.status != http.StatusSeeOther {
		t.Fatalf("3 MB attachment: %d %s", p.status, p.doc.Find(".form-error, .error").Text())
	}
	atts, err := a.Services.Disclosure.Attachments(ctx, "doc", doc.ID)
	if err != nil || len(atts) != 1 || atts[0].Size != int64(len(three)) {
		t.Fatalf("stored attachments %+v %v; want one of %d bytes", atts, err, len(three))
	}
	p := send("太大.txt", bytes.Repeat([]byte("x"), 9<<20))
	if p.status == http.StatusSeeOther || !strings.Contains(p.doc.Text(), "8 MB") {
		t.Fatalf("9 MB attachment: %d %q", p.status, p.doc.Find("main").Text())
	}
}

// TestApplyKeyReusedForOtherContent: a form sent again with its key but
// other content (the applicant went back and changed it) is not answered
// with the case filed first: the form comes back as typed, saying which
// case holds the key, with a new key for a new application.
func TestApplyKeyReusedForOtherContent(t *testing.T) {
	f := openApply(t, "citizen", "个体工商户设立登记")
	send := func(summary string) *page {
		return f.send("apply-reuse-1", map[string]string{"summary": summary}, nil, false)
	}
	first := send("开办面馆")
	if first.status != http.StatusSeeOther {
		t.Fatalf("first filing: %d %s", first.status, first.doc.Find(".form-error").Text())
	}
	if again := send("开办面馆"); again.status != http.StatusSeeOther || again.location != first.location {
		t.Fatalf("the same form sent twice: %d %s, want %s", again.status, again.location, first.location)
	}
	other := send("开办茶馆")
	key, _ := other.doc.Find(`input[name=key]`).Attr("value")
	if other.status != http.StatusConflict || !strings.Contains(other.doc.Find(".form-error").Text(), "已经提交过") || key == "" || key == "apply-reuse-1" ||
		!strings.Contains(other.body, "开办茶馆") {
		t.Fatalf("other content under the key: %d, key %q, %s", other.status, key, other.doc.Find(".form-error").Text())
	}
}

// TestApplyForSomeone: staff filing for someone (here a 代办员) give the
// applicant in the form; a bad ID number is shown at its field, and a
// good one files the case in the applicant's name.
func TestApplyForSomeone(t *testing.T) {
	f := openApply(t, "agent", "个体工商户设立登记")
	if form := f.b.get(f.path); form.doc.Find(`input[name="applicant.id_number"]`).Length() != 1 {
		t.Fatalf("the form asks for no applicant:\n%s", form.body)
	}
	send := func(idNumber string) *page {
		applicant := map[string]string{"kind": "person", "name": "李四", "id_number": idNumber, "phone": "13800000000"}
		return f.send("for-someone-"+idNumber, map[string]string{"summary": "开办面馆"}, applicant, true)
	}
	bad := send("330106199001011234")
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.fieldError(t, "applicant.id_number"), "身份证") {
		t.Fatalf("a bad ID number: %d %q", bad.status, bad.doc.Find(".form-error").Text())
	}
	if v, _ := bad.doc.Find(`input[name="applicant.name"]`).Attr("value"); v != "李四" {
		t.Fatalf("the applicant's name was not kept: %q", v)
	}
	good := send("11010519491231002X")
	if good.status != http.StatusSeeOther {
		t.Fatalf("a good filing: %d %q", good.status, good.doc.Find(".form-error").Text())
	}
	if c := f.b.get(good.location); !strings.Contains(c.doc.Find("main").Text(), "李") {
		t.Fatalf("the case does not name the applicant:\n%s", c.doc.Find("main").Text())
	}
}

// applyForm is an item's apply page, opened by a logged-in demo account.
type applyForm struct {
	b    *browser
	p    *cases.Procedure
	path string
}

func openApply(t *testing.T, username, item string) *applyForm {
	t.Helper()
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login(username, demo.Password)
	version := apptest.ItemVersion(t, a, item)
	p, err := a.Services.Cases.Procedure(context.Background(), version)
	if err != nil {
		t.Fatal(err)
	}
	return &applyForm{b: b, p: p, path: fmt.Sprintf("/apply/%d", version)}
}

// send posts the form as a browser does: the key, the applicant (staff
// filing for someone), the item's fields, a small PDF for each required
// upload and, with authorization, the 授权委托书.
func (f *applyForm) send(key string, fields, applicant map[string]string, authorization bool) *page {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", f.b.csrf(f.path))
	mw.WriteField("key", key)
	for k, v := range applicant {
		mw.WriteField("applicant."+k, v)
	}
	for k, v := range apptest.FormFor(f.p, fields) {
		mw.WriteField("form."+k, v)
	}
	files := map[string]string{}
	for _, m := range f.p.Materials {
		if m.Kind == cases.MaterialUpload && m.Required {
			files["material."+m.Code] = m.Code
		}
	}
	if authorization {
		files["authorization"] = "authorization " + key
	}
	for field, mark := range files {
		fw, _ := mw.CreateFormFile(field, field+".pdf")
		fmt.Fprintf(fw, "%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n%% %s\n", mark)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, f.b.app.URL(f.path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return f.b.do(req)
}

// TestKeptFileOfAnotherAccount: a form's hidden "kept" reference names a
// stored file by its digest; one naming a file of another account (here
// the citizen's filed material, forged into a 代办员's form) is not taken,
// and the material is asked for again, while the citizen may keep a file
// of their own case.
func TestKeptFileOfAnotherAccount(t *testing.T) {
	f := openApply(t, "citizen", "个体工商户设立登记")
	if p := f.send("kept-own-1", map[string]string{"summary": "开办面馆"}, nil, false); p.status != http.StatusSeeOther {
		t.Fatalf("the citizen's filing: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	kept := map[string]string{}
	for _, m := range f.p.Materials {
		if m.Kind == cases.MaterialUpload && m.Required {
			data := fmt.Sprintf("%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n%% %s\n", m.Code)
			kept[m.Code] = fmt.Sprintf("%x:%s.pdf", sha256.Sum256([]byte(data)), m.Code)
		}
	}
	agent := &applyForm{b: newBrowser(t, f.b.app), p: f.p, path: f.path}
	agent.b.login("agent", demo.Password)
	applicant := map[string]string{"kind": "person", "name": "李四", "id_number": "11010519491231002X", "phone": "13800000000"}
	p := agent.sendKept("kept-other-1", applicant, kept)
	for code := range kept {
		if p.status != http.StatusUnprocessableEntity || p.fieldError(t, "material."+code) == "" {
			t.Fatalf("a forged kept file for %s: %d %q", code, p.status, p.doc.Find(".form-error").Text())
		}
	}
	if own := f.sendKept("kept-own-2", nil, kept); own.status != http.StatusSeeOther {
		t.Fatalf("the citizen keeping files of their own case: %d %q", own.status, own.doc.Find(".form-error").Text())
	}
}

// sendKept posts the form naming stored files as kept, sending none but
// the 授权委托书 of a filing for someone.
func (f *applyForm) sendKept(key string, applicant, kept map[string]string) *page {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", f.b.csrf(f.path))
	mw.WriteField("key", key)
	for k, v := range applicant {
		mw.WriteField("applicant."+k, v)
	}
	for k, v := range apptest.FormFor(f.p, map[string]string{"summary": "开办面馆"}) {
		mw.WriteField("form."+k, v)
	}
	for code, ref := range kept {
		mw.WriteField("kept.material."+code, ref)
	}
	if applicant != nil { // filing for someone: the 授权委托书, sent anew
		fw, _ := mw.CreateFormFile("authorization", "authorization.pdf")
		fmt.Fprintf(fw, "%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n%% authorization %s\n", key)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, f.b.app.URL(f.path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return f.b.do(req)
}
