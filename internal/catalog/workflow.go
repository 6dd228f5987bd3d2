package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// CreateItem creates an item and its first draft (version 1).
func (s *Service) CreateItem(ctx context.Context, a *identity.Actor, in ItemInput) (*Item, *Version, error) {
	in.normalize()
	var it *Item
	var v *Version
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		it, v, err = s.createItem(ctx, a, in, "catalog.item.create")
		return err
	})
	return it, v, err
}

func (s *Service) createItem(ctx context.Context, a *identity.Actor, in ItemInput, action string) (*Item, *Version, error) {
	if err := s.resolveDepartment(ctx, &in); err != nil {
		return nil, nil, err
	}
	p, err := s.placeOf(ctx, in.DepartmentID)
	if err != nil && !apperr.Is(err, apperr.Invalid) {
		return nil, nil, err
	}
	if err == nil {
		if err := CanEdit(a, p.path, p.dept.ID); err != nil {
			return nil, nil, err
		}
		s.fillFromDepartment(&in.Guide, p)
	}
	if err := joinFields(in.validate(), err, p.checkLevel(in.Guide.Level), s.checkCoDepartments(ctx, &in.Guide, in.DepartmentID)); err != nil {
		return nil, nil, err
	}
	if err := s.checkUnique(ctx, &in, p); err != nil {
		return nil, nil, err
	}
	now := s.now()
	it := &Item{Code: in.Code, ImplCode: in.ImplCode, RegionID: p.reg.ID, DepartmentID: p.dept.ID, Status: StatusDraft,
		CreatedAt: now, UpdatedAt: now}
	if it.ImplCode == "" {
		it.ImplCode = ImplCodeFor(in.Code, p.reg.Code, p.dept.CreditCode)
	}
	it.list(&in.Guide)
	if err := s.store.CreateItem(ctx, it); err != nil {
		return nil, nil, err
	}
	v := &Version{ItemID: it.ID, Number: 1, State: StateDraft, Guide: in.Guide, CreatedBy: person(a), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateVersion(ctx, v); err != nil {
		return nil, nil, err
	}
	return it, v, s.record(ctx, a, p, action, it.ID, map[string]any{"code": it.Code, "impl_code": it.ImplCode, "version": v.Number, "guide": v.Guide})
}

// resolveDepartment finds the department by credit code when no id is given.
func (s *Service) resolveDepartment(ctx context.Context, in *ItemInput) error {
	if in.DepartmentID != 0 || in.DeptCode == "" {
		return nil
	}
	d, err := s.orgs.DepartmentByCreditCode(ctx, in.DeptCode)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("department_id", "统一社会信用代码为 "+in.DeptCode+" 的实施部门不存在")
	}
	if err == nil {
		in.DepartmentID = d.ID
	}
	return err
}

// ImplCodeFor builds a 实施编码 when none is given: the 基本编码, the
// 12-digit 区划代码 and the department's credit code, the parts deployed
// 实施编码 are seen to carry (an observed shape, not the standard's rule).
func ImplCodeFor(code, regionCode, creditCode string) string {
	return code + "-" + (regionCode + strings.Repeat("0", 12))[:12] + "-" + creditCode
}

// fillFromDepartment makes the department the 实施主体 when the guide names
// none, and snapshots the names of the co-departments.
func (s *Service) fillFromDepartment(g *Guide, p place) {
	if g.Subject.Name == "" && g.Subject.CreditCode == "" {
		g.Subject.Name, g.Subject.CreditCode = p.dept.Name, p.dept.CreditCode
	}
	if g.Subject.Nature == "" {
		g.Subject.Nature = NatureStatutory
	}
}

// checkLevel: an item's 行使层级 is its region's level, or 分级管理.
func (p place) checkLevel(l Level) error {
	if p.reg == nil || l == LevelTiered || l.Label() == "" || l == regionLevel(p.reg.Level) {
		return nil
	}
	return apperr.Field("level", fmt.Sprintf("行使层级应与实施部门所在区域一致（%s为%s），或选择分级管理", p.reg.Name, p.reg.Level.Label()))
}

