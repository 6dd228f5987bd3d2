package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/powers"
	"openhall/internal/tabular"
)

func penaltyPower() powers.Content {
	return powers.Content{Name: "对未取得食品经营许可从事食品经营活动的行政处罚", Type: catalog.TypePenalty,
		Bases:   []powers.Basis{{Law: "《中华人民共和国食品安全法》", Article: "第一百二十二条"}},
		Subject: "西湖区市场监督管理局", Undertaker: "执法稽查科", Process: "立案—调查取证—审查—告知—决定—送达—执行",
		Duties: []string{"立案责任", "调查责任"}, Accountability: []string{"对违法行为不予制止、处罚的"},
		Benchmarks: []powers.Benchmark{
			{Violation: "未取得食品经营许可从事食品经营", Level: powers.LevelLight, Kinds: []string{"没收违法所得", "罚款"}, FineMin: 5000_00, FineMax: 20000_00},
			{Violation: "未取得食品经营许可从事食品经营", Level: powers.LevelGeneral, Kinds: []string{"没收违法所得", "罚款"}, FineMin: 20000_00, FineMax: 50000_00},
		}}
}

// publishPower creates, submits and approves a power of the Tree's
// department.
func (e *partEnv) publishPower(t *testing.T, code string, c powers.Content) *powers.Power {
	t.Helper()
	ctx := context.Background()
	p, v, err := e.pow.Create(ctx, e.approver, powers.Input{DepartmentID: e.tr.Department.ID, Code: code, Content: c})
	if err != nil {
		t.Fatalf("create power: %v", err)
	}
	if _, err := e.pow.Submit(ctx, e.approver, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pow.Approve(ctx, e.head, v.ID); err != nil {
		t.Fatal(err)
	}
	p, _ = e.pow.Power(ctx, p.ID)
	return p
}

// TestPowers: a department's list is drafted, reviewed and published;
// a published version never changes; links to service items go both ways;
// a benchmark workbook replaces a draft's benchmark, all or nothing.
func TestPowers(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newPartEnv(t, b, time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		it, _ := mustCreate(t, e.sv, SampleItem(e.tr, "XK00012000"))
		licence := penaltyPower()
		licence.Name, licence.Type, licence.Benchmarks, licence.ItemIDs = "食品经营许可", catalog.TypeLicence, nil, []int64{it.ID}
		if _, _, err := e.pow.Create(ctx, e.otherApprover, powers.Input{DepartmentID: e.tr.Department.ID, Code: "XK00001000", Content: licence}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another department created: %v", err)
		}
		p, v, err := e.pow.Create(ctx, e.approver, powers.Input{DepartmentID: e.tr.Department.ID, Code: "XK00001000", Content: licence})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.pow.Create(ctx, e.approver, powers.Input{DepartmentID: e.tr.Department.ID, Code: "XK00001000", Content: licence}); apperr.FieldsOf(err)["code"] == "" {
			t.Fatalf("duplicate code: %v", err)
		}
		if _, err := e.pow.Submit(ctx, e.approver, v.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "the drafter approves", approveErr(e.pow.Approve(ctx, e.approver, v.ID)), apperr.Forbidden)
		if _, err := e.pow.Approve(ctx, e.head, v.ID); err != nil {
			t.Fatal(err)
		}
		if ps, err := e.pow.ForItem(ctx, it.ID); err != nil || len(ps) != 1 || ps[0].ID != p.ID {
			t.Fatalf("item → power: %v %v", ps, err)
		}
		if ps, n, err := e.pow.Public(ctx, "食品经营", powers.Filter{}); err != nil || n != 1 || ps[0].ID != p.ID {
			t.Fatalf("public search: %v %d %v", ps, n, err)
		}
		e.frozenAndRedrafted(t, p, v)
		e.benchmarkImport(t)
		wantActions(t, e.sv, "power", "powers.create", "powers.submit", "powers.publish", "powers.draft.new", "powers.benchmarks.import")
	})
}

func approveErr(_ *powers.Version, err error) error { return err }

func (e *partEnv) frozenAndRedrafted(t *testing.T, p *powers.Power, v1 *powers.Version) {
	t.Helper()
	ctx := context.Background()
	pub, err := e.sv.Stores.Powers.FindVersion(ctx, v1.ID)
	if err != nil || pub.State != powers.StatePublished {
		t.Fatal(pub, err)
	}
	pub.Content.Name = "改名"
	wantCode(t, "editing a published version", e.sv.Stores.Powers.UpdateVersion(ctx, pub), apperr.Conflict)
	v2, err := e.pow.NewDraft(ctx, e.approver, p.ID)
	if err != nil || v2.Number != 2 || v2.Content.Name != "食品经营许可" {
		t.Fatalf("new draft %+v %v", v2, err)
	}
	if _, err := e.pow.NewDraft(ctx, e.approver, p.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("two open drafts: %v", err)
	}
	d, err := e.pow.Get(ctx, nil, p.ID)
	if err != nil || d.Published.ID != v1.ID || len(d.Versions) != 1 {
		t.Fatalf("public view shows drafts: %+v %v", d, err)
	}
}

func (e *partEnv) benchmarkImport(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c := penaltyPower()
	c.Benchmarks = nil
	_, v, err := e.pow.Create(ctx, e.approver, powers.Input{DepartmentID: e.tr.Department.ID, Code: "CF00001000", Content: c})
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := powers.WriteBenchmarks(&good, penaltyPower().Benchmarks); err != nil {
		t.Fatal(err)
	}
	rows, err := powers.ReadBenchmarks(&good)
	if err != nil {
		t.Fatal(err)
	}
	if v, err = e.pow.ImportBenchmarks(ctx, e.approver, v.ID, rows); err != nil || len(v.Content.Benchmarks) != 2 {
		t.Fatalf("import %+v %v", v, err)
	}
	var bad bytes.Buffer
	if err := powers.BenchmarkSheet.Write(&bad, [][]string{{"违法", "", "从轻", "", "罚款", "9000", "100", ""}}); err != nil {
		t.Fatal(err)
	}
	if _, err := powers.ReadBenchmarks(&bad); len(tabular.ProblemsOf(err)) != 1 {
		t.Fatalf("min above max: %v", err)
	}
	if _, err := powers.ReadBenchmarks(bytes.NewReader([]byte("PK\x03\x04garbage"))); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("malformed workbook: %v", err)
	}
	after, _ := e.sv.Stores.Powers.FindVersion(ctx, v.ID)
	if len(after.Content.Benchmarks) != 2 {
		t.Fatalf("a refused workbook changed the draft: %d rows", len(after.Content.Benchmarks))
	}
	if _, err := e.pow.ImportBenchmarks(ctx, e.outsider, v.ID, rows); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("an officer imported: %v", err)
	}
}
