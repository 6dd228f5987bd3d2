package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/cases"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/identity"
)

const hotlineToken = "test-hotline-token-0123456789"

// demoAPIApp is the demo data on a fixed day, with the hotline interface on.
func demoAPIApp(t *testing.T, backend string) *apptest.App {
	t.Helper()
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: func() time.Time { return at },
		Config: func(c *config.Config) { c.HotlineToken = hotlineToken }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a
}

func demoLogin(t *testing.T, a *apptest.App, user string) *client {
	return loginWith(t, a, user, demo.Password)
}

func serviceActor(t *testing.T, a *apptest.App, user string) *identity.Actor {
	t.Helper()
	_, act, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: user, Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return act
}

// instantCase files the demo's 个体工商户设立登记 for the citizen and has the
// clerk decide it at the window.
func instantCase(t *testing.T, a *apptest.App) *cases.Case {
	t.Helper()
	ctx := context.Background()
	version := apptest.ItemVersion(t, a, "个体工商户设立登记")
	p, err := a.Services.Cases.Procedure(ctx, version)
	if err != nil {
		t.Fatal(err)
	}
	in := cases.FileInput{ItemVersionID: version, Form: apptest.FormFor(p, map[string]string{"summary": "开办小吃店"}), Key: "api-rating-test"}
	for _, m := range p.Materials {
		if m.Kind == cases.MaterialUpload && m.Required {
			b, err := a.Services.Blobs.Put(ctx, strings.NewReader("%PDF-1.4\n%%EOF\n% "+m.Code), blob.PutOptions{Name: m.Code + ".pdf"})
			if err != nil {
				t.Fatal(err)
			}
			in.Materials = append(in.Materials, cases.MaterialFile{Code: m.Code, FileName: m.Code + ".pdf", SHA256: b.SHA256, Size: b.Size, MIME: b.MIME})
		}
	}
	f, err := a.Services.Cases.File(ctx, serviceActor(t, a, "citizen"), in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Services.Cases.Act(ctx, serviceActor(t, a, "clerk"), f.Case.ID, cases.Action{Command: cases.Command{Kind: cases.CmdDecideInstant, Decision: cases.DecisionApproved}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRatingsAPI walks a bad review through the API: rating, ticket
// steps, feedback, second evaluation and the figures; every answer is
// checked against openapi.json.
func TestRatingsAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		c := instantCase(t, a)
		citizen := demoLogin(t, a, "citizen")
		path := fmt.Sprintf("/api/v1/cases/%d/ratings", c.ID)
		var st struct {
			CanRate bool `json:"can_rate"`
			Stage   int  `json:"stage"`
		}
		citizen.call("GET", path, nil, http.StatusOK, &st)
		if !st.CanRate || st.Stage != 3 {
			t.Fatalf("case ratings %+v", st)
		}
		e := citizen.fail("POST", path, map[string]any{"level": 5}, http.StatusUnprocessableEntity)
		wantFields(t, e, "comment")
		var r struct {
			ID           int64  `json:"id"`
			Satisfaction string `json:"national_satisfaction"`
		}
		citizen.call("POST", path, map[string]any{"level": 5, "comment": "等候时间过长", "indicators": map[string]int{"efficiency": 5}}, http.StatusCreated, &r)
		if r.Satisfaction != "1" {
			t.Fatalf("非常不满意 is national code 1, got %q", r.Satisfaction)
		}
		citizen.fail("POST", path, map[string]any{"level": 1}, http.StatusConflict)
		// The clerk who handled the case does not see how the applicant
		// rated it (the department gets the ticket); the 监察人员 do.
		for user, want := range map[string]int{"clerk": 0, "supervisor": 1} {
			var seen struct {
				Ratings []struct {
					Level int `json:"level"`
				} `json:"items"`
			}
			demoLogin(t, a, user).call("GET", path, nil, http.StatusOK, &seen)
			if len(seen.Ratings) != want {
				t.Fatalf("%s sees %d ratings of the case, want %d", user, len(seen.Ratings), want)
			}
		}
		demoLogin(t, a, "approver2").fail("POST", path, map[string]any{"level": 1}, http.StatusNotFound)
		ticket := walkTicket(t, a)
		var mine struct {
			Handling struct {
				CanAgain    bool   `json:"can_rate_again"`
				Feedback    string `json:"feedback"`
				Status      string `json:"ticket_status"`
				StatusLabel string `json:"ticket_status_label"`
			} `json:"handling"`
		}
		citizen.call("GET", fmt.Sprintf("/api/v1/ratings/%d", r.ID), nil, http.StatusOK, &mine)
		if h := mine.Handling; !h.CanAgain || h.Feedback == "" || h.Status != "fed_back" || h.StatusLabel != "待二次评价" {
			t.Fatalf("handling %+v; want fed_back, labelled 待二次评价 as the page shows it", h)
		}
		citizen.call("POST", fmt.Sprintf("/api/v1/ratings/%d/again", r.ID), map[string]any{"level": 2}, http.StatusCreated, nil)
		var tk struct {
			Status string `json:"status"`
		}
		demoLogin(t, a, "approver").call("GET", fmt.Sprintf("/api/v1/rating-tickets/%d", ticket), nil, http.StatusOK, &tk)
		if tk.Status != "closed" {
			t.Fatalf("ticket %s", tk.Status)
		}
		checkFiguresAPI(t, a)
	})
}

// walkTicket takes the department's steps and returns the ticket's id.
func walkTicket(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	approver := demoLogin(t, a, "approver")
	var list struct {
		Items []struct {
			ID       int64  `json:"id"`
			Version  int    `json:"version"`
			Warning  string `json:"warning"`
			Callback struct {
				Due string `json:"due"`
			} `json:"callback_clock"`
		} `json:"items"`
	}
	approver.call("GET", "/api/v1/rating-tickets", nil, http.StatusOK, &list)
	if len(list.Items) != 1 || list.Items[0].Callback.Due != "2026-03-11" {
		t.Fatalf("tickets %+v", list.Items)
	}
	id := list.Items[0].ID
	act := fmt.Sprintf("/api/v1/rating-tickets/%d/actions", id)
	// Each step sends the version of the ticket as last answered.
	tk := struct {
		Version int `json:"version"`
	}{list.Items[0].Version}
	step := func(body map[string]any) map[string]any {
		body["version"] = tk.Version
		return body
	}
	approver.fail("POST", act, step(map[string]any{"kind": "verify", "code": "founded", "reason": "属实"}), http.StatusConflict)
	approver.call("POST", act, step(map[string]any{"kind": "callback", "reason": "已电话联系申请人"}), http.StatusOK, &tk)
	// A missing or unknown code is reported on the field the API names.
	wantFields(t, approver.fail("POST", act, step(map[string]any{"kind": "verify", "reason": "情况属实"}), http.StatusUnprocessableEntity), "code")
	wantFields(t, approver.fail("POST", act, step(map[string]any{"kind": "bogus", "reason": "x"}), http.StatusUnprocessableEntity), "kind")
	approver.call("POST", act, step(map[string]any{"kind": "verify", "code": "founded", "reason": "情况属实"}), http.StatusOK, &tk)
	wantFields(t, approver.fail("POST", act, step(map[string]any{"kind": "rectify", "code": "x", "reason": "增开窗口"}), http.StatusUnprocessableEntity), "code")
	approver.call("POST", act, step(map[string]any{"kind": "rectify", "code": "rectify", "reason": "增开窗口"}), http.StatusOK, &tk)
	approver.fail("POST", act, step(map[string]any{"kind": "uphold", "reason": "无"}), http.StatusForbidden)
	approver.call("POST", act, step(map[string]any{"kind": "feedback", "reason": "已增开窗口，欢迎再次评价"}), http.StatusOK, &tk)
	return id
}

func checkFiguresAPI(t *testing.T, a *apptest.App) {
	t.Helper()
	var f struct {
		Total struct {
			Total        int     `json:"total"`
			RectifyRate  float64 `json:"rectify_rate"`
			CallbackRate float64 `json:"callback_rate"`
		} `json:"total"`
	}
	demoLogin(t, a, "supervisor").call("GET", "/api/v1/ratings/figures?by=item&from=2026-03-01&to=2026-03-31", nil, http.StatusOK, &f)
	if f.Total.Total != 2 || f.Total.RectifyRate != 100 || f.Total.CallbackRate != 100 {
		t.Fatalf("figures %+v", f.Total)
	}
	e := demoLogin(t, a, "supervisor").fail("GET", "/api/v1/ratings/figures?from=2026-03-31&to=2026-03-01", nil, http.StatusUnprocessableEntity)
	wantFields(t, e, "to")
	demoLogin(t, a, "citizen").fail("GET", "/api/v1/ratings/figures?from=2026-03-01&to=2026-03-31", nil, http.StatusForbidden)
	// A period in year 1 (Go's zero date) or year 0 is refused at from,
	// in both figures, instead of answered with an empty period of 0001.
	for _, path := range []string{"/api/v1/ratings/figures", "/api/v1/complaints/figures"} {
		for _, period := range []string{"from=0001-01-01&to=0001-01-02", "from=0000-01-01&to=2026-03-31"} {
			e := demoLogin(t, a, "supervisor").fail("GET", path+"?"+period, nil, http.StatusUnprocessableEntity)
			wantFields(t, e, "from")
			if !strings.Contains(e.Error.Fields["from"], "2000 年") {
				t.Fatalf("%s?%s: %q", path, period, e.Error.Fields["from"])
			}
		}
	}
}

// TestCounterAndExchangeAPI: a counter device rates with its token; the
// export carries the national codes and re-importing skips what is held.
func TestCounterAndExchangeAPI(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	ctx := context.Background()
	a01 := a.Window(t, "A01").ID
	tok, _, err := a.Services.Ratings.StartCounter(ctx, serviceActor(t, a, "clerk"), a01)
	if err != nil {
		t.Fatal(err)
	}
	device := anonymous(t, a)
	withToken := func(r *http.Request) { r.Header.Set("X-Counter-Token", tok) }
	if r := device.do("POST", "/api/v1/counter/ratings", map[string]any{"level": 1}, withToken); r.status != http.StatusCreated {
		t.Fatalf("counter rating: %d %s", r.status, r.body)
	}
	device.fail("POST", "/api/v1/counter/ratings", map[string]any{"level": 1}, http.StatusNotFound)
	e := device.do("POST", "/api/v1/counter/ratings", map[string]any{"level": 9}, withToken).mustError(t, "bad level", http.StatusUnprocessableEntity)
	wantFields(t, e, "level")
	sup := demoLogin(t, a, "supervisor")
	var recs []map[string]string
	// The deployment's administrator, asking for no region, exports the
	// whole deployment's.
	demoLogin(t, a, "admin").call("GET", "/api/v1/ratings/export?from=2026-03-09&to=2026-03-09", nil, http.StatusOK, &recs)
	if len(recs) != 1 {
		t.Fatalf("the administrator's export: %d records", len(recs))
	}
	sup.call("GET", "/api/v1/ratings/export?from=2026-03-09&to=2026-03-09", nil, http.StatusOK, &recs)
	if len(recs) != 1 || recs[0]["satisfaction"] != "5" || recs[0]["pf"] != "4" || recs[0]["version"] != "2" {
		t.Fatalf("export %+v", recs)
	}
	region, _ := a.Services.Org.RegionByCode(ctx, "330106")
	var res struct {
		Existing int  `json:"existing"`
		Imported bool `json:"imported"`
	}
	sup.call("POST", "/api/v1/ratings/import?region="+region.Path, recs, http.StatusOK, &res)
	if res.Existing != 1 || res.Imported {
		t.Fatalf("re-import %+v", res)
	}
	recs[0]["satisfaction"], recs[0]["evaluateId"] = "0", "other-system-1"
	var bad struct {
		Bad  int `json:"bad"`
		Rows []struct {
			Errors map[string]string `json:"errors"`
		} `json:"rows"`
	}
	sup.call("POST", "/api/v1/ratings/import?region="+region.Path, recs, http.StatusUnprocessableEntity, &bad)
	if bad.Bad != 1 || bad.Rows[0].Errors["satisfaction"] == "" {
		t.Fatalf("a bad code is named: %+v", bad)
	}
	// A bad rating at the counter is anonymous: its ticket's 回访 clock
	// reads as the ticket's page does.
	if r := device.do("POST", "/api/v1/counter/ratings", map[string]any{"level": 5}, withToken); r.status != http.StatusCreated {
		t.Fatalf("bad counter rating: %d %s", r.status, r.body)
	}
	var list struct {
		Items []struct {
			Anonymous bool `json:"anonymous"`
			Callback  struct {
				Text string `json:"text"`
			} `json:"callback_clock"`
		} `json:"items"`
	}
	sup.call("GET", "/api/v1/rating-tickets", nil, http.StatusOK, &list)
	if len(list.Items) != 1 || !list.Items[0].Anonymous || list.Items[0].Callback.Text != "无法回访，不计时" {
		t.Fatalf("the anonymous ticket: %+v", list.Items)
	}
}

// TestComplaintAndHotlineAPI: an anonymous visitor complains and follows
// with the 查询码; the hotline hands a ticket over with its token and reads
// the answer back from the feed.
func TestComplaintAndHotlineAPI(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	anon := anonymous(t, a)
	e := anon.fail("POST", "/api/v1/complaints", map[string]any{"subject": "platform", "region_id": 1, "content": "网上申报页面打不开"}, http.StatusUnprocessableEntity)
	wantFields(t, e, "name", "phone")
	var filed struct {
		Number    string `json:"number"`
		QueryCode string `json:"query_code"`
	}
	anon.call("POST", "/api/v1/complaints", map[string]any{"subject": "platform", "region_id": 1, "content": "网上申报页面打不开", "anonymous": true}, http.StatusCreated, &filed)
	anon.call("POST", "/api/v1/complaints/track", map[string]any{"number": filed.Number, "query_code": filed.QueryCode}, http.StatusOK, nil)
	anon.fail("POST", "/api/v1/complaints/track", map[string]any{"number": filed.Number, "query_code": "12345678"}, http.StatusNotFound)

	hot := anonymous(t, a)
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+hotlineToken) }
	ticket := map[string]any{"kind": "consultation", "ticket_no": "12345-88", "region_code": "330106", "received_at": "2026-03-09T09:00:00+08:00",
		"caller": map[string]any{"name": "钱七", "phone": "13600001111"}, "content": "办理居住证需要哪些材料？"}
	hot.do("POST", "/api/v1/hotline/tickets", ticket).mustError(t, "no token", http.StatusUnauthorized)
	if r := hot.do("POST", "/api/v1/hotline/tickets", ticket, bearer); r.status != http.StatusCreated {
		t.Fatalf("receive: %d %s", r.status, r.body)
	}
	if r := hot.do("POST", "/api/v1/hotline/tickets", ticket, bearer); r.status != http.StatusOK {
		t.Fatalf("repeat: %d %s", r.status, r.body)
	}
	sup := demoLogin(t, a, "supervisor")
	var queue struct {
		Items []struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		} `json:"items"`
	}
	sup.call("GET", "/api/v1/complaints?queue=1", nil, http.StatusOK, &queue)
	e = sup.fail("POST", fmt.Sprintf("/api/v1/complaints/%d/actions", queue.Items[0].ID), map[string]any{"kind": "accept"}, http.StatusUnprocessableEntity)
	wantFields(t, e, "version")
	for _, it := range queue.Items {
		actOnComplaint(sup, it.ID, map[string]any{"kind": "accept"})
		actOnComplaint(sup, it.ID, map[string]any{"kind": "answer", "text": "请携带身份证和居住证明"})
	}
	if r := hot.do("GET", "/api/v1/hotline/answers?after=0", nil, bearer); r.status != http.StatusOK || !strings.Contains(string(r.body), "12345-88") {
		t.Fatalf("answers: %d %s", r.status, r.body)
	}
	if r := hot.do("GET", "/api/v1/hotline/tickets/consultation/12345-88", nil, bearer); r.status != http.StatusOK || !strings.Contains(string(r.body), "居住证明") {
		t.Fatalf("status: %d %s", r.status, r.body)
	}
}