// checkCoDepartments resolves the co-departments and the departments of
// steps, and keeps their names.
func (s *Service) checkCoDepartments(ctx context.Context, g *Guide, own int64) error {
	var f apperr.Fields
	for i, st := range g.Steps {
		if st.Department == nil {
			continue
		}
		d, err := s.coDepartment(ctx, *st.Department)
		if err != nil {
			f.Add("steps."+strconv.Itoa(i)+".department", fmt.Sprintf("第 %d 个环节的办理部门（%s）不存在", i+1, refText(*st.Department)))
			continue
		}
		g.Steps[i].Department = &DeptRef{ID: d.ID, Name: d.Name, CreditCode: d.CreditCode}
	}
	s.resolveFiles(ctx, g, &f)
	for i := range g.CoDepartments {
		d, err := s.coDepartment(ctx, g.CoDepartments[i])
		switch {
		case apperr.Is(err, apperr.NotFound):
			f.Add("co_departments", fmt.Sprintf("共同实施部门（%s）不存在", refText(g.CoDepartments[i])))
		case err != nil:
			return err
		case d.ID == own:
			f.Add("co_departments", "共同实施部门不能是实施部门本身")
		default:
			g.CoDepartments[i] = DeptRef{ID: d.ID, Name: d.Name, CreditCode: d.CreditCode}
		}
	}
	return f.Err()
}

// resolveFiles checks that every attached file exists and keeps its name.
func (s *Service) resolveFiles(ctx context.Context, g *Guide, f *apperr.Fields) {
	check := func(field string, ref *FileRef) {
		if ref == nil {
			return
		}
		file, err := s.store.FindFile(ctx, ref.ID)
		if err != nil {
			f.Add(field, fmt.Sprintf("文件（编号 %d）不存在", ref.ID))
			return
		}
		ref.Name = file.Name
	}
	for i := range g.Materials {
		check("materials."+strconv.Itoa(i)+".form", g.Materials[i].Form)
		check("materials."+strconv.Itoa(i)+".sample", g.Materials[i].Sample)
	}
	check("result.sample", g.Result.Sample)
}

// coDepartment finds a co-department by id, or by credit code when the id
// is not given (Excel names departments by credit code).
func (s *Service) coDepartment(ctx context.Context, r DeptRef) (*org.Department, error) {
	if r.ID == 0 && r.CreditCode != "" {
		return s.orgs.DepartmentByCreditCode(ctx, r.CreditCode)
	}
	return s.orgs.Department(ctx, r.ID)
}

func refText(r DeptRef) string {
	if r.ID == 0 {
		return "统一社会信用代码 " + r.CreditCode
	}
	return fmt.Sprintf("编号 %d", r.ID)
}

// joinFields merges Invalid errors into one; any other error wins.
func joinFields(errs ...error) error {
	var f apperr.Fields
	for _, err := range errs {
		if err == nil {
			continue
		}
		if !apperr.Is(err, apperr.Invalid) {
			return err
		}
		for k, v := range apperr.FieldsOf(err) {
			f.Add(k, v)
		}
		if len(apperr.FieldsOf(err)) == 0 {
			f.Add("", apperr.MessageOf(err))
		}
	}
	return f.Err()
}

func person(a *identity.Actor) Person {
	au := a.Audit()
	return Person{ID: au.ID, Label: au.Label}
}

// list copies the listing columns from a guide.
func (it *Item) list(g *Guide) {
	it.Name, it.Type, it.Level, it.Kind, it.Online = g.Name, g.Type, g.Level, g.Kind, g.Online
	it.Audiences, it.Themes, it.Promised = g.Audiences, g.Themes, g.PromisedLimit.Limit
	it.SearchName, it.SearchText = SearchName(g.Name), SearchText(g)
}

// SaveDraft saves the guide as the item's draft: into the open draft (or a
// rejected version, which becomes a draft again), or into a new version
// when every version is published. A published version is never edited.
func (s *Service) SaveDraft(ctx context.Context, a *identity.Actor, itemID int64, g Guide) (*Version, error) {
	g.normalize()
	var v *Version
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		it, p, err := s.editable(ctx, a, itemID)
		if err != nil {
			return err
		}
		if v, err = s.draftOf(ctx, a, it); err != nil {
			return err
		}
		if v.State == StateSubmitted {
			return apperr.New(apperr.Conflict, "第 %d 版已提交审核，审核完成前不能修改", v.Number)
		}
		return s.saveGuide(ctx, a, it, p, v, g)
	})
	return v, err
}

