package web_test

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/complaint"
	"openhall/internal/rating"
)

// feedback is April's satisfaction and complaints of the arranged cases'
// department, as the test gives and counts them.
type feedback struct {
	complaints []int64
}

// rateAndComplain has the applicants rate their decided cases on
// 2026-04-10 (A 非常满意, C 不满意 with its reason) and complain three
// times about them: the desk takes two in, the department replies and the
// desk answers the same day; the third is refused the same day (a refused
// complaint is never assigned, so it counts against no department).
func (s *supScenario) rateAndComplain() feedback {
	s.t.Helper()
	ctx := context.Background()
	s.clock.Set(day(4, 10, 10))
	for _, r := range []struct {
		key, user string
		in        rating.Input
	}{
		{"A", "citizen", rating.Input{Level: rating.VerySatisfied}},
		{"C", "company", rating.Input{Level: rating.Dissatisfied, Comment: "审批环节等待时间太长"}},
	} {
		if _, err := s.a.Services.Ratings.RateCase(ctx, s.actor(r.user), s.cases[r.key].ID, r.in); err != nil {
			s.t.Fatalf("rate %s: %v", r.key, err)
		}
	}
	var fb feedback
	for _, c := range []struct {
		key, user, text string
		steps           []complaint.Command
	}{
		{"A", "citizen", "受理后审查环节超过承诺时间未告知原因", []complaint.Command{
			{Kind: complaint.CmdAccept, DepartmentID: s.cases["A"].Procedure.DepartmentID, Days: 5},
			{Kind: complaint.CmdReply, Text: "已核查审查环节，向申请人说明原因"},
			{Kind: complaint.CmdAnswer, Text: "经核查，审查环节因清明假期顺延，已向您说明"}}},
		{"C", "company", "希望审批结果能提前通知", []complaint.Command{
			{Kind: complaint.CmdRefuse, Text: "所提为意见建议，不属于投诉受理范围，已转意见建议渠道"}}},
		{"C", "company", "窗口要求提供办事指南清单之外的材料", []complaint.Command{
			{Kind: complaint.CmdAccept, DepartmentID: s.cases["C"].Procedure.DepartmentID, Days: 5},
			{Kind: complaint.CmdReply, Text: "已核查，今后严格按办事指南所列材料收件"},
			{Kind: complaint.CmdAnswer, Text: "经核查，窗口多收材料属实，已整改"}}},
	} {
		filed, err := s.a.Services.Complaints.Submit(ctx, s.actor(c.user), complaint.Input{Subject: complaint.SubjectCase,
			CaseNumber: s.cases[c.key].Number, Content: c.text})
		if err != nil {
			s.t.Fatalf("complain about %s: %v", c.key, err)
		}
		for _, cmd := range c.steps {
			who := "supervisor"
			if cmd.Kind == complaint.CmdReply {
				who = "depthead"
			}
			if _, err := s.a.Services.Complaints.Act(ctx, s.actor(who), filed.Complaint.ID, cmd, 0); err != nil {
				s.t.Fatalf("%s %s on the complaint about %s: %v", who, cmd.Kind, c.key, err)
			}
		}
		fb.complaints = append(fb.complaints, filed.Complaint.ID)
	}
	return fb
}

// count counts, from the stored ratings of the three cases and the
// complaints as the supervisor opens them, the department's April 好评率
// and complaints figures as the evaluation words them. The complaints
// were handled on the day they came in, so none is late.
func (fb feedback) count(s *supScenario, dept int64, h *handCount) {
	s.t.Helper()
	ctx := context.Background()
	april := func(t time.Time) bool { return t.In(cstZone).Month() == time.April && t.In(cstZone).Year() == 2026 }
	good, bad := 0, 0
	for _, key := range []string{"A", "B", "C"} {
		list, _, err := s.a.Stores.Ratings.FindRatings(ctx, rating.Filter{CaseID: s.cases[key].ID, Limit: 50})
		if err != nil {
			s.t.Fatal(err)
		}
		for _, r := range list {
			switch {
			case r.Excluded || !april(r.At) || r.DepartmentID != dept:
			case r.Level.Bad():
				bad++
			default:
				good++
			}
		}
	}
	if good+bad > 0 {
		h.Satisfaction = fmt.Sprintf("%.1f%%（%d/%d），差评 %d 件", 100*float64(good)/float64(good+bad), good, good+bad, bad)
	}
	var received, accepted, answered int
	for _, id := range fb.complaints {
		v, err := s.a.Services.Complaints.Get(ctx, s.actor("supervisor"), id)
		if err != nil {
			s.t.Fatal(err)
		}
		c := v.Complaint
		if !april(c.CreatedAt) || c.DepartmentID != dept {
			continue
		}
		received++
		if c.Status != complaint.StatusSubmitted && c.Status != complaint.StatusRefused {
			accepted++
		}
		if c.Status == complaint.StatusAnswered || c.Status == complaint.StatusClosed {
			answered++
		}
	}
	h.Complaints = fmt.Sprintf("收到 %d 件，受理 %d 件，已答复 %d 件，超期 0 件", received, accepted, answered)
}
