package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/identity"
)

// fileFood files a 食品经营许可 (市场监管, 承诺件) as the demo citizen.
func fileFood(t *testing.T, a *apptest.App, key string) caseView {
	t.Helper()
	c := loginWith(t, a, "citizen", demo.Password)
	var ms []map[string]string
	for i, code := range []string{"m1", "m3", "m4"} {
		u := c.upload(code+".pdf", tinyPDF+fmt.Sprintf("%% %s %d\n", key, i))
		ms = append(ms, map[string]string{"code": code, "sha256": u.SHA256, "file_name": code + ".pdf"})
	}
	body := map[string]any{"item_version_id": itemVersion(t, a, "食品经营许可"), "form": foodForm, "materials": ms}
	r := c.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", key) })
	if r.status != http.StatusCreated {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	var v caseView
	jsonUnmarshal(t, r.body, &v)
	return v
}

// foodForm is a complete application form of the 食品经营许可.
var foodForm = map[string]string{"summary": "开办小吃店", "经营场所": "西湖区文三路 100 号", "经营面积（平方米）": "45", "主体业态": "餐饮服务经营者"}

func TestCaseAuthorizationMatrix(t *testing.T) {
	clock := newTestClock(cst(11, 2, 10))
	a := demoApp(t, "sqlite", clock)
	filed := fileFood(t, a, "matrix-1")
	path := fmt.Sprintf("/api/v1/cases/%d", filed.ID)
	actions := path + "/actions"
	cases := []struct {
		name, user, method, path string
		body                     map[string]any
		want                     int
	}{
		{"anonymous reads", "", "GET", path, nil, http.StatusUnauthorized},
		{"applicant reads", "citizen", "GET", path, nil, http.StatusOK},
		{"another company reads", "company", "GET", path, nil, http.StatusNotFound},
		{"clerk of the county reads", "clerk", "GET", path, nil, http.StatusOK},
		{"approver of another department reads", "approver2", "GET", path, nil, http.StatusNotFound},
		{"supervisor of the city reads", "supervisor", "GET", path, nil, http.StatusOK},
		{"applicant cannot accept", "citizen", "POST", actions, map[string]any{"kind": "accept"}, http.StatusForbidden},
		{"approver cannot accept", "approver", "POST", actions, map[string]any{"kind": "accept"}, http.StatusForbidden},
		{"agent outside the item's scope cannot accept", "agent", "POST", actions, map[string]any{"kind": "accept"}, http.StatusNotFound},
		{"step before acceptance", "approver", "POST", actions, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"}, http.StatusConflict},
		{"clerk accepts", "clerk", "POST", actions, map[string]any{"kind": "accept"}, http.StatusOK},
		{"accepting twice", "clerk", "POST", actions, map[string]any{"kind": "accept"}, http.StatusConflict},
		{"approver of another department", "approver2", "POST", actions, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"}, http.StatusNotFound},
		{"clerk cannot approve", "clerk", "POST", actions, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"}, http.StatusForbidden},
		{"department head cannot act as the applicant", "depthead", "POST", actions, map[string]any{"kind": "withdraw"}, http.StatusForbidden},
		{"approver approves 审查", "approver", "POST", actions, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"}, http.StatusOK},
		{"approver cannot take the head's 决定", "approver", "POST", actions, map[string]any{"kind": "pass", "branch": 0, "reason": "同意"}, http.StatusForbidden},
		{"a step's decision needs the opinion", "depthead", "POST", actions, map[string]any{"kind": "pass", "branch": 0}, http.StatusUnprocessableEntity},
		{"intake queue is the clerks'", "citizen", "GET", "/api/v1/queues/intake", nil, http.StatusForbidden},
		{"approval queue is the approvers'", "clerk", "GET", "/api/v1/queues/approval", nil, http.StatusForbidden},
	}
	for _, c := range cases {
		cl := anonymous(t, a)
		if c.user != "" {
			cl = loginWith(t, a, c.user, demo.Password)
		}
		var body any
		if c.body != nil {
			body = c.body
		}
		if c.path == actions {
			c.body["version"] = currentVersion(t, a, filed.ID) // the version the actor sees
		}
		if r := cl.do(c.method, c.path, body); r.status != c.want {
			t.Errorf("%s: %s %s as %q: %d, want %d; %s", c.name, c.method, c.path, c.user, r.status, c.want, r.body)
		}
	}
}

func currentVersion(t *testing.T, a *apptest.App, id int64) int {
	t.Helper()
	c, err := a.Stores.Cases.LoadCase(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

func TestCaseBadInput(t *testing.T) {
	clock := newTestClock(cst(11, 2, 10))
	a := demoApp(t, "sqlite", clock)
	c := loginWith(t, a, "citizen", demo.Password)
	version := itemVersion(t, a, "食品经营许可")
	t.Run("DisguisedUpload", func(t *testing.T) {
		r := c.uploadRaw("申请书.pdf", "MZ\x90\x00\x03\x00\x00\x00 this is a program")
		e := r.mustError(t, "upload", http.StatusUnprocessableEntity)
		wantFields(t, e, "file")
	})
	t.Run("OversizedUpload", func(t *testing.T) {
		r := c.uploadRaw("大文件.pdf", tinyPDF+strings.Repeat("x", 10<<20))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("oversized: %d %s", r.status, r.body)
		}
	})
	t.Run("MissingFieldAndMaterials", func(t *testing.T) {
		r := c.do("POST", "/api/v1/cases", map[string]any{"item_version_id": version, "form": map[string]string{}},
			func(req *http.Request) { req.Header.Set("Idempotency-Key", "bad-1") })
		e := r.mustError(t, "file", http.StatusUnprocessableEntity)
		for _, f := range []string{"form.summary", "form.经营场所", "form.经营面积（平方米）", "form.主体业态", "material.m1", "material.m3", "material.m4"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("no error on %s: %v", f, e.Error.Fields)
			}
		}
	})
	t.Run("ApplicantFieldsNamedAsSent", func(t *testing.T) {
		// Staff filing for someone send the applicant as an object; its
		// errors are keyed by the same path (applicant.id_number).
		agent := loginWith(t, a, "agent", demo.Password)
		r := agent.do("POST", "/api/v1/cases", map[string]any{"item_version_id": version, "form": foodForm,
			"applicant": map[string]string{"kind": "person", "name": "李四", "id_number": "330106199001011234", "phone": "1380000"}},
			func(req *http.Request) { req.Header.Set("Idempotency-Key", "bad-applicant") })
		e := r.mustError(t, "file", http.StatusUnprocessableEntity)
		for _, f := range []string{"applicant.id_number", "applicant.phone"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("no error on %s: %v", f, e.Error.Fields)
			}
		}
	})
	t.Run("KeyReusedForOtherContent", func(t *testing.T) {
		// A retry returns the case filed; the same key with other content
		// is refused, saying so, instead of answering with that case.
		filed := fileFood(t, a, "reuse-1")
		var ms []map[string]string
		for _, m := range filed.Materials {
			ms = append(ms, map[string]string{"code": m.Code, "sha256": m.SHA256, "file_name": m.FileName})
		}
		body := map[string]any{"item_version_id": version, "form": foodForm, "materials": ms}
		key := func(req *http.Request) { req.Header.Set("Idempotency-Key", "reuse-1") }
		var again caseView
		jsonUnmarshal(t, c.do("POST", "/api/v1/cases", body, key).body, &again)
		if again.ID != filed.ID {
			t.Fatalf("a retry filed case %d, want %d", again.ID, filed.ID)
		}
		other := map[string]string{}
		for k, v := range foodForm {
			other[k] = v
		}
		other["summary"] = "开办另一家小吃店"
		body["form"] = other
		e := c.do("POST", "/api/v1/cases", body, key).mustError(t, "the key reused for other content", http.StatusConflict)
		if !strings.Contains(e.Error.Message, filed.Number) {
			t.Fatalf("the refusal names the case filed under the key: %s", e.Error.Message)
		}
	})
	t.Run("BodyNotAnObject", func(t *testing.T) {
		key := func(req *http.Request) { req.Header.Set("Idempotency-Key", "not-an-object") }
		for _, body := range []string{"null", "[]", "42"} {
			e := c.do("POST", "/api/v1/cases", body, key).mustError(t, body, http.StatusUnprocessableEntity)
			if !strings.Contains(e.Error.Message, "JSON 对象") {
				t.Fatalf("%s: %s", body, e.Error.Message)
			}
		}
		e := c.do("POST", "/api/v1/cases", `{"item_version_id": 99999999999999999999999}`, key).mustError(t, "a number out of range", http.StatusUnprocessableEntity)
		if !strings.Contains(e.Error.Fields["item_version_id"], "不超出范围") {
			t.Fatalf("a number out of range: %+v", e.Error)
		}
	})
	t.Run("NoIdempotencyKey", func(t *testing.T) {
		c.fail("POST", "/api/v1/cases", map[string]any{"item_version_id": version}, http.StatusUnprocessableEntity)
	})
	t.Run("SupplementAfterClose", func(t *testing.T) {
		filed := fileFood(t, a, "bad-close")
		withdrawn := act(t, a, "citizen", filed.ID, map[string]any{"kind": "withdraw"})
		c.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "supplement", "version": withdrawn.Version}, http.StatusConflict)
	})
	t.Run("ActionWithoutVersion", func(t *testing.T) {
		// A request repeated without the version seen must not act twice.
		filed := fileFood(t, a, "bad-version")
		clerk := loginWith(t, a, "clerk", demo.Password)
		wantFields(t, clerk.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "accept"}, http.StatusUnprocessableEntity), "version")
		clerk.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "accept", "version": filed.Version}, http.StatusOK, nil)
		clerk.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "accept", "version": filed.Version}, http.StatusConflict)
	})
	t.Run("GuessingIsRateLimited", func(t *testing.T) {
		filed := fileFood(t, a, "bad-guess")
		anon := anonymous(t, a)
		for i := 0; i < 10; i++ {
			anon.fail("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": fmt.Sprintf("%06d", i)}, http.StatusNotFound)
		}
		anon.fail("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": filed.QueryCode}, http.StatusTooManyRequests)
		anon.fail("POST", "/api/v1/progress", map[string]string{"number": "33010626999999999999", "code": "123456"}, http.StatusTooManyRequests)
	})
}

