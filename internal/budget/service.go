package budget

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// SetInput creates a set or changes its approval date and explanation.
type SetInput struct {
	AgencyID    int64
	Year        int
	Kind        Kind
	ApprovedOn  string // YYYY-MM-DD, 批复日期
	Explanation string
}

func (in *SetInput) validate(today calendar.Date) (calendar.Date, error) {
	var f apperr.Fields
	in.ApprovedOn, in.Explanation = strings.TrimSpace(in.ApprovedOn), strings.TrimSpace(in.Explanation)
	f.Check(in.AgencyID == 0, "agency_id", "请选择单位（公开主体）")
	f.Check(in.Year < 2000 || in.Year > today.Year()+1, "year", "年度应在 2000 年至明年之间")
	f.Check(!in.Kind.Valid(), "kind", "请选择类型：部门预算、部门决算、本级政府预算或本级政府决算")
	f.Check(utf8.RuneCountInString(in.Explanation) > 20000, "explanation", "说明不能超过 20000 个字")
	approved, err := calendar.ParseDate(in.ApprovedOn)
	switch {
	case in.ApprovedOn == "":
		f.Add("approved_on", "请填写批复日期（部门预决算为财政部门批复，本级政府预决算为人大或其常委会批准；预算法第十四条的公开期限自此起算）")
	case err != nil:
		f.Add("approved_on", "批复日期格式应为 YYYY-MM-DD")
	case approved.After(today):
		f.Add("approved_on", "批复日期不能晚于今天")
	}
	return approved, f.Err()
}

func (s *Service) agency(ctx context.Context, field string, id int64) (*disclosure.Agency, error) {
	ag, err := s.d.Disclosure.Agency(ctx, id)
	if apperr.Is(err, apperr.NotFound) && field != "" {
		return nil, apperr.Field(field, "所选单位不存在")
	}
	return ag, err
}

func (s *Service) record(ctx context.Context, a *identity.Actor, ag *disclosure.Agency, action string, set *Set, change map[string]any) error {
	change["year"], change["kind"] = set.Year, set.Kind
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + ag.RegionPath, Action: action,
		ObjectType: "budget_set", ObjectID: strconv.FormatInt(set.ID, 10), Change: change})
}

// CreateSet starts an agency's 预算 or 决算 of a year.
func (s *Service) CreateSet(ctx context.Context, a *identity.Actor, in SetInput) (*Set, error) {
	approved, err := in.validate(s.Today())
	if err != nil {
		return nil, err
	}
	var set *Set
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		ag, err := s.agency(ctx, "agency_id", in.AgencyID)
		if err != nil {
			return err
		}
		if err := CanPrepare(a, ag); err != nil {
			return err
		}
		if err := s.oneGovernmentSet(ctx, ag, in); err != nil {
			return err
		}
		now := s.now()
		set = &Set{AgencyID: ag.ID, Year: in.Year, Kind: in.Kind, ApprovedOn: approved, Explanation: in.Explanation,
			Status: StatusDraft, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, AgencyName: ag.Name, RegionPath: ag.RegionPath}
		if err := s.d.Store.CreateSet(ctx, set); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "budget.set.create", set, map[string]any{"approved_on": set.ApprovedOn})
	})
	return set, err
}

// oneGovernmentSet refuses a second government-level set of a year and
// kind in one region: the finance department of the government publishes
// it (预算法 Art 14 ¶1), once.
func (s *Service) oneGovernmentSet(ctx context.Context, ag *disclosure.Agency, in SetInput) error {
	if !in.Kind.Government() {
		return nil
	}
	sets, err := s.d.Store.FindSets(ctx, SetFilter{PathPrefix: ag.RegionPath, Year: in.Year, Kind: in.Kind})
	if err != nil {
		return err
	}
	for _, other := range sets {
		if other.RegionPath == ag.RegionPath && other.AgencyID != ag.ID {
			return apperr.New(apperr.Conflict, "本级%d年%s已由%s编报，一级政府只编报一份", in.Year, in.Kind.Label(), other.AgencyName)
		}
	}
	return nil
}

