package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// TestCounterSMSWindowOutOfSight: the clerk's SMS invitation (and the
// tablet's start) for a window the clerk does not sit at reads exactly
// like one for a window that does not exist: same status, same words.
func TestCounterSMSWindowOutOfSight(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: func() time.Time { return at },
			Config: func(c *config.Config) { c.SMSGateway, c.PublicURL = "log", "https://zw.example.gov.cn" }})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		other := windowNotSeated(t, a, demoActor(t, a, "clerk").UserID)
		b := newBrowser(t, a)
		b.login("clerk", demo.Password)
		for _, path := range []string{"/staff/counter/sms", "/staff/counter/start"} {
			form := func(id int64) url.Values {
				return url.Values{"window_id": {strconv.FormatInt(id, 10)}, "phone": {"13800009999"}}
			}
			theirs, none := b.post("/staff/counter", path, form(other)), b.post("/staff/counter", path, form(999999))
			msg := func(p *page) string { return strings.TrimSpace(p.doc.Find(".error-page").Text()) }
			if theirs.status != http.StatusNotFound || none.status != theirs.status || msg(none) == "" || msg(none) != msg(theirs) {
				t.Fatalf("%s: a window not the clerk's: %d %q; none: %d %q", path, theirs.status, msg(theirs), none.status, msg(none))
			}
		}
	})
}

// windowNotSeated is a demo window the user does not sit at.
func windowNotSeated(t *testing.T, a *apptest.App, userID int64) int64 {
	t.Helper()
	ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if !slices.Contains(w.StaffIDs, userID) {
			return w.ID
		}
	}
	t.Fatal("every demo window has the clerk")
	return 0
}
