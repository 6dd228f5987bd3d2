package hall

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// BundleStatus is where a bundle stands.
type BundleStatus string

// Bundle statuses: a draft is seen by administrators only; an active
// bundle takes applications; a retired one no longer does.
const (
	BundleDraft   BundleStatus = "draft"
	BundleActive  BundleStatus = "active"
	BundleRetired BundleStatus = "retired"
)

// Label is the status's Chinese name.
func (s BundleStatus) Label() string {
	switch s {
	case BundleDraft:
		return "未上线"
	case BundleActive:
		return "可申请"
	case BundleRetired:
		return "已停用"
	}
	return string(s)
}

// Audience is who a bundle is for: natural persons or legal persons, the
// account kinds that may file it.
type Audience string

// Audiences.
const (
	ForPerson Audience = Audience(identity.KindPerson)
	ForLegal  Audience = Audience(identity.KindLegal)
)

// Label is the audience's Chinese name.
func (a Audience) Label() string {
	switch a {
	case ForPerson:
		return "个人"
	case ForLegal:
		return "法人"
	}
	return string(a)
}

// Bundle is a 一件事: several items a citizen or company needs for one
// purpose (开办餐饮店, 新生儿出生), filed together.
type Bundle struct {
	ID         int64
	RegionID   int64
	RegionPath string // filled when loaded
	RegionName string // filled when loaded
	Name       string
	Audience   Audience
	Status     BundleStatus
	Definition
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Definition is what a bundle chains and asks.
type Definition struct {
	Summary string        `json:"summary"` // what the bundle is for, as the public reads it
	Items   []BundleItem  `json:"items"`
	Fields  []SharedField `json:"fields"`
}

// BundleItem is one item the bundle chains, included always or when a
// condition on the applicant's answers holds.
type BundleItem struct {
	ImplCode string     `json:"impl_code"`
	Name     string     `json:"name"` // the item's name when the bundle was saved
	When     *Condition `json:"when,omitempty"`
}

// Condition includes an item when a choice field of the bundle has a value.
type Condition struct {
	Field  string `json:"field"`
	Equals string `json:"equals"`
}

// Holds reports whether the answers meet the condition.
func (c *Condition) Holds(answers map[string]string) bool {
	return c == nil || strings.TrimSpace(answers[c.Field]) == c.Equals
}

// Text says the condition in words.
func (c *Condition) Text() string {
	if c == nil {
		return "必办"
	}
	return fmt.Sprintf("“%s”为“%s”时办理", c.Field, c.Equals)
}

// SharedField is a field of the combined form asked once and copied into
// the items' forms it maps to (the declared mapping that deduplicates the
// items' fields); a field without mappings is a question conditions use.
type SharedField struct {
	catalog.FormField
	Maps []FieldMap `json:"maps"`
}

// FieldMap names one item's form field a shared field fills.
type FieldMap struct {
	ImplCode string `json:"impl_code"`
	Field    string `json:"field"`
}

// Fills reports whether the shared field fills an item's field.
func (f SharedField) Fills(implCode, field string) bool {
	for _, m := range f.Maps {
		if m.ImplCode == implCode && m.Field == field {
			return true
		}
	}
	return false
}

// BundleInput creates or changes a bundle.
type BundleInput struct {
	RegionID int64
	Name     string
	Audience Audience
	Definition
}

// Bounds of a bundle.
const (
	minBundleItems = 2
	maxBundleItems = 10
)

// SaveBundle creates a bundle (id 0, as a draft) or changes one, checking
// its items against the catalogue and its fields against their forms.
func (s *Service) SaveBundle(ctx context.Context, a *identity.Actor, id int64, in BundleInput) (*Bundle, error) {
	path, err := s.d.Orgs.RegionPath(ctx, in.RegionID)
	if err != nil {
		return nil, apperr.Field("region_id", "请选择一件事所属的区域")
	}
	if err := org.CanAdminister(a, path); err != nil {
		return nil, err
	}
	in.normalize()
	if err := s.checkBundle(ctx, path, &in); err != nil {
		return nil, err
	}
	b := &Bundle{ID: id, RegionID: in.RegionID, Name: in.Name, Audience: in.Audience, Status: BundleDraft, Definition: in.Definition,
		CreatedAt: s.d.Now(), UpdatedAt: s.d.Now()}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if id == 0 {
			b.ID, b.Status = 0, BundleDraft
			if err := s.d.Store.CreateBundle(ctx, b); err != nil {
				return err
			}
			return s.record(ctx, a, "region:"+path, "hall.bundle.create", "bundle", b.ID, bundleChange(b))
		}
		old, err := s.editableBundle(ctx, a, id)
		if err != nil {
			return err
		}
		b.Status, b.CreatedAt = old.Status, old.CreatedAt
		if err := s.d.Store.UpdateBundle(ctx, b); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+path, "hall.bundle.update", "bundle", b.ID, bundleChange(b))
	})
	if err != nil {
		return nil, err
	}
	return s.d.Store.FindBundle(ctx, b.ID)
}

