package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/budget"
	"openhall/internal/demo"
)

func multipartFile(t *testing.T, name string, data []byte) (*bytes.Buffer, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	w.Close()
	return &body, w.FormDataContentType()
}

func (c *client) uploadFile(path, name string, data []byte) response {
	c.t.Helper()
	body, ctype := multipartFile(c.t, name, data)
	return c.do("POST", path, body.Bytes(), func(r *http.Request) { r.Header.Set("Content-Type", ctype) })
}

// TestOpenDataAPI: listing and validation, an upload refused with its row
// and column, conditional access through the API with a key and its rate
// limit, and a budget import refused with the located problems.
func TestOpenDataAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		anon := anonymous(t, a)
		var page struct {
			Datasets []struct{ Name, Tier string }
			Total    int
		}
		anon.call("GET", "/api/v1/opendata/datasets?q=办事指南", nil, http.StatusOK, &page)
		if page.Total != 1 || page.Datasets[0].Name != "service-catalogue" {
			t.Fatalf("search: %+v", page)
		}
		if e := anon.fail("GET", "/api/v1/opendata/datasets?tier=public", nil, http.StatusUnprocessableEntity); e.Error.Fields["tier"] == "" {
			t.Fatalf("bad tier: %+v", e)
		}
		anon.fail("GET", "/api/v1/opendata/datasets/xihu-business-register/rows", nil, http.StatusForbidden)
		anon.fail("POST", "/api/v1/opendata/datasets", map[string]any{}, http.StatusUnauthorized)

		officer := loginWith(t, a, "officer", demo.Password)
		e := officer.fail("POST", "/api/v1/opendata/datasets", map[string]any{"name": "Bad Name", "tier": "open"}, http.StatusUnprocessableEntity)
		for _, f := range []string{"name", "title", "publisher_id", "columns", "theme"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("field %s not named: %v", f, e.Error.Fields)
			}
		}
		var ds struct {
			ID          int64
			PublisherID int64 `json:"publisher_id"`
		}
		anon.call("GET", "/api/v1/opendata/datasets/xihu-service-halls", nil, http.StatusOK, &ds)
		officer.call("POST", "/api/v1/opendata/datasets", map[string]any{"publisher_id": ds.PublisherID, "name": "api-test",
			"title": "接口测试", "description": "接口测试数据集", "theme": "gov", "frequency": "monthly", "license": "cc0-1.0",
			"contact_name": "办公室", "contact_email": "a@example.gov.cn", "tier": "open",
			"columns": []map[string]any{{"name": "n", "title": "数量", "type": "integer"}}}, http.StatusCreated, nil)
		r := officer.uploadFile("/api/v1/opendata/datasets/api-test/upload", "x.csv", []byte("数量\n1\n二\n"))
		if e := r.mustError(t, "upload", http.StatusUnprocessableEntity); !strings.Contains(e.Error.Message, "第 3 行第 1 列（数量）") {
			t.Fatalf("upload refusal: %s", e.Error.Message)
		}
		officer.uploadFile("/api/v1/opendata/datasets/api-test/upload", "x.csv", []byte("数量\n1\n2\n")).mustStatus(t, http.StatusCreated)

		company := loginWith(t, a, "company", demo.Password)
		var app struct {
			ID       int64
			DecideBy string `json:"decide_by"`
		}
		company.call("POST", "/api/v1/opendata/datasets/xihu-business-register/applications", map[string]any{
			"purpose": "研究个体工商户的行业结构", "fields": []string{"industry"}, "period_from": "2026-01-01", "period_to": "2099-12-31"},
			http.StatusUnprocessableEntity, nil)
		company.call("POST", "/api/v1/opendata/datasets/xihu-business-register/applications", map[string]any{
			"purpose": "研究个体工商户的行业结构", "fields": []string{"industry"}, "period_from": a.Services.OpenData.Today().String(),
			"period_to": a.Services.OpenData.Today().AddDays(30).String()}, http.StatusCreated, &app)
		if app.DecideBy == "" {
			t.Fatal("no decision deadline")
		}
		officer.call("POST", "/api/v1/opendata/applications/"+itoa(app.ID)+"/decision", map[string]any{"approve": true, "rate_limit": 1}, http.StatusOK, nil)
		var key struct{ Key string }
		company.call("POST", "/api/v1/opendata/applications/"+itoa(app.ID)+"/keys", nil, http.StatusCreated, &key)
		withKey := func(r *http.Request) { r.Header.Set("X-API-Key", key.Key) }
		ok := anon.do("GET", "/api/v1/opendata/datasets/xihu-business-register/rows?limit=2", nil, withKey)
		if ok.status != http.StatusOK || !strings.Contains(string(ok.body), `"industry"`) || strings.Contains(string(ok.body), "trade_name") {
			t.Fatalf("rows with the key: %d %s", ok.status, ok.body)
		}
		anon.do("GET", "/api/v1/opendata/datasets/xihu-business-register/rows", nil, withKey).mustError(t, "second call", http.StatusTooManyRequests)

		set := struct{ ID int64 }{}
		head := loginWith(t, a, "depthead", demo.Password)
		var dept struct {
			Budgets []struct {
				AgencyID int64 `json:"agency_id"`
			}
		}
		anon.call("GET", "/api/v1/budgets", nil, http.StatusOK, &dept)
		var gov struct {
			Budgets []struct{ Title, Kind string }
		}
		anon.call("GET", "/api/v1/budgets?kind=gov_budget", nil, http.StatusOK, &gov)
		if len(gov.Budgets) != 1 || gov.Budgets[0].Kind != "gov_budget" || !strings.Contains(gov.Budgets[0].Title, "本级政府预算") {
			t.Fatalf("government budgets: %+v", gov)
		}
		if e := anon.fail("GET", "/api/v1/budgets?kind=gov", nil, http.StatusUnprocessableEntity); e.Error.Fields["kind"] == "" {
			t.Fatalf("an unknown kind: %+v", e)
		}
		tpl := anon.do("GET", "/api/v1/budgets/template.xlsx?kind=gov_final", nil)
		if tpl.status != http.StatusOK || !bytes.HasPrefix(tpl.body, []byte("PK")) {
			t.Fatalf("government template: %d", tpl.status)
		}
		if lines, err := budget.ParseWorkbook(budget.Government, tpl.body); err != nil || budget.Check(budget.Government, lines) != nil {
			t.Fatalf("the government template does not read back: %v", err)
		}
		anon.fail("GET", "/api/v1/budgets/template.xlsx?kind=county", nil, http.StatusUnprocessableEntity)
		type figures struct {
			Years []struct{ Year, Total, Pending int }
		}
		var before, after figures
		anon.call("GET", "/api/v1/budgets/timeliness", nil, http.StatusOK, &before)
		type watch struct {
			Year    int
			Figures struct{ Total, Pending int }
		}
		var watchBefore, watchAfter watch
		anon.fail("GET", "/api/v1/budgets/watch", nil, http.StatusUnauthorized)
		head.fail("GET", "/api/v1/budgets/watch", nil, http.StatusForbidden)
		supervisor := loginWith(t, a, "supervisor", demo.Password)
		supervisor.call("GET", "/api/v1/budgets/watch", nil, http.StatusOK, &watchBefore)
		head.call("POST", "/api/v1/budgets", map[string]any{"agency_id": dept.Budgets[len(dept.Budgets)-1].AgencyID, "year": a.Services.Budget.Today().Year(),
			"kind": "budget", "approved_on": a.Services.Budget.Today().String(), "explanation": "说明"}, http.StatusCreated, &set)
		anon.call("GET", "/api/v1/budgets/timeliness", nil, http.StatusOK, &after)
		supervisor.call("GET", "/api/v1/budgets/watch", nil, http.StatusOK, &watchAfter)
		if watchAfter.Year != a.Services.Budget.Today().Year() || watchAfter.Figures.Total != watchBefore.Figures.Total+1 ||
			watchAfter.Figures.Pending != watchBefore.Figures.Pending+1 {
			t.Fatalf("the supervisor's figures: before %+v after %+v", watchBefore, watchAfter)
		}
		if len(after.Years) != 3 || after.Years[0].Year != a.Services.Budget.Today().Year() ||
			after.Years[0].Total != before.Years[0].Total+1 || after.Years[0].Pending != before.Years[0].Pending+1 {
			t.Fatalf("a set approved today is pending in this year's figures: before %+v after %+v", before, after)
		}
		lines := budget.Sample(100)
		lines[0].Amounts[0]++
		var refused struct{ Problems []budget.CellError }
		head.call("PUT", "/api/v1/budgets/"+itoa(set.ID)+"/lines", map[string]any{"lines": lines}, http.StatusUnprocessableEntity, &refused)
		if len(refused.Problems) == 0 || refused.Problems[0].Cell == "" {
			t.Fatalf("refused lines without located problems: %+v", refused)
		}
		head.call("PUT", "/api/v1/budgets/"+itoa(set.ID)+"/lines", map[string]any{"lines": budget.Sample(100)}, http.StatusOK, nil)
		head.fail("POST", "/api/v1/budgets/"+itoa(set.ID)+"/submit", nil, http.StatusForbidden)
	})
}

func (r response) mustStatus(t *testing.T, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
