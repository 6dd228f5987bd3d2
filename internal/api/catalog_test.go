package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// guideDoc is the part of a guide answer the tests read.
type guideDoc struct {
	ID       int64  `json:"id"`
	ImplCode string `json:"impl_code"`
	Status   string `json:"status"`
	Version  struct {
		ID     int64  `json:"id"`
		Number int    `json:"number"`
		State  string `json:"state"`
	} `json:"version"`
	Guide struct {
		PromisedLimit struct{ Text string } `json:"promised_limit"`
		Steps         []struct {
			CounterMinutes int `json:"counter_minutes"`
		} `json:"steps"`
		LegalBases []struct{ Law string } `json:"legal_bases"`
	} `json:"guide"`
	History []struct{ Text string } `json:"history"`
}

// itemSchema compiles the JSON Schema of the item kept in the repository.
func itemSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(testutil.RepoRoot(t), "internal", "catalog", "item.schema.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("item.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("item.schema.json")
	if err != nil {
		t.Fatalf("compile item.schema.json: %v", err)
	}
	return s
}

// TestAPI_CatalogDoneWhen: create a draft, submit, approve, read it in
// public, change its promised limit in a new version, read the history.
func TestAPI_CatalogDoneWhen(t *testing.T) {
	schema := itemSchema(t)
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		dept := a.Tree.Department.ID
		editor := login(t, a, a.Staff(t, "editor", "approver", nil, &dept))
		head := login(t, a, a.Staff(t, "head", "dept_head", nil, &dept))
		anon := anonymous(t, a)

		body := map[string]any{"code": "XK00012000", "department_id": dept, "guide": storetest.SampleGuide("食品经营许可")}
		var doc guideDoc
		editor.call("POST", "/api/v1/items", body, http.StatusCreated, &doc)
		if doc.Version.State != "draft" || doc.Status != "draft" {
			t.Fatalf("created: %+v", doc)
		}
		code := "/api/v1/items/" + doc.ImplCode
		anon.fail("GET", code, nil, http.StatusNotFound)
		editor.call("POST", code+"/submit", nil, http.StatusOK, nil)
		editor.fail("POST", code+"/approve", nil, http.StatusForbidden)
		head.call("POST", code+"/approve", map[string]any{"note": "同意"}, http.StatusOK, nil)
		v1 := doc.Version.ID

		r := anon.do("GET", code, nil)
		checkSchema(t, schema, r.body)
		json.Unmarshal(r.body, &doc)
		if doc.Guide.PromisedLimit.Text != "15 个工作日" || doc.Guide.Steps[0].CounterMinutes != 20 || doc.Guide.LegalBases[0].Law == "" {
			t.Fatalf("public guide: %s", r.body)
		}

		g := storetest.SampleGuide("食品经营许可")
		g.PromisedLimit.N = 10
		editor.call("PUT", code+"/draft", g, http.StatusOK, &doc)
		if doc.Version.Number != 2 || doc.Version.State != "draft" {
			t.Fatalf("new draft: %+v", doc.Version)
		}
		editor.fail("PUT", fmt.Sprintf("/api/v1/item-versions/%d", v1), g, http.StatusConflict)
		editor.call("POST", code+"/submit", nil, http.StatusOK, nil)
		head.call("POST", code+"/approve", nil, http.StatusOK, nil)
		anon.call("GET", code, nil, http.StatusOK, &doc)
		if len(doc.History) != 2 || doc.History[0].Text != "承诺办结时限由 15 个工作日调整为 10 个工作日" || doc.Guide.PromisedLimit.Text != "10 个工作日" {
			t.Fatalf("history after the change: %+v", doc.History)
		}
		var old guideDoc
		anon.call("GET", fmt.Sprintf("/api/v1/item-versions/%d", v1), nil, http.StatusOK, &old)
		if old.Guide.PromisedLimit.Text != "15 个工作日" {
			t.Fatalf("version 1 is no longer what it was: %+v", old.Guide)
		}
		var page struct{ Total int }
		anon.call("GET", "/api/v1/items?q=食", nil, http.StatusOK, &page)
		if page.Total != 1 {
			t.Fatalf("one-character search: %d", page.Total)
		}
	})
}

