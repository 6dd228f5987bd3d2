package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/pii"
	"openhall/internal/store/storetest"
)

type userJSON struct {
	ID        int64       `json:"id"`
	Kind      string      `json:"kind"`
	KindLabel string      `json:"kind_label"`
	Username  string      `json:"username"`
	Name      string      `json:"name"`
	IDNumber  string      `json:"id_number"`
	Phone     string      `json:"phone"`
	Email     string      `json:"email"`
	Disabled  bool        `json:"disabled"`
	Grants    []grantJSON `json:"grants"`
}

type usersJSON struct {
	Items []userJSON `json:"items"`
	Total int        `json:"total"`
}

func TestUsersAPI_RoundTrip(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		root := login(t, a, "root")
		idNumber := storetest.IDNumber(5)

		var created, got, updated userJSON
		root.call("POST", "/api/v1/users", map[string]any{"username": "zhangsan", "name": "张三", "id_number": idNumber,
			"phone": "13800138000", "email": "zs@example.cn", "password": "secret123"}, http.StatusCreated, &created)
		if created.Kind != "staff" || created.KindLabel != "工作人员" || created.IDNumber != idNumber || created.Phone != "13800138000" {
			t.Fatalf("created %+v", created)
		}
		if r := root.do("GET", fmt.Sprintf("/api/v1/users/%d", created.ID), nil); containsAny(r.body, "password", "argon2") {
			t.Fatalf("user answer carries the password hash: %s", r.body)
		}
		root.call("GET", fmt.Sprintf("/api/v1/users/%d", created.ID), nil, http.StatusOK, &got)
		if got.Username != "zhangsan" || got.Grants == nil || len(got.Grants) != 0 {
			t.Fatalf("got %+v", got)
		}
		var found usersJSON
		root.call("GET", "/api/v1/users?q=zhang&kind=staff&limit=10", nil, http.StatusOK, &found)
		if found.Total != 1 || len(found.Items) != 1 || found.Items[0].ID != created.ID {
			t.Fatalf("list %+v", found)
		}
		root.call("PATCH", fmt.Sprintf("/api/v1/users/%d", created.ID), map[string]any{"phone": "13900139000"}, http.StatusOK, &updated)
		if updated.Phone != "13900139000" || updated.Name != "张三" || updated.Email != "zs@example.cn" {
			t.Fatalf("updated %+v", updated)
		}

		var g grantJSON
		root.call("POST", fmt.Sprintf("/api/v1/users/%d/grants", created.ID), map[string]any{"role": "window_clerk",
			"region_id": a.Tree.County.ID}, http.StatusCreated, &g)
		if g.Role != "window_clerk" || g.RoleLabel != "窗口人员" || g.UserID != created.ID || *g.RegionID != a.Tree.County.ID {
			t.Fatalf("grant %+v", g)
		}
		root.call("GET", fmt.Sprintf("/api/v1/users/%d", created.ID), nil, http.StatusOK, &got)
		if len(got.Grants) != 1 || got.Grants[0].ID != g.ID {
			t.Fatalf("grants after granting %+v", got.Grants)
		}
		zs := login(t, a, "zhangsan")
		if len(zs.me.Roles) != 1 || zs.me.Roles[0] != "window_clerk" {
			t.Fatalf("roles of the new clerk %v", zs.me.Roles)
		}
		root.call("DELETE", fmt.Sprintf("/api/v1/grants/%d", g.ID), nil, http.StatusNoContent, nil)
		root.call("GET", fmt.Sprintf("/api/v1/users/%d", created.ID), nil, http.StatusOK, &got)
		if len(got.Grants) != 0 {
			t.Fatalf("grants after revoking %+v", got.Grants)
		}

		t.Run("PasswordResetAndDisable", func(t *testing.T) {
			root.call("PATCH", fmt.Sprintf("/api/v1/users/%d", created.ID), map[string]any{"password": "newpass99"}, http.StatusOK, nil)
			zs.fail("GET", "/api/v1/me", nil, http.StatusUnauthorized) // sessions end on a reset
			loginWith(t, a, "zhangsan", "newpass99")
			root.call("PATCH", fmt.Sprintf("/api/v1/users/%d", created.ID), map[string]any{"disabled": true}, http.StatusOK, &updated)
			if !updated.Disabled {
				t.Fatalf("not disabled: %+v", updated)
			}
			anonymous(t, a).fail("POST", "/api/v1/session", map[string]string{"username": "zhangsan", "password": "newpass99"}, http.StatusUnauthorized)
		})
	})
}

// TestUsersAPI_PersonalData: ID and phone numbers are shown in full only to
// the account's owner and to system administrators.
func TestUsersAPI_PersonalData(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
		a.Staff(t, "watcher", "supervisor", &a.Tree.City.ID, nil)
		idNumber, phone := storetest.IDNumber(7), "13812345678"

		first := anonymous(t, a).do("POST", "/api/v1/register", map[string]any{"kind": "person", "username": "lisi", "name": "李四",
			"id_number": idNumber, "phone": phone, "password": "secret123"})
		if first.status != http.StatusAccepted || containsAny(first.body, idNumber, phone, pii.MaskIDNumber(idNumber)) {
			t.Fatalf("registration answer: %d %s", first.status, first.body)
		}
		// The same ID number again, under another name: the same answer,
		// and no second account.
		again := anonymous(t, a).do("POST", "/api/v1/register", map[string]any{"kind": "person", "username": "lisi2", "name": "李四",
			"id_number": idNumber, "password": "secret123"})
		if again.status != first.status || string(again.body) != string(first.body) {
			t.Fatalf("a registered ID number answers differently: %d %s, first %d %s", again.status, again.body, first.status, first.body)
		}
		anonymous(t, a).call("POST", "/api/v1/register", map[string]any{"kind": "person", "username": "wangwu", "name": "王五",
			"id_number": storetest.IDNumber(8), "password": "secret123"}, http.StatusAccepted, nil)
		reg := loginWith(t, a, "lisi", "secret123").me
		path := fmt.Sprintf("/api/v1/users/%d", reg.ID)

		for _, who := range []string{"root", "lisi"} {
			var u userJSON
			login(t, a, who).call("GET", path, nil, http.StatusOK, &u)
			if u.IDNumber != idNumber || u.Phone != phone {
				t.Errorf("%s sees %q %q, want the full numbers", who, u.IDNumber, u.Phone)
			}
		}
		var page usersJSON
		login(t, a, "root").call("GET", "/api/v1/users?kind=person", nil, http.StatusOK, &page)
		if page.Total != 2 || page.Items[0].IDNumber != idNumber {
			t.Errorf("global admin's list: %+v", page)
		}
		for _, who := range []string{"wangwu", "clerk", "watcher"} {
			r := login(t, a, who).do("GET", path, nil)
			r.mustError(t, who+" reads lisi", http.StatusForbidden)
			if containsAny(r.body, idNumber, phone) {
				t.Errorf("%s got personal data: %s", who, r.body)
			}
		}
		if r := anonymous(t, a).do("GET", path, nil); r.status != http.StatusUnauthorized || containsAny(r.body, idNumber, phone) {
			t.Errorf("anonymous: %d %s", r.status, r.body)
		}
	})
}

// containsAny reports whether body contains any of the strings.
func containsAny(body []byte, ss ...string) bool {
	for _, s := range ss {
		if strings.Contains(string(body), s) {
			return true
		}
	}
	return false
}
