package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/identity"
	"openhall/internal/opendata/sources"
	"openhall/internal/org"
)

// TestOpenDataLicenceDecisions publishes granted licences of two
// departments in two counties (双公示): refused decisions, other kinds of
// item and open cases stay out; a natural person is masked and shown
// without a number; the decision date is the China-time day of closing.
func TestOpenDataLicenceDecisions(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		other, err := e.sv.Org.SaveDepartment(ctx, identity.SystemActor(), 0, org.DepartmentInput{RegionID: e.tree.OtherCounty.ID,
			Name: "余杭区市场监督管理局", CreditCode: CreditCode(7)})
		if err != nil {
			t.Fatal(err)
		}
		seedLicences(t, b, e, other.ID)
		page, err := e.s.OpenData.LicenceDecisions(ctx, sources.LicenceCodePrefix(), 0, 1)
		if err != nil || len(page) != 1 || page[0].CaseID != 11 || page[0].ApplicantKind != "person" {
			t.Fatalf("first page: %+v %v", page, err)
		}
		page, err = e.s.OpenData.LicenceDecisions(ctx, sources.LicenceCodePrefix(), 11, 10)
		if err != nil || len(page) != 1 || page[0].CaseID != 12 || page[0].CreditCode != CreditCode(5) {
			t.Fatalf("second page (only the granted, closed licence of the other county): %+v %v", page, err)
		}
		e.od.Register(sources.Licences{Decisions: e.s.OpenData, Departments: e.sv.Org})
		if _, err := e.od.Regenerate(ctx, "cases.licences", true); err != nil {
			t.Fatal(err)
		}
		d, err := e.od.Dataset(ctx, nil, "licence-decisions")
		if err != nil || d.RowCount != 2 {
			t.Fatalf("licence dataset: %+v %v", d, err)
		}
		rows, _ := e.od.Preview(ctx, nil, d, 5)
		want := []string{"N11|张**|自然人||食品经营许可|ZZ-N11|2026-02-13|西湖区市场监督管理局",
			"N12|杭州某某餐饮有限公司|法人及非法人组织|" + CreditCode(5) + "|食品经营许可|ZZ-N12|2026-03-01|余杭区市场监督管理局"}
		for i, w := range want {
			if i >= len(rows) || strings.Join(rows[i], "|") != w {
				t.Fatalf("row %d:\n got %v\nwant %s", i, rows, w)
			}
		}
	})
}

// seedLicences inserts closed cases behind the stores' back: two granted
// licences (a person in the first county on 13 Feb 23:30 Beijing time, a
// company in the other on 1 Mar 00:30, still 28 Feb in UTC), one refused
// licence, one granted 公共服务 item, and one granted licence not closed.
func seedLicences(t *testing.T, b Backend, e *openDataEnv, otherDept int64) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, cst); return v }
	person := `{"kind":"person","name":"张三丰","id_number":"` + IDNumber(31) + `"}`
	company := `{"kind":"legal","name":"杭州某某餐饮有限公司","credit_code":"` + CreditCode(5) + `"}`
	type c struct {
		id                        int
		code, decision, applicant string
		name, closed              string
		dept                      int64
	}
	for _, x := range []c{{11, "XK00001000", "approved", person, "张三丰", "2026-02-13 23:30", e.tree.Department.ID},
		{12, "XK00001000", "approved", company, "杭州某某餐饮有限公司", "2026-03-01 00:30", otherDept},
		{13, "XK00001000", "denied", company, "杭州某某餐饮有限公司", "2026-03-02 10:00", otherDept},
		{14, "QT00002000", "approved", person, "张三丰", "2026-03-02 10:00", e.tree.Department.ID},
		{15, "XK00001000", "approved", person, "张三丰", "", e.tree.Department.ID}} {
		sub := at("2026-02-02 09:00")
		var created, closed any = sub, nil
		if x.closed != "" {
			closed = at(x.closed)
		}
		if b.Name == "sqlite" {
			created, closed = sub.UnixMicro(), int64(0)
			if x.closed != "" {
				closed = at(x.closed).UnixMicro()
			}
		}
		n := "N" + itoa(int64(x.id))
		b.Exec(t, e.s, `INSERT INTO cases (id, number, status, decision, item_version_id, item_code, item_name, region_path,
			department_id, applicant, applicant_name, channel, procedure, form, version, query_code_hash, certificate, created_at,
			submitted_at, closed_at, updated_at) VALUES (?, ?, 'closed', ?, 1, ?, '食品经营许可', '/', ?, ?, ?, 'online', '{}', '{}', 1, ?,
			?, ?, ?, ?, ?)`, x.id, n, x.decision, x.code, x.dept, x.applicant, x.name, []byte{byte(x.id)}, "ZZ-"+n, created, created,
			closed, created)
	}
}