func TestTwoClerksAcceptAtOnce(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		clock := newTestClock(cst(11, 2, 10))
		a := demoApp(t, backend, clock)
		filed := fileFood(t, a, "race")
		clerks := []*client{loginWith(t, a, "clerk", demo.Password), loginWith(t, a, "clerk", demo.Password)}
		var wg sync.WaitGroup
		status := make([]int, 2)
		for i, cl := range clerks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status[i] = cl.do("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "accept", "version": filed.Version}).status
			}()
		}
		wg.Wait()
		if !(status[0] == 200 && status[1] == 409 || status[0] == 409 && status[1] == 200) {
			t.Fatalf("two clerks accepting at once: %v, want one 200 and one 409", status)
		}
	})
}

// uploadRaw sends a file and returns the raw answer.
func (c *client) uploadRaw(name, content string) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write([]byte(content))
	w.Close()
	return c.do("POST", "/api/v1/uploads", body.Bytes(), func(req *http.Request) { req.Header.Set("Content-Type", w.FormDataContentType()) })
}

// A case that exists but is not the caller's answers exactly like one that
// does not exist, for reading, its materials and its actions alike.
func TestCaseExistenceNotDisclosed(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(cst(11, 2, 10)))
	filed := fileFood(t, a, "exists-1")
	stranger := loginWith(t, a, "company", demo.Password)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/cases/%d"},
		{"POST", "/api/v1/cases/%d/actions"},
	} {
		var body any
		if c.method == "POST" {
			body = map[string]any{"kind": "withdraw", "version": 1}
		}
		theirs := stranger.do(c.method, fmt.Sprintf(c.path, filed.ID), body)
		none := stranger.do(c.method, fmt.Sprintf(c.path, filed.ID+1000), body)
		if theirs.status != http.StatusNotFound || theirs.status != none.status || string(theirs.body) != string(none.body) {
			t.Errorf("%s %s: another's case %d %s; no case %d %s", c.method, c.path, theirs.status, theirs.body, none.status, none.body)
		}
	}
	page := func(id int64) string {
		res, err := stranger.http.Get(a.URL(fmt.Sprintf("/cases/%d/materials/1", id)))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		return fmt.Sprint(res.StatusCode)
	}
	if theirs, none := page(filed.ID), page(filed.ID+1000); theirs != "404" || theirs != none {
		t.Errorf("material download: another's case %s, no case %s", theirs, none)
	}
}

