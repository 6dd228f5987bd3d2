package publicity

import (
	"context"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// EnterPenalty checks a penalty decision against the benchmark of the power
// used and publishes it.
func (s *Service) EnterPenalty(ctx context.Context, a *identity.Actor, in PenaltyInput) (*Entry, error) {
	var e *Entry
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		e, err = s.penalty(ctx, a, in)
		if err != nil {
			return err
		}
		return s.create(ctx, a, e)
	})
	return e, err
}

// create inserts a penalty entry and records it.
func (s *Service) create(ctx context.Context, a *identity.Actor, e *Entry) error {
	if err := s.d.Store.CreateEntry(ctx, e); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("number", "决定书文号“"+e.Number+"”已录入过")
		}
		return err
	}
	return s.record(ctx, a, e.RegionPath, "publicity.penalty.enter", "publicity_entry", e.ID,
		map[string]any{"number": e.Number, "holder": e.HolderName, "fine": e.FineFen, "kinds": e.PenaltyKinds,
			"outside_reason": e.OutsideReason, "public_until": e.PublicUntil.String()})
}

// penalty builds the entry of a checked penalty input.
func (s *Service) penalty(ctx context.Context, a *identity.Actor, in PenaltyInput) (*Entry, error) {
	p, err := in.check(s.today())
	if err != nil {
		return nil, err
	}
	name, path, err := s.department(ctx, in.DepartmentID)
	if err != nil {
		return nil, err
	}
	if err := CanEnter(a, path, in.DepartmentID); err != nil {
		return nil, err
	}
	if _, err := s.d.Store.FindEntryByNumber(ctx, in.DepartmentID, KindPenalty, in.Number); err == nil {
		return nil, apperr.Field("number", "决定书文号“"+in.Number+"”已录入过")
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	powerID, err := s.checkBenchmark(ctx, in, p.fine)
	if err != nil {
		return nil, err
	}
	periods, err := s.Periods(ctx)
	if err != nil {
		return nil, err
	}
	today, now := s.today(), s.d.Now()
	return &Entry{Kind: KindPenalty, DepartmentID: in.DepartmentID, Number: in.Number, Title: in.Title, HolderKind: p.holder,
		HolderName: publishedName(p.holder, in.HolderName), CreditCode: in.CreditCode, DecidedOn: p.decided,
		Content: in.Content, Basis: in.Basis, PenaltyKinds: in.Kinds, FineFen: p.fine, PowerID: powerID,
		BenchmarkSeq: in.BenchmarkSeq, OutsideReason: in.OutsideReason, Status: StatusPublished, PublishedOn: today,
		PublicUntil: Until(today, periods.MonthsFor(in.Kinds, p.fine)), CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now,
		DeptName: name, RegionPath: path}, nil
}

// checkBenchmark finds the benchmark row applied and refuses a penalty that
// departs from it without a recorded reason.
func (s *Service) checkBenchmark(ctx context.Context, in PenaltyInput, fine int64) (int64, error) {
	p, b, err := s.d.Benchmarks.BenchmarkByCode(ctx, in.DepartmentID, in.PowerCode, in.BenchmarkSeq)
	if err != nil {
		return 0, err
	}
	if devs := b.Deviations(in.Kinds, fine); len(devs) > 0 && in.OutsideReason == "" {
		return 0, apperr.Field("outside_reason", strings.Join(devs, "；")+"，须填写超出裁量基准的理由")
	}
	return p.ID, nil
}

// ImportPenalties enters every row of an imported workbook in one
// transaction: each row is checked (its own cells and its benchmark), and
// nothing is written unless every row passes. The error lists each problem
// with its row.
func (s *Service) ImportPenalties(ctx context.Context, a *identity.Actor, rows []PenaltyRow) ([]*Entry, error) {
	var out []*Entry
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		out = nil
		var problems []string
		for _, r := range rows {
			e, err := s.penalty(ctx, a, r.Input)
			if err == nil {
				err = s.create(ctx, a, e)
			}
			if err != nil {
				if !apperr.Is(err, apperr.Invalid) {
					return err
				}
				problems = append(problems, rowProblems(r, err)...)
				continue
			}
			out = append(out, e)
		}
		if len(problems) > 0 {
			return importProblems(problems)
		}
		return nil
	})
	return out, err
}

// Withdraw takes a penalty off the register because the decision was
// changed, revoked, found unlawful or void (行政处罚法 Art 48 ¶2: within
// three days, with the reason made public).
func (s *Service) Withdraw(ctx context.Context, a *identity.Actor, id int64, reason string) (*Entry, error) {
	return s.setStatus(ctx, a, id, KindPenalty, StatusWithdrawn, reason)
}

