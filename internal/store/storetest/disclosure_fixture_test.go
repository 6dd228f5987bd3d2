package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
	"openhall/internal/store"
)

// disclosureEnv is a disclosure service over one test database with an
// agency (西湖区人民政府) and its staff.
type disclosureEnv struct {
	sv       *Services
	d        *disclosure.Service
	tree     *Tree
	agency   *disclosure.Agency
	drafter  *identity.Actor // 公开专员
	reviewer *identity.Actor // 公开专员
	outsider *identity.Actor // 公开专员 of another county: no rights here
}

// fixedNow is the test clock: Wednesday 2026-03-18, 10:00 in Beijing.
var fixedNow = time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC)

func newDisclosureEnv(t testing.TB, s *store.Stores, now func() time.Time) *disclosureEnv {
	t.Helper()
	if now == nil {
		now = func() time.Time { return fixedNow }
	}
	sv := NewServices(s, now)
	tr := BuildTree(t, sv)
	cals := calendar.NewService(s.Calendar, sv.Org, s, sv.Audit, now)
	if err := cals.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := disclosure.NewService(disclosure.Deps{Store: s.Disclosure, Tx: s, Audit: sv.Audit, Regions: sv.Org,
		Calendars: cals, Search: search.NewEngine(s.Search), Now: now})
	e := &disclosureEnv{sv: sv, d: d, tree: tr}
	ag, err := d.SaveAgency(context.Background(), identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: tr.County.ID,
		Name: "西湖区人民政府", Code: "002482133", Guide: "# 指南"})
	if err != nil {
		t.Fatalf("create agency: %v", err)
	}
	e.agency = ag
	_, e.drafter = Staff(t, sv, "drafter", identity.RoleDisclosureOfficer, &tr.County.ID, nil)
	_, e.reviewer = Staff(t, sv, "reviewer", identity.RoleDisclosureOfficer, &tr.County.ID, nil)
	_, e.outsider = Staff(t, sv, "outsider", identity.RoleDisclosureOfficer, &tr.OtherCounty.ID, nil)
	return e
}

// draft creates a draft document as the drafter.
func (e *disclosureEnv) draft(t testing.TB, in disclosure.DocInput) *disclosure.Document {
	t.Helper()
	in.AgencyID = e.agency.ID
	if in.Topic == "" {
		in.Topic = "综合政务"
	}
	if in.Genre == "" {
		in.Genre = disclosure.GenreNormative
	}
	if in.Category == "" {
		in.Category = "a20-1"
	}
	if in.FormedOn == "" {
		in.FormedOn = "2026-03-10"
	}
	d, err := e.d.SaveDocument(context.Background(), e.drafter, 0, in)
	if err != nil {
		t.Fatalf("draft %s: %v", in.Title, err)
	}
	return d
}

// through submits, passes review and approves a draft.
func (e *disclosureEnv) through(t testing.TB, id int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.d.Submit(ctx, e.drafter, id); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if _, err := e.d.Review(ctx, e.reviewer, id, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass,
		Basis: "《保守国家秘密法》第三十五条"}); err != nil {
		t.Fatalf("review: %v", err)
	}
	if _, err := e.d.Approve(ctx, e.reviewer, id); err != nil {
		t.Fatalf("approve: %v", err)
	}
}

// publish takes a draft all the way to publication.
func (e *disclosureEnv) publish(t testing.TB, in disclosure.DocInput) *disclosure.Document {
	t.Helper()
	d := e.draft(t, in)
	e.through(t, d.ID)
	p, err := e.d.Publish(context.Background(), e.drafter, d.ID)
	if err != nil {
		t.Fatalf("publish %s: %v", in.Title, err)
	}
	return p
}
