package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/identity"
)

// fileInOne files a 食品经营许可 with its materials in the same request.
func (c *client) fileInOne(version int64, key string) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	app, _ := json.Marshal(map[string]any{"item_version_id": version, "form": foodForm})
	w.WriteField("case", string(app))
	for _, code := range []string{"m1", "m3", "m4"} {
		part, _ := w.CreateFormFile("material."+code, code+".pdf")
		fmt.Fprintf(part, "%s%% %s %s\n", tinyPDF, key, code)
	}
	w.Close()
	return c.do("POST", "/api/v1/cases", body.Bytes(), func(req *http.Request) {
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Idempotency-Key", key)
	})
}

// TestFilingInOneRequest files an application with its materials in one
// multipart request, then again while the item is suspended (refused with
// the reason, and nothing filed), and under a version that does not exist.
func TestFilingInOneRequest(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(cst(11, 2, 10)))
	c := loginWith(t, a, "citizen", demo.Password)
	version := itemVersion(t, a, "食品经营许可")
	if r := c.fileInOne(version, "one-ok"); r.status != http.StatusCreated {
		t.Fatalf("filing with its materials: %d %s", r.status, r.body)
	}
	v, err := a.Services.Catalog.Version(t.Context(), version)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Catalog.Suspend(t.Context(), identity.SystemActor(), v.ItemID, catalog.StatusInput{Reason: "系统升级"}); err != nil {
		t.Fatal(err)
	}
	e := c.fileInOne(version, "one-suspended").mustError(t, "filing while suspended", http.StatusConflict)
	if !strings.Contains(e.Error.Message, "暂不受理") {
		t.Fatalf("refusal while suspended: %q", e.Error.Message)
	}
	if r := c.do("GET", "/api/v1/cases", nil); r.status != http.StatusOK || strings.Count(string(r.body), `"number"`) != 1 {
		t.Fatalf("the applicant's cases after the refusal: %d %s", r.status, r.body)
	}
	c.fileInOne(version+100000, "one-unknown").mustError(t, "filing under an unknown version", http.StatusNotFound)
}
