package powers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/catalog"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

// Service keeps power lists.
type Service struct{ d Deps }

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Service{d: d}
}

// CanEdit: the department's approvers and head write its powers' drafts,
// and a system administrator of the region writes any in it.
func CanEdit(a *identity.Actor, p *Power) error {
	if a.HasIn(identity.RoleApprover, p.RegionPath, p.DepartmentID) || a.HasIn(identity.RoleDeptHead, p.RegionPath, p.DepartmentID) ||
		a.HasIn(identity.RoleSysAdmin, p.RegionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有本部门的审批人员、部门负责人或本区域的系统管理员可以编辑该部门的权责清单")
}

// CanReview: the department's head, or an administrator of the region,
// approves a submitted version; never the person who wrote it.
func CanReview(a *identity.Actor, p *Power, v *Version) error {
	if !a.HasIn(identity.RoleDeptHead, p.RegionPath, p.DepartmentID) && !a.HasIn(identity.RoleSysAdmin, p.RegionPath, 0) {
		return apperr.New(apperr.Forbidden, "只有本部门负责人或本区域的系统管理员可以审核权责清单")
	}
	if v.CreatedBy != 0 && v.CreatedBy == a.UserID {
		return apperr.New(apperr.Forbidden, "起草人不能审核自己起草的版本，请由部门负责人或其他管理员审核")
	}
	return nil
}

func (s *Service) record(ctx context.Context, a *identity.Actor, p *Power, action string, change any) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + p.RegionPath, Action: action,
		ObjectType: "power", ObjectID: strconv.FormatInt(p.ID, 10), Change: change})
}

// Input creates a power: its department and code, and the first draft.
type Input struct {
	DepartmentID int64
	Code         string
	Content      Content
}

// placeOf fills a new power's department and region.
func (s *Service) placeOf(ctx context.Context, p *Power) error {
	d, err := s.d.Departments.Department(ctx, p.DepartmentID)
	if apperr.Is(err, apperr.NotFound) || p.DepartmentID <= 0 {
		return apperr.Field("department_id", "请选择实施部门")
	}
	if err != nil {
		return err
	}
	p.DeptName = d.Name
	p.RegionID, p.RegionPath, err = s.d.Departments.DepartmentRegion(ctx, d.ID)
	return err
}

// Create adds a power to a department's list with its first draft.
func (s *Service) Create(ctx context.Context, a *identity.Actor, in Input) (*Power, *Version, error) {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	normalize(&in.Content)
	var p *Power
	var v *Version
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		now := s.d.Now()
		p = &Power{DepartmentID: in.DepartmentID, Code: in.Code, Name: in.Content.Name, Type: in.Content.Type, CreatedAt: now, UpdatedAt: now}
		if err := s.placeOf(ctx, p); err != nil {
			return err
		}
		if err := CanEdit(a, p); err != nil {
			return err
		}
		if err := s.check(ctx, p, &in.Content); err != nil {
			return err
		}
		if err := s.d.Store.CreatePower(ctx, p); err != nil {
			return err
		}
		v = &Version{PowerID: p.ID, Number: 1, State: StateDraft, Content: in.Content, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
		if err := s.d.Store.CreateVersion(ctx, v); err != nil {
			return err
		}
		return s.record(ctx, a, p, "powers.create", map[string]any{"code": p.Code, "name": p.Name, "version": 1})
	})
	return p, v, err
}

// normalize trims a content's texts and drops empty list entries.
func normalize(c *Content) {
	for _, p := range []*string{&c.Name, &c.Subject, &c.Undertaker, &c.Process, &c.Supervision} {
		*p = strings.TrimSpace(*p)
	}
	c.Duties, c.Accountability = compact(c.Duties), compact(c.Accountability)
	var bases []Basis
	for _, b := range c.Bases {
		if b.Law = strings.TrimSpace(b.Law); b.Law != "" {
			b.Article = strings.TrimSpace(b.Article)
			bases = append(bases, b)
		}
	}
	c.Bases = bases
}

func compact(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// check validates a content and resolves its links: the service items
// (published, of the same department and type) and the laws' documents.
func (s *Service) check(ctx context.Context, p *Power, c *Content) error {
	if err := c.Validate(p.Code); err != nil {
		return err
	}
	for _, id := range c.ItemIDs {
		it, err := s.d.Items.Item(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("item_ids", "关联的事项（编号 "+strconv.FormatInt(id, 10)+"）不存在")
		}
		if err != nil {
			return err
		}
		if msg := itemProblem(it, p, c.Type); msg != "" {
			return apperr.Field("item_ids", msg)
		}
	}
	return s.linkLaws(ctx, c)
}

func itemProblem(it *catalog.Item, p *Power, t catalog.ItemType) string {
	switch {
	case it.DepartmentID != p.DepartmentID:
		return "事项“" + it.Name + "”不属于" + p.DeptName
	case it.Type != t:
		return "事项“" + it.Name + "”的类型为" + it.Type.Label() + "，与职权类型" + t.Label() + "不符"
	}
	return ""
}

// linkLaws links each basis to the law's document where the catalogue has it.
func (s *Service) linkLaws(ctx context.Context, c *Content) error {
	if s.d.Laws == nil {
		return nil
	}
	for i, b := range c.Bases {
		id, ok, err := s.d.Laws.FindLaw(ctx, b.LawName())
		if err != nil {
			return err
		}
		c.Bases[i].DocID = 0
		if ok {
			c.Bases[i].DocID = id
		}
	}
	return nil
}

// searchText is what the public search looks in: name, code, bases and the
// benchmarks' violations.
func searchText(p *Power, c *Content) string {
	parts := []string{c.Name, p.Code, c.Type.Label(), p.DeptName, c.Subject}
	for _, b := range c.Bases {
		parts = append(parts, b.Law)
	}
	for _, b := range c.Benchmarks {
		parts = append(parts, b.Violation)
	}
	return search.Normalize(strings.Join(parts, "\n"))
}
