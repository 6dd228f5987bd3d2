package api_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

// TestComplaintAboutCaseAPI: the applicant names their case by its number
// alone; a visitor gives query_code too, and a wrong one and a number that
// does not exist are answered alike on case_number.
func TestComplaintAboutCaseAPI(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	c := instantCase(t, a)
	code, err := a.Services.Cases.QueryCode(context.Background(), serviceActor(t, a, "citizen"), c)
	if err != nil {
		t.Fatal(err)
	}
	body := func(number, code string) map[string]any {
		return map[string]any{"subject": "case", "case_number": number, "query_code": code, "content": "办理时间过长，无人答复", "anonymous": true}
	}
	demoLogin(t, a, "citizen").call("POST", "/api/v1/complaints", map[string]any{"subject": "case", "case_number": c.Number, "content": "办理时间过长，无人答复"},
		http.StatusCreated, nil)
	anon := anonymous(t, a)
	wantFields(t, anon.fail("POST", "/api/v1/complaints", body(c.Number, ""), http.StatusUnprocessableEntity), "query_code")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	byCode := anon.fail("POST", "/api/v1/complaints", body(c.Number, wrong), http.StatusUnprocessableEntity)
	byNumber := anon.fail("POST", "/api/v1/complaints", body(c.Number+"9", code), http.StatusUnprocessableEntity)
	wantFields(t, byCode, "case_number")
	if !reflect.DeepEqual(byCode, byNumber) {
		t.Fatalf("a wrong query_code is answered %+v, a number that does not exist %+v", byCode, byNumber)
	}
	var filed struct {
		Number string `json:"number"`
	}
	anon.call("POST", "/api/v1/complaints", body(c.Number, code), http.StatusCreated, &filed)
	if filed.Number == "" {
		t.Fatal("no complaint number")
	}
}
