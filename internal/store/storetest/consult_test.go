package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/consult"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

const draftText = "为了规范本区养犬管理，制定本办法。\n第一条 本办法适用于本区行政区域内的养犬管理。\n第二条 养犬人应当为犬只办理登记。\n第三条 重点管理区内禁止饲养烈性犬。"

// TestConsultation: a draft is published for 30 days, two citizens comment
// on different articles, a comment is hidden with its reason, bad comments
// are refused and change nothing, after the period every comment is
// answered and the feedback is published with the right counts.
func TestConsultation(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newPartEnv(t, b, time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		c := e.openConsultation(t)
		if p, err := e.cons.Period(c); err != nil || p.Last.String() != "2026-04-17" {
			t.Fatalf("period %+v %v", p, err)
		}
		one := e.comment(t, c, e.citizen, 1, "建议第一条明确适用于农村地区。联系电话 13900001111")
		e.comment(t, c, e.company, 3, "烈性犬目录应当公布。")
		spam := e.comment(t, c, e.citizen2, 0, "广告：代办各类证件")
		if strings.Contains(one.Body, "13900001111") || one.Author == "张三丰" || !strings.HasPrefix(one.Author, "张") {
			t.Fatalf("personal data shown: %+v", one)
		}
		e.badComments(t, c)
		if _, err := e.cons.Hide(ctx, e.officer, spam.ID, ""); apperr.FieldsOf(err)["reason"] == "" {
			t.Fatalf("hidden without a reason: %v", err)
		}
		if _, err := e.cons.Hide(ctx, e.outsider, spam.ID, "广告"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another county's officer moderated: %v", err)
		}
		if _, err := e.cons.Hide(ctx, e.officer, spam.ID, "含商业广告"); err != nil {
			t.Fatal(err)
		}
		public, err := e.cons.Comments(ctx, nil, c, consult.CommentFilter{})
		if err != nil || len(public) != 3 || public[2].Body != "" || public[2].HiddenReason != "含商业广告" {
			t.Fatalf("public comments %+v %v", public, err)
		}
		// The counts follow the hiding (kept by the store as comments change).
		n, err := e.cons.Counts(ctx, c.ID)
		if err != nil || n.Total != 3 || n.Hidden != 1 || n.Visible != 2 || n.BySection[1] != 1 || n.BySection[3] != 1 || n.BySection[0] != 0 {
			t.Fatalf("counts after hiding %+v %v", n, err)
		}
		e.answerAndConclude(t, c)
		if n, err = e.cons.Counts(ctx, c.ID); err != nil || n.Answered != 2 || n.Adopted+n.Partial+n.Rejected != 2 || n.Visible != 2 {
			t.Fatalf("counts after answering %+v %v", n, err)
		}
		wantActions(t, e.sv, "consultation", "consult.create", "consult.publish")
		wantActions(t, e.sv, "consultation_comment", "consult.comment", "consult.comment.hide", "consult.comment.answer", "consult.conclude")
	})
}

func (e *partEnv) openConsultation(t *testing.T) *consult.Consultation {
	t.Helper()
	ctx := context.Background()
	in := consult.Input{AgencyID: e.agency.ID, Title: "西湖区养犬管理办法（征求意见稿）", Draft: draftText, Explanation: "起草说明：……",
		Channels: "电子邮件 ychq@example.gov.cn", Days: 20, RealName: true}
	if _, err := e.cons.Create(ctx, e.officer, in); apperr.FieldsOf(err)["short_reason"] == "" {
		t.Fatalf("20 days without a reason: %v", err)
	}
	in.Days = 30
	if _, err := e.cons.Create(ctx, e.outsider, in); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another county's officer created: %v", err)
	}
	c, err := e.cons.Create(ctx, e.officer, in)
	if err != nil || len(c.Sections) != 4 || c.Sections[1].Label != "第一条" {
		t.Fatalf("create %+v %v", c, err)
	}
	if _, err := e.cons.Comment(ctx, e.citizen, c.ID, consult.CommentInput{Body: "早了"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("comment on a draft: %v", err)
	}
	if c, err = e.cons.Publish(ctx, e.officer, c.ID); err != nil || c.OpensOn.String() != "2026-03-18" {
		t.Fatalf("publish %+v %v", c, err)
	}
	res, err := e.disc.Search().Search(ctx, search.Query{Text: "养犬", Kind: consult.KindConsultation})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].URL != consult.URL(c.ID) {
		t.Fatalf("not in the portal's search: %+v %v", res, err)
	}
	return c
}

