package complaint

import (
	"testing"
	"time"
)

// TestStage: the complainant's deadline is the clock of the step the
// complaint waits for, named as the staff's page names it: acceptance
// within 5 working days from filing on an ordinary day (Monday → the next
// Monday) and across a weekend (Friday → the next Friday), then the
// department's, the answer's and the desk's; none once answered, so never
// a zero date.
func TestStage(t *testing.T) {
	cal := national(t)
	monday, friday := at(2026, 3, 9, 10), at(2026, 3, 13, 10)
	tests := []struct {
		name  string
		filed time.Time
		steps func(c *Complaint)
		now   time.Time
		want  string // label: text; "" for none
	}{
		{"filed on a monday", monday, nil, at(2026, 3, 9, 11), "accept 受理（5 个工作日）：剩余 5 个工作日，2026-03-16 到期"},
		{"filed on a friday, over the weekend", friday, nil, at(2026, 3, 14, 9), "accept 受理（5 个工作日）：剩余 5 个工作日，2026-03-20 到期"},
		{"assigned", friday, func(c *Complaint) {
			do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 13, 15))
		}, at(2026, 3, 16, 9), "department 部门办理（10 个工作日）：剩余 9 个工作日，2026-03-27 到期"},
		{"replied", friday, func(c *Complaint) {
			do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 13, 15))
			do(t, c, Command{Kind: CmdReply, Text: "已约谈"}, at(2026, 3, 16, 10))
		}, at(2026, 3, 16, 11), "answer 答复投诉人（5 个工作日）：剩余 5 个工作日，2026-03-23 到期"},
		{"accepted without a 转办", friday, func(c *Complaint) {
			do(t, c, Command{Kind: CmdAccept}, at(2026, 3, 13, 15))
		}, at(2026, 3, 16, 11), "desk 受理后转办或答复（5 个工作日）：剩余 4 个工作日，2026-03-20 到期"},
		{"answered", friday, func(c *Complaint) {
			do(t, c, Command{Kind: CmdAccept}, at(2026, 3, 13, 15))
			do(t, c, Command{Kind: CmdAnswer, Text: "可网上办理"}, at(2026, 3, 16, 10))
		}, at(2026, 3, 16, 11), ""},
		{"refused", friday, func(c *Complaint) {
			do(t, c, Command{Kind: CmdRefuse, Text: "不属于受理范围"}, at(2026, 3, 13, 15))
		}, at(2026, 3, 16, 11), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(tt.filed)
			if tt.steps != nil {
				tt.steps(c)
			}
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			st, ok := cl.Stage(c.Status, c.Kind)
			got := ""
			if ok {
				got = st.Step + " " + st.Label + "：" + st.Clock.Text()
			}
			if got != tt.want {
				t.Fatalf("stage %q, want %q", got, tt.want)
			}
		})
	}
}
