package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/apptest"
)

// TestRatingLimitsAPI_Public: a region's rating limits are public rules,
// read without logging in; who set them, a staff member's name, is told
// to the region's system administrators only; a region that does not
// exist is answered as the region's own address answers it.
func TestRatingLimitsAPI_Public(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		tr := a.Tree
		a.Staff(t, "xhadmin", "sysadmin", &tr.County.ID, nil)
		a.Staff(t, "hzadmin", "sysadmin", &tr.City.ID, nil)
		a.Staff(t, "yhadmin", "sysadmin", &tr.OtherCounty.ID, nil)
		a.Staff(t, "xhwatch", "supervisor", &tr.County.ID, nil)
		xh := login(t, a, "xhadmin")
		xh.call("PUT", fmt.Sprintf("/api/v1/regions/%d/rating-limits", tr.County.ID),
			map[string]int{"callback_days": 3, "rectify_days": 10, "default_days": 20}, http.StatusOK, nil)

		for _, tc := range []struct {
			user     string
			region   int64
			inherits bool
			wantBy   bool
		}{
			{"", tr.County.ID, false, false},
			{"", tr.Township.ID, true, false},
			{"yhadmin", tr.County.ID, false, false},
			{"xhwatch", tr.County.ID, false, false},
			{"xhadmin", tr.County.ID, false, true},
			{"xhadmin", tr.Township.ID, true, true},
			{"hzadmin", tr.County.ID, false, true},
		} {
			c := anonymous(t, a)
			if tc.user != "" {
				c = login(t, a, tc.user)
			}
			var got map[string]any
			c.call("GET", fmt.Sprintf("/api/v1/regions/%d/rating-limits", tc.region), nil, http.StatusOK, &got)
			if got["callback_days"] != 3.0 || got["rectify_days"] != 10.0 || got["default_days"] != 20.0 || got["inherited"] != tc.inherits {
				t.Errorf("%q reads region %d's limits %v", tc.user, tc.region, got)
			}
			if by, ok := got["updated_by"]; ok != tc.wantBy || ok && by == "" {
				t.Errorf("%q reads region %d's limits set by %q", tc.user, tc.region, by)
			}
		}

		anon := anonymous(t, a)
		missing := anon.do("GET", "/api/v1/regions/999999/rating-limits", nil)
		region := anon.do("GET", "/api/v1/regions/999999", nil)
		var m, r any
		if missing.status != http.StatusNotFound || json.Unmarshal(missing.body, &m) != nil || json.Unmarshal(region.body, &r) != nil ||
			fmt.Sprint(m) != fmt.Sprint(r) {
			t.Errorf("a missing region's limits: %d %s; the region: %d %s", missing.status, missing.body, region.status, region.body)
		}
	})
}
