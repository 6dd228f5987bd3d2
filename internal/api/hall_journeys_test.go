package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/audit"
	"openhall/internal/demo"
	"openhall/internal/identity"
)

// The service hall's journeys through the API, on both backends: the same
// a citizen, a company and the staff walk in the browser tests.

var roadForm = map[string]string{"summary": "文三路燃气管道抢修开挖", "挖掘面积（平方米）": "20", "挖掘地点": "文三路（学院路至古翠路）",
	"联系人手机": "13812345678", "联系人电子邮箱": "zhangsan@example.cn"}

// fileRoad files the road-digging permit as the demo citizen.
func fileRoad(t *testing.T, a *apptest.App, key string) caseView {
	t.Helper()
	c := loginWith(t, a, "citizen", demo.Password)
	form := c.upload("申请表.pdf", tinyPDF)
	plan := c.upload("施工方案.pdf", tinyPDF+"% plan\n")
	body := map[string]any{"item_version_id": itemVersion(t, a, "城市道路占用、挖掘许可"), "form": roadForm,
		"materials": []map[string]string{{"code": "m1", "sha256": form.SHA256, "file_name": "申请表.pdf"},
			{"code": "m2", "sha256": plan.SHA256, "file_name": "施工方案.pdf"}}}
	bad := map[string]any{"item_version_id": body["item_version_id"], "materials": body["materials"],
		"form": map[string]string{"summary": "开挖", "挖掘面积（平方米）": "-3", "挖掘地点": "文三路", "联系人手机": "1381234", "联系人电子邮箱": "a@b"}}
	r := c.do("POST", "/api/v1/cases", bad, func(req *http.Request) { req.Header.Set("Idempotency-Key", key+"-bad") })
	e := r.mustError(t, "file with bad fields", http.StatusUnprocessableEntity)
	wantFields(t, e, "form.挖掘面积（平方米）", "form.联系人手机", "form.联系人电子邮箱")
	r = c.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", key) })
	if r.status != http.StatusCreated {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	var v caseView
	jsonUnmarshal(t, r.body, &v)
	return v
}

// TestCitizenJourney: apply online → 一次性补正告知 → supplement (an empty
// one refused) → 受理 without paying first → a 现场勘察 whose days are
// taken whole → both departments approve with opinions → one extension only
// → the fee → the certificate → the 查询密码 read again and the anonymous
// lookup; the 监察人员 sees the applicant masked until an audited opening.
func TestCitizenJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		clock := newTestClock(cst(9, 22, 10))
		a := demoApp(t, backend, clock)
		filed := fileRoad(t, a, "journey-1")
		if filed.FeeDueFen != 2400_00 || len(filed.QueryCode) != 6 || filed.Clocks.Intake.Due != "2026-09-30" {
			t.Fatalf("filed: fee %d, code %q, intake due %q", filed.FeeDueFen, filed.QueryCode, filed.Clocks.Intake.Due)
		}
		supplementRound(t, a, clock, filed.ID)
		clock.Set(cst(9, 24, 10))
		accepted := act(t, a, "clerk", filed.ID, map[string]any{"kind": "accept"})
		if accepted.Status != "review" || accepted.Clocks.Promised.Due != "2026-10-15" || accepted.FeePaidFen != 0 || !accepted.FeePayable {
			t.Fatalf("accepted unpaid: %s, due %s; want review, 2026-10-15 (中秋 and 国庆 skipped)", accepted.Status, accepted.Clocks.Promised.Due)
		}
		approvals(t, a, clock, filed.ID)
		paid := act(t, a, "clerk", filed.ID, map[string]any{"kind": "pay_fee", "amount_fen": 240000})
		if paid.Status != "closed" || paid.Decision != "approved" || paid.Certificate == "" || paid.Completion != "0" {
			t.Fatalf("after the fee: %s %s certificate %q", paid.Status, paid.Decision, paid.Certificate)
		}
		readCodeAndLookUp(t, a, filed)
		supervisorSeesMasked(t, a, filed.ID)
	})
}

