package cases

import (
	"context"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// UpdateDraft saves a draft again with what its applicant changed and,
// unless in.Draft, submits it. The draft keeps its number and its item
// version, which must still be in effect: a draft under a replaced guide
// is not submitted, and its applicant starts again from the current one.
func (s *Service) UpdateDraft(ctx context.Context, a *identity.Actor, caseID int64, in FileInput) (*Case, error) {
	c, err := s.loadFor(ctx, a, caseID, false)
	if err != nil {
		return nil, err
	}
	if err := CanActAsApplicant(a, c); err != nil {
		return nil, err
	}
	if in.ItemVersionID != 0 && in.ItemVersionID != c.Procedure.ItemVersionID {
		return nil, apperr.Field("item_version_id", "草稿所申请的事项不能更改；如需申请其他事项，请新建申请")
	}
	if c.Status != StatusDraft {
		return nil, illegal(c, "不能再修改申请内容")
	}
	p, err := s.d.Procedures.Procedure(ctx, c.Procedure.ItemVersionID)
	if err != nil {
		return nil, err
	}
	if err := CanFile(a, p, in.Applicant != nil); err != nil {
		return nil, err
	}
	if err := s.redraft(ctx, a, c, in); err != nil {
		return nil, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d := *c
		if err := s.d.Store.UpdateDraft(ctx, &d); err != nil {
			return err
		}
		if in.Draft {
			return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + d.Procedure.RegionPath,
				Action: "cases.draft_saved", ObjectType: "case", ObjectID: strconv.FormatInt(d.ID, 10),
				Change: map[string]any{"number": d.Number, "materials": len(d.Materials)}})
		}
		return s.apply(ctx, a, &d, Action{Command: Command{Kind: CmdSubmit, ActorID: a.UserID, ActorLabel: a.Audit().Label}})
	})
	if err != nil {
		return nil, err
	}
	return s.d.Store.LoadCase(ctx, caseID, false)
}

// redraft replaces the draft's form, applicant and materials with in's,
// checked as a new application would be. Files not chosen again keep the
// draft's.
func (s *Service) redraft(ctx context.Context, a *identity.Actor, c *Case, in FileInput) error {
	if in.Applicant != nil {
		if err := s.fillApplicant(ctx, a, c, in); err != nil {
			return err
		}
	}
	in.Materials = keepMaterials(c.Materials, in.Materials)
	if err := validateApplication(&c.Procedure, in); err != nil {
		return err
	}
	fee, err := FeeDue(c.Procedure.Fee, in.Form)
	if err != nil && !in.Draft {
		return err
	}
	c.Form, c.Fee.DueFen = in.Form, fee
	c.Materials = stamp(in.Materials, 0, s.d.Now())
	return nil
}

// keepMaterials is the materials of a draft after an edit: each material
// code handed in again replaces the draft's files of that code.
func keepMaterials(old, fresh []MaterialFile) []MaterialFile {
	replaced := map[string]bool{}
	for _, m := range fresh {
		replaced[m.Code] = true
	}
	out := append([]MaterialFile{}, fresh...)
	for _, m := range old {
		if !replaced[m.Code] {
			out = append(out, m)
		}
	}
	return out
}

// Drafts lists the drafts an applicant (or the person who filed) can resume.
func (s *Service) Drafts(ctx context.Context, a *identity.Actor) ([]*Summary, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	f := Filter{ApplicantUserID: a.UserID, Status: []Status{StatusDraft}, Limit: 50}
	if a.IsStaff() {
		f = Filter{AgentID: a.UserID, Status: []Status{StatusDraft}, Limit: 50}
	}
	list, _, err := s.d.Store.FindCases(ctx, f)
	return list, err
}
