package disclosure

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// agencyOf loads an agency with its region path, naming field when missing.
func (s *Service) agencyOf(ctx context.Context, field string, id int64) (*Agency, error) {
	ag, err := s.store.FindAgencyByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) && field != "" {
		return nil, apperr.Field(field, "所选公开主体不存在")
	}
	return ag, err
}

// docFor loads a document and its agency.
func (s *Service) docFor(ctx context.Context, id int64) (*Document, *Agency, error) {
	d, err := s.store.FindDocumentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.agencyOf(ctx, "", d.AgencyID)
	return d, ag, err
}

// SaveDocument creates a draft (id 0) or edits a draft.
func (s *Service) SaveDocument(ctx context.Context, a *identity.Actor, id int64, in DocInput) (*Document, error) {
	in.normalize()
	var saved *Document
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		// Built afresh on every run: a rerun must not find the ID the
		// first, rolled-back insert set and take the update path.
		d := &Document{Status: StatusDraft, Validity: Valid}
		saved = nil
		if id != 0 {
			var err error
			if d, err = s.store.FindDocumentByID(ctx, id); err != nil {
				return err
			}
			if d.Status != StatusDraft {
				return apperr.New(apperr.Conflict, "只有草稿可以修改；该信息当前状态为“%s”", d.Status.Label())
			}
			in.AgencyID = d.AgencyID
		}
		ag, err := s.agencyOf(ctx, "agency_id", in.AgencyID)
		if err != nil {
			return err
		}
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		if err := s.fillDocument(ctx, d, in); err != nil {
			return err
		}
		if err := s.saveDocument(ctx, a, ag, d); err != nil {
			return err
		}
		saved = d
		return nil
	})
	return saved, err
}

// fillDocument validates in and copies it into d.
func (s *Service) fillDocument(ctx context.Context, d *Document, in DocInput) error {
	formed, err := in.validate(s.today())
	if err != nil {
		return err
	}
	if in.InterpretsID != nil {
		if err := s.checkPolicy(ctx, in.AgencyID, *in.InterpretsID); err != nil {
			return err
		}
	}
	html, err := RenderBody(in.BodyFormat, in.Body)
	if err != nil {
		return apperr.Field("body", "正文无法解析，请检查格式")
	}
	d.AgencyID, d.Title, d.DocNo, d.Topic, d.Genre, d.Category = in.AgencyID, in.Title, in.DocNo, in.Topic, in.Genre, in.Category
	d.Summary, d.BodyFormat, d.BodySource, d.BodyHTML = in.Summary, in.BodyFormat, in.Body, html
	d.Mode, d.WithholdBasis, d.FormedOn = in.Mode, in.WithholdBasis, formed
	d.NeedsInterp, d.InterpretsID = in.NeedsInterp, in.InterpretsID
	return nil
}

// checkPolicy checks that an interpretation's policy exists in the agency.
func (s *Service) checkPolicy(ctx context.Context, agencyID, policyID int64) error {
	p, err := s.store.FindDocumentByID(ctx, policyID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (p.AgencyID != agencyID || !p.Genre.IsPolicy())) {
		return apperr.Field("interprets_id", "所解读的政策文件不存在，或不属于本机关")
	}
	return err
}

func (s *Service) saveDocument(ctx context.Context, a *identity.Actor, ag *Agency, d *Document) error {
	now := s.now()
	d.UpdatedAt = now
	action, err := "disclosure.doc.update", error(nil)
	if d.ID == 0 {
		d.CreatedAt, d.CreatedBy, action = now, a.UserID, "disclosure.doc.create"
		err = s.store.CreateDocument(ctx, d)
	} else {
		err = s.store.UpdateDocument(ctx, d)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, ag, action, "disclosure_doc", d.ID, docChange(d))
}

// docChange is what the audit log keeps of a document: its metadata and
// state, not its body.
func docChange(d *Document) map[string]any {
	return map[string]any{"title": d.Title, "doc_no": d.DocNo, "index_no": d.IndexNo, "status": d.Status,
		"mode": d.Mode, "validity": d.Validity, "published_on": d.PublishedOn, "formed_on": d.FormedOn}
}

