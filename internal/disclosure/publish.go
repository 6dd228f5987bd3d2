package disclosure

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

// rereviewAfter is how long a withheld item stays withheld before its Art 18
// re-review comes up. The Regulation says "定期" without a period; a year
// matches the annual report cycle.
const rereviewAfterDays = 365

// Review records the 保密审查 of a submitted document (先审查、后公开).
func (s *Service) Review(ctx context.Context, a *identity.Actor, id int64, in ReviewInput) (*Document, error) {
	if err := in.validate(false); err != nil {
		return nil, err
	}
	return s.transition(ctx, a, id, "disclosure.doc.review", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanReview(a, ag, d); err != nil {
			return err
		}
		if err := wantStatus(d, StatusReview); err != nil {
			return err
		}
		if err := s.addReview(ctx, a, d, in); err != nil {
			return err
		}
		switch in.Conclusion {
		case ConcludePass:
			d.Status = StatusReviewed
		case ConcludeRevise:
			d.Status = StatusDraft
		case ConcludeWithhold:
			s.withhold(d, in.Reason)
		}
		return nil
	})
}

func (s *Service) withhold(d *Document, reason string) {
	d.Status, d.Mode, d.WithholdBasis = StatusWithheld, ModeWithheld, reason
	d.RereviewOn = s.today().AddDays(rereviewAfterDays)
}

func (s *Service) addReview(ctx context.Context, a *identity.Actor, d *Document, in ReviewInput) error {
	basis := in.Basis
	if in.Reason != "" {
		basis += "；" + WithholdLabel(in.Reason)
	}
	return s.store.CreateReview(ctx, &Review{DocID: d.ID, ReviewerID: a.UserID, ReviewerName: a.Name,
		ReviewedOn: s.today(), Conclusion: in.Conclusion, Basis: basis, Note: in.Note, CreatedAt: s.now()})
}

// Rereview records the Art 18 periodic re-review of a withheld item: it stays
// withheld until the next re-review, or becomes publishable and goes to
// approval (its new review record is the one publication relies on).
func (s *Service) Rereview(ctx context.Context, a *identity.Actor, id int64, in ReviewInput) (*Document, error) {
	if err := in.validate(true); err != nil {
		return nil, err
	}
	return s.transition(ctx, a, id, "disclosure.doc.rereview", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanReview(a, ag, d); err != nil {
			return err
		}
		if err := wantStatus(d, StatusWithheld); err != nil {
			return err
		}
		if err := s.addReview(ctx, a, d, in); err != nil {
			return err
		}
		if in.Conclusion == ConcludeWithhold {
			s.withhold(d, in.Reason)
			return nil
		}
		d.Status, d.Mode, d.WithholdBasis, d.RereviewOn = StatusReviewed, ModeActive, "", calendar.Date{}
		return nil
	})
}

// Publish publishes an approved document. It refuses one without a passing
// review record, and applies 三同步: a policy that needs an interpretation is
// published together with its approved interpretations (and refused without
// one); an interpretation waits for its policy.
func (s *Service) Publish(ctx context.Context, a *identity.Actor, id int64) (*Document, error) {
	return s.transition(ctx, a, id, "disclosure.doc.publish", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		if err := s.checkPublishable(ctx, d); err != nil {
			return err
		}
		together, err := s.companions(ctx, d)
		if err != nil {
			return err
		}
		for _, c := range together {
			if err := s.publishCompanion(ctx, a, ag, c); err != nil {
				return err
			}
		}
		return s.markPublished(ctx, ag, d)
	})
}

// checkPublishable enforces 先审查、后公开 on one document.
func (s *Service) checkPublishable(ctx context.Context, d *Document) error {
	if d.Mode != ModeActive {
		return apperr.New(apperr.Conflict, "公开方式为“%s”的信息不在门户主动发布", d.Mode.Label())
	}
	reviews, err := s.store.FindReviews(ctx, d.ID)
	if err != nil {
		return err
	}
	if n := len(reviews); n == 0 || reviews[n-1].Conclusion != ConcludePass {
		return apperr.New(apperr.Conflict, "“%s”没有通过保密审查的记录，不能发布（先审查、后公开）", d.Title)
	}
	return wantStatus(d, StatusApproved)
}

