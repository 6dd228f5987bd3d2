package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
)

// TestComplaintAboutCaseNamesCaseOnlyWithConsent: a case's number leads
// to its applicant, so the department a complaint about a case is
// assigned to sees the case's number only when the complainant agreed to
// be known: without consent, or anonymously, it sees the item and the
// date of application instead, in the complaint, its list and the note
// telling it of the complaint, and nothing of the complaint on the case.
// The desk and the complainant always see the case.
func TestComplaintAboutCaseNamesCaseOnlyWithConsent(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		cs := decidedCase(t, a, "个体工商户设立登记", "citizen")
		citizen, desk := actor(t, a, "citizen"), actor(t, a, "supervisor")
		file := func(consent, anonymous bool, dept int64, who string) int64 {
			t.Helper()
			f, err := a.Services.Complaints.Submit(ctx, citizen, complaint.Input{Subject: complaint.SubjectCase, CaseNumber: cs.Number,
				Content: "办理过程中被要求补交不必要的材料", Consent: consent, Anonymous: anonymous})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Services.Complaints.Act(ctx, desk, f.Complaint.ID, complaint.Command{Kind: complaint.CmdAccept, DepartmentID: dept, Days: 5}, 0); err != nil {
				t.Fatalf("assign to %s: %v", who, err)
			}
			return f.Complaint.ID
		}
		scjg, ny := deptID(t, a, "西湖区市场监督管理局"), deptID(t, a, "西湖区农业农村局")
		hidden := file(false, false, scjg, "approver")
		anon := file(false, true, scjg, "approver")
		shown := file(true, false, ny, "approver2")

		approver := actor(t, a, "approver")
		for _, id := range []int64{hidden, anon} {
			v, err := a.Services.Complaints.Get(ctx, approver, id)
			if err != nil {
				t.Fatal(err)
			}
			s := v.Complaint.Subject
			if leaks(v.Complaint, cs.Number) || s.CaseID != 0 || !strings.Contains(s.Label, "个体工商户设立登记") || !strings.Contains(s.Label, "申请日期 2026-03-09") {
				t.Fatalf("the department without consent sees %+v", s)
			}
		}
		queue, err := a.Services.Complaints.Queue(ctx, approver, true)
		if err != nil || len(queue) != 2 || leaks(queue, cs.Number) {
			t.Fatalf("the department's list names the case: %d %v", len(queue), err)
		}
		if n := inbox(t, a, "approver", "complaint.assigned"); len(n) != 2 || leaks(n, cs.Number) {
			t.Fatalf("the department's notes name the case: %d", len(n))
		}
		if list, err := a.Services.Complaints.ForCase(ctx, approver, cs.ID); err != nil || len(list) != 0 {
			t.Fatalf("the department sees the complaints on the case: %d %v", len(list), err)
		}

		v, err := a.Services.Complaints.Get(ctx, actor(t, a, "approver2"), shown)
		if err != nil || v.Complaint.Subject.CaseID != cs.ID || v.Complaint.Subject.CaseNumber != cs.Number {
			t.Fatalf("the department with consent: %+v %v", v.Complaint.Subject, err)
		}
		if n := inbox(t, a, "approver2", "complaint.assigned"); len(n) != 1 || !leaks(n, cs.Number) {
			t.Fatalf("the department with consent is told the case: %d", len(n))
		}
		for _, who := range []string{"supervisor", "citizen"} {
			for _, id := range []int64{hidden, shown} {
				v, err := a.Services.Complaints.Get(ctx, actor(t, a, who), id)
				if err != nil || v.Complaint.Subject.CaseID != cs.ID || v.Complaint.Subject.CaseNumber != cs.Number {
					t.Fatalf("%s sees %+v %v", who, v.Complaint.Subject, err)
				}
			}
		}
		if list, err := a.Services.Complaints.ForCase(ctx, desk, cs.ID); err != nil || len(list) != 3 {
			t.Fatalf("the desk sees the complaints on the case: %d %v", len(list), err)
		}
	})
}

// leaks reports whether v, as JSON, holds s.
func leaks(v any, s string) bool {
	b, err := json.Marshal(v)
	return err != nil || strings.Contains(string(b), s)
}
