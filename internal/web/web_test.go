package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/store/storetest"
)

func TestLogin(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
		b := newBrowser(t, a)

		empty := b.post("/login", "/login", url.Values{})
		if empty.status != http.StatusUnprocessableEntity || empty.fieldError(t, "username") == "" || empty.fieldError(t, "password") == "" {
			t.Fatalf("empty login: status %d, errors %q %q", empty.status, empty.fieldError(t, "username"), empty.fieldError(t, "password"))
		}
		wrong := b.post("/login", "/login", url.Values{"username": {"clerk"}, "password": {"nope"}})
		if wrong.status != http.StatusUnauthorized || !strings.Contains(wrong.doc.Find(".form-error").Text(), "登录名或密码错误") {
			t.Fatalf("wrong password: %d %q", wrong.status, wrong.doc.Find(".form-error").Text())
		}
		if v, _ := wrong.doc.Find("#f-username").Attr("value"); v != "clerk" {
			t.Fatalf("username not kept after a failed login: %q", v)
		}
		ok := b.post("/login", "/login", url.Values{"username": {"clerk"}, "password": {"secret123"}})
		if ok.status != http.StatusSeeOther || ok.location != "/staff" {
			t.Fatalf("login: %d → %q", ok.status, ok.location)
		}
		staff := b.get("/staff")
		if staff.status != 200 || !strings.Contains(staff.doc.Find("main").Text(), "窗口人员") {
			t.Fatalf("workbench: %d", staff.status)
		}
		out := b.post("/staff", "/logout", url.Values{})
		if out.status != http.StatusSeeOther || b.get("/staff").status != http.StatusSeeOther {
			t.Fatal("still logged in after logout")
		}
	})
}

func TestNavigationByRole(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
	a.Staff(t, "watcher", "supervisor", &a.Tree.City.ID, nil)
	cases := []struct {
		user      string
		want, not []string
	}{
		{"", []string{"登录", "注册"}, []string{"工作台", "区域"}},
		{"root", []string{"工作台", "区域", "账号与角色", "工作日历", "审计日志"}, []string{"登录"}},
		{"clerk", []string{"工作台", "我的账户"}, []string{"区域", "审计日志", "账号与角色"}},
		{"watcher", []string{"工作台", "审计日志"}, []string{"区域", "账号与角色"}},
	}
	for _, c := range cases {
		b := newBrowser(t, a)
		if c.user != "" {
			b.login(c.user, "secret123")
		}
		nav := b.get("/").navLabels()
		for _, w := range c.want {
			if !slices.Contains(nav, w) {
				t.Errorf("%q: nav %v lacks %q", c.user, nav, w)
			}
		}
		for _, n := range c.not {
			if slices.Contains(nav, n) {
				t.Errorf("%q: nav %v shows %q", c.user, nav, n)
			}
		}
	}
	b := newBrowser(t, a)
	b.login("clerk", "secret123")
	if p := b.get("/admin/regions"); p.status != http.StatusForbidden {
		t.Fatalf("clerk opening the region admin: %d", p.status)
	}
}

func TestAdminRegionCreateEdit(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		b := newBrowser(t, a)
		b.login("root", "secret123")
		county := idStr(a.Tree.County.ID)

		bad := b.post("/admin/regions/new", "/admin/regions", url.Values{"parent_id": {county}, "level": {"5"}, "code": {"330106"}, "name": {""}})
		if bad.status != http.StatusUnprocessableEntity || bad.fieldError(t, "code") == "" || bad.fieldError(t, "name") == "" {
			t.Fatalf("invalid region: %d code=%q name=%q", bad.status, bad.fieldError(t, "code"), bad.fieldError(t, "name"))
		}
		if v, _ := bad.doc.Find("#f-code").Attr("value"); v != "330106" {
			t.Fatalf("the typed code is lost: %q", v)
		}
		ok := b.post("/admin/regions/new", "/admin/regions", url.Values{"parent_id": {county}, "level": {"5"}, "code": {"330106002"}, "name": {"西溪街道"}})
		if ok.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", ok.status, ok.doc.Find(".form-error").Text())
		}
		list := b.get("/admin/regions")
		if !strings.Contains(list.doc.Find(".flash").Text(), "西溪街道") || !strings.Contains(list.doc.Find("table").Text(), "330106002") {
			t.Fatal("new region not listed with a confirmation")
		}
		r, err := a.Services.Org.RegionByCode(t.Context(), "330106002")
		if err != nil {
			t.Fatal(err)
		}
		edit := b.post("/admin/regions/"+idStr(r.ID)+"/edit", "/admin/regions/"+idStr(r.ID), url.Values{"code": {"330106002"}, "name": {"西溪街道（新）"}})
		if edit.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", edit.status, edit.doc.Find(".form-error").Text())
		}
		if r, _ = a.Services.Org.Region(t.Context(), r.ID); r.Name != "西溪街道（新）" {
			t.Fatalf("name after edit: %q", r.Name)
		}
	})
}