// SaveVersion saves the guide into one version by id; a published version
// is refused, since only a new draft may change a published guide.
func (s *Service) SaveVersion(ctx context.Context, a *identity.Actor, versionID int64, g Guide) (*Version, error) {
	g.normalize()
	var v *Version
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if v, err = s.store.FindVersionByID(ctx, versionID); err != nil {
			return err
		}
		it, p, err := s.editable(ctx, a, v.ItemID)
		if err != nil {
			return err
		}
		switch v.State {
		case StatePublished:
			return apperr.New(apperr.Conflict, "第 %d 版已发布，已发布的版本不能修改；请新建草稿", v.Number)
		case StateSubmitted:
			return apperr.New(apperr.Conflict, "第 %d 版已提交审核，审核完成前不能修改", v.Number)
		}
		return s.saveGuide(ctx, a, it, p, v, g)
	})
	return v, err
}

func (s *Service) editable(ctx context.Context, a *identity.Actor, itemID int64) (*Item, place, error) {
	it, err := s.store.FindItemByID(ctx, itemID)
	if err != nil {
		return nil, place{}, err
	}
	p, err := s.placeOf(ctx, it.DepartmentID)
	if err != nil {
		return nil, place{}, err
	}
	if err := CanEdit(a, p.path, it.DepartmentID); err != nil {
		return nil, place{}, err
	}
	if it.Status == StatusCancelled {
		return nil, place{}, apperr.New(apperr.Conflict, "该事项已取消，不能再修改")
	}
	return it, p, nil
}

// draftOf returns the open version, or a new draft copied from the latest
// published one.
func (s *Service) draftOf(ctx context.Context, a *identity.Actor, it *Item) (*Version, error) {
	vs, err := s.store.FindVersions(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 && vs[0].State.Open() {
		return vs[0], nil
	}
	now, n := s.now(), 1
	if len(vs) > 0 {
		n = vs[0].Number + 1
	}
	v := &Version{ItemID: it.ID, Number: n, State: StateDraft, CreatedBy: person(a), CreatedAt: now, UpdatedAt: now}
	if len(vs) > 0 {
		v.Guide = vs[0].Guide
	}
	return v, nil
}

func (s *Service) saveGuide(ctx context.Context, a *identity.Actor, it *Item, p place, v *Version, g Guide) error {
	s.fillFromDepartment(&g, p)
	if err := joinFields(g.Validate(), p.checkLevel(g.Level), s.checkCoDepartments(ctx, &g, it.DepartmentID)); err != nil {
		return err
	}
	v.Guide, v.State, v.UpdatedAt = g, StateDraft, s.now()
	var err error
	if v.ID == 0 {
		err = s.store.CreateVersion(ctx, v)
	} else {
		err = s.store.UpdateVersion(ctx, v)
	}
	if err != nil {
		return err
	}
	if !it.Public() {
		it.list(&g)
		it.UpdatedAt = v.UpdatedAt
		if err := s.store.UpdateItem(ctx, it); err != nil {
			return err
		}
	}
	return s.record(ctx, a, p, "catalog.draft.save", it.ID, map[string]any{"version_id": v.ID, "version": v.Number, "guide": g})
}

// Submit sends the item's draft for review.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, itemID int64) (*Version, error) {
	return s.transition(ctx, a, itemID, CanEdit, func(v *Version) error {
		if v.State != StateDraft {
			return apperr.New(apperr.Conflict, "只有草稿可以提交审核（第 %d 版当前为“%s”）", v.Number, v.State.Label())
		}
		p := person(a)
		v.State, v.SubmittedBy, v.SubmittedAt, v.ReviewNote = StateSubmitted, &p, s.now(), ""
		return nil
	}, "catalog.version.submit")
}

// Reject returns a submitted version to its editors with a reason.
func (s *Service) Reject(ctx context.Context, a *identity.Actor, itemID int64, reason string) (*Version, error) {
	reason = strings.TrimSpace(reason)
	return s.transition(ctx, a, itemID, CanReview, func(v *Version) error {
		if err := checkSubmitted(v); err != nil {
			return err
		}
		var f apperr.Fields
		text(&f, "reason", "退回理由", reason, 1000, true)
		if err := f.Err(); err != nil {
			return err
		}
		p := person(a)
		v.State, v.ReviewedBy, v.ReviewedAt, v.ReviewNote = StateRejected, &p, s.now(), reason
		return nil
	}, "catalog.version.reject")
}

func checkSubmitted(v *Version) error {
	if v.State != StateSubmitted {
		return apperr.New(apperr.Conflict, "只有待审核的版本可以审核（第 %d 版当前为“%s”）", v.Number, v.State.Label())
	}
	return nil
}

