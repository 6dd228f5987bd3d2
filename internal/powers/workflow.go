package powers

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// versionFor loads a version with its power, for an actor who edits it.
func (s *Service) versionFor(ctx context.Context, id int64) (*Version, *Power, error) {
	v, err := s.d.Store.FindVersion(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.d.Store.FindPower(ctx, v.PowerID)
	return v, p, err
}

// SaveDraft replaces the content of a draft (or a rejected version, which
// becomes a draft again).
func (s *Service) SaveDraft(ctx context.Context, a *identity.Actor, versionID int64, c Content) (*Version, error) {
	normalize(&c)
	return s.change(ctx, a, versionID, "powers.draft.save", func(ctx context.Context, v *Version, p *Power) error {
		if err := CanEdit(a, p); err != nil {
			return err
		}
		if v.State != StateDraft && v.State != StateRejected {
			return apperr.New(apperr.Conflict, "只有草稿可以修改（当前为“%s”）", v.State.Label())
		}
		if err := s.check(ctx, p, &c); err != nil {
			return err
		}
		v.Content, v.State, v.Note = c, StateDraft, ""
		return nil
	})
}

// ImportBenchmarks replaces a draft's discretion benchmark with rows read
// from a workbook; the whole draft is checked, and nothing changes unless
// every row passes.
func (s *Service) ImportBenchmarks(ctx context.Context, a *identity.Actor, versionID int64, rows []Benchmark) (*Version, error) {
	return s.change(ctx, a, versionID, "powers.benchmarks.import", func(ctx context.Context, v *Version, p *Power) error {
		if err := CanEdit(a, p); err != nil {
			return err
		}
		if v.State != StateDraft && v.State != StateRejected {
			return apperr.New(apperr.Conflict, "只能向草稿导入裁量基准（当前为“%s”）", v.State.Label())
		}
		c := v.Content
		c.Benchmarks = rows
		if err := c.Validate(p.Code); err != nil {
			return err
		}
		v.Content, v.State = c, StateDraft
		return nil
	})
}

// change runs edit on a version inside a transaction and saves it.
func (s *Service) change(ctx context.Context, a *identity.Actor, versionID int64, action string,
	edit func(context.Context, *Version, *Power) error) (*Version, error) {
	var v *Version
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var p *Power
		var err error
		if v, p, err = s.versionFor(ctx, versionID); err != nil {
			return err
		}
		if err := edit(ctx, v, p); err != nil {
			return err
		}
		v.UpdatedAt = s.d.Now()
		if err := s.d.Store.UpdateVersion(ctx, v); err != nil {
			return err
		}
		if p.PublishedID == nil && v.State == StateDraft {
			p.Name, p.Type, p.UpdatedAt = v.Content.Name, v.Content.Type, s.d.Now()
			if err := s.d.Store.UpdatePower(ctx, p); err != nil {
				return err
			}
		}
		return s.record(ctx, a, p, action, map[string]any{"version": v.Number, "state": v.State, "benchmarks": len(v.Content.Benchmarks)})
	})
	return v, err
}

// NewDraft starts a new version from the one in force; a power has at most
// one open version.
func (s *Service) NewDraft(ctx context.Context, a *identity.Actor, powerID int64) (*Version, error) {
	var v *Version
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		p, err := s.d.Store.FindPower(ctx, powerID)
		if err != nil {
			return err
		}
		if err := CanEdit(a, p); err != nil {
			return err
		}
		vs, err := s.d.Store.FindVersions(ctx, p.ID)
		if err != nil {
			return err
		}
		if len(vs) > 0 && vs[0].State.Open() {
			return apperr.New(apperr.Conflict, "已有未发布的版本（第 %d 版，%s），请在其上修改", vs[0].Number, vs[0].State.Label())
		}
		now := s.d.Now()
		v = &Version{PowerID: p.ID, Number: len(vs) + 1, State: StateDraft, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
		if len(vs) > 0 {
			v.Content = vs[0].Content
		}
		if err := s.d.Store.CreateVersion(ctx, v); err != nil {
			return err
		}
		return s.record(ctx, a, p, "powers.draft.new", map[string]any{"version": v.Number})
	})
	return v, err
}

// Submit sends a draft for review.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, versionID int64) (*Version, error) {
	return s.change(ctx, a, versionID, "powers.submit", func(ctx context.Context, v *Version, p *Power) error {
		if err := CanEdit(a, p); err != nil {
			return err
		}
		if v.State != StateDraft {
			return apperr.New(apperr.Conflict, "只有草稿可以提交审核（当前为“%s”）", v.State.Label())
		}
		if err := s.check(ctx, p, &v.Content); err != nil {
			return err
		}
		v.State = StateSubmitted
		return nil
	})
}

// Reject sends a submitted version back with the reason.
func (s *Service) Reject(ctx context.Context, a *identity.Actor, versionID int64, reason string) (*Version, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.Field("reason", "请填写退回理由")
	}
	return s.change(ctx, a, versionID, "powers.reject", func(ctx context.Context, v *Version, p *Power) error {
		if err := CanReview(a, p, v); err != nil {
			return err
		}
		if v.State != StateSubmitted {
			return apperr.New(apperr.Conflict, "只有待审核的版本可以退回")
		}
		v.State, v.Note, v.ReviewedBy = StateRejected, reason, a.UserID
		return nil
	})
}

// Approve publishes a submitted version: it comes into force, the one
// before is superseded, and the power's public links and search text
// follow it.
func (s *Service) Approve(ctx context.Context, a *identity.Actor, versionID int64) (*Version, error) {
	var v *Version
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var p *Power
		var err error
		if v, p, err = s.versionFor(ctx, versionID); err != nil {
			return err
		}
		if err := CanReview(a, p, v); err != nil {
			return err
		}
		if v.State != StateSubmitted {
			return apperr.New(apperr.Conflict, "只有待审核的版本可以发布（当前为“%s”）", v.State.Label())
		}
		if err := s.check(ctx, p, &v.Content); err != nil {
			return err
		}
		return s.publish(ctx, a, p, v)
	})
	return v, err
}

func (s *Service) publish(ctx context.Context, a *identity.Actor, p *Power, v *Version) error {
	now := s.d.Now()
	if p.PublishedID != nil {
		if err := s.d.Store.SupersedeVersion(ctx, *p.PublishedID, now); err != nil {
			return err
		}
	}
	v.State, v.ReviewedBy, v.PublishedAt, v.UpdatedAt = StatePublished, a.UserID, now, now
	if err := s.d.Store.UpdateVersion(ctx, v); err != nil {
		return err
	}
	p.PublishedID, p.Name, p.Type, p.SearchText, p.UpdatedAt = &v.ID, v.Content.Name, v.Content.Type, searchText(p, &v.Content), now
	if err := s.d.Store.UpdatePower(ctx, p); err != nil {
		return err
	}
	if err := s.d.Store.SetPowerItems(ctx, p.ID, v.Content.ItemIDs); err != nil {
		return err
	}
	return s.record(ctx, a, p, "powers.publish", map[string]any{"version": v.Number, "content": v.Content})
}