// A material whose file was damaged on disk is refused on download with a
// message saying so, and none of the damaged content is sent.
func TestDamagedMaterialNotServed(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(cst(11, 2, 10)))
	filed := fileFood(t, a, "damaged-1")
	c, _, err := a.Services.Cases.Get(t.Context(), identity.SystemActor(), filed.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := c.Materials[0].SHA256
	path := filepath.Join(a.Config.DataDir, "blobs", sum[:2], sum[2:4], sum)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0x20 // one flipped bit near the end
	if err := os.WriteFile(path, data, 0o640); err != nil {
		t.Fatal(err)
	}
	citizen := loginWith(t, a, "citizen", demo.Password)
	res, err := citizen.http.Get(a.URL(fmt.Sprintf("/cases/%d/materials/1", filed.ID)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "已损坏") || bytes.Contains(body, data[:8]) {
		t.Fatalf("damaged material: %d %q", res.StatusCode, body)
	}
	for i, m := range c.Materials[1:] {
		res, err := citizen.http.Get(a.URL(fmt.Sprintf("/cases/%d/materials/%d", filed.ID, i+2)))
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("intact material %s: %v %v", m.Code, res.Status, err)
		}
		res.Body.Close()
	}
}

// TestUploadQuota: an account uploads at most 200 files an hour on their
// own (each is kept whether or not a case uses it); the next is refused
// with 429, and the hour after it may upload again.
func TestUploadQuota(t *testing.T) {
	clock := newTestClock(cst(11, 2, 10))
	a := demoApp(t, "sqlite", clock)
	c := loginWith(t, a, "citizen", demo.Password)
	company := serviceActor(t, a, "company")
	for i := range 200 {
		if err := a.Services.Cases.Uploaded(context.Background(), company, fmt.Sprintf("%064x", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Services.Cases.AllowUpload(context.Background(), company); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("the 201st upload of the hour: %v", err)
	}
	for i := range 199 { // the citizen's own account is counted apart
		if err := a.Services.Cases.Uploaded(context.Background(), serviceActor(t, a, "citizen"), fmt.Sprintf("%064x", i)); err != nil {
			t.Fatal(err)
		}
	}
	c.upload("第200个.pdf", tinyPDF+"% 200\n")
	r := c.uploadRaw("第201个.pdf", tinyPDF+"% 201\n")
	r.mustError(t, "the 201st upload", http.StatusTooManyRequests)
	if wait, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || wait < 1 || wait > 3600 {
		t.Fatalf("the 429 says to wait %q seconds", r.header.Get("Retry-After"))
	}
	clock.Set(cst(11, 2, 11).Add(time.Minute)) // an hour and a minute later
	loginWith(t, a, "citizen", demo.Password).upload("下一小时.pdf", tinyPDF+"% next\n")
}