// transition applies change to the item's open version under rule and
// records action, all in one transaction.
func (s *Service) transition(ctx context.Context, a *identity.Actor, itemID int64,
	rule func(*identity.Actor, string, int64) error, change func(*Version) error, action string) (*Version, error) {
	var v *Version
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		it, p, err := s.itemPlace(ctx, itemID)
		if err != nil {
			return err
		}
		if err := rule(a, p.path, it.DepartmentID); err != nil {
			return err
		}
		if v, err = s.openVersion(ctx, it.ID); err != nil {
			return err
		}
		if err := change(v); err != nil {
			return err
		}
		v.UpdatedAt = s.now()
		if err := s.store.UpdateVersion(ctx, v); err != nil {
			return err
		}
		return s.record(ctx, a, p, action, it.ID, map[string]any{"version_id": v.ID, "version": v.Number, "note": v.ReviewNote})
	})
	return v, err
}

func (s *Service) itemPlace(ctx context.Context, itemID int64) (*Item, place, error) {
	it, err := s.store.FindItemByID(ctx, itemID)
	if err != nil {
		return nil, place{}, err
	}
	p, err := s.placeOf(ctx, it.DepartmentID)
	return it, p, err
}

// ReviewInput approves a version.
type ReviewInput struct {
	EffectiveDate calendar.Date // zero means today
	Note          string
}

// Approve approves the submitted version and publishes it: it becomes an
// immutable version that takes effect on the effective date, and the
// change history records how it differs from the version before it.
func (s *Service) Approve(ctx context.Context, a *identity.Actor, itemID int64, in ReviewInput) (*Version, error) {
	var v *Version
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		it, p, err := s.itemPlace(ctx, itemID)
		if err != nil {
			return err
		}
		if err := CanReview(a, p.path, it.DepartmentID); err != nil {
			return err
		}
		if v, err = s.openVersion(ctx, it.ID); err != nil {
			return err
		}
		if err := checkSubmitted(v); err != nil {
			return err
		}
		return s.publish(ctx, a, it, p, v, in)
	})
	return v, err
}

func (s *Service) publish(ctx context.Context, a *identity.Actor, it *Item, p place, v *Version, in ReviewInput) error {
	prev, err := s.latestPublished(ctx, it)
	if err != nil {
		return err
	}
	if in.EffectiveDate == (calendar.Date{}) {
		in.EffectiveDate = s.today()
	}
	if err := checkEffective(in.EffectiveDate, s.today(), prev); err != nil {
		return err
	}
	rp, now := person(a), s.now()
	v.State, v.ReviewedBy, v.ReviewedAt, v.ReviewNote = StatePublished, &rp, now, strings.TrimSpace(in.Note)
	v.EffectiveDate, v.UpdatedAt, v.Changes = in.EffectiveDate, now, []string{"首次发布"}
	if prev != nil {
		v.Changes = Diff(&prev.Guide, &v.Guide)
	}
	if err := s.store.UpdateVersion(ctx, v); err != nil {
		return err
	}
	it.PublishedID, it.UpdatedAt = &v.ID, now
	it.list(&v.Guide)
	if it.Status == StatusDraft {
		it.Status = StatusActive
	}
	if err := s.store.UpdateItem(ctx, it); err != nil {
		return err
	}
	if err := s.indexed(ctx, it); err != nil {
		return err
	}
	change := map[string]any{"version_id": v.ID, "version": v.Number, "effective_date": v.EffectiveDate, "note": v.ReviewNote}
	if err := s.record(ctx, a, p, "catalog.version.approve", it.ID, change); err != nil {
		return err
	}
	change["changes"] = v.Changes
	return s.record(ctx, a, p, "catalog.version.publish", it.ID, change)
}

func (s *Service) latestPublished(ctx context.Context, it *Item) (*Version, error) {
	if it.PublishedID == nil {
		return nil, nil
	}
	return s.store.FindVersionByID(ctx, *it.PublishedID)
}

// checkEffective: a version takes effect today or later, and not before
// the version it replaces.
func checkEffective(d, today calendar.Date, prev *Version) error {
	if d.Before(today) {
		return apperr.Field("effective_date", fmt.Sprintf("生效日期不能早于今天（%s）", today))
	}
	if prev != nil && d.Before(prev.EffectiveDate) {
		return apperr.Field("effective_date", fmt.Sprintf("生效日期不能早于上一版的生效日期（%s）", prev.EffectiveDate))
	}
	return nil
}

// regionLevel is the catalogue level of a region of an org level.
func regionLevel(l org.Level) Level { return Level(fmt.Sprint(int(l))) }
