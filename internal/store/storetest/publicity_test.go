package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/catalog"
	"openhall/internal/publicity"
	"openhall/internal/tabular"
)

// TestPublicity: a licensing decision enters the register once; a penalty
// is checked against its benchmark; an import is all or nothing; the
// register searches by any part of the number, party or credit code,
// pages by cursor, and drops withdrawn and expired entries.
func TestPublicity(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newPartEnv(t, b, time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC))
		e.publishPower(t, "CF00001000", penaltyPower())
		e.permits(t)
		e.penalties(t)
		e.penaltyImport(t)
		e.registerSearch(t)
		e.withdrawAndExpire(t)
		e.permitRevoked(t)
		wantActions(t, e.sv, "publicity_entry", "publicity.permit.record", "publicity.penalty.enter", "publicity.withdrawn", "publicity.expire",
			"publicity.revoked")
	})
}

func (e *partEnv) permits(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	it, _ := mustCreate(t, e.sv, SampleItem(e.tr, "XK00012000"))
	d := publicity.PermitDecision{Source: "33010626031800000001", Number: "许可决定-33010626031800000001", ItemID: it.ID,
		ItemName: "食品经营许可", DepartmentID: e.tr.Department.ID, HolderKind: publicity.HolderPerson, HolderName: "张三丰",
		DecidedAt: time.Date(2026, 3, 17, 3, 0, 0, 0, time.UTC), ValidMonths: 60, Content: "食品经营许可证"}
	p, err := e.pub.RecordPermit(ctx, d)
	if err != nil || p == nil || p.HolderName == "张三丰" || p.ValidTo.String() != "2031-03-16" || p.PublishedOn.String() != "2026-03-18" {
		t.Fatalf("permit %+v %v", p, err)
	}
	again, err := e.pub.RecordPermit(ctx, d)
	if err != nil || again.ID != p.ID {
		t.Fatalf("the same decision twice: %v %v", again, err)
	}
	if tl, err := e.pub.Timeliness(p); err != nil || !tl.OnTime || tl.Due.String() != "2026-03-26" {
		t.Fatalf("timeliness %+v %v", tl, err)
	}
	other, _ := mustCreate(t, e.sv, catalog.ItemInput{Code: "QR00001000", DepartmentID: e.tr.Department.ID,
		Guide: confirmationGuide()})
	d.Source, d.ItemID = "33010626031800000002", other.ID
	if p, err := e.pub.RecordPermit(ctx, d); err != nil || p != nil {
		t.Fatalf("a 行政确认 entered the permit register: %v %v", p, err)
	}
	// The type of the version decided under governs, when the decision
	// names it, whatever the item is today.
	d.Source, d.ItemID, d.ItemType = "33010626031800000003", it.ID, catalog.TypeConfirmation
	if p, err := e.pub.RecordPermit(ctx, d); err != nil || p != nil {
		t.Fatalf("a decision under a 行政确认 version entered the permit register: %v %v", p, err)
	}
}

func confirmationGuide() catalog.Guide {
	g := SampleGuide("企业名称自主申报确认")
	g.Type = catalog.TypeConfirmation
	return g
}

func (e *partEnv) penaltyInput(n int) publicity.PenaltyInput {
	return publicity.PenaltyInput{DepartmentID: e.tr.Department.ID, Number: fmt.Sprintf("西市监罚〔2026〕%d号", n), HolderKind: "法人",
		HolderName: fmt.Sprintf("杭州第%d餐饮有限公司", n), CreditCode: CreditCode(100 + n), Title: "未取得食品经营许可从事食品经营",
		Content: "没收违法所得，罚款", Basis: "《食品安全法》第一百二十二条", Kinds: []string{"没收违法所得", "罚款"}, Fine: "10000",
		DecidedOn: "2026-03-16", PowerCode: "CF00001000", BenchmarkSeq: 1}
}

func (e *partEnv) penalties(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	in := e.penaltyInput(1)
	if _, err := e.pub.EnterPenalty(ctx, e.otherApprover, in); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another department entered: %v", err)
	}
	out := in
	out.Fine = "30000"
	_, err := e.pub.EnterPenalty(ctx, e.approver, out)
	if msg := apperr.FieldsOf(err)["outside_reason"]; !strings.Contains(msg, "罚款 30000.00 元超出裁量基准（从轻处罚：5000.00–20000.00 元）") {
		t.Fatalf("outside the benchmark without a reason: %v", err)
	}
	out.OutsideReason = "当事人拒不配合调查，经集体讨论从重"
	p, err := e.pub.EnterPenalty(ctx, e.approver, out)
	if err != nil || p.PublicUntil.String() != "2029-03-18" || p.OutsideReason == "" {
		t.Fatalf("with a reason %+v %v", p, err)
	}
	wantField(t, "a number entered twice", errOf(e.pub.EnterPenalty(ctx, e.approver, out)), "number")
	person := e.penaltyInput(2)
	person.HolderKind, person.HolderName, person.CreditCode, person.Fine, person.Kinds = "自然人", "王小二", "", "", []string{"警告"}
	person.BenchmarkSeq = 1
	if _, err := e.pub.EnterPenalty(ctx, e.approver, person); apperr.FieldsOf(err)["outside_reason"] == "" {
		t.Fatalf("a kind outside the benchmark without a reason: %v", err)
	}
	person.OutsideReason = "初次违法且危害后果轻微，仅予警告"
	p, err = e.pub.EnterPenalty(ctx, e.approver, person)
	if err != nil || p.HolderName == "王小二" || p.PublicUntil.String() != "2026-06-18" {
		t.Fatalf("natural person %+v %v", p, err)
	}
}