// transition loads a document, checks the rule and the state, applies
// change and records action.
func (s *Service) transition(ctx context.Context, a *identity.Actor, id int64, action string,
	change func(ctx context.Context, ag *Agency, d *Document) error) (*Document, error) {
	var d *Document
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var ag *Agency
		var err error
		if d, ag, err = s.docFor(ctx, id); err != nil {
			return err
		}
		if err := change(ctx, ag, d); err != nil {
			return err
		}
		d.UpdatedAt = s.now()
		if err := s.store.UpdateDocument(ctx, d); err != nil {
			return err
		}
		return s.record(ctx, a, ag, action, "disclosure_doc", d.ID, docChange(d))
	})
	return d, err
}

func wantStatus(d *Document, want ...Status) error {
	for _, w := range want {
		if d.Status == w {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "该信息当前状态为“%s”，不能进行此操作", d.Status.Label())
}

// Submit sends a draft to 保密审查 and gives it its 索引号.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, id int64) (*Document, error) {
	return s.transition(ctx, a, id, "disclosure.doc.submit", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		if err := wantStatus(d, StatusDraft); err != nil {
			return err
		}
		d.Status = StatusReview
		return s.assignIndex(ctx, ag, d)
	})
}

// assignIndex gives a document its 索引号 from the agency's template, once.
func (s *Service) assignIndex(ctx context.Context, ag *Agency, d *Document) error {
	if d.IndexNo != "" {
		return nil
	}
	seq, err := s.store.NextIndexSeq(ctx, ag.ID, indexPeriod(ag.IndexTemplate, d.FormedOn))
	if err != nil {
		return err
	}
	d.IndexNo = IndexNumber(ag.IndexTemplate, ag.Code, d.Category, d.FormedOn, seq)
	return nil
}

// Approve approves a reviewed document for publication.
func (s *Service) Approve(ctx context.Context, a *identity.Actor, id int64) (*Document, error) {
	return s.transition(ctx, a, id, "disclosure.doc.approve", func(ctx context.Context, ag *Agency, d *Document) error {
		if err := CanApprove(a, ag, d); err != nil {
			return err
		}
		if err := wantStatus(d, StatusReviewed); err != nil {
			return err
		}
		d.Status, d.ApprovedBy = StatusApproved, a.UserID
		return nil
	})
}

// PublishDue is a document's publication deadline under its category's
// rule, marked provisional when it spans a year without a holiday schedule.
type PublishDue struct {
	Due             calendar.Date
	Rule            *PublishRule
	ProvisionalYear int
}

// String is the deadline as shown, with the 暂定 note when provisional.
func (p PublishDue) String() string {
	return p.Due.String() + calendar.ProvisionalNote(p.ProvisionalYear)
}

// Overdue reports whether the deadline has passed by today.
func (p PublishDue) Overdue(today calendar.Date) bool { return p.Due.Before(today) }

// Deadline is the publication deadline of a document on its agency's
// calendar under its category's rule (Art 26, or the law it defers to).
func (s *Service) Deadline(ctx context.Context, ag *Agency, d *Document) (PublishDue, error) {
	rules, err := s.PublishRules(ctx)
	if err != nil {
		return PublishDue{}, err
	}
	cal, err := s.cals.ForRegion(ag.RegionPath)
	if err != nil {
		return PublishDue{}, err
	}
	return dueUnder(cal, ruleFor(rules, d.Category), d.FormedOn)
}

func dueUnder(cal *calendar.Calendar, r *PublishRule, formed calendar.Date) (PublishDue, error) {
	due, err := r.due(cal, formed)
	if err != nil {
		return PublishDue{}, err
	}
	p := PublishDue{Due: due, Rule: r}
	if !r.Calendar { // calendar days do not depend on the holiday schedule
		p.ProvisionalYear = cal.Provisional(formed, due)
	}
	return p, nil
}
