package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
	"openhall/internal/mailbox"
	"openhall/internal/org"
	"openhall/internal/powers"
	"openhall/internal/publicity"
)

// partEnv is the participation services over one test database, with two
// agencies in two counties, a department in each, and their staff.
type partEnv struct {
	sv   *Services
	tr   *Tree
	clk  *clockAt
	disc *disclosure.Service
	cons *consult.Service
	mail *mailbox.Service
	pow  *powers.Service
	pub  *publicity.Service

	agency, other       *disclosure.Agency // 西湖区人民政府, 余杭区人民政府
	otherDept           *org.Department    // 余杭区市场监督管理局
	officer, outsider   *identity.Actor    // 公开专员 of 西湖区 and of 余杭区
	approver, head      *identity.Actor    // of 西湖区市场监督管理局
	otherApprover       *identity.Actor    // of 余杭区市场监督管理局
	citizen, citizen2   *identity.Actor
	company             *identity.Actor
	citizenID, company2 int64
}

func newPartEnv(t *testing.T, b Backend, start time.Time) *partEnv {
	t.Helper()
	clk := &clockAt{t: start}
	s := b.Open(t, clk.now)
	sv := NewServices(s, clk.now)
	e := &partEnv{sv: sv, tr: BuildTree(t, sv), clk: clk}
	cals := calendar.NewService(s.Calendar, sv.Org, s, sv.Audit, clk.now)
	if err := cals.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.disc = disclosure.NewService(disclosure.Deps{Store: s.Disclosure, Tx: s, Audit: sv.Audit, Regions: sv.Org,
		Calendars: cals, Search: search.NewEngine(s.Search), Now: clk.now})
	e.cons = consult.NewService(consult.Deps{Store: s.Consult, Tx: s, Audit: sv.Audit, Agencies: e.disc, Documents: e.disc,
		Calendars: cals, Search: e.disc.Search(), Now: clk.now})
	e.mail = mailbox.NewService(mailbox.Deps{Store: s.Mailbox, Tx: s, Audit: sv.Audit, Agencies: e.disc, Departments: sv.Org,
		Calendars: cals, Now: clk.now})
	e.pow = powers.NewService(powers.Deps{Store: s.Powers, Tx: s, Audit: sv.Audit, Items: sv.Catalog, Departments: sv.Org, Now: clk.now})
	e.pub = publicity.NewService(publicity.Deps{Store: s.Publicity, Tx: s, Audit: sv.Audit, Settings: s.Settings, Benchmarks: e.pow,
		Items: sv.Catalog, Departments: sv.Org, Calendars: cals, Now: clk.now})
	e.people(t)
	return e
}

// people creates the agencies, the second department and the accounts.
func (e *partEnv) people(t *testing.T) {
	ctx, sys, tr := context.Background(), identity.SystemActor(), e.tr
	var err error
	if e.agency, err = e.disc.SaveAgency(ctx, sys, 0, disclosure.AgencyInput{RegionID: tr.County.ID, Name: "西湖区人民政府", Code: "002482133"}); err != nil {
		t.Fatal(err)
	}
	if e.other, err = e.disc.SaveAgency(ctx, sys, 0, disclosure.AgencyInput{RegionID: tr.OtherCounty.ID, Name: "余杭区人民政府", Code: "002482166"}); err != nil {
		t.Fatal(err)
	}
	if e.otherDept, err = e.sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.OtherCounty.ID,
		Name: "余杭区市场监督管理局", CreditCode: CreditCode(2)}); err != nil {
		t.Fatal(err)
	}
	_, e.officer = Staff(t, e.sv, "officer", identity.RoleDisclosureOfficer, &tr.County.ID, nil)
	_, e.outsider = Staff(t, e.sv, "outsider", identity.RoleDisclosureOfficer, &tr.OtherCounty.ID, nil)
	_, e.approver = Staff(t, e.sv, "approver", identity.RoleApprover, nil, &tr.Department.ID)
	_, e.head = Staff(t, e.sv, "head", identity.RoleDeptHead, nil, &tr.Department.ID)
	_, e.otherApprover = Staff(t, e.sv, "yhapprover", identity.RoleApprover, nil, &e.otherDept.ID)
	u, a := Citizen(t, e.sv, "zhang", "张三丰", 11, "13812345678", "")
	e.citizen, e.citizenID = a, u.ID
	_, e.citizen2 = Citizen(t, e.sv, "lisi", "李四", 12, "", "")
	e.company = e.legal(t)
}

// legal registers a company account.
func (e *partEnv) legal(t *testing.T) *identity.Actor {
	ctx := context.Background()
	u := Registered(t, e.sv, identity.UserInput{Kind: identity.KindLegal, Username: "acme", Name: "杭州某某科技有限公司",
		CreditCode: CreditCode(50), ContactName: "王五", Phone: "13700001234", Password: "secret123"})
	e.company2 = u.ID
	_, a, err := e.sv.Identity.Login(ctx, identity.LoginInput{Username: "acme", Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// at moves the clock to 10:00 in China on a date.
func (e *partEnv) at(t *testing.T, day string) {
	t.Helper()
	d, err := calendar.ParseDate(day)
	if err != nil {
		t.Fatal(err)
	}
	e.clk.t = d.Time().Add(10 * time.Hour).UTC()
}

// wantCode checks an error's code.
func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

// wantField checks an Invalid error names a field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if apperr.FieldsOf(err)[field] == "" {
		t.Fatalf("%s: want an error on %s, got %v", what, field, err)
	}
}

// wantActions checks the audit log holds each action on objects of a type.
func wantActions(t *testing.T, sv *Services, objType string, actions ...string) {
	t.Helper()
	es, err := sv.Stores.Audit.FindAuditEntries(context.Background(), audit.Filter{ObjectType: objType, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Action)
	}
	for _, a := range actions {
		if !slices.Contains(got, a) {
			t.Errorf("audit of %s lacks %s: %v", objType, a, got)
		}
	}
}