// Revoke marks a permit as revoked; it stays in the register, marked, with
// the reason.
func (s *Service) Revoke(ctx context.Context, a *identity.Actor, id int64, reason string) (*Entry, error) {
	return s.setStatus(ctx, a, id, KindPermit, StatusRevoked, reason)
}

func (s *Service) setStatus(ctx context.Context, a *identity.Actor, id int64, kind Kind, to Status, reason string) (*Entry, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxBasis {
		return nil, apperr.Field("reason", "请填写理由（将一并公开，不超过 1000 字）")
	}
	var e *Entry
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if e, err = s.d.Store.FindEntry(ctx, id); err != nil {
			return err
		}
		if err := CanEnter(a, e.RegionPath, e.DepartmentID); err != nil {
			return err
		}
		if e.Kind != kind || e.Status != StatusPublished {
			return apperr.New(apperr.Conflict, "该%s信息当前为“%s”，不能%s", e.Kind.Label(), e.Status.Label(), to.Label())
		}
		e.Status, e.StatusReason, e.StatusOn, e.UpdatedAt = to, reason, s.today(), s.d.Now()
		if err := s.d.Store.UpdateEntry(ctx, e); err != nil {
			return err
		}
		return s.record(ctx, a, e.RegionPath, "publicity."+string(to), "publicity_entry", e.ID, map[string]any{"reason": reason})
	})
	return e, err
}

// Entry returns an entry: to anyone while public (and a withdrawn one as
// its withdrawal notice), and to the department's staff always.
func (s *Service) Entry(ctx context.Context, a *identity.Actor, id int64) (*Entry, error) {
	e, err := s.d.Store.FindEntry(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Public(s.today()) || e.Status == StatusWithdrawn || CanEnter(a, e.RegionPath, e.DepartmentID) == nil {
		return e, nil
	}
	return nil, apperr.New(apperr.NotFound, "公示信息不存在或已过公示期")
}

// Entries lists the entries of the departments the actor enters for.
func (s *Service) Entries(ctx context.Context, a *identity.Actor, kind Kind, offset int) ([]*Entry, int, error) {
	var depts []int64
	for _, g := range a.Grants {
		if (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil {
			depts = append(depts, *g.DepartmentID)
		}
	}
	if len(depts) == 0 {
		return nil, 0, apperr.New(apperr.Forbidden, "只有部门的审批人员或部门负责人可以维护公示信息")
	}
	return s.d.Store.FindEntries(ctx, StaffFilter{DepartmentIDs: depts, Kind: kind, Offset: offset, Limit: 50})
}

// Expire ends the publication of the entries whose period is over.
func (s *Service) Expire(ctx context.Context) (int, error) {
	var n int
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		n, err = s.d.Store.ExpireEntries(ctx, s.today())
		if err != nil || n == 0 {
			return err
		}
		return s.record(ctx, identity.SystemActor(), "", "publicity.expire", "publicity_entry", 0,
			map[string]any{"count": n, "before": s.today().String()})
	})
	return n, err
}

// dateCell shows a date, "" for none.
func dateCell(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

// RevokePermit marks the permit entered from source as revoked because its
// certificate was revoked (行政许可法 Art 69, 70: a revoked or cancelled
// licence; the register follows the decision). A source with no entry
// (not a 行政许可) or an entry no longer in force is left alone.
func (s *Service) RevokePermit(ctx context.Context, source, reason string) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		e, err := s.d.Store.FindEntryBySource(ctx, source)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if e.Kind != KindPermit || e.Status != StatusPublished {
			return nil
		}
		e.Status, e.StatusReason, e.StatusOn, e.UpdatedAt = StatusRevoked, permitRevokedReason(reason), s.today(), s.d.Now()
		if err := s.d.Store.UpdateEntry(ctx, e); err != nil {
			return err
		}
		return s.record(ctx, identity.SystemActor(), e.RegionPath, "publicity."+string(StatusRevoked), "publicity_entry", e.ID,
			map[string]any{"reason": e.StatusReason, "source": source})
	})
}

// permitRevokedReason is the public reason of a permit whose certificate
// was revoked, cut to the register's limit.
func permitRevokedReason(reason string) string {
	r := []rune("许可证件已撤销：" + strings.TrimSpace(reason))
	if len(r) > maxBasis {
		r = r[:maxBasis]
	}
	return string(r)
}