func (e *partEnv) comment(t *testing.T, c *consult.Consultation, a *identity.Actor, section int, body string) *consult.Comment {
	t.Helper()
	cm, err := e.cons.Comment(context.Background(), a, c.ID, consult.CommentInput{Section: section, Body: body})
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	return cm
}

// badComments: refused with a precise message, nothing written.
func (e *partEnv) badComments(t *testing.T, c *consult.Consultation) {
	t.Helper()
	ctx := context.Background()
	before, _ := e.cons.Counts(ctx, c.ID)
	for _, tc := range []struct {
		name string
		in   consult.CommentInput
		want string
	}{
		{"20,000 characters", consult.CommentInput{Body: strings.Repeat("长", 20000)}, "不能超过 2000 个字（现有 20000 个字）"},
		{"script", consult.CommentInput{Body: "<script>alert('x')</script>"}, "HTML 标签或脚本"},
		{"empty", consult.CommentInput{Body: "  "}, "请填写意见内容"},
		{"no such article", consult.CommentInput{Section: 9, Body: "意见"}, "所选条款不存在"},
	} {
		_, err := e.cons.Comment(ctx, e.citizen, c.ID, tc.in)
		msg := apperr.FieldsOf(err)["body"] + apperr.FieldsOf(err)["section"]
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := e.cons.Comment(ctx, nil, c.ID, consult.CommentInput{Body: "匿名"}); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("anonymous comment on a real-name consultation: %v", err)
	}
	if after, _ := e.cons.Counts(ctx, c.ID); after.Total != before.Total {
		t.Fatalf("a refused comment was written: %d → %d", before.Total, after.Total)
	}
}

func (e *partEnv) answerAndConclude(t *testing.T, c *consult.Consultation) {
	t.Helper()
	ctx := context.Background()
	cs, _ := e.cons.Comments(ctx, e.officer, c, consult.CommentFilter{})
	if _, err := e.cons.Answer(ctx, e.officer, cs[0].ID, consult.VerdictAdopted, ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("answered during the period: %v", err)
	}
	e.at(t, "2026-04-18")
	_, err := e.cons.Comment(ctx, e.citizen, c.ID, consult.CommentInput{Body: "晚了"})
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "已于 2026-04-17 截止") {
		t.Fatalf("comment after the period: %v", err)
	}
	if _, err := e.cons.Conclude(ctx, e.officer, c.ID, consult.ConcludeInput{Decision: "已修改"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("concluded with unanswered comments: %v", err)
	}
	if _, err := e.cons.Answer(ctx, e.officer, cs[1].ID, consult.VerdictRejected, ""); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("未采纳 without a reason: %v", err)
	}
	if _, err := e.cons.Answer(ctx, e.officer, cs[2].ID, consult.VerdictAdopted, ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("answered a hidden comment: %v", err)
	}
	for i, v := range []consult.Verdict{consult.VerdictAdopted, consult.VerdictPartial} {
		if _, err := e.cons.Answer(ctx, e.officer, cs[i].ID, v, "理由"); err != nil {
			t.Fatal(err)
		}
	}
	done, err := e.cons.Conclude(ctx, e.officer, c.ID, consult.ConcludeInput{Decision: "办法已修改并印发。"})
	if err != nil || done.Status != consult.StatusConcluded || done.FeedbackOn.String() != "2026-04-18" {
		t.Fatalf("conclude %+v %v", done, err)
	}
	n, _ := e.cons.Counts(ctx, c.ID)
	if got := n.Summary(); got != "共收到意见 2 条，采纳 1 条，部分采纳 1 条，未采纳 0 条；另有 1 条意见经审核未予展示。" {
		t.Fatalf("summary %s", got)
	}
	if n.BySection[1] != 1 || n.BySection[3] != 1 {
		t.Fatalf("per section %v", n.BySection)
	}
	if _, err := e.cons.Answer(ctx, e.officer, cs[0].ID, consult.VerdictRejected, "改了"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("answer changed after publication: %v", err)
	}
}
