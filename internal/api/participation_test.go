package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/powers"
	"openhall/internal/publicity"
	"openhall/internal/store/storetest"
)

// partClock is a clock the tests move.
type partClock struct{ t time.Time }

func (c *partClock) now() time.Time { return c.t }

// TestParticipationAPI_BadInput: a comment after the period, a 20,000-
// character comment, script in a comment and malformed or failing
// workbooks are refused with a precise message, and nothing is written.
func TestParticipationAPI_BadInput(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		clk := &partClock{t: time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC)}
		a := apptest.New(t, backend, apptest.Options{Now: clk.now})
		ag, err := a.Services.Disclosure.SaveAgency(context.Background(), identity.SystemActor(), 0,
			disclosure.AgencyInput{RegionID: a.Tree.County.ID, Name: "西湖区人民政府", Code: "002482133"})
		if err != nil {
			t.Fatal(err)
		}
		a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
		a.Citizen(t, "zhangsan", "张三", 21, "", "")
		officer, citizen := login(t, a, "officer"), loginWith(t, a, "zhangsan", "secret123")
		id := openConsultation(t, officer, ag.ID)
		comments(t, officer, citizen, id, clk)
		a.Staff(t, "approver", "approver", nil, &a.Tree.Department.ID)
		a.Staff(t, "head", "dept_head", nil, &a.Tree.Department.ID)
		benchmarksAndPenalties(t, a, login(t, a, "approver"), login(t, a, "head"))
	})
}

func openConsultation(t *testing.T, officer *client, agencyID int64) int64 {
	t.Helper()
	var c struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	body := map[string]any{"agency_id": agencyID, "title": "西湖区养犬管理办法（征求意见稿）", "draft": "第一条 适用范围。\n第二条 登记。",
		"explanation": "起草说明", "days": 30, "real_name": true}
	e := officer.fail("POST", "/api/v1/consultations", map[string]any{"agency_id": agencyID, "title": "x", "draft": "第一条 y",
		"explanation": "z", "days": 10}, http.StatusUnprocessableEntity)
	wantFields(t, e, "short_reason")
	officer.call("POST", "/api/v1/consultations", body, http.StatusCreated, &c)
	officer.call("POST", fmt.Sprintf("/api/v1/consultations/%d/publish", c.ID), nil, http.StatusOK, &c)
	if c.Status != "open" {
		t.Fatalf("published consultation %+v", c)
	}
	return c.ID
}

func comments(t *testing.T, officer, citizen *client, id int64, clk *partClock) {
	t.Helper()
	path := fmt.Sprintf("/api/v1/consultations/%d/comments", id)
	citizen.call("POST", path, map[string]any{"section": 1, "body": "建议写明适用于农村。"}, http.StatusCreated, nil)
	for _, tc := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"section": 1, "body": strings.Repeat("长", 20000)}, "意见内容不能超过 2000 个字（现有 20000 个字）"},
		{map[string]any{"section": 1, "body": "<script>alert(1)</script>"}, "不能包含 HTML 标签或脚本"},
		{map[string]any{"section": 7, "body": "意见"}, "所选条款不存在"},
	} {
		e := citizen.fail("POST", path, tc.body, http.StatusUnprocessableEntity)
		if got := e.Error.Fields["body"] + e.Error.Fields["section"]; !strings.Contains(got, tc.want) {
			t.Errorf("message %q, want %q", got, tc.want)
		}
	}
	anonymous(t, citizen.app).fail("POST", path, map[string]any{"body": "匿名"}, http.StatusUnauthorized)
	clk.t = time.Date(2026, 4, 18, 2, 0, 0, 0, time.UTC)
	e := citizen.fail("POST", path, map[string]any{"section": 1, "body": "晚了"}, http.StatusConflict)
	if !strings.Contains(e.Error.Message, "征求意见已于 2026-04-17 截止") {
		t.Fatalf("after the period: %s", e.Error.Message)
	}
	var list struct {
		Items []struct {
			Body string `json:"body"`
		} `json:"items"`
	}
	anonymous(t, citizen.app).call("GET", path, nil, http.StatusOK, &list)
	if len(list.Items) != 1 {
		t.Fatalf("refused comments were written: %+v", list.Items)
	}
}

