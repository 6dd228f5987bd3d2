package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"
)

// disclosureNow is the clock of the disclosure API tests: Wednesday
// 2026-03-18, so that every deadline lies inside the shipped 2026 calendar.
func disclosureNow() time.Time { return time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC) }

type idJSON struct {
	ID int64 `json:"id"`
}

type docOut struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	IndexNo string `json:"index_no"`
	DocNo   string `json:"doc_no"`
}

type requestOut struct {
	ID      int64    `json:"id"`
	Status  string   `json:"status"`
	Missing []string `json:"missing"`
	Due     string   `json:"due"`
	Masked  bool     `json:"masked"`
	Phone   string   `json:"phone"`
}

// TestDisclosure_DoneWhen runs the scenario through the API on both
// backends: a policy and its interpretation drafted, reviewed and published
// together, found with a two-character query; an online request corrected,
// extended once and answered 部分公开; the year's report showing it.
func TestDisclosure_DoneWhen(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow})
		a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
		a.Staff(t, "reviewer", "disclosure_officer", &a.Tree.County.ID, nil)
		citizenAccount(t, a)
		officer, reviewer, citizen := login(t, a, "officer"), login(t, a, "reviewer"), login(t, a, "citizen")

		var ag idJSON
		officer.call("POST", "/api/v1/disclosure/agencies", map[string]any{"region_id": a.Tree.County.ID, "name": "西湖区人民政府",
			"code": "002482133", "guide": "## 指南"}, http.StatusCreated, &ag)
		policy, interp := draftPolicy(t, officer, ag.ID)
		for _, id := range []int64{policy, interp} {
			officer.call("POST", fmt.Sprintf("/api/v1/disclosure/docs/%d/submit", id), nil, http.StatusOK, nil)
		}
		officer.fail("POST", fmt.Sprintf("/api/v1/disclosure/docs/%d/publish", policy), nil, http.StatusConflict)
		for _, id := range []int64{policy, interp} {
			reviewer.call("POST", fmt.Sprintf("/api/v1/disclosure/docs/%d/review", id), map[string]any{"conclusion": "pass",
				"basis": "《保守国家秘密法》第三十五条"}, http.StatusOK, nil)
			reviewer.call("POST", fmt.Sprintf("/api/v1/disclosure/docs/%d/approve", id), nil, http.StatusOK, nil)
		}
		var published docOut
		officer.call("POST", fmt.Sprintf("/api/v1/disclosure/docs/%d/publish", policy), nil, http.StatusOK, &published)
		var i docOut
		anonymous(t, a).call("GET", fmt.Sprintf("/api/v1/disclosure/docs/%d", interp), nil, http.StatusOK, &i)
		if published.Status != "published" || i.Status != "published" || published.DocNo != "西政发〔2026〕5号" || published.IndexNo == "" {
			t.Fatalf("published together: %+v %+v", published, i)
		}
		var found struct {
			Total int `json:"total"`
		}
		anonymous(t, a).call("GET", "/api/v1/disclosure/search?q=%E5%B0%B1%E4%B8%9A", nil, http.StatusOK, &found)
		if found.Total != 2 {
			t.Fatalf("two-character search found %d, want the policy and its interpretation", found.Total)
		}
		reqID := requestFlow(t, officer, citizen, ag.ID)
		reportShowsRequest(t, officer, ag.ID)
		var watcherView requestOut
		a.Staff(t, "watcher", "supervisor", &a.Tree.City.ID, nil)
		login(t, a, "watcher").call("GET", fmt.Sprintf("/api/v1/disclosure/requests/%d", reqID), nil, http.StatusOK, &watcherView)
		if !watcherView.Masked || watcherView.Phone != "138****8000" {
			t.Fatalf("supervisor sees the applicant unmasked: %+v", watcherView)
		}
	})
}

func citizenAccount(t *testing.T, a *apptest.App) {
	t.Helper()
	_, err := a.Services.Identity.CreateUser(context.Background(), identity.SystemActor(), identity.UserInput{Kind: identity.KindPerson,
		Username: "citizen", Name: "张三", IDNumber: storetest.IDNumber(9), Phone: "13800138000", Password: password})
	if err != nil {
		t.Fatal(err)
	}
}

func draftPolicy(t *testing.T, officer *client, agency int64) (int64, int64) {
	t.Helper()
	var policy, interp idJSON
	officer.call("POST", "/api/v1/disclosure/docs", map[string]any{"agency_id": agency, "title": "西湖区促进就业若干政策",
		"doc_no": "西政发(2026)5号", "topic": "劳动、人事、监察", "genre": "normative", "category": "a20-11",
		"formed_on": "2026-03-16", "needs_interp": true, "body": "第一条 为促进就业……"}, http.StatusCreated, &policy)
	e := officer.fail("POST", "/api/v1/disclosure/docs", map[string]any{"agency_id": agency, "title": "<script>", "genre": "interp",
		"topic": "劳动、人事、监察", "category": "a20-11", "formed_on": "2026-03-16"}, http.StatusUnprocessableEntity)
	wantFields(t, e, "interprets_id")
	officer.call("POST", "/api/v1/disclosure/docs", map[string]any{"agency_id": agency, "title": "《西湖区促进就业若干政策》解读",
		"topic": "劳动、人事、监察", "genre": "interp", "category": "a20-11", "formed_on": "2026-03-16",
		"interprets_id": policy.ID, "body": "问答"}, http.StatusCreated, &interp)
	return policy.ID, interp.ID
}

