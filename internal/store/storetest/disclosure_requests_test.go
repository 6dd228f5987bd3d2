package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

func TestDisclosureRequests(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		now := fixedNow
		e := newDisclosureEnv(t, b.Open(t, nil), func() time.Time { return now })
		ctx := context.Background()
		citizen := person(t, e, "zhangsan")

		r, err := e.d.SubmitRequest(ctx, citizen, disclosure.RequestInput{AgencyID: e.agency.ID, Channel: disclosure.ChannelOnline,
			Name: "张三", Phone: "13800138000", Description: "2025年西湖区老旧小区改造项目清单", Delivery: "电子邮件"})
		if err != nil || r.Status != disclosure.ReqSubmitted || !slices.Contains(r.Missing, "申请人的身份证明") {
			t.Fatalf("request without identity proof must be registered for 补正: %+v %v", r, err)
		}
		if _, err := e.d.ConfirmReceipt(ctx, e.drafter, r.ID, ""); err != nil {
			t.Fatal(err)
		}
		requestClock(t, e, r.ID)
		v, _ := e.d.Request(ctx, citizen, r.ID)
		if v.Masked || v.Request.Phone != "13800138000" || v.Clock.Due.String() != "2026-04-23" {
			t.Fatalf("applicant's view: masked %v, phone %s, due %s", v.Masked, v.Request.Phone, v.Clock.Due)
		}
		_, watcher := Staff(t, e.sv, "watcher", identity.RoleSupervisor, &e.tree.City.ID, nil)
		if w, err := e.d.Request(ctx, watcher, r.ID); err != nil || !w.Masked || w.Request.Phone != "138****8000" || w.Request.Name != "张*" {
			t.Fatalf("supervisor's view not masked: %+v %v", w, err)
		}
		if _, err := e.d.Request(ctx, e.outsider, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("officer of another county: %v", err)
		}
		if _, err := e.d.SubmitRequest(ctx, e.drafter, disclosure.RequestInput{AgencyID: e.agency.ID, Channel: disclosure.ChannelInPerson,
			ApplicantType: disclosure.ApplicantBusiness, Name: "杭州某某科技有限公司", Description: "企业扶持资金名单", Delivery: "纸质文本"}); err != nil {
			t.Fatal(err)
		}
		annualReport(t, e)

		lapsed := requestWithCorrection(t, e, citizen)
		now = now.AddDate(0, 1, 0)
		if n, err := e.d.SweepRequests(ctx); err != nil || n != 1 {
			t.Fatalf("sweep closed %d: %v", n, err)
		}
		if v, _ := e.d.Request(ctx, e.drafter, lapsed); v.Request.Status != disclosure.ReqAbandoned || v.Request.Reason != "no_correction" {
			t.Fatalf("lapsed correction: %s %s", v.Request.Status, v.Request.Reason)
		}
	})
}