func TestForgedCSRF(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	b := newBrowser(t, a)
	b.login("root", "secret123")
	p := b.post("/admin/regions", "/admin/regions", url.Values{"csrf_token": {"forged"}, "level": {"2"}, "code": {"310000"}, "name": {"上海市"}})
	if p.status != http.StatusForbidden || !strings.Contains(p.doc.Find("main").Text(), "CSRF") {
		t.Fatalf("forged token: %d", p.status)
	}
	if _, err := a.Services.Org.RegionByCode(t.Context(), "310000"); err == nil {
		t.Fatal("a forged request changed data")
	}
}

func TestExpiredSession(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	a := apptest.New(t, "sqlite", apptest.Options{Now: clock})
	a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
	b := newBrowser(t, a)
	b.login("clerk", "secret123")
	now.Add(int64(31 * time.Minute))
	p := b.get("/staff")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=%2Fstaff") {
		t.Fatalf("expired session: %d → %q", p.status, p.location)
	}
	if msg := b.get(p.location).doc.Find(".flash").Text(); !strings.Contains(msg, "登录已超时") {
		t.Fatalf("login page after expiry says %q", msg)
	}
}

func TestScopeEnforced(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "countyadmin", "sysadmin", &a.Tree.County.ID, nil)
	b := newBrowser(t, a)
	b.login("countyadmin", "secret123")
	other := idStr(a.Tree.OtherCounty.ID)
	p := b.post("/admin/regions", "/admin/regions", url.Values{"parent_id": {other}, "level": {"5"}, "code": {"330110001"}, "name": {"外区街道"}})
	if p.status != http.StatusForbidden {
		t.Fatalf("creating outside the admin's scope: %d", p.status)
	}
	if list := b.get("/admin/regions"); strings.Contains(list.doc.Find("table").Text(), "余杭区") {
		t.Fatal("county admin sees the other county in the admin list")
	}
}