// UpdateSet changes the approval date and explanation of a set not yet
// sent for publication.
func (s *Service) UpdateSet(ctx context.Context, a *identity.Actor, id int64, in SetInput) (*Set, error) {
	return s.change(ctx, a, id, "budget.set.update", func(_ context.Context, set *Set) error {
		in.AgencyID, in.Year, in.Kind = set.AgencyID, set.Year, set.Kind
		approved, err := in.validate(s.Today())
		if err != nil {
			return err
		}
		set.ApprovedOn, set.Explanation = approved, in.Explanation
		return nil
	})
}

// change loads a set for its preparer, refuses one already submitted,
// applies fn and records action.
func (s *Service) change(ctx context.Context, a *identity.Actor, id int64, action string, fn func(ctx context.Context, set *Set) error) (*Set, error) {
	var set *Set
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if set, ag, err = s.load(ctx, id); err != nil {
			return err
		}
		if err := CanPrepare(a, ag); err != nil {
			return err
		}
		if set.Status == StatusSubmitted {
			return apperr.New(apperr.Conflict, "%s已送保密审查，不能再修改；如需更正请在公开文档退回后重新编报", set.Title())
		}
		if err := fn(ctx, set); err != nil {
			return err
		}
		set.UpdatedAt = s.now()
		if err := s.d.Store.UpdateSet(ctx, set); err != nil {
			return err
		}
		return s.record(ctx, a, ag, action, set, map[string]any{"approved_on": set.ApprovedOn, "status": set.Status})
	})
	return set, err
}

func (s *Service) load(ctx context.Context, id int64) (*Set, *disclosure.Agency, error) {
	set, err := s.d.Store.FindSetByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.agency(ctx, "", set.AgencyID)
	return set, ag, err
}

// Import replaces a set's tables with those of an uploaded workbook. The
// whole workbook is checked first; a single unbalanced cell refuses it with
// every problem located, and nothing already saved changes.
func (s *Service) Import(ctx context.Context, a *identity.Actor, id int64, data []byte) (*Set, error) {
	set, err := s.d.Store.FindSetByID(ctx, id) // for its kind, which never changes
	if err != nil {
		return nil, err
	}
	lines, err := ParseWorkbook(set.Kind.Schema(), data)
	if err != nil {
		return nil, refusal(err)
	}
	return s.SaveLines(ctx, a, id, lines)
}

// SaveLines replaces a set's tables with lines entered directly (the API's
// JSON), under the same checks as an import.
func (s *Service) SaveLines(ctx context.Context, a *identity.Actor, id int64, lines []Line) (*Set, error) {
	return s.change(ctx, a, id, "budget.set.import", func(ctx context.Context, set *Set) error {
		if err := Check(set.Kind.Schema(), lines); err != nil {
			return refusal(err)
		}
		set.Status, set.ImportedAt, set.Lines = StatusReady, s.now(), lines
		return s.d.Store.ReplaceLines(ctx, set.ID, lines)
	})
}

// refusal turns a check failure into an Invalid error whose fields are the
// cells ("收支总表!C10") and whose message lists the first problems.
func refusal(err error) error {
	ce, ok := err.(*CheckError)
	if !ok {
		return err
	}
	fields := map[string]string{}
	for _, c := range ce.Errors {
		fields[c.Table+"!"+c.Cell] = c.Column + "：" + c.Message
	}
	first := ce.Errors[0].String()
	msg := "报表不平衡或格式有误，未保存：" + first
	if n := len(ce.Errors); n > 1 {
		msg += "（另有 " + strconv.Itoa(n-1) + " 处问题，见列表）"
	}
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: fields, Err: err}
}

// Problems returns the located problems of a refused import, nil if err
// is something else.
func Problems(err error) []CellError {
	var ce *CheckError
	if errors.As(err, &ce) {
		return ce.Errors
	}
	return nil
}
