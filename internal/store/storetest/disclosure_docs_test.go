package storetest

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
)

func TestDisclosureCatalogue(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newDisclosureEnv(t, b.Open(t, nil), nil)
		t.Run("PublishWithoutReviewRefused", func(t *testing.T) { publishWithoutReview(t, e) })
		t.Run("ThreeSync", func(t *testing.T) { threeSync(t, e) })
		t.Run("BadInput", func(t *testing.T) { docBadInput(t, e) })
		t.Run("WithheldAndRereview", func(t *testing.T) { withheld(t, e) })
		t.Run("ValidityAndAttachments", func(t *testing.T) { validityAndAttachments(t, e) })
		t.Run("Authorization", func(t *testing.T) { docAuthorization(t, e) })
	})
}

func publishWithoutReview(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	d := e.draft(t, disclosure.DocInput{Title: "关于规范停车收费的通知", DocNo: "西政办发 [2026] 3 号"})
	if d.DocNo != "西政办发〔2026〕3号" {
		t.Fatalf("文号 not normalised: %q", d.DocNo)
	}
	if _, err := e.d.Publish(ctx, e.drafter, d.ID); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "保密审查") {
		t.Fatalf("publish a draft without a review: %v", err)
	}
	s, err := e.d.Submit(ctx, e.drafter, d.ID)
	if err != nil || s.IndexNo != "002482133/2026-00001" {
		t.Fatalf("submit: index %q, %v", s.IndexNo, err)
	}
	if _, err := e.d.Approve(ctx, e.reviewer, d.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("approve before the review: %v", err)
	}
	if _, err := e.d.Review(ctx, e.drafter, d.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "x"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("drafter reviewing their own item: %v", err)
	}
	if _, err := e.d.Publish(ctx, e.drafter, d.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("publish without a review record: %v", err)
	}
	e.through(t, e.draft(t, disclosure.DocInput{Title: "第二份"}).ID)
	if docs, _, _ := e.d.StaffDocuments(ctx, e.drafter, disclosure.DocFilter{AgencyID: e.agency.ID, Status: disclosure.StatusApproved}); len(docs) != 1 || docs[0].IndexNo != "002482133/2026-00002" {
		t.Fatalf("second index number: %+v", docs)
	}
}

func threeSync(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	policy := e.draft(t, disclosure.DocInput{Title: "西湖区促进就业若干政策", DocNo: "西政发（2026）5号", NeedsInterp: true,
		Summary: "促进高校毕业生就业的若干措施", Body: "第一条 为促进就业，制定本政策。"})
	e.through(t, policy.ID)
	if _, err := e.d.Publish(ctx, e.drafter, policy.ID); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "政策解读") {
		t.Fatalf("policy without interpretation: %v", err)
	}
	interp := e.draft(t, disclosure.DocInput{Title: "《西湖区促进就业若干政策》解读", Genre: disclosure.GenreInterp,
		InterpretsID: &policy.ID, Body: "一图读懂就业政策"})
	if _, err := e.d.Submit(ctx, e.drafter, interp.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Publish(ctx, e.drafter, policy.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("policy with an unreviewed interpretation: %v", err)
	}
	if _, err := e.d.Review(ctx, e.reviewer, interp.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "保密法第三十五条"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Approve(ctx, e.reviewer, interp.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Publish(ctx, e.drafter, interp.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("interpretation before its policy: %v", err)
	}
	p, err := e.d.Publish(ctx, e.drafter, policy.ID)
	if err != nil || p.Status != disclosure.StatusPublished {
		t.Fatalf("publish policy: %v", err)
	}
	i, _ := e.d.Document(ctx, nil, interp.ID)
	if i.Status != disclosure.StatusPublished || i.PublishedOn != p.PublishedOn {
		t.Fatalf("interpretation not published with the policy: %s %s", i.Status, i.PublishedOn)
	}
	res, err := e.d.Search().Search(ctx, search.Query{Text: "就业"})
	if err != nil || res.Total != 2 || !res.Hits[0].InTitle {
		t.Fatalf("two-character search: %+v %v", res, err)
	}
	entries, _ := e.sv.Audit.Find(ctx, audit.Filter{ObjectType: "disclosure_doc", ObjectID: fmtInt(interp.ID)})
	if len(entries) < 5 {
		t.Fatalf("interpretation has %d audit entries, want create, submit, review, approve, publish", len(entries))
	}
}

func docBadInput(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	_, err := e.d.SaveDocument(ctx, e.drafter, 0, disclosure.DocInput{AgencyID: e.agency.ID, Genre: "x", Mode: disclosure.ModeWithheld, FormedOn: "2099-01-01"})
	for _, f := range []string{"title", "genre", "category", "topic", "withhold_basis", "formed_on"} {
		if apperr.FieldsOf(err)[f] == "" {
			t.Errorf("field %s: no error in %v", f, err)
		}
	}
	d := e.draft(t, disclosure.DocInput{Title: "含脚本的正文", BodyFormat: "html",
		Body: `<p onclick="steal()">正文</p><script>alert(1)</script><a href="javascript:alert(1)">链接</a>`})
	if strings.Contains(d.BodyHTML, "script") || strings.Contains(d.BodyHTML, "onclick") || strings.Contains(d.BodyHTML, "javascript:") || !strings.Contains(d.BodyHTML, "正文") {
		t.Fatalf("body not sanitised: %q", d.BodyHTML)
	}
	md := e.draft(t, disclosure.DocInput{Title: "Markdown 正文", Body: "# 标题\n\n<script>alert(1)</script>\n\n正文"})
	if strings.Contains(md.BodyHTML, "<script") || !strings.Contains(md.BodyHTML, "<h1") {
		t.Fatalf("markdown body: %q", md.BodyHTML)
	}
}

func withheld(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	d := e.draft(t, disclosure.DocInput{Title: "内部会议纪要"})
	e.d.Submit(ctx, e.drafter, d.ID)
	if _, err := e.d.Review(ctx, e.reviewer, d.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludeWithhold, Basis: "条例第十六条"}); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("withhold without a reason: %v", err)
	}
	w, err := e.d.Review(ctx, e.reviewer, d.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludeWithhold, Basis: "条例第十六条", Reason: "process"})
	if err != nil || w.Status != disclosure.StatusWithheld || w.RereviewOn.String() != "2027-03-18" {
		t.Fatalf("withhold: %+v %v", w, err)
	}
	r, err := e.d.Rereview(ctx, e.reviewer, d.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "情况已变化，可以公开"})
	if err != nil || r.Status != disclosure.StatusReviewed || r.Mode != disclosure.ModeActive {
		t.Fatalf("rereview: %+v %v", r, err)
	}
	if rs, _ := e.d.Reviews(ctx, d.ID); len(rs) != 2 {
		t.Fatalf("reviews: %d", len(rs))
	}
}

