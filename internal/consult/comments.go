package consult

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// CommentInput is a comment as submitted.
type CommentInput struct {
	Section int // 0 = the whole draft
	Body    string
}

// Comment records a comment during the period. ID numbers and phone numbers
// in it are masked before it is stored, so they are never shown to anyone
// (the office gets no more than the public does).
func (s *Service) Comment(ctx context.Context, a *identity.Actor, id int64, in CommentInput) (*Comment, error) {
	if err := CheckBody(in.Body); err != nil {
		return nil, err
	}
	var cm *Comment
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.d.Store.FindConsultation(ctx, id)
		if err != nil {
			return err
		}
		if err := s.checkOpen(c); err != nil {
			return err
		}
		if err := CanComment(a, c); err != nil {
			return err
		}
		if in.Section < 0 || in.Section > len(c.Sections) {
			return apperr.Field("section", "所选条款不存在，请重新选择")
		}
		cm = &Comment{ConsultationID: c.ID, Section: in.Section, Author: authorOf(a, c), Body: pii.Redact(strings.TrimSpace(in.Body)),
			Status: CommentPublished, CreatedAt: s.d.Now()}
		if a != nil {
			cm.UserID = a.UserID
		}
		if err := s.d.Store.CreateComment(ctx, cm); err != nil {
			return err
		}
		return s.recordIn(ctx, a, c, "consult.comment", cm.ID, map[string]any{"consultation": c.ID, "seq": cm.Seq, "section": cm.Section})
	})
	return cm, err
}

// checkOpen refuses comments outside the period, naming the dates.
func (s *Service) checkOpen(c *Consultation) error {
	if c.Status == StatusDraft {
		return apperr.New(apperr.NotFound, "意见征集不存在或尚未发布")
	}
	if c.Status == StatusConcluded {
		return apperr.New(apperr.Conflict, "该征集已结束并公布了意见采纳情况，不再接受意见")
	}
	p, err := s.Period(c)
	if err != nil {
		return err
	}
	if today := s.today(); !p.Accepts(today) {
		return apperr.New(apperr.Conflict, "征求意见已于 %s 截止%s，不再接受意见", p.Last, p.Note())
	}
	return nil
}

// authorOf is how a commenter is shown: the masked name in a real-name
// consultation, 网友 otherwise.
func authorOf(a *identity.Actor, c *Consultation) string {
	if !c.RealName || a == nil {
		return "网友"
	}
	if a.Kind == identity.KindLegal {
		return a.Name
	}
	return pii.MaskName(a.Name)
}

// recordIn records a change of a consultation in its agency's scope.
func (s *Service) recordIn(ctx context.Context, a *identity.Actor, c *Consultation, action string, id int64, change any) error {
	return s.record(ctx, a, &disclosure.Agency{RegionPath: c.RegionPath}, action, "consultation_comment", id, change)
}

// Comments returns a page of comments. Hidden comments keep their place
// with the reason; their text is shown only to the office.
func (s *Service) Comments(ctx context.Context, a *identity.Actor, c *Consultation, f CommentFilter) ([]*Comment, error) {
	f.ConsultationID = c.ID
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 20
	}
	out, err := s.d.Store.FindComments(ctx, f)
	if err != nil || s.CanManage(ctx, a, c) {
		return out, err
	}
	for _, cm := range out {
		if cm.Status == CommentHidden {
			cm.Body = ""
		}
	}
	return out, nil
}

// moderated loads a comment and its consultation for the office.
func (s *Service) moderated(ctx context.Context, a *identity.Actor, commentID int64) (*Comment, *Consultation, error) {
	cm, err := s.d.Store.FindComment(ctx, commentID)
	if err != nil {
		return nil, nil, err
	}
	c, _, err := s.managed(ctx, a, cm.ConsultationID)
	if err != nil {
		return nil, nil, err
	}
	if c.Status == StatusConcluded {
		return nil, nil, apperr.New(apperr.Conflict, "意见采纳情况已公布，不能再修改")
	}
	return cm, c, nil
}

// Hide hides a comment with a reason, which is shown in its place.
func (s *Service) Hide(ctx context.Context, a *identity.Actor, commentID int64, reason string) (*Comment, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.Field("reason", "请填写隐藏理由（将公开显示）")
	}
	if n := utf8.RuneCountInString(reason); n > maxHide {
		return nil, apperr.Field("reason", fmt.Sprintf("隐藏理由不能超过 %d 个字", maxHide))
	}
	return s.moderate(ctx, a, commentID, "consult.comment.hide", func(cm *Comment) {
		cm.Status, cm.HiddenReason = CommentHidden, reason
		cm.Verdict, cm.Reason, cm.AnsweredBy = VerdictNone, "", 0
	})
}

// Restore shows a hidden comment again.
func (s *Service) Restore(ctx context.Context, a *identity.Actor, commentID int64) (*Comment, error) {
	return s.moderate(ctx, a, commentID, "consult.comment.restore", func(cm *Comment) {
		cm.Status, cm.HiddenReason = CommentPublished, ""
	})
}

func (s *Service) moderate(ctx context.Context, a *identity.Actor, commentID int64, action string, change func(*Comment)) (*Comment, error) {
	var cm *Comment
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var c *Consultation
		var err error
		if cm, c, err = s.moderated(ctx, a, commentID); err != nil {
			return err
		}
		change(cm)
		if err := s.d.Store.UpdateComment(ctx, cm); err != nil {
			return err
		}
		return s.recordIn(ctx, a, c, action, cm.ID, map[string]any{"status": cm.Status, "reason": cm.HiddenReason})
	})
	return cm, err
}