func TestRegisterValidation(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	b := newBrowser(t, a)
	id := storetest.IDNumber(7)
	badID := id[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id[17])+1)%11])
	p := b.post("/register", "/register", url.Values{"kind": {"person"}, "username": {"li4"}, "name": {"李四"},
		"id_number": {badID}, "password": {"secret123"}, "password2": {"secret123"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError(t, "id_number"), "校验位") || p.fieldError(t, "username") == "" {
		t.Fatalf("register with a bad ID number: %d %q %q", p.status, p.fieldError(t, "id_number"), p.fieldError(t, "username"))
	}
	if v, _ := p.doc.Find("#f-password").Attr("value"); v != "" {
		t.Fatal("the password is echoed back")
	}
	ok := b.post("/register", "/register", url.Values{"kind": {"person"}, "username": {"lisi"}, "name": {"李四"},
		"id_number": {id}, "phone": {"13800001111"}, "password": {"secret123"}, "password2": {"secret123"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", ok.status, ok.doc.Find(".form-error").Text())
	}
	b.login("lisi", "secret123")
	if acc := b.get("/account"); !strings.Contains(acc.doc.Find("main").Text(), id) {
		t.Fatal("the owner does not see their own ID number")
	}
}

func TestPersonalDataKeptOutOfLogs(t *testing.T) {
	var logs bytes.Buffer
	a := apptest.New(t, "sqlite", apptest.Options{Log: &syncWriter{w: &logs}})
	b := newBrowser(t, a)
	id := storetest.IDNumber(9)
	b.post("/register", "/register", url.Values{"kind": {"person"}, "username": {"wangwu"}, "name": {"王五"},
		"id_number": {id}, "phone": {"13912345678"}, "password": {"secret123"}, "password2": {"secret123"}})
	b.login("wangwu", "secret123")
	b.get("/account")
	a.Log.Info("deliberate mistake", "id", id, "phone", "13912345678")
	if s := logs.String(); strings.Contains(s, id) || strings.Contains(s, "13912345678") || strings.Contains(s, "secret123") || s == "" {
		t.Fatalf("personal data or a password in the logs:\n%s", s)
	}
}

func TestDisplayModes(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	b := newBrowser(t, a)
	p := b.post("/", "/display", url.Values{"toggle": {"large"}, "back": {"/login"}})
	if p.status != http.StatusSeeOther || p.location != "/login" {
		t.Fatalf("toggle: %d %q", p.status, p.location)
	}
	b.post("/", "/display", url.Values{"toggle": {"contrast"}, "back": {"https://evil.example/"}})
	cls, _ := b.get("/").doc.Find("html").Attr("class")
	if !strings.Contains(cls, "large-text") || !strings.Contains(cls, "high-contrast") {
		t.Fatalf("html class %q", cls)
	}
}

// TestPreferenceForms: the display and region forms carry no token (the
// pages kept for anonymous visitors are the same for all of them); a
// browser's post from another site is refused, one from our pages is not.
func TestPreferenceForms(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	b := newBrowser(t, a)
	home := b.get("/")
	if n := home.doc.Find(`input[name=csrf_token]`).Length(); n != 0 || home.header.Get("Set-Cookie") != "" {
		t.Fatalf("anonymous home page: %d tokens, Set-Cookie %q", n, home.header.Get("Set-Cookie"))
	}
	for _, tc := range []struct {
		path, site, origin string
		want               int
	}{
		{"/display", "same-origin", "", http.StatusSeeOther},
		{"/display", "cross-site", "", http.StatusForbidden},
		{"/display", "", "https://evil.example", http.StatusForbidden},
		{"/region", "same-site", "", http.StatusForbidden},
		{"/region", "same-origin", "", http.StatusSeeOther},
		{"/region", "none", "", http.StatusSeeOther}, // typed or bookmarked by the user
	} {
		req, _ := http.NewRequest(http.MethodPost, a.URL(tc.path), strings.NewReader("toggle=large&region_id="))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", tc.site)
		}
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if p := b.do(req); p.status != tc.want {
			t.Errorf("%s from %s%s: %d, want %d", tc.path, tc.site, tc.origin, p.status, tc.want)
		} else if tc.want == http.StatusForbidden && !strings.Contains(p.body, "来自其他网站的提交") {
			t.Errorf("%s refused without saying why: %s", tc.path, p.doc.Find("main").Text())
		}
	}
	// Anything else still needs its token, whatever the origin says.
	req, _ := http.NewRequest(http.MethodPost, a.URL("/logout"), nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if p := b.do(req); p.status != http.StatusForbidden {
		t.Errorf("logout without a token: %d", p.status)
	}
}

func TestNotFound(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	p := newBrowser(t, a).get("/no/such/page")
	if p.status != http.StatusNotFound || p.doc.Find("h1").Text() != "页面不存在" {
		t.Fatalf("404 page: %d %q", p.status, p.doc.Find("h1").Text())
	}
}

// A first visit to the login page while another request of the same visit
// is still on its way without a cookie (the icon the browser asks for
// beside the home page, or a mistyped address in another tab) must still
// log in: only a page with a form that needs the token sets the
// pre-session cookie, so the other answer cannot replace the cookie the
// login form was made for.
func TestFirstLoginBesideAnotherRequest(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	b := newBrowser(t, a)
	tok := b.csrf("/login")
	for _, path := range []string{"/favicon.ico", "/no-such-page"} {
		// Sent without the cookie the login page set, as a request that
		// left before that page arrived.
		res, err := http.Get(a.URL(path))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if c := res.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Fatalf("%s sets %v: it would replace the login form's pre-session cookie", path, c)
		}
		if path == "/favicon.ico" && (res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml") {
			t.Fatalf("%s: %d %s, want the icon", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	p := b.post("/login", "/login", url.Values{"csrf_token": {tok}, "username": {"root"}, "password": {"secret123"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("login after the other request: %d %s", p.status, p.doc.Find("main").Text())
	}
}
