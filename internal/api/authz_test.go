package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/store/storetest"
)

// scenario is one request of the authorization matrix. The scenarios run
// in order on one app, so those that succeed use fresh codes and names.
type scenario struct {
	name       string
	user       string // "" for anonymous
	method     string
	path       string
	body       any
	wantStatus int
}

func TestAPI_Authorization(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		tr := a.Tree
		for _, s := range []struct{ user, role string }{{"root", "sysadmin"}, {"countyadmin", "sysadmin"}, {"clerk", "window_clerk"}, {"watcher", "supervisor"}} {
			var region *int64
			if s.user != "root" {
				region = &tr.County.ID
			}
			a.Staff(t, s.user, s.role, region, nil)
		}
		anonymous(t, a).call("POST", "/api/v1/register", map[string]any{"kind": "person", "username": "citizen", "name": "赵六",
			"id_number": storetest.IDNumber(9), "password": "secret123"}, http.StatusAccepted, nil)
		users := map[string]*client{"": anonymous(t, a)}
		for _, u := range []string{"root", "countyadmin", "clerk", "watcher", "citizen"} {
			users[u] = login(t, a, u)
		}
		id := func(u string) int64 { return users[u].me.ID }
		township := func(parent int64, code string) map[string]any {
			return map[string]any{"parent_id": parent, "code": code, "name": "街道" + code, "level": 5}
		}
		centre := func(region int64, name string) map[string]any {
			return map[string]any{"region_id": region, "name": name, "kind": "gov_service_centre"}
		}
		override := func(region int64, date string) map[string]any {
			return map[string]any{"region_id": region, "date": date, "is_off_day": true, "name": "地方节日"}
		}

		for _, sc := range []scenario{
			{"anonymous lists regions", "", "GET", "/api/v1/regions", nil, 200},
			{"anonymous reads a region", "", "GET", fmt.Sprintf("/api/v1/regions/%d", tr.County.ID), nil, 200},
			{"anonymous lists centres", "", "GET", "/api/v1/centres", nil, 200},
			{"anonymous lists departments", "", "GET", "/api/v1/departments", nil, 200},
			{"anonymous lists windows", "", "GET", "/api/v1/windows", nil, 200},
			{"anonymous reads the calendar", "", "GET", "/api/v1/calendar", nil, 200},
			{"anonymous adds working days", "", "GET", "/api/v1/calendar/add-workdays?date=2026-02-13&n=1", nil, 200},
			{"anonymous creates a region", "", "POST", "/api/v1/regions", township(tr.County.ID, "330106009"), 401},
			{"anonymous creates a centre", "", "POST", "/api/v1/centres", centre(tr.County.ID, "中心A"), 401},
			{"anonymous lists users", "", "GET", "/api/v1/users", nil, 401},
			{"anonymous reads me", "", "GET", "/api/v1/me", nil, 401},
			{"anonymous reads audit", "", "GET", "/api/v1/audit", nil, 401},
			{"anonymous adds an override", "", "POST", "/api/v1/calendar/overrides", override(tr.County.ID, "2026-03-02"), 401},
			{"anonymous logs out", "", "DELETE", "/api/v1/session", nil, 401},

			{"citizen creates a region", "citizen", "POST", "/api/v1/regions", township(tr.County.ID, "330106009"), 403},
			{"citizen lists users", "citizen", "GET", "/api/v1/users", nil, 403},
			{"citizen reads own account", "citizen", "GET", fmt.Sprintf("/api/v1/users/%d", id("citizen")), nil, 200},
			{"citizen reads a clerk", "citizen", "GET", fmt.Sprintf("/api/v1/users/%d", id("clerk")), nil, 403},
			{"citizen reads audit", "citizen", "GET", "/api/v1/audit", nil, 403},
			{"citizen revokes a grant", "citizen", "DELETE", fmt.Sprintf("/api/v1/grants/%d", users["clerk"].me.Grants[0].ID), nil, 403},

			{"clerk lists users", "clerk", "GET", "/api/v1/users", nil, 403},
			{"clerk edits own account", "clerk", "PATCH", fmt.Sprintf("/api/v1/users/%d", id("clerk")), map[string]any{"name": "改名"}, 403},
			{"clerk reads audit", "clerk", "GET", "/api/v1/audit", nil, 403},
			{"clerk verifies audit", "clerk", "POST", "/api/v1/audit/verify", nil, 403},
			{"clerk creates a centre", "clerk", "POST", "/api/v1/centres", centre(tr.County.ID, "中心B"), 403},

			{"county admin creates a region in the other county", "countyadmin", "POST", "/api/v1/regions", township(tr.OtherCounty.ID, "330110009"), 403},
			{"county admin creates a region in own county", "countyadmin", "POST", "/api/v1/regions", township(tr.County.ID, "330106009"), 201},
			{"county admin renames the other county", "countyadmin", "PATCH", fmt.Sprintf("/api/v1/regions/%d", tr.OtherCounty.ID), map[string]any{"name": "X"}, 403},
			{"county admin renames own county", "countyadmin", "PATCH", fmt.Sprintf("/api/v1/regions/%d", tr.County.ID), map[string]any{"name": "西湖区"}, 200},
			{"county admin creates a centre in the other county", "countyadmin", "POST", "/api/v1/centres", centre(tr.OtherCounty.ID, "余杭区政务服务中心"), 403},
			{"county admin lists users", "countyadmin", "GET", "/api/v1/users", nil, 200},
			{"county admin edits the global admin", "countyadmin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id("root")), map[string]any{"disabled": true}, 403},
			{"county admin edits a citizen", "countyadmin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id("citizen")), map[string]any{"name": "X"}, 403},
			{"county admin grants in own county", "countyadmin", "POST", fmt.Sprintf("/api/v1/users/%d/grants", id("clerk")),
				map[string]any{"role": "approver", "department_id": tr.Department.ID}, 201},
			{"county admin grants in the other county", "countyadmin", "POST", fmt.Sprintf("/api/v1/users/%d/grants", id("clerk")),
				map[string]any{"role": "window_clerk", "region_id": tr.OtherCounty.ID}, 403},
			{"county admin imports a schedule", "countyadmin", "POST", "/api/v1/calendar/schedules", map[string]any{"format": "json", "data": schedule2027}, 403},
			{"county admin adjusts the other county", "countyadmin", "POST", "/api/v1/calendar/overrides", override(tr.OtherCounty.ID, "2026-03-02"), 403},
			{"county admin adjusts own county", "countyadmin", "POST", "/api/v1/calendar/overrides", override(tr.County.ID, "2026-03-02"), 201},
			{"county admin reads audit", "countyadmin", "GET", "/api/v1/audit", nil, 200},

			{"supervisor reads audit", "watcher", "GET", "/api/v1/audit", nil, 200},
			{"supervisor verifies audit", "watcher", "POST", "/api/v1/audit/verify", nil, 403},
			{"county admin verifies audit", "countyadmin", "POST", "/api/v1/audit/verify", nil, 403},
			{"global admin verifies audit", "root", "POST", "/api/v1/audit/verify", nil, 200},
			{"supervisor lists users", "watcher", "GET", "/api/v1/users", nil, 403},
			{"supervisor creates a region", "watcher", "POST", "/api/v1/regions", township(tr.County.ID, "330106008"), 403},

			{"global admin creates a region in the other county", "root", "POST", "/api/v1/regions", township(tr.OtherCounty.ID, "330110009"), 201},
			{"global admin reads a citizen", "root", "GET", fmt.Sprintf("/api/v1/users/%d", id("citizen")), nil, 200},
			{"global admin imports a schedule", "root", "POST", "/api/v1/calendar/schedules", map[string]any{"format": "json", "data": schedule2027}, 201},
			{"global admin revokes own sysadmin role", "root", "DELETE", fmt.Sprintf("/api/v1/grants/%d", users["root"].me.Grants[0].ID), nil, 409},
		} {
			t.Run(sc.name, func(t *testing.T) {
				r := users[sc.user].do(sc.method, sc.path, sc.body)
				if r.status != sc.wantStatus {
					t.Fatalf("%s %s as %q: status %d, want %d; body: %s", sc.method, sc.path, sc.user, r.status, sc.wantStatus, r.body)
				}
				if r.status >= 400 {
					r.mustError(t, sc.name, sc.wantStatus)
				}
			})
		}
	})
}