func bundleChange(b *Bundle) map[string]any {
	codes := make([]string, len(b.Items))
	for i, it := range b.Items {
		codes[i] = it.ImplCode
	}
	return map[string]any{"name": b.Name, "audience": b.Audience, "items": codes, "fields": len(b.Fields), "status": b.Status}
}

// editableBundle loads a bundle for an administrator of its region.
func (s *Service) editableBundle(ctx context.Context, a *identity.Actor, id int64) (*Bundle, error) {
	b, err := s.d.Store.FindBundle(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := org.CanAdminister(a, b.RegionPath); err != nil {
		return nil, err
	}
	return b, nil
}

// SetBundleStatus puts a bundle online, back offline, or retires it.
func (s *Service) SetBundleStatus(ctx context.Context, a *identity.Actor, id int64, st BundleStatus) (*Bundle, error) {
	if st.Label() == string(st) {
		return nil, apperr.Field("status", "状态无效")
	}
	var b *Bundle
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if b, err = s.editableBundle(ctx, a, id); err != nil {
			return err
		}
		if st == BundleActive {
			in := BundleInput{RegionID: b.RegionID, Name: b.Name, Audience: b.Audience, Definition: b.Definition}
			if err := s.checkBundle(ctx, b.RegionPath, &in); err != nil {
				return apperr.Wrap(err, apperr.Conflict, "一件事所含事项已有变化，请先修改后再上线："+apperr.MessageOf(err))
			}
		}
		from := b.Status
		b.Status, b.UpdatedAt = st, s.d.Now()
		if err := s.d.Store.UpdateBundle(ctx, b); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+b.RegionPath, "hall.bundle.status", "bundle", b.ID, map[string]any{"from": from, "to": st})
	})
	return b, err
}

func (in *BundleInput) normalize() {
	in.Name, in.Summary = strings.TrimSpace(in.Name), strings.TrimSpace(in.Summary)
	for i := range in.Items {
		it := &in.Items[i]
		it.ImplCode = strings.TrimSpace(it.ImplCode)
		if it.When != nil {
			it.When.Field, it.When.Equals = strings.TrimSpace(it.When.Field), strings.TrimSpace(it.When.Equals)
		}
	}
	for i := range in.Fields {
		f := &in.Fields[i]
		f.Name, f.Unit, f.Hint = strings.TrimSpace(f.Name), strings.TrimSpace(f.Unit), strings.TrimSpace(f.Hint)
	}
}