func validityAndAttachments(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	old := e.publish(t, disclosure.DocInput{Title: "旧版停车管理办法", Genre: disclosure.GenreRule})
	newer := e.publish(t, disclosure.DocInput{Title: "新版停车管理办法", Genre: disclosure.GenreRule})
	if _, err := e.d.SetValidity(ctx, e.drafter, old.ID, disclosure.ValidityInput{Validity: disclosure.Amended}); apperr.FieldsOf(err)["replaced_by_id"] == "" {
		t.Fatalf("amended without its replacement: %v", err)
	}
	v, err := e.d.SetValidity(ctx, e.drafter, old.ID, disclosure.ValidityInput{Validity: disclosure.Repealed, ReplacedByID: &newer.ID})
	if err != nil || v.Validity != disclosure.Repealed || *v.ReplacedByID != newer.ID {
		t.Fatalf("repeal: %+v %v", v, err)
	}
	if got, err := e.d.Document(ctx, nil, old.ID); err != nil || got.Validity != disclosure.Repealed {
		t.Fatalf("repealed document not readable: %v", err)
	}
	at, err := e.d.AttachToDocument(ctx, e.drafter, newer.ID, `<script>alert(1)</script>../../停车收费标准.txt`, "text/plain", []byte("收费标准：每小时五元"))
	if err != nil || at.Name != "停车收费标准.txt" {
		t.Fatalf("attachment name: %q %v", at.Name, err)
	}
	res, _ := e.d.Search().Search(ctx, search.Query{Text: "每小时五元"})
	if res.Total != 1 || res.Hits[0].Ref != newer.ID {
		t.Fatalf("attachment text not searchable: %+v", res)
	}
	res, _ = e.d.Search().Search(ctx, search.Query{Text: "停车管理办法", Validity: string(disclosure.Valid)})
	if res.Total != 1 || res.Hits[0].Ref != newer.ID {
		t.Fatalf("validity filter: %+v", res)
	}
}

func docAuthorization(t *testing.T, e *disclosureEnv) {
	ctx := context.Background()
	if _, err := e.d.SaveDocument(ctx, e.outsider, 0, disclosure.DocInput{AgencyID: e.agency.ID, Title: "越权"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("officer of another county drafting: %v", err)
	}
	d := e.draft(t, disclosure.DocInput{Title: "未公开草稿"})
	if _, err := e.d.Document(ctx, nil, d.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("anonymous reading a draft: %v", err)
	}
}
