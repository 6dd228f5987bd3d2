package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
)

// testClock is the app's clock, moved forward by the test.
type testClock struct{ ns atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *testClock) Now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *testClock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }
func cst(m time.Month, d, h int) time.Time {
	return time.Date(2026, m, d, h, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// demoApp starts an app with the demo data set loaded.
func demoApp(t *testing.T, backend string, clock *testClock) *apptest.App {
	t.Helper()
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: clock.Now, Workers: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a
}

// itemVersion finds the published version of a demo item by name.
func itemVersion(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	items, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	// The demo has items of the same name in two regions: take the first
	// one created, whatever the search's ranking puts first.
	var found *catalog.Item
	for _, it := range items {
		if it.Name == name && it.PublishedID != nil && (found == nil || it.ID < found.ID) {
			found = it
		}
	}
	if found == nil {
		t.Fatalf("demo item %q not found", name)
	}
	return *found.PublishedID
}

const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// upload stores a material through the API.
func (c *client) upload(name, content string) uploadJSON {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write([]byte(content))
	w.Close()
	r := c.do("POST", "/api/v1/uploads", body.Bytes(), func(req *http.Request) { req.Header.Set("Content-Type", w.FormDataContentType()) })
	if r.status != http.StatusCreated {
		c.t.Fatalf("upload %s: %d %s", name, r.status, r.body)
	}
	var u uploadJSON
	json.Unmarshal(r.body, &u)
	return u
}

type uploadJSON struct {
	SHA256   string `json:"sha256"`
	FileName string `json:"file_name"`
}

type caseView struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Status      string `json:"status"`
	Decision    string `json:"decision"`
	Version     int    `json:"version"`
	Certificate string `json:"certificate"`
	QueryCode   string `json:"query_code"`
	FeeDueFen   int64  `json:"fee_due_fen"`
	Events      []struct {
		Kind string `json:"kind"`
	} `json:"events"`
	Clocks struct {
		Promised struct {
			Due    string `json:"due"`
			Paused bool   `json:"paused"`
		} `json:"promised"`
		Legal struct {
			Due string `json:"due"`
		} `json:"legal"`
	} `json:"clocks"`
}

// act performs a command as a freshly logged-in user (days pass between
// steps, so earlier sessions time out).
func act(t *testing.T, a *apptest.App, user string, id int64, body map[string]any) caseView {
	t.Helper()
	c := loginWith(t, a, user, demo.Password)
	var before caseView
	c.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &before)
	body["version"] = before.Version
	var after caseView
	c.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), body, http.StatusOK, &after)
	return after
}

// TestCaseScenario is the scenario through the API on both
// backends: a company applies for a 承诺件 approved in parallel by two
// departments; the window asks for a supplement, the company supplements,
// pays and is accepted; one department approves after a 现场勘察 that stops
// the clock, the other approves; a certificate is issued and verifies; the
// progress lookup shows every step and dates that skip the National Day
// holiday.
func TestCaseScenario(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		clock := newTestClock(cst(9, 22, 10))
		a := demoApp(t, backend, clock)
		version := itemVersion(t, a, "城市道路占用、挖掘许可")
		company := loginWith(t, a, "company", demo.Password)
		form := company.upload("申请表.pdf", tinyPDF)
		var filed caseView
		company.call("POST", "/api/v1/cases", map[string]any{"item_version_id": version,
			"form":      map[string]string{"summary": "文三路燃气管道抢修开挖", "挖掘面积（平方米）": "20"},
			"materials": []map[string]string{{"code": "m1", "sha256": form.SHA256, "file_name": "申请表.pdf"}}},
			http.StatusUnprocessableEntity, nil)
		plan := company.upload("施工方案.pdf", tinyPDF+"% plan\n")
		body := map[string]any{"item_version_id": version,
			"form": map[string]string{"summary": "文三路燃气管道抢修开挖", "挖掘面积（平方米）": "20"},
			"materials": []map[string]string{{"code": "m1", "sha256": form.SHA256, "file_name": "申请表.pdf"},
				{"code": "m2", "sha256": plan.SHA256, "file_name": "施工方案.pdf"}}}
		r := company.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", "scenario-1") })
		if r.status != http.StatusCreated {
			t.Fatalf("file: %d %s", r.status, r.body)
		}
		json.Unmarshal(r.body, &filed)
		again := company.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", "scenario-1") })
		var dup caseView
		json.Unmarshal(again.body, &dup)
		if again.status != http.StatusOK || dup.ID != filed.ID {
			t.Fatalf("a retried submission made another case: %d %s", again.status, again.body)
		}
		if filed.FeeDueFen != 2400_00 || len(filed.QueryCode) != 6 {
			t.Fatalf("filed: fee %d, query code %q", filed.FeeDueFen, filed.QueryCode)
		}
		scenarioSteps(t, a, clock, filed)
	})
}

