package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

type auditEntryJSON struct {
	ID         int64           `json:"id"`
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	ActorID    int64           `json:"actor_id"`
	ActorLabel string          `json:"actor_label"`
	Scope      string          `json:"scope"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Detail     json.RawMessage `json:"detail"`
	Digest     string          `json:"digest"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

type auditReportJSON struct {
	Checked int64 `json:"checked"`
	Pending int64 `json:"pending"`
	Head    struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	} `json:"head"`
	OK       bool   `json:"ok"`
	BadSeq   int64  `json:"bad_seq"`
	Problem  string `json:"problem"`
	Verified bool   `json:"verified"`
}

func TestAuditAPI(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		a.Staff(t, "watcher", "supervisor", &a.Tree.City.ID, nil)
		root, watcher := login(t, a, "root"), login(t, a, "watcher")
		var region regionJSON
		root.call("POST", "/api/v1/regions", map[string]any{"parent_id": a.Tree.Township.ID, "code": "330106001002",
			"name": "曙光社区", "level": 6}, http.StatusCreated, &region)

		var report auditReportJSON
		watcher.call("POST", "/api/v1/audit/verify", nil, http.StatusForbidden, nil) // the whole chain is the deployment's
		root.call("POST", "/api/v1/audit/verify", nil, http.StatusOK, &report)
		if !report.OK || !report.Verified || report.Checked == 0 || report.Pending != 0 || report.Head.Seq != report.Checked ||
			len(report.Head.Hash) != 64 || report.Problem != "" {
			t.Fatalf("report %+v", report)
		}

		var got list[auditEntryJSON]
		path := fmt.Sprintf("/api/v1/audit?object_type=region&object_id=%d&action=org.region.create", region.ID)
		watcher.call("GET", path, nil, http.StatusOK, &got)
		if len(got.Items) != 1 {
			t.Fatalf("entries %+v", got.Items)
		}
		e := got.Items[0]
		var detail struct{ Name string }
		if err := json.Unmarshal(e.Detail, &detail); err != nil || detail.Name != "曙光社区" {
			t.Fatalf("detail %s (%v)", e.Detail, err)
		}
		if e.Seq == 0 || e.ActorID != root.me.ID || e.Scope != "region:"+region.Path || len(e.Digest) != 64 ||
			len(e.PrevHash) != 64 || len(e.Hash) != 64 || e.At == "" {
			t.Fatalf("entry %+v", e)
		}

		var page, older list[auditEntryJSON]
		root.call("GET", "/api/v1/audit?limit=2", nil, http.StatusOK, &page)
		if len(page.Items) != 2 || page.Items[0].ID <= page.Items[1].ID {
			t.Fatalf("first page %+v", page.Items)
		}
		root.call("GET", fmt.Sprintf("/api/v1/audit?limit=2&before=%d", page.Items[1].ID), nil, http.StatusOK, &older)
		if len(older.Items) != 2 || older.Items[0].ID >= page.Items[1].ID {
			t.Fatalf("older page %+v", older.Items)
		}
	})
}

// TestAuditAPI_Reach: a county's administrator reads the audit entries of
// the county, not the other county's nor the city's nor the accounts'; the
// city's supervisor reads both counties'; the deployment's administrator
// reads everything.
func TestAuditAPI_Reach(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		tr := a.Tree
		a.Staff(t, "root", "sysadmin", nil, nil)
		a.Staff(t, "xhadmin", "sysadmin", &tr.County.ID, nil)
		a.Staff(t, "watcher", "supervisor", &tr.City.ID, nil)
		root := login(t, a, "root")
		var xh, yh, hz regionJSON
		root.call("POST", "/api/v1/regions", map[string]any{"parent_id": tr.County.ID, "code": "330106009",
			"name": "西湖测试街道", "level": 5}, http.StatusCreated, &xh)
		root.call("POST", "/api/v1/regions", map[string]any{"parent_id": tr.OtherCounty.ID, "code": "330110009",
			"name": "余杭测试街道", "level": 5}, http.StatusCreated, &yh)
		root.call("POST", "/api/v1/regions", map[string]any{"parent_id": tr.City.ID, "code": "330199",
			"name": "杭州测试区", "level": 4}, http.StatusCreated, &hz)
		ids := func(user, query string) []string {
			var got list[auditEntryJSON]
			login(t, a, user).call("GET", "/api/v1/audit?"+query, nil, http.StatusOK, &got)
			var out []string
			for _, e := range got.Items {
				out = append(out, e.ObjectType+":"+e.ObjectID)
			}
			return out
		}
		region := func(r regionJSON) string { return fmt.Sprintf("region:%d", r.ID) }
		for _, tc := range []struct {
			user string
			want []string
		}{
			{"xhadmin", []string{region(xh)}},
			{"watcher", []string{region(hz), region(yh), region(xh)}},
			{"root", []string{region(hz), region(yh), region(xh)}},
		} {
			mine := slices.DeleteFunc(ids(tc.user, "action=org.region.create"), func(id string) bool {
				return !slices.Contains([]string{region(xh), region(yh), region(hz)}, id)
			})
			if got := mine; !slices.Equal(got, tc.want) {
				t.Errorf("%s reads regions created %v, want %v", tc.user, got, tc.want)
			}
		}
		// A county's administrator reads what happened to the accounts
		// whose roles lie in the county (its own here), not to the
		// deployment's or the city's.
		xhUser, err := a.Stores.Identity.FindUserByUsername(context.Background(), "xhadmin")
		if err != nil {
			t.Fatal(err)
		}
		own := fmt.Sprintf("user:%d", xhUser.ID)
		if got := ids("xhadmin", "object_type=user"); len(got) == 0 || slices.ContainsFunc(got, func(id string) bool { return id != own }) {
			t.Errorf("a county's administrator reads the accounts' entries %v, want only %s's", got, own)
		}
		if got := ids("root", "object_type=user"); len(got) == 0 {
			t.Error("the deployment's administrator reads no account entry")
		}
		// Paging backwards stays within the reader's reach.
		var first, older list[auditEntryJSON]
		xhadmin := login(t, a, "xhadmin")
		xhadmin.call("GET", "/api/v1/audit?limit=1", nil, http.StatusOK, &first)
		xhadmin.call("GET", fmt.Sprintf("/api/v1/audit?limit=100&before=%d", first.Items[0].ID), nil, http.StatusOK, &older)
		for _, e := range append(first.Items, older.Items...) {
			if !strings.HasPrefix(e.Scope, "region:"+tr.County.Path) && e.Scope != fmt.Sprintf("centre:%d", tr.Centre.ID) &&
				e.Scope != fmt.Sprintf("dept:%d", tr.Department.ID) {
				t.Errorf("西湖区's administrator reads entry %d (%s, %s)", e.ID, e.Scope, e.Action)
			}
		}
		if len(older.Items) == 0 {
			t.Error("no older entries of 西湖区")
		}
	})
}
