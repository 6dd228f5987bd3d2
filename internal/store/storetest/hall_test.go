package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/hall"
	"openhall/internal/identity"
)

// TestHallStore: bundles, bundle applications, appointments, favourites and
// the filing counts, on both backends.
func TestHallStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		ctx := context.Background()
		st := sv.Stores.Hall
		cat := catalog.NewService(sv.Stores.Catalog, sv.Org, sv.Stores, sv.Audit, nil)
		it, _, err := cat.CreateItem(ctx, identity.SystemActor(), SampleItem(tr, "XK00001000"))
		if err != nil {
			t.Fatal(err)
		}
		citizen := registerCitizen(t, sv)
		svc := newCases(sv, tr, &sideEffects{})
		filed, err := svc.File(ctx, citizen, fileInput("h1"))
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.File(ctx, citizen, fileInput("h2"))
		if err != nil {
			t.Fatal(err)
		}
		checkBundles(t, st, tr)
		checkApplications(t, st, filed.Case.ID, filed.Case.Number, citizen.UserID)
		checkBundled(t, sv.Stores.Cases, filed.Case.ID, other.Case.ID)
		checkAppointments(t, st, it.ID, tr.County.Path, citizen.UserID)
		checkFavourites(t, st, it.ID, citizen.UserID)
		counts, err := st.CountFiled(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 5)
		if err != nil || len(counts) != 1 || counts[0].VersionID != 1 || counts[0].Count != 2 {
			t.Fatalf("counts: %+v %v", counts, err)
		}
		if counts, _ := st.CountFiled(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 5); len(counts) != 0 {
			t.Fatalf("nothing filed since 2027: %+v", counts)
		}
	})
}

func checkBundles(t *testing.T, st hall.Store, tr *Tree) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	def := hall.Definition{Summary: "开店", Items: []hall.BundleItem{{ImplCode: "A"}, {ImplCode: "B", When: &hall.Condition{Field: "排水", Equals: "是"}}}}
	b := &hall.Bundle{RegionID: tr.County.ID, Name: "开办餐饮店", Audience: hall.ForPerson, Status: hall.BundleDraft, Definition: def, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateBundle(ctx, b); err != nil || b.ID == 0 {
		t.Fatalf("create: %v", err)
	}
	dup := *b
	if err := st.CreateBundle(ctx, &dup); apperr.FieldsOf(err)["name"] == "" {
		t.Fatalf("a second bundle of the name in the region: %v", err)
	}
	other := &hall.Bundle{RegionID: tr.City.ID, Name: "开办餐饮店", Audience: hall.ForPerson, Status: hall.BundleActive, Definition: def, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateBundle(ctx, other); err != nil {
		t.Fatalf("the same name in another region: %v", err)
	}
	b.Status = hall.BundleActive
	if err := st.UpdateBundle(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindBundle(ctx, b.ID)
	if err != nil || got.RegionPath != tr.County.Path || got.RegionName != tr.County.Name || got.Status != hall.BundleActive ||
		got.Items[1].When.Equals != "是" || !got.CreatedAt.Equal(now) {
		t.Fatalf("found: %+v %v", got, err)
	}
	for _, tc := range []struct {
		f    hall.BundleFilter
		want int
	}{
		{hall.BundleFilter{}, 2},
		{hall.BundleFilter{RegionPaths: []string{tr.County.Path}}, 1},
		{hall.BundleFilter{RegionPaths: []string{tr.County.Path, tr.City.Path}}, 2},
		{hall.BundleFilter{PathPrefix: tr.County.Path}, 1},
		{hall.BundleFilter{Statuses: []hall.BundleStatus{hall.BundleRetired}}, 0},
	} {
		if bs, err := st.FindBundles(ctx, tc.f); err != nil || len(bs) != tc.want {
			t.Errorf("filter %+v: %d %v, want %d", tc.f, len(bs), err, tc.want)
		}
	}
	if _, err := st.FindBundle(ctx, 999); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("missing bundle: %v", err)
	}
}

func checkApplications(t *testing.T, st hall.Store, caseID int64, caseNumber string, userID int64) {
	t.Helper()
	ctx := context.Background()
	bs, _ := st.FindBundles(ctx, hall.BundleFilter{})
	app := &hall.Application{BundleID: bs[0].ID, Number: hall.NumberPrefix + caseNumber, Name: "开办餐饮店", ApplicantUserID: userID,
		ApplicantName: "张三", Form: map[string]string{"排水": "是"}, QueryCodeHash: []byte{1}, QueryCode: []byte{2}, Key: "k-1",
		Members: []hall.Member{{CaseID: caseID, ImplCode: "A"}}, CreatedAt: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	if err := st.CreateApplication(ctx, app); err != nil || app.ID == 0 {
		t.Fatalf("create application: %v", err)
	}
	again := *app
	again.Number = "YJS-other"
	if err := st.CreateApplication(ctx, &again); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("the same key twice: %v", err)
	}
	for name, find := range map[string]func() (*hall.Application, error){
		"id":     func() (*hall.Application, error) { return st.FindApplication(ctx, app.ID) },
		"number": func() (*hall.Application, error) { return st.FindApplicationByNumber(ctx, app.Number) },
		"key":    func() (*hall.Application, error) { return st.FindApplicationByKey(ctx, "k-1") },
		"case":   func() (*hall.Application, error) { return st.FindApplicationOfCase(ctx, caseID) },
	} {
		got, err := find()
		if err != nil || got.ID != app.ID || got.Form["排水"] != "是" || len(got.Members) != 1 || got.Members[0].Number != caseNumber ||
			got.Members[0].ItemName == "" || string(got.QueryCode) != "\x02" {
			t.Errorf("by %s: %+v %v", name, got, err)
		}
	}
	if list, err := st.FindApplications(ctx, userID, 10); err != nil || len(list) != 1 {
		t.Fatalf("mine: %d %v", len(list), err)
	}
	if _, err := st.FindApplicationOfCase(ctx, 999); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a case in no bundle: %v", err)
	}
}

