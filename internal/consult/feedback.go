package consult

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Answer records the office's verdict on a visible comment once the period
// is over (重大行政决策程序暂行条例 Art 18: 归纳整理、研究论证). 部分采纳 and
// 未采纳 need a reason; 采纳 may give one.
func (s *Service) Answer(ctx context.Context, a *identity.Actor, commentID int64, v Verdict, reason string) (*Comment, error) {
	reason = strings.TrimSpace(reason)
	if err := checkVerdict(v, reason); err != nil {
		return nil, err
	}
	var cm *Comment
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var c *Consultation
		var err error
		if cm, c, err = s.moderated(ctx, a, commentID); err != nil {
			return err
		}
		if err := s.checkOver(c); err != nil {
			return err
		}
		if cm.Status == CommentHidden {
			return apperr.New(apperr.Conflict, "已隐藏的意见不作答复；如需答复，请先恢复显示")
		}
		cm.Verdict, cm.Reason, cm.AnsweredBy, cm.AnsweredAt = v, reason, a.UserID, s.d.Now()
		if err := s.d.Store.UpdateComment(ctx, cm); err != nil {
			return err
		}
		return s.recordIn(ctx, a, c, "consult.comment.answer", cm.ID, map[string]any{"verdict": v, "reason": reason})
	})
	return cm, err
}

func checkVerdict(v Verdict, reason string) error {
	var f apperr.Fields
	f.Check(!v.Valid(), "verdict", "请选择采纳情况：采纳、部分采纳或未采纳")
	f.Check(v.Valid() && v != VerdictAdopted && reason == "", "reason", "“"+v.Label()+"”须说明理由")
	f.Check(utf8.RuneCountInString(reason) > maxVerdict, "reason", fmt.Sprintf("理由不能超过 %d 个字", maxVerdict))
	return f.Err()
}

// checkOver refuses answers while comments may still come in.
func (s *Service) checkOver(c *Consultation) error {
	p, err := s.Period(c)
	if err != nil {
		return err
	}
	if !p.Over(s.today()) {
		return apperr.New(apperr.Conflict, "征求意见期至 %s 截止%s，期满后方可逐条答复", p.Last, p.Note())
	}
	return nil
}

// Summary is the sentence published with the feedback table.
func (n Counts) Summary() string {
	s := fmt.Sprintf("共收到意见 %d 条，采纳 %d 条，部分采纳 %d 条，未采纳 %d 条", n.Visible, n.Adopted, n.Partial, n.Rejected)
	if n.Hidden > 0 {
		s += fmt.Sprintf("；另有 %d 条意见经审核未予展示", n.Hidden)
	}
	return s + "。"
}

// ConcludeInput publishes the feedback.
type ConcludeInput struct {
	Decision    string // the final decision: what was decided and how the comments shaped it
	ResultDocID *int64 // the published disclosure document of the decision
}

// Conclude publishes the feedback table, its summary and the decision
// (Art 32: 说明公众意见的采纳情况). Every visible comment must have been
// answered, and the period must be over.
func (s *Service) Conclude(ctx context.Context, a *identity.Actor, id int64, in ConcludeInput) (*Consultation, error) {
	in.Decision = strings.TrimSpace(in.Decision)
	var f apperr.Fields
	checkText(&f, "decision", "决策结果", in.Decision, maxExplanation, true)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var c *Consultation
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, _, err = s.managed(ctx, a, id); err != nil {
			return err
		}
		if err := s.checkConcludable(ctx, c, in); err != nil {
			return err
		}
		n, err := s.d.Store.CountComments(ctx, c.ID)
		if err != nil {
			return err
		}
		if n.Answered < n.Visible {
			return apperr.New(apperr.Conflict, "还有 %d 条意见未答复，须逐条答复后才能公布采纳情况", n.Visible-n.Answered)
		}
		c.Status, c.Decision, c.ResultDocID, c.FeedbackOn, c.UpdatedAt = StatusConcluded, in.Decision, in.ResultDocID, s.today(), s.d.Now()
		if err := s.d.Store.UpdateConsultation(ctx, c); err != nil {
			return err
		}
		if err := s.index(ctx, c, n.Summary()); err != nil {
			return err
		}
		return s.recordIn(ctx, a, c, "consult.conclude", c.ID, map[string]any{"summary": n.Summary(), "result_doc": in.ResultDocID})
	})
	return c, err
}

// checkConcludable: published, the period over, and the resulting document
// (of any agency: a department's draft may become the government's decision)
// public.
func (s *Service) checkConcludable(ctx context.Context, c *Consultation, in ConcludeInput) error {
	switch c.Status {
	case StatusDraft:
		return apperr.New(apperr.Conflict, "征集尚未发布")
	case StatusConcluded:
		return apperr.New(apperr.Conflict, "意见采纳情况已公布")
	}
	if err := s.checkOver(c); err != nil {
		return err
	}
	if in.ResultDocID == nil {
		return nil
	}
	_, err := s.d.Documents.Document(ctx, nil, *in.ResultDocID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("result_doc_id", "所选政府信息不存在或尚未公开")
	}
	return err
}
