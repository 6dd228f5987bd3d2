package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/calendar"
	"openhall/internal/certs"
	"openhall/internal/identity"
	"openhall/internal/notify"
	"openhall/internal/store/storetest"
)

func TestCertificateVerifyAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		c, err := a.Services.Certs.Issue(context.Background(), identity.SystemActor(), certs.IssueInput{
			CentreID: a.Tree.Centre.ID, Data: certs.Data{Name: "营业执照",
				Holder:   certs.Holder{Name: "杭州某某科技有限公司", IDType: certs.IDCreditCode, IDNumber: storetest.CreditCode(9)},
				ItemName: "企业设立登记", ValidFrom: calendar.NewDate(2026, 1, 1), IssuerName: "西湖区市场监督管理局",
				IssuerCreditCode: storetest.CreditCode(1), IssueDate: calendar.NewDate(2026, 1, 1)}})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/certificates/" + url.PathEscape(c.Number()) + "/verify"
		r := anonymous(t, a).do("GET", path, nil)
		if r.status != http.StatusOK {
			t.Fatalf("verify: %d %s", r.status, r.body)
		}
		body := string(r.body)
		if !strings.Contains(body, `"status":"valid"`) || !strings.Contains(body, `"valid":true`) || !strings.Contains(body, `"valid_to":null`) {
			t.Fatalf("verify: %s", body)
		}
		if strings.Contains(body, storetest.CreditCode(9)) || !strings.Contains(body, "杭州某某科技有限公司") {
			t.Fatalf("the credit code must be masked, the company name shown: %s", body)
		}
		if !strings.Contains(body, `"verify_url":"`+a.URL("/verify/"+c.Number())+`"`) {
			t.Fatalf("verify_url: %s", body)
		}
		e := anonymous(t, a).fail("GET", "/api/v1/certificates/DZ-NONE/verify", nil, http.StatusNotFound)
		if !strings.Contains(e.Error.Message, "DZ-NONE") {
			t.Fatalf("not found message: %s", e.Error.Message)
		}
	})
}

type notificationList struct {
	Items []struct {
		ID     int64   `json:"id"`
		Title  string  `json:"title"`
		ReadAt *string `json:"read_at"`
	} `json:"items"`
	Unread int `json:"unread"`
}

func TestNotificationsAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		me := a.Citizen(t, "reader", "读者", 1, "", "")
		other := a.Citizen(t, "other1", "他人", 2, "", "")
		var ids []int64
		for i, u := range []int64{me.ID, me.ID, me.ID, other.ID} {
			n, err := a.Services.Notify.Notify(context.Background(), notify.Message{UserID: u, Kind: "case.accepted", Title: fmt.Sprint("消息", i)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, n.ID)
		}
		anonymous(t, a).fail("GET", "/api/v1/notifications", nil, http.StatusUnauthorized)
		c := login(t, a, "reader")
		var list notificationList
		c.call("GET", "/api/v1/notifications?limit=2", nil, http.StatusOK, &list)
		if len(list.Items) != 2 || list.Items[0].ID != ids[2] || list.Unread != 3 || list.Items[0].ReadAt != nil {
			t.Fatalf("list: %+v", list)
		}
		c.call("GET", fmt.Sprintf("/api/v1/notifications?before_id=%d", ids[1]), nil, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].ID != ids[0] {
			t.Fatalf("paging: %+v", list)
		}
		wantFields(t, c.fail("GET", "/api/v1/notifications?limit=0&before_id=x", nil, http.StatusUnprocessableEntity), "limit", "before_id")
		c.call("POST", fmt.Sprintf("/api/v1/notifications/%d/read", ids[0]), nil, http.StatusOK, nil)
		c.fail("POST", fmt.Sprintf("/api/v1/notifications/%d/read", ids[3]), nil, http.StatusNotFound)
		c.call("GET", "/api/v1/notifications?unread=1", nil, http.StatusOK, &list)
		if len(list.Items) != 2 || list.Unread != 2 {
			t.Fatalf("unread after reading one: %+v", list)
		}
		var all struct {
			Marked int64 `json:"marked"`
		}
		c.call("POST", "/api/v1/notifications/read-all", nil, http.StatusOK, &all)
		if all.Marked != 2 {
			t.Fatalf("read-all marked %d, want 2", all.Marked)
		}
		noToken := *c
		noToken.csrf = ""
		noToken.fail("POST", "/api/v1/notifications/read-all", nil, http.StatusForbidden)
	})
}
