package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/store/storetest"
)

func TestAPI_BadInput(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		root, anon := login(t, a, "root"), anonymous(t, a)
		const unprocessable = http.StatusUnprocessableEntity

		t.Run("InvalidJSON", func(t *testing.T) {
			for _, body := range []string{`{"name": "x"`, `{"name": }`, `[]`, ``, `{} {}`} {
				e := root.fail("POST", "/api/v1/regions", body, unprocessable)
				if e.Error.Code != "invalid" || len(e.Error.Fields) != 0 {
					t.Errorf("body %q: %+v", body, e)
				}
			}
		})
		t.Run("UnknownField", func(t *testing.T) {
			e := root.fail("POST", "/api/v1/regions", `{"code": "330000", "nmae": "浙江省", "level": 2}`, unprocessable)
			wantFields(t, e, "nmae")
		})
		t.Run("WrongType", func(t *testing.T) {
			wantFields(t, root.fail("POST", "/api/v1/regions", `{"name": "x", "code": "330106009", "level": "township"}`, unprocessable), "level")
			wantFields(t, root.fail("POST", "/api/v1/windows", `{"department_ids": ["a"]}`, unprocessable), "department_ids")
			wantFields(t, root.fail("PATCH", "/api/v1/users/1", `{"disabled": "yes"}`, unprocessable), "disabled")
		})
		t.Run("MissingFields", func(t *testing.T) {
			wantFields(t, root.fail("POST", "/api/v1/regions", `{}`, unprocessable), "name", "level")
			wantFields(t, root.fail("POST", "/api/v1/users", `{}`, unprocessable), "username", "name", "password")
			wantFields(t, anon.fail("POST", "/api/v1/register", `{}`, unprocessable), "kind", "username", "name", "password")
			wantFields(t, root.fail("POST", "/api/v1/centres", map[string]any{"region_id": a.Tree.County.ID}, unprocessable), "name", "kind")
			wantFields(t, root.fail("POST", "/api/v1/calendar/overrides", `{}`, unprocessable), "region_id", "date", "name")
		})
		t.Run("CreditCodeCheckCharacter", func(t *testing.T) {
			good := storetest.CreditCode(3)
			bad := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
			e := root.fail("POST", "/api/v1/departments", map[string]any{"region_id": a.Tree.County.ID, "name": "西湖区民政局",
				"credit_code": bad}, unprocessable)
			wantFields(t, e, "credit_code")
		})
		t.Run("QueryParameters", func(t *testing.T) {
			wantFields(t, anon.fail("GET", "/api/v1/regions?max_level=9&parent_id=x&roots=maybe", nil, unprocessable), "max_level", "parent_id", "roots")
			wantFields(t, root.fail("GET", "/api/v1/users?limit=0&kind=robot", nil, unprocessable), "limit", "kind")
			wantFields(t, anon.fail("GET", "/api/v1/calendar/add-workdays?date=2026-02-30", nil, unprocessable), "date", "n")
			wantFields(t, anon.fail("GET", "/api/v1/calendar/workdays-between?from=2026-01-01&to=2026-1-2&region_id=999999", nil, unprocessable), "to")
			wantFields(t, anon.fail("GET", "/api/v1/calendar/add-workdays?date=2026-01-05&n=1&region_id=999999", nil, unprocessable), "region_id")
		})
		t.Run("CSRF", func(t *testing.T) {
			body := map[string]any{"parent_id": a.Tree.County.ID, "code": "330106007", "name": "新街道", "level": 5}
			for name, token := range map[string]string{"missing": "", "forged": "bm90LWEtdG9rZW4"} {
				r := root.do("POST", "/api/v1/regions", body, func(req *http.Request) { req.Header.Set("X-CSRF-Token", token) })
				if e := r.mustError(t, name+" token", http.StatusForbidden); e.Error.Code != "forbidden" {
					t.Errorf("%s token: %+v", name, e)
				}
			}
			other := login(t, a, "root") // a token of another session of the same account
			r := root.do("POST", "/api/v1/regions", body, func(req *http.Request) { req.Header.Set("X-CSRF-Token", other.csrf) })
			r.mustError(t, "another session's token", http.StatusForbidden)
		})
		t.Run("PreLoginNeedsJSON", func(t *testing.T) {
			asForm := func(req *http.Request) { req.Header.Set("Content-Type", "text/plain") }
			r := anon.do("POST", "/api/v1/session", `{"username": "root", "password": "secret123"}`, asForm)
			r.mustError(t, "login as text/plain", unprocessable)
			r = anon.do("POST", "/api/v1/register", `{"kind": "person"}`, asForm)
			r.mustError(t, "register as text/plain", unprocessable)
		})
		t.Run("BodyLimits", func(t *testing.T) {
			// A JSON endpoint takes 1 MB; an upload one file of 10 MB and its form.
			big := `{"name": "` + strings.Repeat("x", 2<<20) + `"}`
			if e := root.fail("POST", "/api/v1/regions", big, http.StatusRequestEntityTooLarge); e.Error.Code != "too_large" {
				t.Errorf("2 MB of JSON: %+v", e)
			}
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			part, _ := w.CreateFormFile("file", "big.pdf")
			part.Write(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("%"), 12<<20)...))
			w.Close()
			r := root.do("POST", "/api/v1/uploads", body.Bytes(), func(req *http.Request) { req.Header.Set("Content-Type", w.FormDataContentType()) })
			if e := r.mustError(t, "a 12 MB upload", http.StatusRequestEntityTooLarge); e.Error.Code != "too_large" {
				t.Errorf("12 MB upload: %+v", e)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			e := anon.fail("GET", "/api/v1/nope", nil, http.StatusNotFound)
			if e.Error.Code != "not_found" || !strings.Contains(e.Error.Message, "/api/v1/nope") {
				t.Errorf("unknown path: %+v", e)
			}
			for _, path := range []string{"/api/v1/regions/abc", "/api/v1/centres/-1", "/api/v1/windows/0", "/api/v1/users/1x"} {
				if e := root.fail("GET", path, nil, http.StatusNotFound); e.Error.Code != "not_found" {
					t.Errorf("%s: %+v", path, e)
				}
			}
			e = root.fail("PATCH", "/api/v1/regions/abc", `{}`, http.StatusNotFound)
			if !strings.Contains(e.Error.Message, "abc") {
				t.Errorf("non-numeric id: %+v", e)
			}
			root.fail("GET", fmt.Sprintf("/api/v1/departments/%d", 1<<40), nil, http.StatusNotFound)
			root.fail("DELETE", "/api/v1/calendar/overrides/424242", nil, http.StatusNotFound)
		})
	})
}
