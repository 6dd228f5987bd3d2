package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
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
		watcher.call("POST", "/api/v1/audit/verify", nil, http.StatusOK, &report)
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
