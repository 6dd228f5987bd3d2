package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"openhall/internal/complaint"
	"openhall/internal/org"
)

// stageJSON is the deadline a complaint waits for, as the API gives it.
type stageJSON struct {
	Stage *struct {
		Step  string `json:"step"`
		Label string `json:"label"`
		Clock struct {
			Due       string `json:"due"`
			Remaining int    `json:"remaining"`
			Text      string `json:"text"`
		} `json:"clock"`
	} `json:"stage"`
}

func (s stageJSON) String() string {
	if s.Stage == nil {
		return "none"
	}
	return fmt.Sprintf("%s %s %s：%s", s.Stage.Step, s.Stage.Clock.Due, s.Stage.Label, s.Stage.Clock.Text)
}

// TestComplainantStageJSON: the complainant, opening the complaint logged
// in or tracking it with the number and 查询码, is given the deadline of
// the step it waits for, worded as for staff: acceptance within 5 working
// days of a Monday (due the next Monday) and of a Friday, read over the
// weekend (due the next Friday); none once answered, never a zero date.
func TestComplainantStageJSON(t *testing.T) {
	clock := newTestClock(cst(time.March, 9, 10))
	set := func(d, h int) { clock.Set(cst(time.March, d, h)) }
	a := demoApp(t, "sqlite", clock)
	ctx := context.Background()
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	file := func(who string) *complaint.Filed {
		t.Helper()
		f, err := a.Services.Complaints.Submit(ctx, serviceActor(t, a, who), complaint.Input{Subject: complaint.SubjectWindow,
			WindowID: ws[0].ID, Content: "窗口工作人员态度生硬"})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	check := func(what string, got stageJSON, want string) {
		t.Helper()
		if got.String() != want {
			t.Fatalf("%s: stage %s, want %s", what, got, want)
		}
	}
	monday := file("citizen")
	set(9, 11)
	var got stageJSON
	demoLogin(t, a, "citizen").call("GET", fmt.Sprintf("/api/v1/complaints/%d", monday.Complaint.ID), nil, http.StatusOK, &got)
	check("the Monday's, that day", got, "accept 2026-03-16 受理（5 个工作日）：剩余 5 个工作日，2026-03-16 到期")
	set(13, 10)
	friday := file("citizen")
	set(14, 9)
	got = stageJSON{}
	demoLogin(t, a, "citizen").call("GET", fmt.Sprintf("/api/v1/complaints/%d", monday.Complaint.ID), nil, http.StatusOK, &got)
	check("the Monday's, logged in", got, "accept 2026-03-16 受理（5 个工作日）：剩余 1 个工作日，2026-03-16 到期")
	got = stageJSON{}
	anonymous(t, a).call("POST", "/api/v1/complaints/track", map[string]string{"number": friday.Complaint.Number, "query_code": friday.QueryCode},
		http.StatusOK, &got)
	check("the Friday's, tracked on Saturday", got, "accept 2026-03-20 受理（5 个工作日）：剩余 5 个工作日，2026-03-20 到期")

	sup := serviceActor(t, a, "supervisor")
	if _, err := a.Services.Complaints.Act(ctx, sup, monday.Complaint.ID, complaint.Command{Kind: complaint.CmdAccept}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Complaints.Act(ctx, sup, monday.Complaint.ID, complaint.Command{Kind: complaint.CmdAnswer, Text: "已约谈窗口人员"}, 0); err != nil {
		t.Fatal(err)
	}
	got = stageJSON{}
	demoLogin(t, a, "citizen").call("GET", fmt.Sprintf("/api/v1/complaints/%d", monday.Complaint.ID), nil, http.StatusOK, &got)
	check("answered", got, "none")
}
