package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/store"
)

// TestReportPermitsFromCases: Table 2's 行政许可 row of two agencies that are
// departments is counted from their cases' decisions (准予 and 不予) in each
// of two years, the year running in Beijing time; other kinds of item and
// undecided cases stay out; an agency without a department keeps its typed
// figure.
func TestReportPermitsFromCases(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		e := newDisclosureEnv(t, s, nil)
		ctx, sys := context.Background(), identity.SystemActor()
		other, err := e.sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: e.tree.OtherCounty.ID,
			Name: "余杭区市场监督管理局", CreditCode: CreditCode(7)})
		if err != nil {
			t.Fatal(err)
		}
		agA := e.departmentAgency(t, e.tree.County.ID, e.tree.Department.ID, "西湖区市场监督管理局")
		agB := e.departmentAgency(t, e.tree.OtherCounty.ID, other.ID, "余杭区市场监督管理局")
		seedPermitDecisions(t, b, s, e.tree.Department.ID, other.ID)
		for _, c := range []struct {
			actor *identity.Actor
			ag    int64
			year  int
			want  int
		}{{e.drafter, agA, 2025, 1}, {e.drafter, agA, 2026, 2}, {e.outsider, agB, 2025, 2}, {e.outsider, agB, 2026, 1}} {
			_, tb, err := e.d.AnnualReport(ctx, c.actor, c.ag, c.year)
			if err != nil || tb.Table2.Permits != c.want {
				t.Fatalf("agency %d year %d: permits %v, want %d (%v)", c.ag, c.year, tb, c.want, err)
			}
		}
		if _, err := e.d.SaveReport(ctx, e.drafter, e.agency.ID, 2025, disclosure.ReportInput{Permits: 7}); err != nil {
			t.Fatal(err)
		}
		if _, tb, err := e.d.AnnualReport(ctx, e.drafter, e.agency.ID, 2025); err != nil || tb.Table2.Permits != 7 {
			t.Fatalf("typed figure of an agency without a department: %+v %v", tb, err)
		}
	})
}

func (e *disclosureEnv) departmentAgency(t *testing.T, region, dept int64, name string) int64 {
	t.Helper()
	ag, err := e.d.SaveAgency(context.Background(), identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: region,
		DepartmentID: &dept, Name: name, Code: "11330106" + itoa(dept)})
	if err != nil {
		t.Fatal(err)
	}
	return ag.ID
}

// seedPermitDecisions inserts cases and their 作出决定 events behind the
// stores' back: department a decided a licence on 31 Dec 2025 23:30 and two
// in 2026 (one at 00:30 on 1 Jan, still 2025 in UTC, refused), plus a
// decided 公共服务 item and an undecided licence; department b decided two
// licences in 2025 and one in 2026.
func seedPermitDecisions(t *testing.T, b Backend, s *store.Stores, a, bDept int64) {
	cst := time.FixedZone("CST", 8*3600)
	type c struct {
		id            int
		code, decided string
		dept          int64
	}
	for _, x := range []c{{21, "XK00001000", "2025-12-31 23:30", a}, {22, "XK00001000", "2026-01-01 00:30", a},
		{23, "XK00001000", "2026-02-10 10:00", a}, {24, "QT00002000", "2026-02-11 10:00", a}, {25, "XK00001000", "", a},
		{26, "XK00001000", "2026-03-01 09:00", bDept}, {27, "XK00001000", "2025-06-01 09:00", bDept},
		{28, "XK00001000", "2025-07-01 09:00", bDept}} {
		n := "P" + itoa(int64(x.id))
		var created any = time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
		if b.Name == "sqlite" {
			created = created.(time.Time).UnixMicro()
		}
		b.Exec(t, s, `INSERT INTO cases (id, number, status, item_version_id, item_code, item_name, region_path,
			department_id, applicant, applicant_name, channel, procedure, form, version, query_code_hash, created_at, submitted_at,
			updated_at) VALUES (?, ?, 'review', 1, ?, '食品经营许可', '/', ?, '{}', '张三', 'online', '{}', '{}', 1, ?, ?, ?, ?)`,
			x.id, n, x.code, x.dept, []byte{byte(x.id)}, created, created, created)
		if x.decided == "" {
			continue
		}
		v, _ := time.ParseInLocation("2006-01-02 15:04", x.decided, cst)
		var at any = v
		if b.Name == "sqlite" {
			at = v.UnixMicro()
		}
		b.Exec(t, s, `INSERT INTO case_events (case_id, seq, kind, at, actor_id, actor_label, branch, detail)
			VALUES (?, 1, 'decided', ?, 1, '审批人', 0, '{}')`, x.id, at)
	}
}
