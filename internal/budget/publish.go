package budget

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// category is 政府信息公开条例 Art 20(七): 财政预算、决算信息.
const category = "a20-7"

// Submit turns a balanced set into a disclosure document of category
// 财政预决算 (a draft with the tables and the explanation as its body) and
// sends it to 保密审查. From there it is reviewed, approved and published
// like any other document; the set counts as published on the day its
// document is. The document's 成文日期 is the 批复日期, from which the
// publication deadline runs.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, id int64) (*Set, error) {
	var set *Set
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if set, ag, err = s.load(ctx, id); err != nil {
			return err
		}
		if err := CanSubmit(a, ag); err != nil {
			return err
		}
		if err := submittable(set); err != nil {
			return err
		}
		doc, err := s.d.Disclosure.SaveDocument(ctx, a, 0, documentInput(set))
		if err != nil {
			return err
		}
		if _, err := s.d.Disclosure.Submit(ctx, a, doc.ID); err != nil {
			return err
		}
		set.DocID, set.Status, set.UpdatedAt = &doc.ID, StatusSubmitted, s.now()
		if err := s.d.Store.UpdateSet(ctx, set); err != nil {
			return err
		}
		if err := s.changed(ctx); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "budget.set.submit", set, map[string]any{"doc": doc.ID})
	})
	return set, err
}

func submittable(set *Set) error {
	switch set.Status {
	case StatusDraft:
		return apperr.New(apperr.Conflict, "请先导入并核对%s的报表", set.Title())
	case StatusSubmitted:
		return apperr.New(apperr.Conflict, "%s已送保密审查（公开文档 %d）", set.Title(), *set.DocID)
	}
	if err := Check(set.Kind.Schema(), set.Lines); err != nil {
		return refusal(err)
	}
	if strings.TrimSpace(set.Explanation) == "" {
		return apperr.Field("explanation", "请填写说明，包括机关运行经费的安排、使用情况（预算法第十四条第二款）")
	}
	return nil
}

func (s *Service) changed(ctx context.Context) error {
	if s.d.Changes == nil {
		return nil
	}
	return s.d.Changes.Changed(ctx, Source)
}

func documentInput(set *Set) disclosure.DocInput {
	return disclosure.DocInput{AgencyID: set.AgencyID, Title: set.Title(), Topic: "财政、金融、审计",
		Genre: disclosure.GenreOther, Category: category, BodyFormat: "markdown", Body: Markdown(set),
		Summary:  set.Title() + "，" + set.Kind.Schema().Summary,
		FormedOn: set.ApprovedOn.String()}
}

// Markdown writes the set as the document body: the explanation, then
// every table (amounts in 万元).
func Markdown(set *Set) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## 说明\n\n%s\n\n批复日期：%s。金额单位：万元。\n\n", set.Explanation, set.ApprovedOn)
	byTable := map[string][]Line{}
	for _, l := range set.Lines {
		byTable[l.Table] = append(byTable[l.Table], l)
	}
	sc := set.Kind.Schema()
	for i := range sc.Tables {
		t := &sc.Tables[i]
		fmt.Fprintf(&b, "## %s\n\n| 编码 | 名称 | %s |\n|---|---|%s\n", t.Name, strings.Join(t.Columns, " | "),
			strings.Repeat("---|", len(t.Columns)))
		for _, l := range byTable[t.Key] {
			fmt.Fprintf(&b, "| %s | %s |", l.Code, mdCell(l.Name))
			for _, a := range l.Amounts {
				fmt.Fprintf(&b, " %s |", a)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "｜") }
