package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// TestUniqueConflictsNameTheirField checks that a unique violation is told
// apart by the index it hit (a constraint name on PostgreSQL, the value
// already stored on SQLite), never by the driver's message text, and names
// the field a form shows it on.
func TestUniqueConflictsNameTheirField(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, time.Now), time.Now)
		tr := BuildTree(t, sv)
		t.Run("Users", func(t *testing.T) { userConflicts(t, sv) })
		t.Run("Departments", func(t *testing.T) { departmentConflicts(t, sv, tr) })
	})
}

func userConflicts(t *testing.T, sv *Services) {
	ctx, now := context.Background(), time.Now().UTC()
	user := func(username, idNumber, creditCode string) *identity.User {
		kind := identity.KindPerson
		if creditCode != "" {
			kind = identity.KindLegal
		}
		return &identity.User{Kind: kind, Username: username, Name: "测试", IDNumber: idNumber, CreditCode: creditCode,
			PasswordHash: "x", CreatedAt: now, UpdatedAt: now}
	}
	for _, u := range []*identity.User{user("uc-person", IDNumber(901), ""), user("uc-legal", "", CreditCode(901))} {
		if err := sv.Stores.Identity.CreateUser(ctx, u); err != nil {
			t.Fatalf("create %s: %v", u.Username, err)
		}
	}
	cases := []struct {
		u     *identity.User
		field string
	}{
		{user("uc-person2", IDNumber(901), ""), "id_number"},
		{user("uc-legal2", "", CreditCode(901)), "credit_code"},
		{user("UC-Person", IDNumber(902), ""), "username"},
	}
	for _, c := range cases {
		err := sv.Stores.Identity.CreateUser(ctx, c.u)
		if fields := apperr.FieldsOf(err); len(fields) != 1 || fields[c.field] == "" {
			t.Errorf("%s: want a message on %s, got %v", c.u.Username, c.field, err)
		}
	}
}

func departmentConflicts(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	other, err := sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, Name: "统计局", CreditCode: CreditCode(911)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, Name: "统计局", CreditCode: CreditCode(912)})
	if fields := apperr.FieldsOf(err); len(fields) != 1 || fields["name"] == "" {
		t.Errorf("same name in a region: want a message on name, got %v", err)
	}
	in := org.DepartmentInput{RegionID: tr.County.ID, Name: "统计局", CreditCode: tr.Department.CreditCode}
	_, err = sv.Org.SaveDepartment(ctx, sys, other.ID, in)
	if fields := apperr.FieldsOf(err); len(fields) != 1 || fields["credit_code"] == "" {
		t.Errorf("another department's credit code: want a message on credit_code, got %v", err)
	}
	in.CreditCode = CreditCode(911)
	if _, err := sv.Org.SaveDepartment(ctx, sys, other.ID, in); err != nil {
		t.Errorf("saving a department unchanged: %v", err)
	}
}