// checkBundled: a case read back says whether it belongs to a 一件事
// application, so that a page of a case filed on its own looks for none.
func checkBundled(t *testing.T, st cases.Store, bundled, alone int64) {
	t.Helper()
	for id, want := range map[int64]bool{bundled: true, alone: false} {
		c, err := st.LoadCase(context.Background(), id, false)
		if err != nil || c.Bundled != want {
			t.Errorf("case %d: bundled %v (%v), want %v", id, c != nil && c.Bundled, err, want)
		}
	}
}

func checkAppointments(t *testing.T, st hall.Store, itemID int64, path string, userID int64) {
	t.Helper()
	ctx := context.Background()
	ap := &hall.Appointment{ItemID: itemID, RegionPath: path, DepartmentID: 1, UserID: userID, Day: calendar.NewDate(2026, 12, 8),
		Slot: "am", Note: "带原件", Status: hall.AppointmentRequested, CreatedAt: time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)}
	if err := st.CreateAppointment(ctx, ap); err != nil || ap.ID == 0 {
		t.Fatalf("create: %v", err)
	}
	if q, err := st.FindAppointments(ctx, hall.AppointmentFilter{Statuses: []hall.AppointmentStatus{hall.AppointmentRequested},
		RegionPrefixes: []string{path[:3]}, Limit: 10}); err != nil || len(q) != 1 || q[0].ItemName != "食品经营许可" || q[0].UserName != "张三" {
		t.Fatalf("queue: %+v %v", q, err)
	}
	ap.Status, ap.Answer, ap.DecidedBy, ap.DecidedAt = hall.AppointmentConfirmed, "上午 9:30 A01", userID, time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	if err := st.UpdateAppointment(ctx, ap, hall.AppointmentRequested); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateAppointment(ctx, ap, hall.AppointmentRequested); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("answered twice: %v", err)
	}
	got, err := st.FindAppointment(ctx, ap.ID)
	if err != nil || got.Status != hall.AppointmentConfirmed || got.Day.String() != "2026-12-08" || !got.DecidedAt.Equal(ap.DecidedAt) {
		t.Fatalf("found: %+v %v", got, err)
	}
	if mine, _ := st.FindAppointments(ctx, hall.AppointmentFilter{UserID: userID, Limit: 10}); len(mine) != 1 {
		t.Fatalf("mine: %d", len(mine))
	}
	if q, _ := st.FindAppointments(ctx, hall.AppointmentFilter{Statuses: []hall.AppointmentStatus{hall.AppointmentRequested}, Limit: 10}); len(q) != 0 {
		t.Fatalf("an answered request left the queue: %d", len(q))
	}
}

func checkFavourites(t *testing.T, st hall.Store, itemID, userID int64) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	for range 2 {
		if err := st.PutFavourite(ctx, userID, itemID, at); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := st.IsFavourite(ctx, userID, itemID); !ok || err != nil {
		t.Fatalf("favourite: %v %v", ok, err)
	}
	if ids, err := st.FindFavourites(ctx, userID); err != nil || len(ids) != 1 || ids[0] != itemID {
		t.Fatalf("list: %v %v", ids, err)
	}
	if err := st.DeleteFavourite(ctx, userID, itemID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.IsFavourite(ctx, userID, itemID); ok {
		t.Fatal("still a favourite")
	}
}