func benchmarksAndPenalties(t *testing.T, a *apptest.App, approver, head *client) {
	t.Helper()
	content := powers.Content{Name: "对无证经营的处罚", Type: "02", Bases: []powers.Basis{{Law: "《中华人民共和国食品安全法》", Article: "第一百二十二条"}},
		Subject: "西湖区市场监督管理局", Process: "立案—调查—决定", Duties: []string{"立案责任"}, Accountability: []string{"不予处罚的"},
		Benchmarks: []powers.Benchmark{{Violation: "无证经营", Level: "light", Kinds: []string{"罚款"}, FineMin: 1000_00, FineMax: 5000_00}}}
	var v struct {
		ID      int64          `json:"id"`
		Content powers.Content `json:"content"`
	}
	approver.call("POST", "/api/v1/powers", map[string]any{"department_id": a.Tree.Department.ID, "code": "CF00001000", "content": content}, http.StatusCreated, &v)
	bad := approver.do("POST", fmt.Sprintf("/api/v1/power-versions/%d/benchmarks", v.ID), []byte("PK\x03\x04 not really a workbook"), xlsxBody)
	if e := bad.mustError(t, "malformed workbook", http.StatusUnprocessableEntity); !strings.Contains(e.Error.Message, "无法作为 .xlsx 工作簿打开") {
		t.Fatalf("malformed workbook: %s", e.Error.Message)
	}
	var buf bytes.Buffer
	if err := powers.BenchmarkSheet.Write(&buf, [][]string{{"无证经营", "", "从轻", "", "罚款", "9000", "100", ""}}); err != nil {
		t.Fatal(err)
	}
	e := approver.do("POST", fmt.Sprintf("/api/v1/power-versions/%d/benchmarks", v.ID), buf.Bytes(), xlsxBody).mustError(t, "min above max", http.StatusUnprocessableEntity)
	if len(e.Error.Fields) != 1 {
		t.Fatalf("problems %v", e.Error.Fields)
	}
	approver.call("GET", fmt.Sprintf("/api/v1/power-versions/%d", v.ID), nil, http.StatusOK, &v)
	if len(v.Content.Benchmarks) != 1 || v.Content.Benchmarks[0].FineMax != 5000_00 {
		t.Fatalf("a refused workbook changed the draft: %+v", v.Content.Benchmarks)
	}
	approver.call("POST", fmt.Sprintf("/api/v1/power-versions/%d/submit", v.ID), nil, http.StatusOK, nil)
	head.call("POST", fmt.Sprintf("/api/v1/power-versions/%d/approve", v.ID), nil, http.StatusOK, nil)
	penaltyImport(t, a, approver)
}

func penaltyImport(t *testing.T, a *apptest.App, approver *client) {
	t.Helper()
	row := func(n int, fine string) []string {
		return []string{fmt.Sprintf("西市监罚〔2026〕%d号", n), "法人", fmt.Sprintf("杭州第%d公司", n), storetest.CreditCode(200 + n), "无证经营",
			"罚款", "食品安全法", "罚款", fine, "2026-04-10", "CF00001000", "1", ""}
	}
	var buf bytes.Buffer
	if err := publicity.PenaltySheet.Write(&buf, [][]string{row(1, "3000"), row(2, "8000")}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/publicity/penalties/import?department_id=%d", a.Tree.Department.ID)
	e := approver.do("POST", path, buf.Bytes(), xlsxBody).mustError(t, "outside the benchmark", http.StatusUnprocessableEntity)
	if msg := e.Error.Fields["第 3 行 第 M 列（超出基准理由）"]; !strings.Contains(msg, "罚款 8000.00 元超出裁量基准（从轻处罚：1000.00–5000.00 元）") {
		t.Fatalf("problems %v", e.Error.Fields)
	}
	var page struct {
		Items []any `json:"items"`
	}
	anonymous(t, a).call("GET", "/api/v1/publicity?q=杭州第1公司", nil, http.StatusOK, &page)
	if len(page.Items) != 0 {
		t.Fatal("the good row of a refused file was written")
	}
	e = approver.do("POST", path, []byte("不是工作簿"), xlsxBody).mustError(t, "not a workbook", http.StatusUnprocessableEntity)
	if !strings.Contains(e.Error.Message, "文件不是 Excel 工作簿") {
		t.Fatalf("not a workbook: %s", e.Error.Message)
	}
}

func xlsxBody(r *http.Request) {
	r.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}
