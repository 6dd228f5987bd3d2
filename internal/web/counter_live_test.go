package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

// liveReply is the server's answer on the tablet's live channel.
type liveReply struct {
	Key     string            `json:"key"`
	OK      bool              `json:"ok"`
	Message string            `json:"message"`
	Errors  map[string]string `json:"errors"`
	Ended   bool              `json:"ended"`
}

// dialLive opens the live channel of the tablet holding tok, from a page
// of origin.
func dialLive(t *testing.T, a *apptest.App, tok, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{"Origin": {origin}}
	if tok != "" {
		h.Set("Cookie", "oh_counter="+tok)
	}
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.URL("/counter/live"), "http"), &websocket.DialOptions{HTTPHeader: h})
}

func sendLive(t *testing.T, c *websocket.Conn, msg string) liveReply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	_, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var r liveReply
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("answer %s: %v", data, err)
	}
	return r
}

// TestCounterLiveChannel: a tablet rates over its live channel; a rating
// sent again under its key is stored once; bad messages are answered with
// the field in error and store nothing; only the site's pages of a started
// tablet open the channel; a stopped tablet is told so and the channel
// closes. Two windows' tablets, each counting for its own window.
func TestCounterLiveChannel(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		clerk, a01 := demoActor(t, a, "clerk"), a.Window(t, "A01").ID
		seated, other := seatClerk(t, a, "hzclerk", "C01")
		tok, counter, err := a.Services.Ratings.StartCounter(ctx, clerk, a01)
		if err != nil {
			t.Fatal(err)
		}
		if _, res, err := dialLive(t, a, "", a.BaseURL); err == nil || res == nil || res.StatusCode != http.StatusNotFound {
			t.Fatalf("a device that is no tablet: %v %v", res, err)
		}
		if _, res, err := dialLive(t, a, tok, "https://evil.example.com"); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Fatalf("a page of another site: %v %v", res, err)
		}
		c, _, err := dialLive(t, a, tok, a.BaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		key := strings.Repeat("ab", 16)
		msg := `{"key":"` + key + `","level":2,"indicators":{"attitude":1},"comment":" 很耐心 "}`
		for range 2 { // the second is the same rating sent again
			if r := sendLive(t, c, msg); !r.OK || r.Key != key {
				t.Fatalf("rating: %+v", r)
			}
		}
		rs, n, err := a.Stores.Ratings.FindRatings(ctx, rating.Filter{Limit: 10})
		if err != nil || n != 1 || rs[0].WindowID != a01 || rs[0].StaffID != clerk.UserID || rs[0].Level != rating.Satisfied ||
			rs[0].Channel != rating.ChannelTablet || rs[0].Comment != "很耐心" || rs[0].Indicators[rating.IndAttitude] != rating.VerySatisfied {
			t.Fatalf("stored %d (%v): %+v", n, err, rs)
		}
		for _, tc := range []struct{ msg, field string }{
			{`{"key":"` + strings.Repeat("cd", 16) + `","level":9}`, "level"},
			{`{"key":"` + strings.Repeat("cd", 16) + `","level":1,"indicators":{"usability":1}}`, "indicators.usability"},
			{`{"key":"` + strings.Repeat("cd", 16) + `","level":1,"comment":"` + strings.Repeat("长", 501) + `"}`, "comment"},
			{`{"key":"CD","level":1}`, "key"},
		} {
			if r := sendLive(t, c, tc.msg); r.OK || r.Errors[tc.field] == "" || r.Message == "" {
				t.Errorf("%s: %+v, want an error on %s", tc.msg, r, tc.field)
			}
		}
		if r := sendLive(t, c, `{"level":`); r.OK || !strings.Contains(r.Message, "格式无效") {
			t.Errorf("malformed: %+v", r)
		}
		// A second window's tablet counts for its own window.
		tok2, _, err := a.Services.Ratings.StartCounter(ctx, seated, other)
		if err != nil {
			t.Fatal(err)
		}
		c2, _, err := dialLive(t, a, tok2, a.BaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer c2.CloseNow()
		if r := sendLive(t, c2, `{"key":"`+strings.Repeat("ef", 16)+`","level":5}`); !r.OK {
			t.Fatalf("second window: %+v", r)
		}
		if rs, n, err := a.Stores.Ratings.FindRatings(ctx, rating.Filter{Limit: 1}); err != nil || n != 2 || rs[0].WindowID != other {
			t.Fatalf("second window's rating: %d %v %+v", n, err, rs)
		}
		// A tablet keeps a few channels at most (a page reloading); the
		// first tablet's are counted apart.
		more := []*websocket.Conn{}
		for range 3 {
			m, _, err := dialLive(t, a, tok2, a.BaseURL)
			if err != nil {
				t.Fatal(err)
			}
			more = append(more, m)
		}
		if _, res, err := dialLive(t, a, tok2, a.BaseURL); err == nil || res == nil || res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("a fifth channel for one tablet: %v %v", res, err)
		}
		more[0].Close(websocket.StatusNormalClosure, "")
		for i := 0; ; i++ { // the server counts the channel out once its handler is done
			m, _, err := dialLive(t, a, tok2, a.BaseURL)
			if err == nil {
				m.CloseNow()
				break
			}
			if i == 50 {
				t.Fatalf("no channel once one closed: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, m := range more[1:] {
			m.CloseNow()
		}
		// The clerk stops the first tablet: its next message is told so,
		// and the channel closes.
		if err := a.Services.Ratings.EndCounter(ctx, clerk, counter.ID); err != nil {
			t.Fatal(err)
		}
		if r := sendLive(t, c, `{"key":"`+strings.Repeat("12", 16)+`","level":1}`); !r.Ended || r.Message == "" {
			t.Fatalf("after the tablet was stopped: %+v", r)
		}
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, _, err := c.Read(rctx); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Fatalf("the stopped tablet's channel: %v", err)
		}
	})
}