// checkBundle names every problem of a bundle at once.
func (s *Service) checkBundle(ctx context.Context, path string, in *BundleInput) error {
	var f apperr.Fields
	n := utf8.RuneCountInString(in.Name)
	f.Check(n < 2 || n > 50, "name", "请填写一件事的名称（2–50 字），如“开办餐饮店”")
	f.Check(in.Audience != ForPerson && in.Audience != ForLegal, "audience", "请选择服务对象：个人或法人")
	f.Check(utf8.RuneCountInString(in.Summary) > 500, "summary", "简介不能超过 500 个字")
	f.Check(len(in.Items) < minBundleItems || len(in.Items) > maxBundleItems, "items",
		fmt.Sprintf("一件事应包含 %d 至 %d 个事项", minBundleItems, maxBundleItems))
	fields := map[string]catalog.FormField{}
	for i, sf := range in.Fields {
		checkSharedField(&f, i, sf, fields)
		fields[sf.Name] = sf.FormField
	}
	forms := map[string]map[string]fieldInfo{}
	for i := range in.Items {
		forms[in.Items[i].ImplCode] = s.checkBundleItem(ctx, &f, path, in, i, fields)
	}
	for i, sf := range in.Fields {
		checkMaps(&f, i, sf, forms)
	}
	checkMappedOnce(&f, in.Fields)
	return f.Err()
}

// fieldInfo is an item's form field as the bundle sees it.
type fieldInfo struct {
	Type  catalog.FieldType
	Label string
}

func checkSharedField(f *apperr.Fields, i int, sf SharedField, seen map[string]catalog.FormField) {
	k, n := "fields."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 个共用字段", i+1)
	f.Check(sf.Name == "" || utf8.RuneCountInString(sf.Name) > 50, k+"name", n+"的名称须为 1–50 个字")
	_, dup := seen[sf.Name]
	f.Check(dup, k+"name", fmt.Sprintf("%s的名称“%s”重复", n, sf.Name))
	f.Check(sf.Type.Label() == "", k+"type", n+"的类型无效")
	f.Check(sf.Type == catalog.FieldChoice && len(sf.Choices) < 2, k+"choices", n+"是选项字段，至少需要两个选项")
	f.Check(sf.Min != nil && sf.Max != nil && *sf.Min > *sf.Max, k+"min", n+"的最小值不能大于最大值")
	f.Check(sf.Type != catalog.FieldNumber && (sf.Min != nil || sf.Max != nil || sf.Unit != ""), k+"type", n+"不是数字字段，不能设置范围或单位")
}

// checkBundleItem checks one item: published, taking applications online,
// for the bundle's audience, of the bundle's region or one above it, its
// condition on a choice field; it returns the item's form fields.
func (s *Service) checkBundleItem(ctx context.Context, f *apperr.Fields, path string, in *BundleInput, i int,
	fields map[string]catalog.FormField) map[string]fieldInfo {
	bi := &in.Items[i]
	k, n := "items."+strconv.Itoa(i), fmt.Sprintf("第 %d 个事项", i+1)
	for j := 0; j < i; j++ {
		if in.Items[j].ImplCode == bi.ImplCode {
			f.Add(k, fmt.Sprintf("%s（%s）重复", n, bi.ImplCode))
			return nil
		}
	}
	p, it, err := s.currentProcedure(ctx, bi.ImplCode)
	if err != nil {
		f.Add(k, fmt.Sprintf("%s（实施编码 %s）：%s", n, bi.ImplCode, apperr.MessageOf(err)))
		return nil
	}
	bi.Name = it.Name
	f.Check(!strings.HasPrefix(path, p.RegionPath), k, fmt.Sprintf("%s“%s”由%s实施，不在本区域或其上级区域", n, it.Name, it.RegionName))
	f.Check(!p.Online, k, fmt.Sprintf("%s“%s”不支持网上办理，不能纳入一件事", n, it.Name))
	f.Check(!p.Serves(string(in.Audience)), k, fmt.Sprintf("%s“%s”的服务对象不包括%s", n, it.Name, in.Audience.Label()))
	if c := bi.When; c != nil {
		sf, ok := fields[c.Field]
		f.Check(!ok || sf.Type != catalog.FieldChoice || !contains(sf.Choices, c.Equals), k,
			fmt.Sprintf("%s的办理条件应为某个选项字段的一个选项，“%s”=“%s”不成立", n, c.Field, c.Equals))
	}
	out := map[string]fieldInfo{}
	for _, fd := range p.Fields {
		out[fd.Name] = fieldInfo{Type: catalog.FieldType(fd.Type), Label: fd.Label}
	}
	return out
}