func scenarioSteps(t *testing.T, a *apptest.App, clock *testClock, filed caseView) {
	id := filed.ID
	clock.Set(cst(9, 22, 14))
	act(t, a, "clerk", id, map[string]any{"kind": "request_supplement", "items": []string{"规划批准文件复印件", "施工方案须加盖施工单位公章"}})
	clock.Set(cst(9, 23, 9))
	company := loginWith(t, a, "company", demo.Password)
	fixed := company.upload("施工方案（盖章）.pdf", tinyPDF+"% stamped\n")
	act(t, a, "company", id, map[string]any{"kind": "supplement", "materials": []map[string]string{{"code": "m2", "sha256": fixed.SHA256, "file_name": "施工方案（盖章）.pdf"}}})
	clock.Set(cst(9, 24, 10))
	act(t, a, "clerk", id, map[string]any{"kind": "pay_fee", "amount_fen": 240000})
	accepted := act(t, a, "clerk", id, map[string]any{"kind": "accept"})
	// Accepted Thu 09-24: 09-25 … 09-27 中秋 and weekend, 10-01 … 10-07 国庆,
	// 10-10 a make-up Saturday: the 10th working day is 10-15.
	if accepted.Clocks.Promised.Due != "2026-10-15" || accepted.Status != "review" {
		t.Fatalf("after acceptance: %s, promised due %s; want review, 2026-10-15", accepted.Status, accepted.Clocks.Promised.Due)
	}
	clock.Set(cst(9, 29, 9))
	during := act(t, a, "cgapprover", id, map[string]any{"kind": "start_special", "branch": 0, "code": "site_inspection", "reason": "核实开挖范围与管线位置"})
	if !during.Clocks.Promised.Paused {
		t.Fatal("现场勘察 must stop the clock")
	}
	clock.Set(cst(9, 30, 16))
	act(t, a, "cgapprover", id, map[string]any{"kind": "end_special", "branch": 0, "reason": "现场与申请一致"})
	clock.Set(cst(10, 8, 10))
	resumed := act(t, a, "cgapprover", id, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"})
	// 09-30 did not count: the due date moves one working day, to 10-16.
	if resumed.Clocks.Promised.Due != "2026-10-16" {
		t.Fatalf("promised due after the inspection: %s, want 2026-10-16", resumed.Clocks.Promised.Due)
	}
	act(t, a, "gaapprover", id, map[string]any{"kind": "pass", "branch": 1, "reason": "交通组织方案可行"})
	clock.Set(cst(10, 9, 11))
	done := act(t, a, "cghead", id, map[string]any{"kind": "pass", "branch": 0, "reason": "准予许可"})
	if done.Status != "closed" || done.Decision != "approved" || done.Certificate == "" {
		t.Fatalf("decision: %s %s certificate %q", done.Status, done.Decision, done.Certificate)
	}
	checkCertificateAndProgress(t, a, filed, done)
}

func checkCertificateAndProgress(t *testing.T, a *apptest.App, filed, done caseView) {
	anon := anonymous(t, a)
	var verified struct {
		Status string `json:"status"`
		Valid  bool   `json:"valid"`
	}
	anon.call("GET", "/api/v1/certificates/"+done.Certificate+"/verify", nil, http.StatusOK, &verified)
	if !verified.Valid {
		t.Fatalf("certificate does not verify: %+v", verified)
	}
	var progress struct {
		Applicant string `json:"applicant"`
		Events    []struct {
			Kind string `json:"kind"`
		} `json:"events"`
	}
	anon.call("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": filed.QueryCode}, http.StatusOK, &progress)
	var kinds []string
	for _, e := range progress.Events {
		kinds = append(kinds, e.Kind)
	}
	want := "submitted supplement_requested supplemented fee_paid accepted special_started special_ended step_passed step_passed branch_decided step_passed branch_decided decided certificate_issued closed"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("progress events:\n%s\nwant\n%s", strings.Join(kinds, " "), want)
	}
	anon.fail("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": "000000"}, http.StatusNotFound)
}

func jsonUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