// companions returns the documents that must be published with d.
func (s *Service) companions(ctx context.Context, d *Document) ([]*Document, error) {
	if d.Genre == GenreInterp && d.InterpretsID != nil {
		p, err := s.store.FindDocumentByID(ctx, *d.InterpretsID)
		if err != nil {
			return nil, err
		}
		if p.Status != StatusPublished {
			return nil, apperr.New(apperr.Conflict, "政策解读须与政策文件“%s”同步发布：请发布该政策文件，解读将随之发布", p.Title)
		}
		return nil, nil
	}
	interps, err := s.store.FindInterpretations(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var out []*Document
	for _, i := range interps {
		if i.Status != StatusPublished {
			out = append(out, i)
		}
	}
	if d.NeedsInterp && len(interps) == 0 {
		return nil, apperr.New(apperr.Conflict, "“%s”须同步发布政策解读（三同步），请先起草解读并完成审查、审批", d.Title)
	}
	return out, nil
}

func (s *Service) publishCompanion(ctx context.Context, a *identity.Actor, ag *Agency, c *Document) error {
	if err := s.checkPublishable(ctx, c); err != nil {
		return apperr.New(apperr.Conflict, "政策解读“%s”尚未完成保密审查和审批，政策文件与解读须同步发布", c.Title)
	}
	if err := s.markPublished(ctx, ag, c); err != nil {
		return err
	}
	c.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, c); err != nil {
		return err
	}
	return s.record(ctx, a, ag, "disclosure.doc.publish", "disclosure_doc", c.ID, docChange(c))
}

func (s *Service) markPublished(ctx context.Context, ag *Agency, d *Document) error {
	d.Status, d.PublishedOn = StatusPublished, s.today()
	return s.index(ctx, d)
}

// index puts a published document into the portal's search.
func (s *Service) index(ctx context.Context, d *Document) error {
	atts, err := s.store.FindAttachments(ctx, "doc", d.ID)
	if err != nil {
		return err
	}
	var extra []string
	for _, at := range atts {
		extra = append(extra, at.Name, at.Text)
	}
	return s.search.Index(ctx, search.Doc{Kind: search.KindDocument, Ref: d.ID, Scope: d.AgencyID, Title: d.Title,
		Number: d.DocNo, Summary: d.Summary, Body: PlainText(d.BodyHTML), Extra: strings.Join(extra, "\n"),
		Category: d.Category, Topic: d.Topic, Validity: string(d.Validity), Date: d.PublishedOn, URL: DocURL(d.ID)})
}

// DocURL is where the portal shows a document.
func DocURL(id int64) string { return "/open/docs/" + itoa(id) }

// SetValidity changes a published document's 有效性, linking the document
// that replaces or repeals it. Repealed documents stay readable.
func (s *Service) SetValidity(ctx context.Context, a *identity.Actor, id int64, in ValidityInput) (*Document, error) {
	return s.transition(ctx, a, id, "disclosure.doc.validity", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		if err := wantStatus(d, StatusPublished); err != nil {
			return err
		}
		on, err := s.validityInput(ctx, d, in)
		if err != nil {
			return err
		}
		d.Validity, d.ValidityOn, d.ReplacedByID = in.Validity, on, in.ReplacedByID
		return s.index(ctx, d)
	})
}

func (s *Service) validityInput(ctx context.Context, d *Document, in ValidityInput) (calendar.Date, error) {
	var f apperr.Fields
	f.Check(in.Validity.Label() == "", "validity", "请选择有效性")
	on := s.today()
	if strings.TrimSpace(in.On) != "" {
		var err error
		if on, err = calendar.ParseDate(strings.TrimSpace(in.On)); err != nil {
			f.Add("on", "日期格式应为 YYYY-MM-DD")
		}
	}
	f.Check(in.Validity == Amended && in.ReplacedByID == nil, "replaced_by_id", "已修订的文件须关联修订后的新文件")
	if in.ReplacedByID != nil {
		r, err := s.store.FindDocumentByID(ctx, *in.ReplacedByID)
		f.Check(err != nil || *in.ReplacedByID == d.ID || r.Status != StatusPublished, "replaced_by_id", "关联的文件不存在、未发布或就是本文件")
	}
	return on, f.Err()
}