// seatClerk creates a clerk in the region of a demo window and seats them
// there; it returns the clerk and the window.
func seatClerk(t *testing.T, a *apptest.App, username, number string) (*identity.Actor, int64) {
	t.Helper()
	ctx := context.Background()
	w := a.Window(t, number)
	centre, err := a.Services.Org.Centre(ctx, w.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	a.Staff(t, username, string(identity.RoleWindowClerk), &centre.RegionID, nil)
	a.Staff(t, "root-"+username, string(identity.RoleSysAdmin), nil, nil)
	_, root, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "root-" + username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	_, clerk, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	in := org.WindowInput{CentreID: w.CentreID, Number: w.Number, Name: w.Name, Kind: w.Kind, DepartmentIDs: w.DepartmentIDs,
		StaffIDs: append(w.StaffIDs, clerk.UserID)}
	if _, err := a.Services.Org.SaveWindow(ctx, root, w.ID, in); err != nil {
		t.Fatal(err)
	}
	return clerk, w.ID
}

// TestCounterFormSentTwice: the tablet's page carries a key for its next
// rating, so a form posted twice (a double tap, or the live channel's
// script posting a rating whose answer it lost) stores one rating; the
// page after it carries a new key; a key altered into none is replaced by
// one of the server's.
func TestCounterFormSentTwice(t *testing.T) {
	a := ratingsApp(t)
	tablet := newBrowser(t, a)
	tablet.login("clerk", demo.Password)
	id, _ := tablet.get("/staff/counter").doc.Find(`form[action="/staff/counter/start"] input[name=window_id]`).First().Attr("value")
	if p := tablet.post("/staff/counter", "/staff/counter/start", url.Values{"window_id": {id}}); p.status != http.StatusSeeOther {
		t.Fatalf("start the tablet: %d", p.status)
	}
	_, before, _ := a.Stores.Ratings.FindRatings(context.Background(), rating.Filter{Limit: 1})
	page := tablet.get("/counter")
	key, _ := page.doc.Find(`input[name=key]`).Attr("value")
	for range 2 {
		if p := tablet.post("/counter", "/counter/ratings", url.Values{"level": {"1"}, "key": {key}}); p.status != http.StatusSeeOther {
			t.Fatalf("rate: %d", p.status)
		}
	}
	if _, n, _ := a.Stores.Ratings.FindRatings(context.Background(), rating.Filter{Limit: 1}); n != before+1 {
		t.Fatalf("%d ratings stored for one posted twice", n-before)
	}
	if next, _ := tablet.get("/counter").doc.Find(`input[name=key]`).Attr("value"); next == key || len(next) != 32 {
		t.Fatalf("the next rating's key %q after %q", next, key)
	}
	if p := tablet.post("/counter", "/counter/ratings", url.Values{"level": {"1"}, "key": {"1234"}}); p.status != http.StatusSeeOther {
		t.Fatalf("a key altered into none: %d", p.status)
	}
	if _, n, _ := a.Stores.Ratings.FindRatings(context.Background(), rating.Filter{Limit: 1}); n != before+2 {
		t.Fatalf("a rating under an altered key is stored under a key of the server's: %d stored", n-before)
	}
}