func person(t *testing.T, e *disclosureEnv, username string) *identity.Actor {
	t.Helper()
	ctx := context.Background()
	_, err := e.sv.Identity.CreateUser(ctx, identity.SystemActor(), identity.UserInput{Kind: identity.KindPerson, Username: username,
		Name: "张三", IDNumber: IDNumber(7), Phone: "13800138000", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	_, a, err := e.sv.Identity.Login(ctx, identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// requestClock runs the Done-when request: 补正, correction, one extension,
// a partial answer — with the refusals the Regulation requires on the way.
func requestClock(t *testing.T, e *disclosureEnv, id int64) {
	ctx := context.Background()
	rec := func(in disclosure.EventInput) error { _, err := e.d.RecordEvent(ctx, e.drafter, id, in); return err }
	if err := rec(disclosure.EventInput{Kind: disclosure.EvCorrection}); apperr.FieldsOf(err)["note"] == "" {
		t.Fatalf("补正 without its items: %v", err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvCorrection, Note: "申请人的身份证明", Days: 10}); err != nil {
		t.Fatal(err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvCorrection, Note: "再次补正"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second 补正: %v", err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvCorrected}); err != nil {
		t.Fatal(err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvExtension, Days: 25, Party: "王主任"}); apperr.FieldsOf(err)["days"] == "" {
		t.Fatalf("extension of 25 working days: %v", err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvExtension, Days: 5, Party: "王主任", Note: "需调取档案"}); err != nil {
		t.Fatal(err)
	}
	if err := rec(disclosure.EventInput{Kind: disclosure.EvExtension, Days: 5, Party: "王主任"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second extension: %v", err)
	}
	if _, err := e.d.Answer(ctx, e.drafter, id, disclosure.AnswerInput{Type: disclosure.AnswerPartial, Text: "部分内容涉及个人信息"}); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("answer without its sub-reason: %v", err)
	}
	if _, err := e.d.Answer(ctx, e.drafter, id, disclosure.AnswerInput{Type: disclosure.AnswerPartial, Reason: "third_party", Text: "涉及个人信息的部分不予公开"}); err != nil {
		t.Fatal(err)
	}
	v, _ := e.d.Request(ctx, e.drafter, id)
	l, err := disclosure.AnswerLetter(v)
	if err != nil || !strings.Contains(strings.Join(l.Paragraphs, ""), "第三十七条") || !strings.Contains(strings.Join(l.Paragraphs, ""), "六十日") {
		t.Fatalf("answer letter: %+v %v", l, err)
	}
}

func annualReport(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	_, tables, err := e.d.AnnualReport(ctx, e.drafter, e.agency.ID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][7]int{"1": {1, 1, 0, 0, 0, 0, 2}, "2": {}, "3.2": {1, 0, 0, 0, 0, 0, 1}, "3.7": {1, 0, 0, 0, 0, 0, 1},
		"4": {0, 1, 0, 0, 0, 0, 1}, "3.1": {}}
	for row, cells := range want {
		if tables.Table3[row] != cells {
			t.Errorf("Table 3 row %s: %v, want %v", row, tables.Table3[row], cells)
		}
	}
	for _, c := range tables.Checks {
		if !c.OK {
			t.Errorf("check %s failed: %s", c.Name, c.Note)
		}
	}
	_, empty, err := e.d.AnnualReport(ctx, e.drafter, e.agency.ID, 2025)
	if err != nil || empty.Table3["3.7"] != [7]int{} || !empty.Checks[0].OK {
		t.Fatalf("empty year: %+v %v", empty, err)
	}
	d, err := e.d.MakeReportDocument(ctx, e.drafter, e.agency.ID, 2026)
	if err != nil || d.Genre != disclosure.GenreReport || !strings.Contains(d.BodyHTML, "勾稽关系") {
		t.Fatalf("report document: %v", err)
	}
	xlsx, err := disclosure.ReportXLSX(e.agency, 2026, tables)
	if err != nil || len(xlsx) < 1000 || string(xlsx[:2]) != "PK" {
		t.Fatalf("xlsx: %d bytes, %v", len(xlsx), err)
	}
}

func requestWithCorrection(t *testing.T, e *disclosureEnv, citizen *identity.Actor) int64 {
	ctx := context.Background()
	r, err := e.d.SubmitRequest(ctx, citizen, disclosure.RequestInput{AgencyID: e.agency.ID, Channel: disclosure.ChannelOnline, Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	e.d.ConfirmReceipt(ctx, e.drafter, r.ID, "")
	if _, err := e.d.RecordEvent(ctx, e.drafter, r.ID, disclosure.EventInput{Kind: disclosure.EvCorrection, Note: "请说明所需信息"}); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestDisclosureRequests_NumbersPerAgency: requests to several agencies,
// two of them sharing an organisation code, all get numbers, each readable
// as its agency's and none repeated in the deployment.
func TestDisclosureRequests_NumbersPerAgency(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newDisclosureEnv(t, b.Open(t, nil), nil)
		ctx, sys := context.Background(), identity.SystemActor()
		agencies := []*disclosure.Agency{e.agency}
		for _, in := range []disclosure.AgencyInput{
			{RegionID: e.tree.County.ID, DepartmentID: &e.tree.Department.ID, Name: "西湖区市场监督管理局", Code: "11330106mb1234567x"},
			{RegionID: e.tree.County.ID, Name: "西湖区人民政府办公室", Code: "002482133"}, // the government's code again
		} {
			ag, err := e.d.SaveAgency(ctx, sys, 0, in)
			if err != nil {
				t.Fatal(err)
			}
			agencies = append(agencies, ag)
		}
		_, officer := Staff(t, e.sv, "officer2", identity.RoleDisclosureOfficer, &e.tree.County.ID, nil)
		seen := map[string]bool{}
		for round := 0; round < 2; round++ {
			for _, ag := range agencies {
				r, err := e.d.SubmitRequest(ctx, officer, disclosure.RequestInput{AgencyID: ag.ID, Channel: disclosure.ChannelInPerson,
					Name: "李四", Description: "本机关2025年财政预算", Delivery: "纸质文本"})
				if err != nil {
					t.Fatalf("request to %s: %v", ag.Name, err)
				}
				if seen[r.Number] || !strings.HasPrefix(r.Number, disclosure.RequestNumberPrefix(ag, 2026)+"-") {
					t.Fatalf("request to %s numbered %s (seen before: %v)", ag.Name, r.Number, seen[r.Number])
				}
				seen[r.Number] = true
			}
		}
		if !seen["YSQ-11330106MB1234567X-2026-00001"] || !seen["YSQ-002482133-2026-00004"] {
			t.Fatalf("numbers: %v", seen)
		}
	})
}
