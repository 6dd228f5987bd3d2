package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// procedures builds the procedure a case follows from a published item
// version of the catalogue. Published versions never change, so a built
// procedure is cached by version; whether the item still accepts
// applications is checked every time (on the item as read at most a second
// ago, catalog.Service.ItemKept).
type procedures struct {
	cat            *catalog.Service
	org            *org.Service
	supplementDays int
	now            func() time.Time
	mu             sync.RWMutex
	cache          map[int64]*cases.Procedure
	current        map[currentKey]int64 // the version in effect, per item state and day
}

// currentKey is what the version in effect depends on: the item (its
// stamp moves with every publication) and the day.
type currentKey struct {
	item    int64
	updated time.Time
	day     calendar.Date
}

func newProcedures(cat *catalog.Service, o *org.Service, supplementDays int, now func() time.Time) *procedures {
	return &procedures{cat: cat, org: o, supplementDays: supplementDays, now: now, cache: map[int64]*cases.Procedure{},
		current: map[currentKey]int64{}}
}

// Procedure returns a copy of the procedure of a published version of an
// item that accepts applications.
func (p *procedures) Procedure(ctx context.Context, versionID int64) (*cases.Procedure, error) {
	cached, err := p.published(ctx, versionID)
	if err != nil {
		return nil, err
	}
	it, err := p.cat.ItemKept(ctx, cached.ItemID)
	if err != nil {
		return nil, err
	}
	if !it.Accepting() {
		return nil, apperr.New(apperr.Conflict, "该事项%s，暂不受理申请", it.Status.Label())
	}
	if err := p.inEffect(ctx, it, versionID); err != nil {
		return nil, err
	}
	cp := *cached
	return &cp, nil
}

// Published returns a copy of the procedure of a published version,
// without asking whether its item accepts applications today: what an
// upload of its materials may hold does not depend on that.
func (p *procedures) Published(ctx context.Context, versionID int64) (*cases.Procedure, error) {
	cached, err := p.published(ctx, versionID)
	if err != nil {
		return nil, err
	}
	cp := *cached
	return &cp, nil
}

// published is the procedure of a published version, built once.
func (p *procedures) published(ctx context.Context, versionID int64) (*cases.Procedure, error) {
	p.mu.RLock()
	cached, ok := p.cache[versionID]
	p.mu.RUnlock()
	if ok {
		return cached, nil
	}
	built, err := p.build(ctx, versionID)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.cache[versionID] = built
	p.mu.Unlock()
	return built, nil
}

// inEffect refuses a version that is not the one in effect today: an
// application is made under the guide in force, not a replaced one.
func (p *procedures) inEffect(ctx context.Context, it *catalog.Item, versionID int64) error {
	k := currentKey{it.ID, it.UpdatedAt, calendar.DateOf(p.now())}
	p.mu.RLock()
	cur, ok := p.current[k]
	p.mu.RUnlock()
	if !ok {
		v, err := p.cat.PublishedVersion(ctx, it.ID, p.now())
		if err != nil {
			return apperr.New(apperr.Conflict, "“%s”的办事指南尚未施行，暂不能申请", it.Name)
		}
		cur = v.ID
		p.mu.Lock()
		if len(p.current) > 10000 {
			p.current = map[currentKey]int64{}
		}
		p.current[k] = cur
		p.mu.Unlock()
	}
	if cur != versionID {
		return apperr.New(apperr.Conflict, "您申请所依据的“%s”办事指南版本已不再施行，请打开该事项的现行办事指南重新申请", it.Name)
	}
	return nil
}

func (p *procedures) build(ctx context.Context, versionID int64) (*cases.Procedure, error) {
	v, err := p.cat.Version(ctx, versionID)
	if err != nil || v.State != catalog.StatePublished {
		return nil, apperr.New(apperr.NotFound, "事项版本不存在或尚未发布，不能申请")
	}
	it, err := p.cat.Item(ctx, v.ItemID)
	if err != nil {
		return nil, err
	}
	region, err := p.org.Region(ctx, it.RegionID)
	if err != nil {
		return nil, err
	}
	g := v.Guide
	extDays, extBasis := g.ExtensionLimit()
	return &cases.Procedure{ItemID: it.ID, ItemVersionID: v.ID, ItemCode: it.Code, ItemName: g.Name, ItemType: string(g.Type),
		RegionID: region.ID, RegionPath: region.Path, RegionCode: region.Code, DepartmentID: it.DepartmentID,
		Department: it.DepartmentName, Where: g.Location + "（" + g.Hours + "）", Instant: g.Kind == catalog.KindImmediate,
		Legal: g.LegalLimit.Limit, Promised: g.PromisedLimit.Limit, SupplementDays: p.supplementDays, AnyRefusalDenies: true,
		Branches: branchesOf(it, g), Special: specialsOf(g.Procedures), ExtensionMax: extDays, ExtensionBasis: extBasis,
		Online: g.Online, Audiences: audiencesOf(g.Audiences), FeeAtAccept: g.Fees.Due == catalog.FeeAtAccept,
		FeePayment: feePayment(g.Fees), Materials: materialsOf(g.Materials), Fields: fieldsOf(&g), Fee: g.Fees,
		Result: cases.Result{Name: g.Result.Name, Certificate: g.Result.Type == catalog.ResultCertificate, ValidMonths: g.Result.ValidMonths}}, nil
}