func supplementRound(t *testing.T, a *apptest.App, clock *testClock, id int64) {
	t.Helper()
	clock.Set(cst(9, 22, 14))
	act(t, a, "clerk", id, map[string]any{"kind": "request_supplement", "items": []string{"施工方案未加盖施工单位公章", "说明挖掘期限"},
		"needs": []string{"m2", "statement"}})
	clock.Set(cst(9, 23, 9))
	citizen := loginWith(t, a, "citizen", demo.Password)
	var before caseView
	citizen.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &before)
	e := citizen.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), map[string]any{"kind": "supplement", "version": before.Version}, http.StatusUnprocessableEntity)
	wantFields(t, e, "material.m2", "answer.1")
	fixed := citizen.upload("施工方案（盖章）.pdf", tinyPDF+"% stamped\n")
	act(t, a, "citizen", id, map[string]any{"kind": "supplement", "answers": []string{"", "计划挖掘 5 天"},
		"materials": []map[string]string{{"code": "m2", "sha256": fixed.SHA256, "file_name": "施工方案（盖章）.pdf"}}})
	clerk := loginWith(t, a, "clerk", demo.Password)
	var now caseView
	clerk.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &now)
	e = clerk.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), map[string]any{"kind": "request_supplement", "version": now.Version,
		"items": []string{"申请表缺签名"}, "needs": []string{"m1"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(e.Error.Fields["items"], "第三十二条") {
		t.Fatalf("a second notice on something new: %v", e.Error.Fields)
	}
}

func approvals(t *testing.T, a *apptest.App, clock *testClock, id int64) {
	t.Helper()
	clock.Set(cst(9, 29, 9))
	act(t, a, "cgapprover", id, map[string]any{"kind": "start_special", "branch": 0, "code": "site_inspection", "days": 2, "reason": "核实开挖范围与管线位置"})
	clock.Set(cst(9, 30, 16))
	act(t, a, "cgapprover", id, map[string]any{"kind": "end_special", "branch": 0, "reason": "现场与申请一致"})
	clock.Set(cst(10, 8, 10))
	act(t, a, "cgapprover", id, map[string]any{"kind": "request_extension", "branch": 0, "days": 5, "reason": "需补充论证"})
	act(t, a, "cghead", id, map[string]any{"kind": "approve_extension", "branch": 0})
	cg := loginWith(t, a, "cgapprover", demo.Password)
	var now caseView
	cg.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &now)
	cg.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), map[string]any{"kind": "pass", "branch": 0, "version": now.Version}, http.StatusUnprocessableEntity)
	resumed := act(t, a, "cgapprover", id, map[string]any{"kind": "pass", "branch": 0, "reason": "挖掘方案可行"})
	// 09-29 and 09-30, the inspection's first and last days, did not count.
	if sp := resumed.Clocks.Specials; resumed.Clocks.Promised.Due != "2026-10-19" || len(sp) != 1 || sp[0].Days != 2 || sp[0].ExpectedDays != 2 {
		t.Fatalf("promised due after the inspection: %s, %+v; want 2026-10-19, 2 days", resumed.Clocks.Promised.Due, sp)
	}
	act(t, a, "gaapprover", id, map[string]any{"kind": "pass", "branch": 1, "reason": "交通组织方案可行"})
	head := loginWith(t, a, "cghead", demo.Password)
	head.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &now)
	e := head.fail("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), map[string]any{"kind": "request_extension", "branch": 0, "days": 3,
		"reason": "再延长", "version": now.Version}, http.StatusConflict)
	if !strings.Contains(e.Error.Message, "第四十二条") {
		t.Fatalf("a second extension: %s", e.Error.Message)
	}
	clock.Set(cst(10, 9, 11))
	decided := act(t, a, "cghead", id, map[string]any{"kind": "pass", "branch": 0, "reason": "准予许可"})
	if decided.Status != "payment" || decided.Decision != "approved" || decided.Certificate != "" {
		t.Fatalf("approved, waiting for the fee: %s %s %q", decided.Status, decided.Decision, decided.Certificate)
	}
}

