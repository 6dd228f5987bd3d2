package api_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"openhall/internal/api"
	"openhall/internal/apptest"
	"openhall/internal/httpkit"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadOpenAPI parses and validates the document as an OpenAPI 3.1 file.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	data, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json declares OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	return doc
}

func TestOpenAPI_Valid(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, name := range []string{"Error", "Region", "User", "AuditReport"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("components.schemas.%s missing", name)
		}
	}
	for _, name := range []string{"cookieAuth", "csrfToken"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("components.securitySchemes.%s missing", name)
		}
	}
}

// TestOpenAPI_DocumentsEveryRoute: every route the server registers has an
// operation in the document, and the document describes nothing else.
func TestOpenAPI_DocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := api.New(httpkit.Deps{}).Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes registered: %v", len(routes), routes)
	}
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s is not documented in the OpenAPI document", route)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !slices.Contains(routes, method+" "+path) {
				t.Errorf("the OpenAPI document documents %s %s, which is not a route", method, path)
			}
			if op.Summary == "" || len(op.Responses.Map()) == 0 {
				t.Errorf("%s %s: summary or responses missing", method, path)
			}
		}
	}
}

func TestOpenAPI_Served(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	want, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	r := anonymous(t, a).do("GET", "/api/v1/openapi.json", nil)
	if r.status != http.StatusOK || !bytes.Equal(r.body, want) {
		t.Fatalf("GET /api/v1/openapi.json: status %d, %d bytes, want the embedded %d bytes", r.status, len(r.body), len(want))
	}
}

func TestOpenAPI_DuplicateFragmentsRefused(t *testing.T) {
	fsys := fstest.MapFS{
		"openapi/base.json": {Data: []byte(`{"openapi":"3.1.0","tags":[],"paths":{"/a":{}},"components":{"schemas":{"X":{}}}}`)},
		"openapi/m1.json":   {Data: []byte(`{"paths":{"/b":{}},"components":{"schemas":{"X":{}}}}`)},
	}
	if _, err := api.MergeOpenAPIForTest(fsys); err == nil || !strings.Contains(err.Error(), `"X" is defined twice`) {
		t.Fatalf("duplicate schema: %v", err)
	}
}

// TestOpenAPI_RatingHandlingLabelled: a rating's handling documents its
// ticket's status with its Chinese label, both always present.
func TestOpenAPI_RatingHandlingLabelled(t *testing.T) {
	h := loadOpenAPI(t).Components.Schemas["Rating"].Value.Properties["handling"].Value
	for _, name := range []string{"ticket_status", "ticket_status_label"} {
		if h.Properties[name] == nil || !slices.Contains(h.Required, name) {
			t.Errorf("Rating.handling.%s is not documented as always present", name)
		}
	}
}