func errOf(_ *publicity.Entry, err error) error { return err }

// penaltyImport: one bad row refuses the whole file.
func (e *partEnv) penaltyImport(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	row := func(in publicity.PenaltyInput) []string {
		return []string{in.Number, in.HolderKind, in.HolderName, in.CreditCode, in.Title, in.Content, in.Basis,
			strings.Join(in.Kinds, "、"), in.Fine, in.DecidedOn, in.PowerCode, fmt.Sprint(in.BenchmarkSeq), in.OutsideReason}
	}
	bad := e.penaltyInput(11)
	bad.Fine = "60000"
	var buf bytes.Buffer
	if err := publicity.PenaltySheet.Write(&buf, [][]string{row(e.penaltyInput(10)), row(bad), row(e.penaltyInput(12))}); err != nil {
		t.Fatal(err)
	}
	rows, err := publicity.ReadPenalties(bytes.NewReader(buf.Bytes()), e.tr.Department.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.pub.ImportPenalties(ctx, e.approver, rows)
	list := tabular.ProblemsOf(err)
	if len(list) != 1 || !strings.HasPrefix(list[0], "第 3 行 第 M 列（超出基准理由）：罚款 60000.00 元超出裁量基准") {
		t.Fatalf("import problems %v (%v)", list, err)
	}
	if page, _ := e.pub.Search(ctx, publicity.Search{Q: "第10餐饮"}); len(page.Entries) != 0 {
		t.Fatal("a refused import wrote its good rows")
	}
	rows[1].Input.Fine = "40000"
	rows[1].Input.BenchmarkSeq = 2
	es, err := e.pub.ImportPenalties(ctx, e.approver, rows)
	if err != nil || len(es) != 3 {
		t.Fatalf("import %d %v", len(es), err)
	}
}

func (e *partEnv) registerSearch(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		q    string
		kind publicity.Kind
		want int
	}{
		{"", "", 6},
		{"", publicity.KindPermit, 1},
		{"餐饮", "", 4},
		{"餐", publicity.KindPenalty, 4},
		{"第10餐饮有限公司", "", 1},
		{"西市监罚[2026]12号", "", 1},
		{CreditCode(111), "", 1},
		{"食品经营许可", publicity.KindPermit, 1},
		{"余杭", "", 0},
	} {
		page, err := e.pub.Search(ctx, publicity.Search{Q: tc.q, Kind: tc.kind})
		if err != nil || len(page.Entries) != tc.want {
			t.Errorf("search %q %s: %d hits, want %d (%v)", tc.q, tc.kind, len(page.Entries), tc.want, err)
		}
	}
	first, err := e.pub.Search(ctx, publicity.Search{Q: "餐饮", Limit: 3})
	if err != nil || len(first.Entries) != 3 || first.Next == 0 {
		t.Fatalf("first page %+v %v", first, err)
	}
	second, err := e.pub.Search(ctx, publicity.Search{Q: "餐饮", Limit: 3, Before: first.Next})
	if err != nil || len(second.Entries) != 1 || second.Next != 0 || second.Entries[0].ID == first.Entries[2].ID {
		t.Fatalf("second page %+v %v", second, err)
	}
	other, err := e.pub.Search(ctx, publicity.Search{DepartmentID: e.otherDept.ID})
	if err != nil || len(other.Entries) != 0 {
		t.Fatalf("another department's register %v %v", other, err)
	}
}

func (e *partEnv) withdrawAndExpire(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	page, _ := e.pub.Search(ctx, publicity.Search{Q: "西市监罚〔2026〕10号"})
	id := page.Entries[0].ID
	if _, err := e.pub.Withdraw(ctx, e.approver, id, ""); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("withdrawn without a reason: %v", err)
	}
	if _, err := e.pub.Withdraw(ctx, e.approver, id, "行政复议决定撤销原处罚决定"); err != nil {
		t.Fatal(err)
	}
	if page, _ := e.pub.Search(ctx, publicity.Search{Q: "西市监罚〔2026〕10号"}); len(page.Entries) != 0 {
		t.Fatal("a withdrawn penalty is still in the register")
	}
	e.at(t, "2026-06-19")
	if n, err := e.pub.Expire(ctx); err != nil || n != 1 {
		t.Fatalf("expire %d %v", n, err)
	}
	if page, _ := e.pub.Search(ctx, publicity.Search{Q: "王"}); len(page.Entries) != 0 {
		t.Fatal("a penalty past its period is still public")
	}
}

// permitRevoked: a revoked licence marks its permit revoked, publicly and
// with the reason, once; a source with no permit is left alone.
func (e *partEnv) permitRevoked(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	const source = "33010626031800000001"
	for range 2 {
		if err := e.pub.RevokePermit(ctx, source, "被许可人申请注销"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.pub.RevokePermit(ctx, "33010626031800009999", "不存在"); err != nil {
		t.Fatalf("a source with no permit: %v", err)
	}
	page, err := e.pub.Search(ctx, publicity.Search{Q: "许可决定-" + source})
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("the revoked permit left the register: %+v %v", page, err)
	}
	got := page.Entries[0]
	if got.Status != publicity.StatusRevoked || got.StatusReason != "许可证件已撤销：被许可人申请注销" || got.StatusOn.String() != e.pub.Today().String() {
		t.Fatalf("revoked permit %+v", got)
	}
	es, err := e.sv.Stores.Audit.FindAuditEntries(ctx, audit.Filter{ObjectType: "publicity_entry", ObjectID: fmt.Sprint(got.ID), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range es {
		if a.Action == "publicity.revoked" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d audit entries of the revocation, want 1", n)
	}
}