// audiencesOf maps the 服务对象 to the account kinds that may file.
func audiencesOf(as []catalog.Audience) []string {
	person, legal := catalog.AudienceFlags(as)
	var out []string
	if person {
		out = append(out, string(identity.KindPerson))
	}
	if legal {
		out = append(out, string(identity.KindLegal))
	}
	return out
}

func feePayment(f catalog.Fees) string {
	if !f.Charged {
		return ""
	}
	if f.Payment != "" {
		return f.Payment
	}
	return catalog.DefaultPayment
}

// branchesOf groups the approval steps by department: the item's own
// department first, then each 共同实施部门 (并联审批). Steps done at the
// window (受理, 送达) are the one window's, not a branch's.
func branchesOf(it *catalog.Item, g catalog.Guide) []cases.Branch {
	own := cases.Branch{DepartmentID: it.DepartmentID, Department: it.DepartmentName}
	others := map[int64]*cases.Branch{}
	order := []int64{}
	for _, d := range g.CoDepartments {
		others[d.ID], order = &cases.Branch{DepartmentID: d.ID, Department: d.Name}, append(order, d.ID)
	}
	for _, s := range g.Steps {
		if s.Role != identity.RoleApprover && s.Role != identity.RoleDeptHead {
			continue
		}
		b := &own
		if s.Department != nil && s.Department.ID != it.DepartmentID && others[s.Department.ID] != nil {
			b = others[s.Department.ID]
		}
		b.Steps = append(b.Steps, cases.Step{Name: s.Name, Role: s.Role, Limit: s.Limit})
	}
	out := []cases.Branch{withDefaultStep(own, g)}
	for _, id := range order {
		out = append(out, withDefaultStep(*others[id], g))
	}
	return out
}

// withDefaultStep gives a department without steps of its own one review
// step within the item's promised limit.
func withDefaultStep(b cases.Branch, g catalog.Guide) cases.Branch {
	if len(b.Steps) == 0 {
		b.Steps = []cases.Step{{Name: "审查", Role: identity.RoleApprover, Limit: g.PromisedLimit.Limit}}
	}
	return b
}

// specialCodes names the 特别程序 the product knows by their usual names.
var specialCodes = map[string]string{"听证": "hearing", "专家评审": "expert_review", "现场勘察": "site_inspection",
	"现场核查": "site_inspection", "现场踏勘": "site_inspection", "检验检测": "testing", "检验": "testing", "检测": "testing", "鉴定": "appraisal"}

func specialsOf(ps []catalog.Procedure) []cases.SpecialKind {
	var out []cases.SpecialKind
	for i, p := range ps {
		code := specialCodes[p.Name]
		switch {
		case p.Kind == catalog.ProcedureExtension:
			code = cases.Extension
		case code == "":
			code = fmt.Sprintf("special_%d", i+1)
		}
		out = append(out, cases.SpecialKind{Code: code, Name: p.Name, StopsClock: p.StopsClock && code != cases.Extension,
			MaxDays: p.MaxLimit.N, Unit: p.MaxLimit.Unit, Basis: p.Basis})
	}
	return out
}

// materialsOf numbers the materials m1, m2 … in the version's order; the
// numbering is part of the case's snapshot, so it never shifts under a case.
func materialsOf(ms []catalog.Material) []cases.Material {
	out := make([]cases.Material, len(ms))
	for i, m := range ms {
		out[i] = cases.Material{Code: fmt.Sprintf("m%d", i+1), Name: m.Name, Kind: cases.MaterialKind(m.Type),
			Required: m.Need == catalog.NeedRequired, Condition: m.Condition, Originals: m.Originals, Copies: m.Copies}
	}
	return out
}

// fieldsOf is the application form: what the applicant asks for, the
// fields of the item's 申请表, and the quantities the fees are computed
// from (a number of at least 0, unless the 申请表 declares it).
func fieldsOf(g *catalog.Guide) []cases.Field {
	fields := []cases.Field{{Name: "summary", Label: "申请事项说明", Type: cases.FieldText, Required: true, Max: 500}}
	for _, fd := range g.Fields {
		fields = append(fields, cases.Field{Name: fd.Name, Label: fd.Name, Type: cases.FieldType(fd.Type), Required: fd.Required,
			Choices: fd.Choices, MinValue: fd.Min, MaxValue: fd.Max, Unit: fd.Unit, Hint: fd.Hint, Max: textMax(fd.Type)})
	}
	zero := 0.0
	for _, q := range g.Fees.Quantities() {
		if _, ok := g.Field(q); !ok {
			fields = append(fields, cases.Field{Name: q, Label: q, Type: cases.FieldNumber, Required: true, MinValue: &zero})
		}
	}
	return fields
}

// textMax bounds a free text field.
func textMax(t catalog.FieldType) int {
	if t == catalog.FieldText {
		return 500
	}
	return 0
}