func readCodeAndLookUp(t *testing.T, a *apptest.App, filed caseView) {
	t.Helper()
	citizen := loginWith(t, a, "citizen", demo.Password)
	var code struct {
		QueryCode string `json:"query_code"`
	}
	citizen.call("GET", fmt.Sprintf("/api/v1/cases/%d/query-code", filed.ID), nil, http.StatusOK, &code)
	if code.QueryCode != filed.QueryCode {
		t.Fatalf("the code read again: %q, want %q", code.QueryCode, filed.QueryCode)
	}
	loginWith(t, a, "clerk", demo.Password).fail("GET", fmt.Sprintf("/api/v1/cases/%d/query-code", filed.ID), nil, http.StatusForbidden)
	anon := anonymous(t, a)
	var progress struct {
		Applicant string `json:"applicant"`
		Events    []struct {
			Kind string `json:"kind"`
		} `json:"events"`
	}
	anon.call("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": filed.QueryCode}, http.StatusOK, &progress)
	var kinds []string
	for _, e := range progress.Events {
		kinds = append(kinds, e.Kind)
	}
	want := "submitted supplement_requested supplemented accepted special_started special_ended extension_requested extension_approved " +
		"step_passed step_passed branch_decided step_passed branch_decided decided fee_paid certificate_issued closed"
	if strings.Join(kinds, " ") != want || progress.Applicant == "张三" {
		t.Fatalf("progress events:\n%s\nwant\n%s\napplicant %q", strings.Join(kinds, " "), want, progress.Applicant)
	}
	var reset struct {
		QueryCode string `json:"query_code"`
	}
	citizen.call("POST", fmt.Sprintf("/api/v1/cases/%d/query-code", filed.ID), nil, http.StatusOK, &reset)
	anon.fail("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": filed.QueryCode}, http.StatusNotFound)
	anon.call("POST", "/api/v1/progress", map[string]string{"number": filed.Number, "code": reset.QueryCode}, http.StatusOK, nil)
}

func supervisorSeesMasked(t *testing.T, a *apptest.App, id int64) {
	t.Helper()
	sup := loginWith(t, a, "supervisor", demo.Password)
	var masked caseView
	sup.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, http.StatusOK, &masked)
	if !masked.Masked || masked.Applicant.IDNumber == "330106198503124029" || masked.Applicant.Phone == "13812345678" {
		t.Fatalf("the 监察人员 sees the applicant in full: %+v", masked.Applicant)
	}
	wantFields(t, sup.fail("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", id), map[string]string{}, http.StatusUnprocessableEntity), "reason")
	var full caseView
	sup.call("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", id), map[string]string{"reason": "核查投诉 2026-118 号"}, http.StatusOK, &full)
	if full.Masked || full.Applicant.IDNumber != "330106198503124029" {
		t.Fatalf("opened: %+v", full.Applicant)
	}
	entries, err := a.Services.Audit.Find(context.Background(), audit.Filter{Action: "cases.personal_data_viewed", Limit: 5})
	if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].Detail), "核查投诉") {
		t.Fatalf("the opening is audited with its reason: %+v %v", entries, err)
	}
	loginWith(t, a, "clerk", demo.Password).fail("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", id), map[string]string{"reason": "查看一下"}, http.StatusForbidden)
	certificateMasked(t, a, masked.Certificate)
}

// certificateMasked: the printable certificate shows the holder in full to
// the clerk who handled the case, masked to the 监察人员, as the case does.
func certificateMasked(t *testing.T, a *apptest.App, number string) {
	t.Helper()
	for _, tc := range []struct {
		user   string
		masked bool
	}{{"clerk", false}, {"supervisor", true}} {
		_, actor, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: tc.user, Password: demo.Password})
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.Services.Certs.View(context.Background(), actor, number)
		if err != nil {
			t.Fatalf("%s opens the certificate: %v", tc.user, err)
		}
		if full := res.Certificate.Data.Holder.IDNumber == "330106198503124029"; res.Masked != tc.masked || full == tc.masked {
			t.Fatalf("%s: masked %v, holder %+v", tc.user, res.Masked, res.Certificate.Data.Holder)
		}
	}
}