func requestFlow(t *testing.T, officer, citizen *client, agency int64) int64 {
	t.Helper()
	var r requestOut
	citizen.call("POST", "/api/v1/disclosure/requests", map[string]any{"agency_id": agency, "channel": "online", "name": "张三",
		"phone": "13800138000", "description": "西湖区2025年老旧小区改造项目清单", "delivery": "电子邮件"}, http.StatusCreated, &r)
	if r.Status != "submitted" || !slices.Contains(r.Missing, "申请人的身份证明") {
		t.Fatalf("request without identity: %+v", r)
	}
	path := fmt.Sprintf("/api/v1/disclosure/requests/%d", r.ID)
	officer.call("POST", path+"/confirm", map[string]any{}, http.StatusOK, nil)
	officer.call("POST", path+"/events", map[string]any{"kind": "correction_notice", "note": "申请人的身份证明"}, http.StatusOK, nil)
	citizen.fail("POST", path+"/events", map[string]any{"kind": "corrected"}, http.StatusForbidden)
	officer.call("POST", path+"/events", map[string]any{"kind": "corrected"}, http.StatusOK, nil)
	officer.call("POST", path+"/events", map[string]any{"kind": "extension", "days": 10, "party": "王主任", "note": "需调取档案"}, http.StatusOK, nil)
	officer.fail("POST", path+"/events", map[string]any{"kind": "extension", "days": 5, "party": "王主任"}, http.StatusConflict)
	wantFields(t, officer.fail("POST", path+"/answer", map[string]any{"type": "partial", "text": "部分涉及个人信息"}, http.StatusUnprocessableEntity), "reason")
	officer.call("POST", path+"/answer", map[string]any{"type": "partial", "reason": "third_party", "text": "涉及个人信息的部分不予公开"}, http.StatusOK, &r)
	if r.Status != "answered" {
		t.Fatalf("answer: %+v", r)
	}
	var letter struct {
		Paragraphs []string `json:"paragraphs"`
	}
	citizen.call("GET", path+"/letters/answered", nil, http.StatusOK, &letter)
	if !strings.Contains(strings.Join(letter.Paragraphs, ""), "第三十七条") {
		t.Fatalf("answer letter: %v", letter.Paragraphs)
	}
	return r.ID
}

func reportShowsRequest(t *testing.T, officer *client, agency int64) {
	t.Helper()
	var rep struct {
		Table3 map[string][7]int `json:"table3"`
		Checks []struct {
			Name string `json:"name"`
			OK   bool   `json:"ok"`
		} `json:"checks"`
	}
	officer.call("GET", fmt.Sprintf("/api/v1/disclosure/reports/%d/2026", agency), nil, http.StatusOK, &rep)
	if rep.Table3["1"] != [7]int{1, 0, 0, 0, 0, 0, 1} || rep.Table3["3.2"] != [7]int{1, 0, 0, 0, 0, 0, 1} || rep.Table3["4"] != [7]int{} {
		t.Fatalf("report rows: 1 %v, 3.2 %v, 4 %v", rep.Table3["1"], rep.Table3["3.2"], rep.Table3["4"])
	}
	for _, c := range rep.Checks {
		if !c.OK {
			t.Fatalf("report check %s failed", c.Name)
		}
	}
	r := officer.do("GET", fmt.Sprintf("/api/v1/disclosure/reports/%d/2026/xlsx", agency), nil)
	if r.status != http.StatusOK || string(r.body[:2]) != "PK" {
		t.Fatalf("xlsx: %d", r.status)
	}
	var empty struct {
		Table3 map[string][7]int `json:"table3"`
	}
	officer.call("GET", fmt.Sprintf("/api/v1/disclosure/reports/%d/2025", agency), nil, http.StatusOK, &empty)
	if empty.Table3["3.7"] != [7]int{} {
		t.Fatalf("a year with no data: %v", empty.Table3)
	}
}

// A request that exists but is not the caller's answers exactly like one
// that does not exist, for reading it and for the officers' steps alike.
func TestDisclosureRequestExistenceNotDisclosed(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{Now: disclosureNow})
	a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
	citizenAccount(t, a)
	storetest.Registered(t, &storetest.Services{Stores: a.Stores, Identity: a.Services.Identity}, identity.UserInput{
		Kind: identity.KindPerson, Username: "stranger", Name: "李四", IDNumber: storetest.IDNumber(10), Password: password})
	officer, citizen, stranger := login(t, a, "officer"), login(t, a, "citizen"), login(t, a, "stranger")
	var ag idJSON
	officer.call("POST", "/api/v1/disclosure/agencies", map[string]any{"region_id": a.Tree.County.ID, "name": "西湖区人民政府",
		"code": "002482133"}, http.StatusCreated, &ag)
	var r requestOut
	citizen.call("POST", "/api/v1/disclosure/requests", map[string]any{"agency_id": ag.ID, "channel": "online", "name": "张三",
		"phone": "13800138000", "description": "西湖区2025年老旧小区改造项目清单", "delivery": "电子邮件"}, http.StatusCreated, &r)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/disclosure/requests/%d"},
		{"POST", "/api/v1/disclosure/requests/%d/confirm"},
		{"POST", "/api/v1/disclosure/requests/%d/answer"},
	} {
		var body any
		if c.method == "POST" {
			body = map[string]any{}
		}
		theirs := stranger.do(c.method, fmt.Sprintf(c.path, r.ID), body)
		none := stranger.do(c.method, fmt.Sprintf(c.path, r.ID+1000), body)
		if c.method == "GET" && theirs.status != http.StatusNotFound || theirs.status != none.status || string(theirs.body) != string(none.body) {
			t.Errorf("%s %s: another's request %d %s; no request %d %s", c.method, c.path, theirs.status, theirs.body, none.status, none.body)
		}
	}
}
