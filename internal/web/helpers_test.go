package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/identity"

	"github.com/PuerkitoBio/goquery"
)

// browser is a cookie-keeping HTTP client that reads pages like a user.
type browser struct {
	t      *testing.T
	app    *apptest.App
	client *http.Client
}

func newBrowser(t *testing.T, a *apptest.App) *browser {
	return &browser{t: t, app: a, client: a.Client(t)}
}

// demoAt starts an app with the demo data set at a moment, which the test
// moves with the setter returned.
func demoAt(t *testing.T, at time.Time) (*apptest.App, func(time.Time)) {
	t.Helper()
	var now atomic.Int64
	now.Store(at.UnixNano())
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a, func(at time.Time) { now.Store(at.UnixNano()) }
}

// page is a fetched response with its parsed document.
type page struct {
	status   int
	location string
	doc      *goquery.Document
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{status: res.StatusCode, location: res.Header.Get("Location"), doc: doc, body: string(body), header: res.Header}
}

func (b *browser) get(path string) *page {
	req, _ := http.NewRequest(http.MethodGet, b.app.URL(path), nil)
	return b.do(req)
}

// csrf returns a CSRF token from a page the browser fetches.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	tok, ok := b.get(path).doc.Find(`input[name=csrf_token]`).First().Attr("value")
	if !ok && path != "/login" {
		// The pages kept for anonymous visitors (home, guides) have no
		// token: their only forms are the preference forms. An anonymous
		// visitor's other forms carry the pre-session token the login page
		// shows too.
		return b.csrf("/login")
	}
	if !ok || tok == "" {
		b.t.Fatalf("no CSRF token on %s", path)
	}
	return tok
}

// post submits a form with the token taken from the page at from.
func (b *browser) post(from, path string, v url.Values) *page {
	b.t.Helper()
	if v.Get("csrf_token") == "" {
		v.Set("csrf_token", b.csrf(from))
	}
	req, _ := http.NewRequest(http.MethodPost, b.app.URL(path), strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login signs in and fails the test if that does not work.
func (b *browser) login(username, password string) {
	b.t.Helper()
	p := b.post("/login", "/login", url.Values{"username": {username}, "password": {password}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d: %s", username, p.status, p.doc.Find(".form-error").Text())
	}
}

// navLabels lists the main navigation.
func (p *page) navLabels() []string {
	var out []string
	p.doc.Find(".main-nav a").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

// fieldError returns the error shown for a form field, checking that it is
// tied to its input for assistive technology.
func (p *page) fieldError(t *testing.T, name string) string {
	t.Helper()
	id := strings.ReplaceAll(name, ".", `\.`) // "applicant.name" is one id, not an id and a class
	msg := strings.TrimSpace(p.doc.Find("#e-" + id).Text())
	if msg == "" {
		return ""
	}
	input := p.doc.Find("#f-" + id)
	if desc, _ := input.Attr("aria-describedby"); input.Length() > 0 && input.Is("input,select") && !strings.Contains(desc, "e-"+name) {
		t.Errorf("field %s: error not referenced by aria-describedby (%q)", name, desc)
	}
	return msg
}

// demoActor logs a demo account in through the service, for setting up
// what a journey then walks through.
func demoActor(t *testing.T, a *apptest.App, username string) *identity.Actor {
	t.Helper()
	_, act, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: username, Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return act
}