// TestCompanyJourney: a company files a 法人 item; a person may not, nor may
// anyone file a version no longer in effect.
func TestCompanyJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoApp(t, backend, newTestClock(cst(11, 2, 10)))
		version := itemVersion(t, a, "用人单位社会保险登记")
		company := loginWith(t, a, "company", demo.Password)
		bank := company.upload("开户许可.pdf", tinyPDF)
		r := company.do("POST", "/api/v1/cases", map[string]any{"item_version_id": version, "form": map[string]string{"summary": "新设立公司参保"},
			"materials": []map[string]string{{"code": "m2", "sha256": bank.SHA256, "file_name": "开户许可.pdf"}}},
			func(req *http.Request) { req.Header.Set("Idempotency-Key", "co-1") })
		if r.status != http.StatusCreated {
			t.Fatalf("the company files: %d %s", r.status, r.body)
		}
		citizen := loginWith(t, a, "citizen", demo.Password)
		e := citizen.do("POST", "/api/v1/cases", map[string]any{"item_version_id": version, "form": map[string]string{"summary": "x"}},
			func(req *http.Request) { req.Header.Set("Idempotency-Key", "co-2") }).mustError(t, "a person files a 法人 item", http.StatusConflict)
		if !strings.Contains(e.Error.Message, "服务对象") {
			t.Fatalf("the refusal names the audience: %s", e.Error.Message)
		}
		offline := itemVersion(t, a, "结婚登记")
		e = citizen.do("POST", "/api/v1/cases", map[string]any{"item_version_id": offline, "form": map[string]string{"summary": "x"}},
			func(req *http.Request) { req.Header.Set("Idempotency-Key", "co-3") }).mustError(t, "an item not filed online", http.StatusConflict)
		if !strings.Contains(e.Error.Message, "不支持网上申请") || !strings.Contains(e.Error.Message, "办理") {
			t.Fatalf("the refusal says where to go: %s", e.Error.Message)
		}
	})
}

