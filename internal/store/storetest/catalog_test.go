package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// clockAt is a test clock that tests move forward.
type clockAt struct{ t time.Time }

func (c *clockAt) now() time.Time { return c.t }

func TestCatalog(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		clk := &clockAt{t: time.Date(2026, 2, 2, 2, 0, 0, 0, time.UTC)} // 10:00 in China, a Monday
		sv := NewServices(b.Open(t, clk.now), clk.now)
		tr := BuildTree(t, sv)
		t.Run("Lifecycle", func(t *testing.T) { catalogLifecycle(t, sv, tr, clk) })
		t.Run("BadInput", func(t *testing.T) { catalogBadInput(t, sv, tr) })
		t.Run("Authorization", func(t *testing.T) { catalogAuthz(t, sv, tr) })
		t.Run("Status", func(t *testing.T) { catalogStatus(t, sv, tr, clk) })
		t.Run("BrowseAndSearch", func(t *testing.T) { catalogSearch(t, sv, tr) })
		t.Run("Import", func(t *testing.T) { catalogImport(t, sv, tr) })
		t.Run("PublishedIsFrozen", func(t *testing.T) { catalogFrozen(t, sv, tr, b) })
	})
}

func mustCreate(t *testing.T, sv *Services, in catalog.ItemInput) (*catalog.Item, *catalog.Version) {
	t.Helper()
	it, v, err := sv.Catalog.CreateItem(context.Background(), identity.SystemActor(), in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Guide.Name, err)
	}
	return it, v
}

// mustPublish submits and approves the item's draft as the system actor.
func mustPublish(t *testing.T, sv *Services, itemID int64, eff calendar.Date) *catalog.Version {
	t.Helper()
	ctx, sys := context.Background(), identity.SystemActor()
	if _, err := sv.Catalog.Submit(ctx, sys, itemID); err != nil {
		t.Fatalf("submit: %v", err)
	}
	v, err := sv.Catalog.Approve(ctx, sys, itemID, catalog.ReviewInput{EffectiveDate: eff})
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	return v
}

func catalogLifecycle(t *testing.T, sv *Services, tr *Tree, clk *clockAt) {
	ctx, sys := context.Background(), identity.SystemActor()
	it, v1 := mustCreate(t, sv, SampleItem(tr, "XK00012000"))
	if it.Status != catalog.StatusDraft || it.Public() || v1.Number != 1 || v1.State != catalog.StateDraft {
		t.Fatalf("new item %+v, version %+v", it, v1)
	}
	if want := "XK00012000-330106000000-" + tr.Department.CreditCode; it.ImplCode != want {
		t.Fatalf("generated 实施编码 %q, want %q", it.ImplCode, want)
	}
	if v1.Guide.Subject.Name != tr.Department.Name || v1.Guide.Subject.Nature != catalog.NatureStatutory {
		t.Fatalf("subject not taken from the department: %+v", v1.Guide.Subject)
	}
	pub := mustPublish(t, sv, it.ID, calendar.Date{})
	if pub.ID != v1.ID || pub.State != catalog.StatePublished || pub.EffectiveDate.String() != "2026-02-02" || !slices.Equal(pub.Changes, []string{"首次发布"}) {
		t.Fatalf("published: %+v", pub)
	}
	g := pub.Guide
	g.PromisedLimit.N = 10
	v2, err := sv.Catalog.SaveDraft(ctx, sys, it.ID, g)
	if err != nil || v2.Number != 2 || v2.ID == v1.ID {
		t.Fatalf("new draft: %+v %v", v2, err)
	}
	mustPublish(t, sv, it.ID, calendar.NewDate(2026, 3, 1))
	cur, err := sv.Catalog.CurrentVersion(ctx, it.ID)
	if err != nil || cur.ID != v1.ID {
		t.Fatalf("in effect before 2026-03-01: %+v %v", cur, err)
	}
	later, err := sv.Catalog.PublishedVersion(ctx, it.ID, time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC))
	if err != nil || later.ID != v2.ID || later.Guide.PromisedLimit.N != 10 {
		t.Fatalf("in effect on 2026-03-01: %+v %v", later, err)
	}
	if old, err := sv.Catalog.Version(ctx, v1.ID); err != nil || old.Guide.PromisedLimit.N != 15 || !old.CreatedAt.Equal(v1.CreatedAt) {
		t.Fatalf("version 1 changed: %+v %v", old, err)
	}
	it, _ = sv.Catalog.Item(ctx, it.ID)
	h, err := sv.Catalog.History(ctx, it)
	if err != nil || len(h) != 2 || h[0].String() != "2026-03-01 承诺办结时限由 15 个工作日调整为 10 个工作日" || h[1].String() != "2026-02-02 首次发布" {
		t.Fatalf("history: %+v %v", h, err)
	}
	if _, err := sv.Catalog.SaveVersion(ctx, sys, v1.ID, g); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("editing a published version: %v", err)
	}
	wantAudit(t, sv, it.ID, "catalog.item.create", "catalog.version.submit", "catalog.version.approve", "catalog.version.publish", "catalog.draft.save")
}

