package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"openhall/internal/api"
	"openhall/internal/apptest"

	"github.com/getkin/kin-openapi/openapi3"
)

// password is the password apptest gives every staff account.
const password = "secret123"

// client talks to the API through the real router with its own cookie jar
// and, once logged in, the CSRF token of its session.
type client struct {
	t    *testing.T
	app  *apptest.App
	http *http.Client
	csrf string
	me   meJSON
}

// meJSON is the part of a login answer the tests use.
type meJSON struct {
	ID        int64       `json:"id"`
	Username  string      `json:"username"`
	Roles     []string    `json:"roles"`
	Grants    []grantJSON `json:"grants"`
	CSRFToken string      `json:"csrf_token"`
}

type grantJSON struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"user_id"`
	Role         string `json:"role"`
	RoleLabel    string `json:"role_label"`
	RegionID     *int64 `json:"region_id"`
	DepartmentID *int64 `json:"department_id"`
}

// errorJSON is the error envelope.
type errorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// anonymous returns a client that has not logged in.
func anonymous(t *testing.T, a *apptest.App) *client {
	return &client{t: t, app: a, http: a.Client(t)}
}

// login returns a client logged in as username with the staff password.
func login(t *testing.T, a *apptest.App, username string) *client {
	t.Helper()
	return loginWith(t, a, username, password)
}

func loginWith(t *testing.T, a *apptest.App, username, pw string) *client {
	t.Helper()
	c := anonymous(t, a)
	c.call("POST", "/api/v1/session", map[string]string{"username": username, "password": pw}, http.StatusCreated, &c.me)
	if c.me.CSRFToken == "" {
		t.Fatalf("login %s: no csrf_token in the answer", username)
	}
	c.csrf = c.me.CSRFToken
	return c
}

// response is one answer of the API.
type response struct {
	header http.Header
	status int
	body   []byte
}

// do sends a request. A string or []byte body is sent as is, anything else
// as JSON; edit may change the request before it is sent.
func (c *client) do(method, path string, body any, edit ...func(*http.Request)) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, c.app.URL(path), rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for _, fn := range edit {
		fn(req)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	checkContract(c.t, req, resp.StatusCode, data)
	// Answers carry personal data (accounts, cases, inboxes): no browser or
	// shared cache may keep one.
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		c.t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
	}
	return response{status: resp.StatusCode, body: data, header: resp.Header}
}

// call sends a request, fails the test unless the status is want and
// decodes the answer into out (when not nil).
func (c *client) call(method, path string, body any, want int, out any) {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
		}
	}
}

// fail sends a request that must fail with status want and returns the
// error envelope.
func (c *client) fail(method, path string, body any, want int) errorJSON {
	c.t.Helper()
	r := c.do(method, path, body)
	return r.mustError(c.t, method+" "+path, want)
}

// mustError checks that r is the error envelope with status want.
func (r response) mustError(t *testing.T, what string, want int) errorJSON {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d; body: %s", what, r.status, want, r.body)
	}
	var e errorJSON
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("%s: not the error envelope: %s (%v)", what, r.body, err)
	}
	return e
}

// wantFields fails unless e names exactly the given fields.
func wantFields(t *testing.T, e errorJSON, fields ...string) {
	t.Helper()
	if len(e.Error.Fields) != len(fields) {
		t.Fatalf("error fields %v, want exactly %v", e.Error.Fields, fields)
	}
	for _, f := range fields {
		if e.Error.Fields[f] == "" {
			t.Fatalf("error fields %v, want %q among them", e.Error.Fields, f)
		}
	}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// contract is openapi.json, loaded once; every answer a test receives is
// checked against it, so the document cannot drift from the code.
var contract struct {
	once sync.Once
	doc  *openapi3.T
	mux  *http.ServeMux // the documented patterns, to find a request's operation
	err  error
}

// openAPI returns the validated document and a mux of its operations.
func openAPI() (*openapi3.T, *http.ServeMux, error) {
	contract.once.Do(func() {
		data, err := api.OpenAPIDocument()
		if err == nil {
			contract.doc, err = openapi3.NewLoader().LoadFromData(data)
		}
		if err == nil {
			err = contract.doc.Validate(context.Background())
		}
		if err != nil {
			contract.err = fmt.Errorf("openapi.json: %w", err)
			return
		}
		contract.mux = http.NewServeMux()
		for path, item := range contract.doc.Paths.Map() {
			for method := range item.Operations() {
				contract.mux.Handle(method+" "+path, http.NotFoundHandler())
			}
		}
	})
	return contract.doc, contract.mux, contract.err
}

// checkContract fails the test when the answer's status is not documented
// for the operation or its body does not fit the documented schema.
// Requests to undocumented paths are left to the tests that make them.
func checkContract(t *testing.T, req *http.Request, status int, body []byte) {
	t.Helper()
	doc, mux, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	_, pattern := mux.Handler(req)
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return
	}
	resp := doc.Paths.Value(path).GetOperation(method).Responses.Status(status)
	if resp == nil {
		t.Errorf("%s answered %d, which openapi.json does not list; body: %s", pattern, status, body)
		return
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil {
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s answered %d with a body that is not JSON: %s", pattern, status, body)
		return
	}
	if err := media.Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("%s answered %d with a body that does not fit openapi.json: %v\nbody: %s", pattern, status, err, body)
	}
}