// TestBundleJourney: a citizen files 开办餐饮店 through the API with one
// file per material group, follows it, and looks it up anonymously.
func TestBundleJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoApp(t, backend, newTestClock(cst(3, 9, 10)))
		citizen := loginWith(t, a, "citizen", demo.Password)
		var bundles []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}
		anonymous(t, a).call("GET", "/api/v1/bundles", nil, http.StatusOK, &bundles)
		var form struct {
			FormItems []struct {
				ImplCode string `json:"impl_code"`
				Own      []struct {
					Name string `json:"name"`
				} `json:"own_fields"`
			} `json:"form_items"`
			Materials []struct {
				Key    string `json:"key"`
				Upload bool   `json:"upload"`
			} `json:"materials"`
		}
		citizen.call("GET", fmt.Sprintf("/api/v1/bundles/%d", bundles[0].ID), nil, http.StatusOK, &form)
		own := map[string]map[string]string{}
		values := map[string]string{"经营范围": "小吃", "从业人数": "3", "经营面积（平方米）": "40", "主体业态": "餐饮服务经营者", "日排水量（立方米）": "1.5"}
		for _, it := range form.FormItems {
			own[it.ImplCode] = map[string]string{}
			for _, f := range it.Own {
				own[it.ImplCode][f.Name] = values[f.Name]
			}
		}
		var files []map[string]string
		for _, m := range form.Materials {
			if m.Upload {
				u := citizen.upload(m.Key+".pdf", tinyPDF+"% "+m.Key+"\n")
				files = append(files, map[string]string{"code": m.Key, "sha256": u.SHA256, "file_name": m.Key + ".pdf"})
			}
		}
		body := map[string]any{"note": "开一家小吃店", "own": own, "files": files,
			"shared": map[string]string{"店铺名称": "张三小吃", "经营场所": "西湖区文三路 100 号", "是否向市政管网排放污水": "是"}}
		r := citizen.do("POST", fmt.Sprintf("/api/v1/bundles/%d/applications", bundles[0].ID), body, func(req *http.Request) { req.Header.Set("Idempotency-Key", "b-1") })
		if r.status != http.StatusCreated {
			t.Fatalf("file the bundle: %d %s", r.status, r.body)
		}
		var app struct {
			ID        int64  `json:"id"`
			Number    string `json:"number"`
			QueryCode string `json:"query_code"`
			Cases     []struct {
				ID int64 `json:"id"`
			} `json:"cases"`
		}
		jsonUnmarshal(t, r.body, &app)
		if len(app.Cases) != 3 || len(app.QueryCode) != 6 {
			t.Fatalf("filed: %s", r.body)
		}
		var c caseView
		citizen.call("GET", fmt.Sprintf("/api/v1/cases/%d", app.Cases[1].ID), nil, http.StatusOK, &c)
		if c.BundleNumber != app.Number {
			t.Fatalf("a case knows its bundle: %q", c.BundleNumber)
		}
		var pub struct {
			Applicant string `json:"applicant"`
			Cases     []json.RawMessage
		}
		anonymous(t, a).call("POST", "/api/v1/bundle-progress", map[string]string{"number": app.Number, "code": app.QueryCode}, http.StatusOK, &pub)
		if len(pub.Cases) != 3 || pub.Applicant == "张三" {
			t.Fatalf("the public lookup: %+v", pub)
		}
	})
}

// TestDecemberJourney: accepted in December with 2027's schedule missing,
// the dates are 暂定 (1 January already off, as 元旦 is by law); entering
// 2027's notice, here with a bridging Monday off, corrects them, on the
// page and on the rows the queues sort by.
func TestDecemberJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		clock := newTestClock(time.Date(2026, 12, 21, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
		a := demoApp(t, backend, clock)
		filed := fileRoad(t, a, "dec-1")
		accepted := act(t, a, "clerk", filed.ID, map[string]any{"kind": "accept"})
		// 22–31 December (8 working days), 1 January 元旦 off, 4 and 5 January.
		if p := accepted.Clocks.Promised; p.Due != "2027-01-05" || p.ProvisionalYear != 2027 {
			t.Fatalf("provisional due: %+v", p)
		}
		admin := loginWith(t, a, "admin", demo.Password)
		notice := map[string]any{"year": 2027, "paper": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
			"holidays": []map[string]string{{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}},
			"makeups":  []map[string]string{{"date": "2027-01-01", "name": "元旦"}}}
		wantFields(t, admin.fail("POST", "/api/v1/calendar/notices", notice, http.StatusUnprocessableEntity), "makeups.0.date")
		notice["makeups"] = []map[string]string{}
		loginWith(t, a, "clerk", demo.Password).fail("POST", "/api/v1/calendar/notices", notice, http.StatusForbidden)
		admin.call("POST", "/api/v1/calendar/notices", notice, http.StatusCreated, nil)
		var now caseView
		loginWith(t, a, "clerk", demo.Password).call("GET", fmt.Sprintf("/api/v1/cases/%d", filed.ID), nil, http.StatusOK, &now)
		if p := now.Clocks.Promised; p.Due != "2027-01-06" || p.ProvisionalYear != 0 {
			t.Fatalf("after the notice: %+v", p)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			var list struct {
				Items []struct {
					PromisedDue string `json:"promised_due"`
				} `json:"items"`
			}
			loginWith(t, a, "citizen", demo.Password).call("GET", "/api/v1/cases", nil, http.StatusOK, &list)
			if len(list.Items) == 1 && list.Items[0].PromisedDue == "2027-01-06" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the stored due date was not recomputed: %+v", list.Items)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}
