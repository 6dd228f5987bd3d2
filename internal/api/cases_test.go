package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
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
	return apptest.ItemVersion(t, a, name)
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
			Due             string `json:"due"`
			Paused          bool   `json:"paused"`
			ProvisionalYear int    `json:"provisional_year"`
		} `json:"promised"`
		Legal struct {
			Due string `json:"due"`
		} `json:"legal"`
		Intake struct {
			Due      string `json:"due"`
			Deemed   bool   `json:"deemed_accepted"`
			Overdue  bool   `json:"overdue"`
			Provisio int    `json:"provisional_year"`
		} `json:"intake"`
		Specials []struct {
			Days         int `json:"days"`
			ExpectedDays int `json:"expected_days"`
		} `json:"specials"`
	} `json:"clocks"`
	Applicant struct {
		Name     string `json:"name"`
		IDNumber string `json:"id_number"`
		Phone    string `json:"phone"`
	} `json:"applicant"`
	Materials []struct {
		Code     string `json:"code"`
		SHA256   string `json:"sha256"`
		FileName string `json:"file_name"`
	} `json:"materials"`
	Masked        bool   `json:"personal_data_masked"`
	RefundOwedFen int64  `json:"refund_owed_fen"`
	FeePaidFen    int64  `json:"fee_paid_fen"`
	BundleNumber  string `json:"bundle_number"`
	FeePayable    bool   `json:"fee_payable"`
	Completion    string `json:"completion"`
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
	r := c.do("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), body)
	if r.status != http.StatusOK {
		t.Fatalf("%s %v: status %d; body: %s", user, body["kind"], r.status, r.body)
	}
	jsonUnmarshal(t, r.body, &after)
	// The answer is the case as saved: what reading it again returns.
	if again := c.do("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil); !bytes.Equal(r.body, again.body) {
		t.Fatalf("%s %v: the answer differs from the case read again:\n%s\n%s", user, body["kind"], r.body, again.body)
	}
	return after
}

func jsonUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
