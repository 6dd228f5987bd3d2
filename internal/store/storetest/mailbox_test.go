package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/consult"
	"openhall/internal/identity"
	"openhall/internal/mailbox"
)

// TestMailbox: a citizen writes, the office assigns to a department with a
// limit, the department drafts, the office returns and then approves with
// publication, the citizen rates; the published letter holds no personal
// data; the statistics count it; a hotline ticket is taken once.
func TestMailbox(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newPartEnv(t, b, time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		m := e.mailboxOf(t)
		in := mailbox.LetterInput{MailboxID: m.ID, Topic: "建议", Subject: "关于文三路停车难的建议",
			Content: "本人张三丰，身份证 " + IDNumber(11) + "，电话 13812345678，建议增设停车位。", Consent: true, Phone: "13812345678"}
		if _, err := e.mail.Write(ctx, e.officer, in); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("staff wrote a letter: %v", err)
		}
		bad := in
		bad.Content = strings.Repeat("长", 6000)
		if _, err := e.mail.Write(ctx, e.citizen, bad); apperr.FieldsOf(err)["content"] == "" {
			t.Fatalf("6000 characters accepted: %v", err)
		}
		l, err := e.mail.Write(ctx, e.citizen, in)
		if err != nil || l.Status != mailbox.StatusReceived || l.Days != 10 {
			t.Fatalf("write %+v %v", l, err)
		}
		e.handle(t, l)
		e.rateAndCount(t, l, m)
		e.ticket(t, m)
		wantActions(t, e.sv, "letter", "mailbox.letter.receive", "mailbox.letter.assign", "mailbox.letter.draft",
			"mailbox.letter.return", "mailbox.letter.answer", "mailbox.letter.rate")
	})
}

func (e *partEnv) mailboxOf(t *testing.T) *mailbox.Mailbox {
	t.Helper()
	ctx := context.Background()
	in := mailbox.MailboxInput{AgencyID: e.agency.ID, Name: "区长信箱", Kind: mailbox.KindLeader, Days: 10, Active: true}
	if _, err := e.mail.SaveMailbox(ctx, e.outsider, 0, in); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another county's officer set up a mailbox: %v", err)
	}
	m, err := e.mail.SaveMailbox(ctx, e.officer, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *partEnv) handle(t *testing.T, l *mailbox.Letter) {
	t.Helper()
	ctx := context.Background()
	assign := mailbox.Command{Kind: mailbox.CmdAssign, DeptID: e.otherDept.ID, Days: 5}
	if _, err := e.mail.Act(ctx, e.officer, l.ID, assign, time.Time{}); apperr.FieldsOf(err)["department_id"] == "" {
		t.Fatalf("assigned to another county's department: %v", err)
	}
	if _, err := e.mail.Act(ctx, e.outsider, l.ID, mailbox.Command{Kind: mailbox.CmdAssign, DeptID: e.tr.Department.ID}, time.Time{}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another county's officer assigned: %v", err)
	}
	assign.DeptID = e.tr.Department.ID
	l, err := e.mail.Act(ctx, e.officer, l.ID, assign, l.UpdatedAt)
	if err != nil || l.Status != mailbox.StatusAssigned || l.DeptName != e.tr.Department.Name {
		t.Fatalf("assign %+v %v", l, err)
	}
	if _, err := e.mail.Act(ctx, e.officer, l.ID, mailbox.Command{Kind: mailbox.CmdReject, Text: "x"}, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("stale action accepted: %v", err)
	}
	if _, err := e.mail.Act(ctx, e.otherApprover, l.ID, mailbox.Command{Kind: mailbox.CmdDraft, Text: "稿"}, time.Time{}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another department drafted: %v", err)
	}
	v, err := e.mail.Get(ctx, e.approver, l.ID)
	if err != nil || !v.Draft || strings.Contains(v.Letter.WriterPhone, "12345678") || v.Clock.Due.String() != "2026-03-25" {
		t.Fatalf("department view %+v %+v %v", v, v.Clock, err)
	}
	steps := []struct {
		who *identity.Actor
		cmd mailbox.Command
	}{
		{e.approver, mailbox.Command{Kind: mailbox.CmdDraft, Text: "拟答复：将增设停车位。"}},
		{e.officer, mailbox.Command{Kind: mailbox.CmdReturn, Text: "请写明时间"}},
		{e.head, mailbox.Command{Kind: mailbox.CmdDraft, Text: "答复：6 月底前增设 50 个停车位。"}},
	}
	for _, st := range steps {
		if _, err := e.mail.Act(ctx, st.who, l.ID, st.cmd, time.Time{}); err != nil {
			t.Fatalf("%s: %v", st.cmd.Kind, err)
		}
	}
	answer := mailbox.Command{Kind: mailbox.CmdAnswer, Text: "答复：6 月底前增设 50 个停车位。", Publish: true,
		PublicText: "建议增设停车位。电话 13812345678"}
	if _, err := e.mail.Act(ctx, e.officer, l.ID, answer, time.Time{}); apperr.FieldsOf(err)["public_text"] == "" {
		t.Fatalf("published with a phone number: %v", err)
	}
	answer.PublicText = "建议在文三路增设停车位。"
	if l, err = e.mail.Act(ctx, e.officer, l.ID, answer, time.Time{}); err != nil || !l.Published || l.AnswerUnit != e.tr.Department.Name {
		t.Fatalf("answer %+v %v", l, err)
	}
}

