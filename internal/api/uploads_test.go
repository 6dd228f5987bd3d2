package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
)

// TestMaterialOfAnotherAccount: a file is named by its SHA-256 only by an
// account that uploaded it or has it among its own cases' materials. The
// company, given the digest of a file the citizen uploaded, cannot file
// with it (and so cannot read it through its own case), nor supplement
// with a material of the citizen's case; answered as a file that does not
// exist. Uploading the same bytes itself, it may. The citizen may name
// its own case's materials without uploading them again.
func TestMaterialOfAnotherAccount(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoApp(t, backend, newTestClock(cst(11, 2, 10)))
		citizen := loginWith(t, a, "citizen", demo.Password)
		company := loginWith(t, a, "company", demo.Password)
		content := tinyPDF + "% 营业执照 of the citizen\n"
		theirs := citizen.upload("营业执照.pdf", content)
		version := itemVersion(t, a, "食品经营许可")
		// filing names sum as m1 and, as m3 and m4, files of c's own.
		filing := func(c *client, key, sum string) response {
			ms := []map[string]string{{"code": "m1", "sha256": sum, "file_name": "m1.pdf"}}
			for _, code := range []string{"m3", "m4"} {
				u := c.upload(code+".pdf", tinyPDF+"% "+key+code+"\n")
				ms = append(ms, map[string]string{"code": code, "sha256": u.SHA256, "file_name": code + ".pdf"})
			}
			body := map[string]any{"item_version_id": version, "form": foodForm, "materials": ms}
			return c.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", key) })
		}
		e := filing(company, "other-1", theirs.SHA256).mustError(t, "a filing naming another account's file", http.StatusUnprocessableEntity)
		wantFields(t, e, "material.m1")
		unknown := filing(company, "other-2", fmt.Sprintf("%064x", 7)).mustError(t, "a filing naming no file", http.StatusUnprocessableEntity)
		if unknown.Error.Fields["material.m1"] != e.Error.Fields["material.m1"] {
			t.Fatalf("another's file (%q) and no file (%q) are told apart", e.Error.Fields["material.m1"], unknown.Error.Fields["material.m1"])
		}
		filed := fileFood(t, a, "own-1")
		supplement := map[string]any{"kind": "supplement", "version": filed.Version,
			"materials": []map[string]string{{"code": "m1", "sha256": filed.Materials[0].SHA256, "file_name": "m1.pdf"}}}
		path := fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID)
		if r := company.do("POST", path, supplement); r.status == http.StatusOK {
			t.Fatalf("the company acted on the citizen's case: %s", r.body)
		}
		if r := filing(citizen, "own-2", filed.Materials[0].SHA256); r.status != http.StatusCreated {
			t.Fatalf("the citizen named a material of their own case: %d %s", r.status, r.body)
		}
		mine := company.upload("营业执照.pdf", content)
		if r := filing(company, "other-3", mine.SHA256); mine.SHA256 != theirs.SHA256 || r.status != http.StatusCreated {
			t.Fatalf("the company's own upload of the same bytes: %d %s", r.status, r.body)
		}
	})
}