// wantAudit checks the item's audit trail holds each action.
func wantAudit(t *testing.T, sv *Services, itemID int64, actions ...string) {
	t.Helper()
	es, err := sv.Stores.Audit.FindAuditEntries(context.Background(), audit.Filter{ObjectType: "catalog_item", ObjectID: fmtInt(itemID), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Action)
	}
	for _, a := range actions {
		if !slices.Contains(got, a) {
			t.Errorf("audit of item %d lacks %s: %v", itemID, a, got)
		}
	}
}

func catalogBadInput(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	mustCreate(t, sv, SampleItem(tr, "XK00013000"))
	cases := []struct {
		name  string
		edit  func(in *catalog.ItemInput)
		field string
		text  string
	}{
		{"DuplicateCodeInRegion", func(in *catalog.ItemInput) {}, "code", "已被事项“食品经营许可”使用"},
		{"PromisedAboveLegal", func(in *catalog.ItemInput) { in.Code, in.Guide.PromisedLimit.N = "XK00014000", 30 }, "promised_limit", "不能超过法定办结时限"},
		{"MissingLegalBasis", func(in *catalog.ItemInput) { in.Code, in.Guide.LegalBases = "XK00014000", nil }, "legal_bases", "设定依据"},
		{"UnknownCodeValue", func(in *catalog.ItemInput) { in.Code, in.Guide.Type = "XK00014000", "77" }, "type", "事项类型无效"},
		{"UnknownAudience", func(in *catalog.ItemInput) { in.Code, in.Guide.Audiences = "XK00014000", []catalog.Audience{"8"} }, "audiences", "服务对象"},
		{"CreditCheckCharacter", func(in *catalog.ItemInput) {
			in.Code, in.Guide.Subject = "XK00014000", catalog.Subject{Name: "某局", CreditCode: flipCheck(CreditCode(9)), Nature: "1"}
		}, "subject.credit_code", "校验位"},
		{"CodeShape", func(in *catalog.ItemInput) { in.Code = "XK1234" }, "code", "格式不正确"},
		{"CodeLettersAgainstType", func(in *catalog.ItemInput) { in.Code = "CF00001000" }, "code", "不符"},
		{"LevelAgainstRegion", func(in *catalog.ItemInput) { in.Code, in.Guide.Level = "XK00014000", catalog.LevelProvince }, "level", "行使层级"},
		{"ImmediateWithLimit", func(in *catalog.ItemInput) { in.Code, in.Guide.Kind = "XK00014000", catalog.KindImmediate }, "kind", "即办件"},
		{"CertificateWithoutValidity", func(in *catalog.ItemInput) {
			in.Code, in.Guide.Result.ValidMonths, in.Guide.Result.Validity = "XK00014000", 0, ""
		}, "result.validity", "有效期"},
		{"ChargedWithoutItems", func(in *catalog.ItemInput) { in.Code, in.Guide.Fees.Charged = "XK00014000", true }, "fees", "收费项目"},
		{"UnitsNotComparable", func(in *catalog.ItemInput) {
			in.Code, in.Guide.LegalLimit.Unit = "XK00014000", calendar.UnitNaturalDay
		}, "promised_limit", "单位无法比较"},
	}
	for _, c := range cases {
		in := SampleItem(tr, "XK00013000")
		c.edit(&in)
		_, _, err := sv.Catalog.CreateItem(ctx, sys, in)
		if msg := apperr.FieldsOf(err)[c.field]; !strings.Contains(msg, c.text) {
			t.Errorf("%s: got %v, want field %s saying %q", c.name, err, c.field, c.text)
		}
	}
	if items, n, _ := sv.Catalog.Items(ctx, catalog.ItemFilter{}); n != 1+countItems(items, "XK00012000") {
		t.Errorf("refused items were written: %d items", n)
	}
}

func countItems(items []*catalog.Item, code string) int {
	n := 0
	for _, it := range items {
		if it.Code == code {
			n++
		}
	}
	return n
}