func checkMaps(f *apperr.Fields, i int, sf SharedField, forms map[string]map[string]fieldInfo) {
	k := "fields." + strconv.Itoa(i) + ".maps"
	for _, m := range sf.Maps {
		form, ok := forms[m.ImplCode]
		if !ok {
			f.Add(k, fmt.Sprintf("共用字段“%s”对应的事项 %s 不在本一件事中", sf.Name, m.ImplCode))
			continue
		}
		if form == nil {
			continue // the item itself is in error
		}
		fd, ok := form[m.Field]
		switch {
		case !ok:
			f.Add(k, fmt.Sprintf("共用字段“%s”对应的事项 %s 没有“%s”这一项", sf.Name, m.ImplCode, m.Field))
		case m.Field == "summary":
			f.Add(k, "申请事项说明由一件事统一填写，不能再映射")
		case fd.Type != sf.Type:
			f.Add(k, fmt.Sprintf("共用字段“%s”（%s）与事项 %s 的“%s”（%s）类型不同", sf.Name, sf.Type.Label(), m.ImplCode, m.Field, fd.Type.Label()))
		}
	}
}

// checkMappedOnce: an item's field is filled by one shared field at most.
func checkMappedOnce(f *apperr.Fields, fields []SharedField) {
	seen := map[FieldMap]string{}
	for i, sf := range fields {
		for _, m := range sf.Maps {
			if other, ok := seen[m]; ok {
				f.Add("fields."+strconv.Itoa(i)+".maps", fmt.Sprintf("事项 %s 的“%s”已由共用字段“%s”填写", m.ImplCode, m.Field, other))
			}
			seen[m] = sf.Name
		}
	}
}

// currentProcedure is the procedure of the version of an item in effect,
// refused when the item does not take applications.
func (s *Service) currentProcedure(ctx context.Context, implCode string) (*cases.Procedure, *catalog.Item, error) {
	it, err := s.d.Catalog.ItemByCode(ctx, implCode)
	if err != nil {
		return nil, nil, apperr.New(apperr.NotFound, "事项不存在")
	}
	v, err := s.d.Catalog.CurrentVersion(ctx, it.ID)
	if err != nil {
		return nil, nil, apperr.New(apperr.NotFound, "事项没有现行的办事指南")
	}
	p, err := s.d.Cases.Procedure(ctx, v.ID)
	return p, it, err
}

// Bundle returns a bundle: active ones to anyone, others to administrators
// of its region.
func (s *Service) Bundle(ctx context.Context, a *identity.Actor, id int64) (*Bundle, error) {
	b, err := s.d.Store.FindBundle(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Status != BundleActive && org.CanAdminister(a, b.RegionPath) != nil {
		return nil, apperr.New(apperr.NotFound, "一件事不存在或尚未上线")
	}
	return b, nil
}

// Bundles lists the active bundles (of a region and the regions above it
// when regionPath is set), for the public.
func (s *Service) Bundles(ctx context.Context, regionPath string) ([]*Bundle, error) {
	f := BundleFilter{Statuses: []BundleStatus{BundleActive}}
	if regionPath != "" {
		f.RegionPaths = ancestors(regionPath)
	}
	return s.d.Store.FindBundles(ctx, f)
}

// AdminBundles lists every bundle an administrator may manage.
func (s *Service) AdminBundles(ctx context.Context, a *identity.Actor) ([]*Bundle, error) {
	if !a.Has(identity.RoleSysAdmin) {
		return nil, apperr.New(apperr.Forbidden, "只有系统管理员可以管理一件事")
	}
	all, err := s.d.Store.FindBundles(ctx, BundleFilter{})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, b := range all {
		if org.CanAdminister(a, b.RegionPath) == nil {
			out = append(out, b)
		}
	}
	return out, nil
}

// ancestors lists a region path and the paths above it: "/1/2/3/" gives
// "/1/2/3/", "/1/2/", "/1/".
func ancestors(path string) []string {
	var out []string
	for p := strings.TrimSuffix(path, "/"); p != ""; p = p[:strings.LastIndex(p, "/")] {
		out = append(out, p+"/")
	}
	return out
}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
