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

// probeForm is a POST form a user was shown: where, where it posts, what
// it sends as shown, and its text fields.
type probeForm struct {
	from, action string
	fields       url.Values
	texts        []string
}

// probeValues are what a careless or hostile user types into every text
// field of a form at once.
var probeValues = []string{"", " \t", strings.Repeat("长", 5000), "-1", "99999999999999999999", "0",
	"2026-02-30", "<script>alert(1)</script>"}

// TestEveryFormRefusesBadInput walks the site as each demo account and
// anonymously (in December, next year's schedule not imported) and posts
// every kind of form it is shown with each of probeValues in all its text
// fields, as the form stands otherwise (the button pressed, the options
// chosen). No answer may be a server error, a refusal (403) or a missing
// page (404): a form is shown only to those who may send it, to where it
// is taken. A form refused for its content (422) shows the error summary.
func TestEveryFormRefusesBadInput(t *testing.T) {
	a, _ := demoAt(t, time.Date(2026, 12, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	crawlActivity(t, a)
	users := []string{""}
	for _, acc := range demo.Accounts() {
		users = append(users, acc.Username)
	}
	for _, user := range users {
		b := newBrowser(t, a)
		if user != "" {
			b.login(user, demo.Password)
		}
		forms := shownForms(t, b)
		for _, f := range forms {
			values := probeValues
			if len(f.texts) == 0 {
				values = values[:2] // a form without text is sent twice: a repeat must not fail either
			}
			taken := false
			for _, typed := range values {
				taken = probe(t, b, user, f, typed, taken) < 400 || taken
			}
		}
		t.Logf("%q: %d forms", user, len(forms))
	}
}

// probe posts f with typed in every text field and returns the status.
// Once the form was taken, what it acted on may be gone (a revoked grant):
// a 404 then is the answer to a repeat.
func probe(t *testing.T, b *browser, user string, f probeForm, typed string, taken bool) int {
	t.Helper()
	v := url.Values{}
	for k, vs := range f.fields {
		v[k] = append([]string(nil), vs...)
	}
	for _, name := range f.texts {
		v.Set(name, typed)
	}
	v.Del("csrf_token") // b.post takes a fresh one from the page
	p := b.post(f.from, f.action, v)
	switch {
	case p.status >= 500:
		t.Errorf("%q: POST %s (form on %s) with %.20q: %d %s", user, f.action, f.from, typed, p.status, crawlSays(p))
	case p.status == http.StatusForbidden || p.status == http.StatusNotFound && !taken && !answersLookup(p, f.action):
		t.Errorf("%q: POST %s (form on %s): %d %s: a form shown to someone who may not use it, or posting nowhere", user, f.action, f.from, p.status, crawlSays(p))
	case p.status == http.StatusUnprocessableEntity && p.doc.Find(".form-error").Length() == 0:
		t.Errorf("%q: POST %s (form on %s) with %.20q: refused without an error summary: %.200s", user, f.action, f.from, typed, crawlSays(p))
	}
	return p.status
}

// answersLookup reports a lookup that found nothing (a case number and
// its code that do not match): its form is shown again, with the reason.
func answersLookup(p *page, action string) bool {
	return p.doc != nil && p.doc.Find(`form[action="`+action+`"]`).Length() > 0
}

// shownForms lists one POST form of each kind among the pages a user
// reaches, logging out aside.
func shownForms(t *testing.T, b *browser) []probeForm {
	t.Helper()
	var forms []probeForm
	kinds := map[string]bool{}
	walk(t, b, 600, func(path, _ string, p *page) {
		if p.doc == nil || p.status != http.StatusOK {
			return
		}
		p.doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
			action, ok := crawlTarget(path, f.AttrOr("action", path))
			kind := crawlShape.ReplaceAllString(action, "N")
			if ok && !strings.HasPrefix(action, "/logout") && !kinds[kind] {
				kinds[kind] = true
				forms = append(forms, formAsShown(path, action, f))
			}
		})
	})
	return forms
}

// formAsShown is what f sends when its first button is pressed with
// nothing changed.
func formAsShown(from, action string, f *goquery.Selection) probeForm {
	pf := probeForm{from: from, action: action, fields: url.Values{}}
	f.Find("button[name]").First().Each(func(_ int, bt *goquery.Selection) { pf.fields.Set(bt.AttrOr("name", ""), bt.AttrOr("value", "")) })
	f.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goquery.Selection) {
		name, typ := in.AttrOr("name", ""), in.AttrOr("type", "text")
		switch {
		case in.Is("select"):
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			pf.fields.Set(name, opt.AttrOr("value", opt.Text()))
		case typ == "hidden":
			pf.fields.Add(name, in.AttrOr("value", ""))
		case typ == "checkbox" || typ == "radio":
			if _, on := in.Attr("checked"); on {
				pf.fields.Add(name, in.AttrOr("value", "on"))
			}
		case typ == "submit":
			if pf.fields.Get(name) == "" {
				pf.fields.Set(name, in.AttrOr("value", ""))
			}
		case typ != "file":
			pf.texts = append(pf.texts, name)
			pf.fields.Set(name, in.AttrOr("value", in.Text()))
		}
	})
	return pf
}
