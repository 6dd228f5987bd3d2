package app_test

import (
	"context"
	"reflect"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/identity"
)

// TestComplaintAboutCaseNeedsQueryCode: the applicant complains about
// their case by its number alone; anyone else, logged in or not, gives
// its 查询密码 too, and a wrong code and a number that does not exist are
// answered word for word alike, so complaining tells nobody which case
// numbers exist. The wrong guesses count with the progress lookup's.
func TestComplaintAboutCaseNeedsQueryCode(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		citizen, stranger := actor(t, a, "citizen"), actor(t, a, "company")
		code, err := a.Services.Cases.QueryCode(ctx, citizen, c)
		if err != nil || code == "" {
			t.Fatalf("the applicant's 查询密码: %q, %v", code, err)
		}
		about := func(number, code string) complaint.Input {
			return complaint.Input{Subject: complaint.SubjectCase, CaseNumber: number, QueryCode: code, Content: "办理时间过长，无人答复", Addr: "10.0.0.9"}
		}
		filed, err := a.Services.Complaints.Submit(ctx, citizen, about(c.Number, ""))
		if err != nil {
			t.Fatalf("the applicant by the number alone: %v", err)
		}
		if filed.Complaint.Subject.CaseID != c.ID {
			t.Fatalf("the applicant's complaint is about case %d, not %d", filed.Complaint.Subject.CaseID, c.ID)
		}
		if _, err := a.Services.Complaints.Submit(ctx, stranger, about(c.Number, "")); apperr.FieldsOf(err)["query_code"] == "" {
			t.Fatalf("another account by the number alone: %v", err)
		}
		if filed, err := a.Services.Complaints.Submit(ctx, stranger, about(c.Number, " "+code+" ")); err != nil || filed.Complaint.Subject.CaseID != c.ID {
			t.Fatalf("another account with the right 查询密码: %v", err)
		}
		// The desk of the case's region records a complaint brought to it
		// by the number alone; another county's desk needs the code.
		desk := about(c.Number, "")
		desk.Name, desk.Phone, desk.Channel = "王五", "13700002222", complaint.ChannelDesk
		if filed, err := a.Services.Complaints.Submit(ctx, actor(t, a, "supervisor"), desk); err != nil || filed.Complaint.Subject.CaseID != c.ID {
			t.Fatalf("the region's desk by the number alone: %v", err)
		}
		yh, err := a.Services.Org.RegionByCode(ctx, "330110")
		if err != nil {
			t.Fatal(err)
		}
		a.Staff(t, "yhdesk", string(identity.RoleSupervisor), &yh.ID, nil)
		_, yhDesk, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "yhdesk", Password: "secret123", Address: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Complaints.Submit(ctx, yhDesk, desk); apperr.FieldsOf(err)["query_code"] == "" {
			t.Fatalf("another county's desk by the number alone: %v", err)
		}
		anon := about(c.Number, code)
		anon.Anonymous = true
		if filed, err := a.Services.Complaints.Submit(ctx, nil, anon); err != nil || filed.Complaint.Subject.CaseID != c.ID {
			t.Fatalf("anonymously with the right 查询密码: %v", err)
		}
		wrongCode := "000000"
		if code == wrongCode {
			wrongCode = "111111"
		}
		_, errCode := a.Services.Complaints.Submit(ctx, stranger, about(c.Number, wrongCode))
		_, errNumber := a.Services.Complaints.Submit(ctx, stranger, about(c.Number+"9", code))
		if !apperr.Is(errCode, apperr.Invalid) || apperr.FieldsOf(errCode)["case_number"] != "办件编号或查询密码不对，请核对受理回执" {
			t.Fatalf("a wrong 查询密码: %v %v", errCode, apperr.FieldsOf(errCode))
		}
		if !reflect.DeepEqual(apperr.FieldsOf(errCode), apperr.FieldsOf(errNumber)) || apperr.MessageOf(errCode) != apperr.MessageOf(errNumber) {
			t.Fatalf("a wrong 查询密码 is answered %v, a number that does not exist %v", apperr.FieldsOf(errCode), apperr.FieldsOf(errNumber))
		}
		if _, err := a.Services.Complaints.Submit(ctx, nil, about(c.Number+"9", "")); apperr.FieldsOf(err)["query_code"] == "" {
			t.Fatalf("a visitor naming a number without a 查询密码: %v", err)
		}
		// Guessing on from one address is refused as the progress lookup
		// refuses it, and the lookup from there is refused too.
		for i := 0; ; i++ {
			_, err := a.Services.Complaints.Submit(ctx, nil, about(c.Number+"8", code))
			if apperr.Is(err, apperr.TooMany) {
				break
			}
			if i == 20 {
				t.Fatalf("wrong guesses are never refused: %v", err)
			}
		}
		if _, err := a.Services.Cases.Lookup(ctx, c.Number, code, "10.0.0.9"); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("the progress lookup after the guesses: %v", err)
		}
		if _, err := a.Services.Complaints.Submit(ctx, citizen, about(c.Number, "")); err != nil {
			t.Fatalf("the applicant is not held up by others' guesses: %v", err)
		}
	})
}
