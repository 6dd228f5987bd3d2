package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/budget"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/opendata"
	"openhall/internal/store"
)

// openDataEnv is the open-data and budget services over the disclosure
// fixture, with a second agency (余杭区人民政府) whose officer has no rights
// over 西湖区's data, and a citizen.
type openDataEnv struct {
	*disclosureEnv
	s       *store.Stores
	od      *opendata.Service
	bud     *budget.Service
	other   *disclosure.Agency
	citizen *identity.Actor
	now     *time.Time
	deps    opendata.Deps // e.od's, for a service wired otherwise
}

func newOpenDataEnv(t testing.TB, s *store.Stores) *openDataEnv {
	t.Helper()
	now := fixedNow
	clock := func() time.Time { return now }
	e := &openDataEnv{disclosureEnv: newDisclosureEnv(t, s, clock), s: s, now: &now}
	cals := calendar.NewService(s.Calendar, e.sv.Org, s, e.sv.Audit, clock)
	if err := cals.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.deps = opendata.Deps{Store: s.OpenData, Tx: s, Audit: e.sv.Audit, Agencies: e.d, Calendars: cals, Now: clock}
	e.od = opendata.NewService(e.deps)
	e.bud = budget.NewService(budget.Deps{Store: s.Budget, Tx: s, Audit: e.sv.Audit, Disclosure: e.d, Calendars: cals, Now: clock})
	other, err := e.d.SaveAgency(context.Background(), identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: e.tree.OtherCounty.ID,
		Name: "余杭区人民政府", Code: "002482150", Guide: "# 指南"})
	if err != nil {
		t.Fatal(err)
	}
	e.other = other
	_, e.citizen = Citizen(t, e.sv, "citizen", "张三", 3, "", "")
	return e
}

// dataset describes an uploaded dataset of 西湖区人民政府 as the drafter.
func (e *openDataEnv) dataset(t testing.TB, name string, tier opendata.Tier) *opendata.Dataset {
	t.Helper()
	in := opendata.DatasetInput{PublisherID: e.agency.ID, Name: name, Title: "测试数据集 " + name, Description: "用于测试的数据集",
		Theme: "market", Keywords: "市场主体，登记", Frequency: "monthly", License: "cc-by-4.0", ContactName: "张联系",
		ContactPhone: "0571-87061234", Tier: tier, Spatial: "西湖区",
		Columns: []opendata.Column{{Name: "name", Title: "名称", Type: opendata.TypeText},
			{Name: "count", Title: "数量", Type: opendata.TypeInteger}, {Name: "day", Title: "日期", Type: opendata.TypeDate}}}
	if tier != opendata.TierOpen {
		in.TierReason = "仅限科研和公益用途，不得转售"
	}
	d, err := e.od.SaveDataset(context.Background(), e.drafter, 0, in)
	if err != nil {
		t.Fatalf("save dataset %s: %v", name, err)
	}
	return d
}

// upload stores a CSV as the next version.
func (e *openDataEnv) upload(t testing.TB, d *opendata.Dataset, csv string) *opendata.Version {
	t.Helper()
	v, err := e.od.Upload(context.Background(), e.drafter, d.ID, "data.csv", []byte(csv))
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	return v
}

// published describes, fills and publishes a dataset.
func (e *openDataEnv) published(t testing.TB, name string, tier opendata.Tier) *opendata.Dataset {
	t.Helper()
	d := e.dataset(t, name, tier)
	e.upload(t, d, "名称,数量,日期\n甲,1,2026-01-05\n乙,2,2026-02-06\n丙,3,\n")
	d, err := e.od.SetStatus(context.Background(), e.drafter, d.ID, opendata.StatusPublished)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return d
}