// flipCheck returns the code with a wrong check character.
func flipCheck(code string) string {
	if code[17] == '0' {
		return code[:17] + "1"
	}
	return code[:17] + "0"
}

func catalogAuthz(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	_, editor := Staff(t, sv, "cat-editor", identity.RoleApprover, nil, &tr.Department.ID)
	_, head := Staff(t, sv, "cat-head", identity.RoleDeptHead, nil, &tr.Department.ID)
	_, clerk := Staff(t, sv, "cat-clerk", identity.RoleWindowClerk, &tr.County.ID, nil)
	if _, _, err := sv.Catalog.CreateItem(ctx, clerk, SampleItem(tr, "XK00015000")); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a window clerk created an item: %v", err)
	}
	it, _, err := sv.Catalog.CreateItem(ctx, editor, SampleItem(tr, "XK00015000"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Catalog.Submit(ctx, editor, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Catalog.Approve(ctx, editor, it.ID, catalog.ReviewInput{}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("an approver approved their own item's version: %v", err)
	}
	v, err := sv.Catalog.Reject(ctx, head, it.ID, "材料目录不全")
	if err != nil || v.State != catalog.StateRejected || v.ReviewNote != "材料目录不全" {
		t.Fatalf("reject: %+v %v", v, err)
	}
	if _, err := sv.Catalog.Approve(ctx, head, it.ID, catalog.ReviewInput{}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("approving a rejected version: %v", err)
	}
	if _, err := sv.Catalog.OpenVersion(ctx, clerk, it); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a clerk sees the draft: %v", err)
	}
	wantAudit(t, sv, it.ID, "catalog.version.reject")
}

func catalogStatus(t *testing.T, sv *Services, tr *Tree, clk *clockAt) {
	ctx, sys := context.Background(), identity.SystemActor()
	it, _ := mustCreate(t, sv, SampleItem(tr, "XK00016000"))
	if _, err := sv.Catalog.Suspend(ctx, sys, it.ID, catalog.StatusInput{Reason: "系统升级"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("suspending an unpublished item: %v", err)
	}
	mustPublish(t, sv, it.ID, calendar.Date{})
	if _, err := sv.Catalog.Suspend(ctx, sys, it.ID, catalog.StatusInput{}); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("suspend without a reason: %v", err)
	}
	tick := func() { clk.t = clk.t.Add(time.Minute) }
	tick()
	s, err := sv.Catalog.Suspend(ctx, sys, it.ID, catalog.StatusInput{Reason: "系统升级"})
	if err != nil || s.Status != catalog.StatusSuspended || s.Accepting() {
		t.Fatalf("suspend: %+v %v", s, err)
	}
	tick()
	if _, err := sv.Catalog.Resume(ctx, sys, it.ID, catalog.StatusInput{}); err != nil {
		t.Fatal(err)
	}
	tick()
	c, err := sv.Catalog.Cancel(ctx, sys, it.ID, catalog.StatusInput{Reason: "依据《国务院关于取消一批行政许可事项的决定》取消"})
	if err != nil || c.Status != catalog.StatusCancelled || c.StatusReason == "" {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if _, err := sv.Catalog.SaveDraft(ctx, sys, it.ID, SampleGuide("x")); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("editing a cancelled item: %v", err)
	}
	h, _ := sv.Catalog.History(ctx, c)
	if len(h) != 4 || !strings.HasPrefix(h[0].Text, "取消事项：依据") || h[1].Text != "恢复办理" || h[3].Text != "首次发布" {
		t.Fatalf("history: %+v", h)
	}
	wantAudit(t, sv, it.ID, "catalog.item.suspend", "catalog.item.resume", "catalog.item.cancel")
}

func catalogSearch(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	for i, name := range []string{"个体工商户设立登记", "餐饮服务许可证明补办", "工商登记信息查询"} {
		in := SampleItem(tr, "QR0010"+string(rune('1'+i))+"000")
		in.Guide = SampleGuide(name)
		in.Guide.Type, in.Guide.Audiences, in.Guide.Themes = catalog.TypeConfirmation, []catalog.Audience{catalog.AudiencePerson}, []string{"就业创业"}
		if i == 1 {
			in.Guide.Conditions = "申请个体工商户相关证明"
		}
		it, _ := mustCreate(t, sv, in)
		mustPublish(t, sv, it.ID, calendar.Date{})
	}
	hits, n, err := sv.Catalog.Search(ctx, catalog.SearchQuery{Text: "个"})
	if err != nil || n < 2 || hits[0].Name != "个体工商户设立登记" {
		t.Fatalf("one-character search: %d hits %v", n, err)
	}
	hits, n, _ = sv.Catalog.Search(ctx, catalog.SearchQuery{Text: " 个体工商户 "})
	if n != 2 || hits[0].Name != "个体工商户设立登记" || hits[1].Name != "餐饮服务许可证明补办" {
		t.Fatalf("name hits first: %v", names(hits))
	}
	if _, n, _ := sv.Catalog.Search(ctx, catalog.SearchQuery{Text: "法定代表人身份证明"}); n < 3 {
		t.Fatalf("search by material: %d", n)
	}
	if _, n, _ := sv.Catalog.Search(ctx, catalog.SearchQuery{Text: "不存在的词"}); n != 0 {
		t.Fatalf("no hits expected: %d", n)
	}
	byTheme, n, _ := sv.Catalog.PublicItems(ctx, catalog.ItemFilter{Theme: "就业创业", Audience: catalog.AudiencePerson, Level: catalog.LevelCounty})
	if n != 3 || len(byTheme) != 3 {
		t.Fatalf("theme filter: %d", n)
	}
	if _, n, _ := sv.Catalog.PublicItems(ctx, catalog.ItemFilter{Theme: "就业创业", Legal: true}); n != 0 {
		t.Fatalf("legal filter: %d", n)
	}
	page, n, _ := sv.Catalog.PublicItems(ctx, catalog.ItemFilter{DepartmentID: tr.Department.ID, Limit: 2, Offset: 1})
	if len(page) != 2 || n < 4 {
		t.Fatalf("paging: %d of %d", len(page), n)
	}
}

func names(its []*catalog.Item) []string {
	var out []string
	for _, it := range its {
		out = append(out, it.Name)
	}
	return out
}

func catalogImport(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	good := SampleItem(tr, "XK00021000")
	good.DepartmentID, good.DeptCode = 0, tr.Department.CreditCode
	bad := SampleItem(tr, "XK00022000")
	bad.Guide.PromisedLimit.N = 40
	dup := SampleItem(tr, "XK00021000")
	_, err := sv.Catalog.Import(ctx, sys, []catalog.ImportRow{{Line: 2, Input: good}, {Line: 3, Input: bad}, {Line: 4, Input: dup}})
	var ie *catalog.ImportError
	if !asImportError(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Line != 3 || ie.Rows[0].Field != "promised_limit" || ie.Rows[1].Field != "code" {
		t.Fatalf("import errors: %v", err)
	}
	if _, n, _ := sv.Catalog.Items(ctx, catalog.ItemFilter{Code: "XK00021000"}); n != 0 {
		t.Fatalf("a refused import wrote %d items", n)
	}
	its, err := sv.Catalog.Import(ctx, sys, []catalog.ImportRow{{Line: 2, Input: good}})
	if err != nil || len(its) != 1 || its[0].Status != catalog.StatusDraft || its[0].DepartmentID != tr.Department.ID {
		t.Fatalf("import: %+v %v", its, err)
	}
	wantAudit(t, sv, its[0].ID, "catalog.item.import")
}

func asImportError(err error, target **catalog.ImportError) bool {
	return apperr.Is(err, apperr.Invalid) && errors.As(err, target)
}

// catalogFrozen: the database itself refuses to change or delete a
// published version, whatever code tries.
func catalogFrozen(t *testing.T, sv *Services, tr *Tree, b Backend) {
	ctx := context.Background()
	it, v := mustCreate(t, sv, SampleItem(tr, "XK00031000"))
	mustPublish(t, sv, it.ID, calendar.Date{})
	pub, _ := sv.Catalog.Version(ctx, v.ID)
	pub.Guide.Name = "篡改"
	if err := sv.Stores.Catalog.UpdateVersion(ctx, pub); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("store updated a published version: %v", err)
	}
	if got, _ := sv.Catalog.Version(ctx, v.ID); got.Guide.Name != "食品经营许可" {
		t.Fatalf("published guide changed to %q", got.Guide.Name)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("deleting a version did not fail")
		}
	}()
	refuse := &refusingTB{TB: t}
	b.Exec(refuse, sv.Stores, `DELETE FROM catalog_versions WHERE id = ?`, v.ID)
}

// refusingTB turns Fatalf into a panic so that a test can expect failure.
type refusingTB struct{ testing.TB }

func (r *refusingTB) Fatalf(format string, args ...any) { panic("refused") }
func (r *refusingTB) Helper()                           {}