func (e *partEnv) rateAndCount(t *testing.T, l *mailbox.Letter, m *mailbox.Mailbox) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.mail.Act(ctx, e.citizen2, l.ID, mailbox.Command{Kind: mailbox.CmdRate, Rating: 1}, time.Time{}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("someone else rated: %v", err)
	}
	if _, err := e.mail.Act(ctx, e.citizen, l.ID, mailbox.Command{Kind: mailbox.CmdRate, Rating: mailbox.RatingSatisfied}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	pubs, n, err := e.mail.PublishedLetters(ctx, m.ID, 0, 20)
	if err != nil || n != 1 {
		t.Fatalf("published %v %d %v", pubs, n, err)
	}
	all := pubs[0].Subject + pubs[0].Text + pubs[0].Answer
	if strings.Contains(all, "13812345678") || strings.Contains(all, "张三丰") || strings.Contains(all, IDNumber(11)) {
		t.Fatalf("personal data published: %+v", pubs[0])
	}
	stats, err := e.mail.Statistics(ctx, mailbox.StatsQuery{PathPrefix: e.tr.County.Path, Year: 2026, Month: 3, Months: 2})
	if err != nil || stats[0].Received != 1 || stats[0].OnTime != 1 || stats[0].Satisfied != 1 || stats[1].Received != 0 {
		t.Fatalf("stats %+v %v", stats, err)
	}
	other, err := e.mail.Statistics(ctx, mailbox.StatsQuery{PathPrefix: e.tr.OtherCounty.Path, Year: 2026, Month: 3, Months: 1})
	if err != nil || other[0].Received != 0 {
		t.Fatalf("another county's stats %+v %v", other, err)
	}
	late, err := e.mail.Write(ctx, e.citizen2, mailbox.LetterInput{MailboxID: m.ID, Topic: "咨询", Subject: "咨询", Content: "请问办事时间"})
	if err != nil {
		t.Fatal(err)
	}
	e.at(t, "2026-04-03")
	if n, err := e.mail.SweepDeadlines(ctx); err != nil || n != 1 {
		t.Fatalf("sweep %d %v", n, err)
	}
	if n, err := e.mail.SweepDeadlines(ctx); err != nil || n != 0 {
		t.Fatalf("repeated sweep %d %v", n, err)
	}
	v, _ := e.mail.Get(ctx, e.officer, late.ID)
	if v.Clock.Level != mailbox.LevelOverdue {
		t.Fatalf("clock %+v", v.Clock)
	}
}

func (e *partEnv) ticket(t *testing.T, m *mailbox.Mailbox) {
	t.Helper()
	ctx := context.Background()
	in := mailbox.TicketInput{MailboxID: m.ID, TicketNo: "12345-2026-000777", Topic: "求助", Subject: "路灯不亮", Content: "文一路路灯不亮",
		CallerName: "赵六", Phone: "13600001111"}
	if _, err := e.mail.ReceiveTicket(ctx, e.outsider, in); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("ticket from another county's officer: %v", err)
	}
	a, err := e.mail.ReceiveTicket(ctx, e.officer, in)
	if err != nil || a.Source != mailbox.SourceHotline {
		t.Fatalf("ticket %+v %v", a, err)
	}
	b, err := e.mail.ReceiveTicket(ctx, e.officer, in)
	if err != nil || b.ID != a.ID {
		t.Fatalf("the same ticket twice: %d %d %v", a.ID, b.ID, err)
	}
}

// TestSurvey: one answer per account or device; results public once closed.
func TestSurvey(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newPartEnv(t, b, time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		qs, _ := consult.ParseQuestions("单选|您对办事大厅满意吗|满意;一般;不满意\n填空|其他建议")
		in := consult.SurveyInput{AgencyID: e.agency.ID, Title: "政务服务满意度调查", Questions: qs, ClosesOn: "2026-03-31"}
		sv, err := e.cons.CreateSurvey(ctx, e.officer, in)
		if err != nil {
			t.Fatal(err)
		}
		if sv, err = e.cons.PublishSurvey(ctx, e.officer, sv.ID); err != nil {
			t.Fatal(err)
		}
		ans := []consult.Answer{{Choices: []int{0}}, {Text: "很好"}}
		if err := e.cons.Respond(ctx, e.citizen, sv.ID, "", ans); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "second answer", e.cons.Respond(ctx, e.citizen, sv.ID, "", ans), apperr.Conflict)
		if err := e.cons.Respond(ctx, nil, sv.ID, "device-token-0123456789", []consult.Answer{{Choices: []int{2}}, {}}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "same device", e.cons.Respond(ctx, nil, sv.ID, "device-token-0123456789", ans), apperr.Conflict)
		if _, err := e.cons.Results(ctx, nil, sv); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("results before closing: %v", err)
		}
		e.at(t, "2026-04-01")
		wantCode(t, "answer after closing", e.cons.Respond(ctx, e.citizen2, sv.ID, "", ans), apperr.Conflict)
		res, err := e.cons.Results(ctx, nil, sv)
		if err != nil || res.Responses != 2 || res.Questions[0].Counts[0] != 1 || res.Questions[0].Counts[2] != 1 {
			t.Fatalf("results %+v %v", res, err)
		}
		wantActions(t, e.sv, "survey", "survey.create", "survey.publish", "survey.respond")
	})
}