func checkSchema(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("the guide does not fit item.schema.json: %v\n%s", err, body)
	}
}

func TestAPI_CatalogBadInput(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	dept := a.Tree.Department.ID
	editor := login(t, a, a.Staff(t, "editor", "approver", nil, &dept))
	const unprocessable = http.StatusUnprocessableEntity
	create := func(edit func(g *catalog.Guide), code string) errorJSON {
		g := storetest.SampleGuide("食品经营许可")
		edit(&g)
		return editor.fail("POST", "/api/v1/items", map[string]any{"code": code, "department_id": dept, "guide": g}, unprocessable)
	}
	editor.call("POST", "/api/v1/items", map[string]any{"code": "XK00012000", "department_id": dept, "guide": storetest.SampleGuide("食品经营许可")}, http.StatusCreated, nil)
	wantFields(t, create(func(g *catalog.Guide) {}, "XK00012000"), "code")
	wantFields(t, create(func(g *catalog.Guide) { g.PromisedLimit.N = 25 }, "XK00013000"), "promised_limit")
	wantFields(t, create(func(g *catalog.Guide) { g.LegalBases = nil }, "XK00013000"), "legal_bases")
	wantFields(t, create(func(g *catalog.Guide) { g.Kind = "5" }, "XK00013000"), "kind")
	wantFields(t, create(func(g *catalog.Guide) {
		g.Subject = catalog.Subject{Name: "某局", CreditCode: "91330106MA2GL7K3X0", Nature: "1"}
	}, "XK00013000"), "subject.credit_code")
	wantFields(t, editor.fail("GET", "/api/v1/items?level=9&audience=x&theme=无此主题", nil, unprocessable), "level", "audience", "theme")

	t.Run("Excel", func(t *testing.T) {
		r := editor.do("POST", "/api/v1/catalog/import", "this is not a workbook")
		if e := r.mustError(t, "not xlsx", unprocessable); !strings.Contains(e.Error.Message, ".xlsx") {
			t.Fatalf("not an xlsx: %+v", e)
		}
		var buf bytes.Buffer
		sheet.Write(&buf, nil)
		e := editor.do("POST", "/api/v1/catalog/import", buf.Bytes()).mustError(t, "empty template", unprocessable)
		if !strings.Contains(e.Error.Message, "没有事项数据") {
			t.Fatalf("empty template: %+v", e)
		}
		rows := make([]catalog.ItemInput, 10000)
		for i := range rows {
			rows[i] = storetest.SampleItem(a.Tree, fmt.Sprintf("XK%05d000", i+100))
			rows[i].DeptCode, rows[i].Guide.PromisedLimit.N = a.Tree.Department.CreditCode, 99
		}
		buf.Reset()
		sheet.Write(&buf, rows)
		e = editor.do("POST", "/api/v1/catalog/import", buf.Bytes()).mustError(t, "10,000 bad rows", unprocessable)
		if len(e.Error.Fields) != 10000 || !strings.Contains(e.Error.Message, "10000 处错误") {
			t.Fatalf("10,000 bad rows: %d problems, %s", len(e.Error.Fields), e.Error.Message)
		}
		if msg := e.Error.Fields["第 10001 行 第 R 列（承诺办结时限）"]; !strings.Contains(msg, "不能超过法定办结时限") {
			t.Fatalf("problem of the last row: %q", msg)
		}
		var page struct{ Total int }
		anonymous(t, a).call("GET", "/api/v1/items", nil, http.StatusOK, &page)
		if n := countDrafts(t, a); n != 1 {
			t.Fatalf("a refused import wrote items: %d", n)
		}
	})
}

func countDrafts(t *testing.T, a *apptest.App) int {
	_, n, err := a.Services.Catalog.Items(t.Context(), catalog.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
