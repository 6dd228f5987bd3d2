package storetest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/opendata/sources"
)

// publishSet creates, imports and publishes a set through the disclosure
// workflow, approved on approved.
func (e *openDataEnv) publishSet(t testing.TB, year int, approved string, percent int64) *budget.Set {
	t.Helper()
	ctx := context.Background()
	set, err := e.bud.CreateSet(ctx, e.drafter, budget.SetInput{AgencyID: e.agency.ID, Year: year, Kind: budget.KindBudget,
		ApprovedOn: approved, Explanation: "机关运行经费主要用于办公、差旅和公务用车运行维护。"})
	if err != nil {
		t.Fatalf("create set %d: %v", year, err)
	}
	if _, err := e.bud.SaveLines(ctx, e.drafter, set.ID, budget.Sample(percent)); err != nil {
		t.Fatalf("lines %d: %v", year, err)
	}
	set, err = e.bud.Submit(ctx, e.drafter, set.ID)
	if err != nil {
		t.Fatalf("submit %d: %v", year, err)
	}
	if _, err := e.d.Review(ctx, e.reviewer, *set.DocID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass,
		Basis: "《保守国家秘密法》第三十五条"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Approve(ctx, e.reviewer, *set.DocID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Publish(ctx, e.drafter, *set.DocID); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestBudgetSetThroughDisclosure(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		e.publishSet(t, 2025, "2025-02-10", 100)
		set, err := e.bud.CreateSet(ctx, e.drafter, budget.SetInput{AgencyID: e.agency.ID, Year: 2026, Kind: budget.KindBudget,
			ApprovedOn: "2026-03-10", Explanation: "机关运行经费安排说明。"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.bud.CreateSet(ctx, e.outsider, budget.SetInput{AgencyID: e.agency.ID, Year: 2026, Kind: budget.KindFinal,
			ApprovedOn: "2026-03-10"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another county's officer: %v", err)
		}
		var wb bytes.Buffer
		unbalanced := budget.Sample(110)
		for i := range unbalanced {
			if unbalanced[i].Table == "sangong" && unbalanced[i].Code == "S03" {
				unbalanced[i].Amounts[0] += 50 // 公务接待费 no longer adds up to the 三公 total
			}
		}
		budget.WriteWorkbook(&wb, budget.Department, "测试", unbalanced)
		_, err = e.bud.Import(ctx, e.drafter, set.ID, wb.Bytes())
		if probs := budget.Problems(err); len(probs) == 0 || probs[0].Cell != "C3" || probs[0].Table != "“三公”经费支出表" {
			t.Fatalf("unbalanced workbook: %v (%+v)", err, probs)
		}
		if got, _ := e.bud.Set(ctx, e.drafter, set.ID); got.Status != budget.StatusDraft || len(got.Lines) != 0 {
			t.Fatalf("a refused import changed the set: %s, %d lines", got.Status, len(got.Lines))
		}
		if _, err := e.bud.Submit(ctx, e.drafter, set.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("submit without tables: %v", err)
		}
		wb.Reset()
		budget.WriteWorkbook(&wb, budget.Department, "测试", budget.Sample(110))
		if _, err := e.bud.Import(ctx, e.drafter, set.ID, wb.Bytes()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.bud.Set(ctx, nil, set.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("an unpublished set is public: %v", err)
		}
		set, err = e.bud.Submit(ctx, e.drafter, set.ID)
		if err != nil || set.DocID == nil {
			t.Fatalf("submit: %v", err)
		}
		doc, err := e.d.Document(ctx, e.drafter, *set.DocID)
		if err != nil || doc.Status != disclosure.StatusReview || doc.Category != "a20-7" || doc.FormedOn.String() != "2026-03-10" {
			t.Fatalf("disclosure document: %+v %v", doc, err)
		}
		if _, err := e.bud.Import(ctx, e.drafter, set.ID, wb.Bytes()); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("import after submission: %v", err)
		}
		v, _ := e.bud.Set(ctx, e.drafter, set.ID)
		if v.Clock.Due.String() != "2026-03-30" || v.Clock.State() != "公开期限内" {
			t.Fatalf("clock before publication: %+v %s", v.Clock, v.Clock.State())
		}
		e.d.Review(ctx, e.reviewer, *set.DocID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "保密法第三十五条"})
		e.d.Approve(ctx, e.reviewer, *set.DocID)
		if _, err := e.d.Publish(ctx, e.drafter, *set.DocID); err != nil {
			t.Fatal(err)
		}
		pub, err := e.bud.PublishedSet(ctx, e.agency.ID, 2026, budget.KindBudget)
		if err != nil || !pub.Clock.OnTime || pub.Clock.PublishedOn.String() != "2026-03-18" {
			t.Fatalf("published set: %+v %v", pub, err)
		}
		cmp, err := e.bud.Compare(ctx, pub)
		if err != nil || !cmp.HasPrevious || len(cmp.SanGong) != 6 {
			t.Fatalf("comparison: %+v %v", cmp, err)
		}
		if total := cmp.SanGong[0]; total.Code != "S00" || total.Percent(0) != "+10.0%" {
			t.Fatalf("三公 total against last year: %+v %s", total, total.Percent(0))
		}
		tl, err := e.bud.Timeliness(ctx, "", 2026)
		if err != nil || tl.Total != 1 || tl.OnTime != 1 {
			t.Fatalf("timeliness: %+v %v", tl, err)
		}
		rt, err := e.bud.RecentTimeliness(ctx, "")
		if err != nil || len(rt) != 3 || rt[0].Year != 2026 || rt[0].OnTime != 1 || rt[1].Year != 2025 ||
			rt[1].OnTime+rt[1].Late != 1 || rt[2].Year != 2024 || rt[2].Total != 0 {
			t.Fatalf("recent timeliness: %+v %v", rt, err)
		}
	})
}

func TestBudgetSourceAndCaseStats(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		e.publishSet(t, 2025, "2025-02-10", 100)
		e.od.Register(sources.Budgets{Agencies: e.d, Sets: e.bud})
		if _, err := e.od.Regenerate(ctx, budget.Source, true); err != nil {
			t.Fatal(err)
		}
		d, err := e.od.Dataset(ctx, nil, "budget-"+itoa(e.agency.ID))
		if err != nil || d.RowCount < 50 || d.Theme != "finance" {
			t.Fatalf("budget dataset: %+v %v", d, err)
		}
		seedCases(t, b, e)
		stats, err := e.s.OpenData.CaseMonthlyStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []sources.CaseStat{{DepartmentID: e.tree.Department.ID, Month: "2026-01", Submitted: 3, Closed: 2, OnTimeBase: 2, OnTime: 1},
			{DepartmentID: e.tree.Department.ID, Month: "2026-02", Submitted: 1, Closed: 1, OnTimeBase: 0, OnTime: 0}}
		if len(stats) != 2 || stats[0] != want[0] || stats[1] != want[1] {
			t.Fatalf("case stats:\n got %+v\nwant %+v", stats, want)
		}
		e.od.Register(sources.Cases{Stats: e.s.OpenData, Departments: e.sv.Org})
		if _, err := e.od.Regenerate(ctx, "cases.monthly", true); err != nil {
			t.Fatal(err)
		}
		cd, _ := e.od.Dataset(ctx, nil, "case-volumes-monthly")
		rows, _ := e.od.Preview(ctx, nil, cd, 5)
		if len(rows) != 2 || strings.Join(rows[0], "|") != "2026-01|西湖区市场监督管理局|3|2|1|50.0" {
			t.Fatalf("case dataset rows: %v", rows)
		}
	})
}

// seedCases inserts cases behind the stores' back: in January 2026 one
// closed on time, one closed late, one open; in February one refused at
// intake (closed, no promised date). Times are 23:30 Beijing time, so the
// month and the closing day depend on converting to UTC+8.
func seedCases(t *testing.T, b Backend, e *openDataEnv) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, cst); return v }
	type c struct {
		submitted, closed, promised string
	}
	for i, x := range []c{{"2026-01-05 23:30", "2026-01-20 23:30", "2026-01-20"}, {"2026-01-31 23:30", "2026-02-25 23:30", "2026-02-24"},
		{"2026-01-10 09:00", "", ""}, {"2026-02-01 00:30", "2026-02-02 10:00", ""}} {
		var sub, closed any = at(x.submitted), nil
		if x.closed != "" {
			closed = at(x.closed)
		}
		if b.Name == "sqlite" {
			sub = at(x.submitted).UnixMicro()
			closed = int64(0)
			if x.closed != "" {
				closed = at(x.closed).UnixMicro()
			}
		}
		created := sub
		b.Exec(t, e.s, `INSERT INTO cases (id, number, status, item_version_id, item_code, item_name, region_path, department_id,
			applicant, applicant_name, channel, procedure, form, version, query_code_hash, promised_due, created_at, submitted_at,
			closed_at, updated_at) VALUES (?, ?, 'closed', 1, 'XK', '测试事项', '/', ?, '{}', '某', 'online', '{}', '{}', 1, ?, ?, ?, ?, ?, ?)`,
			i+1, "N"+itoa(int64(i)), e.tree.Department.ID, []byte{1}, x.promised, created, sub, closed, created)
	}
}
