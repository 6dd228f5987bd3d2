package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/opendata"
)

func TestOpenDataConditionalAccess(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		d := e.published(t, "licences", opendata.TierConditional)
		in := opendata.ApplicationInput{Purpose: "研究西湖区市场主体的区域分布情况", Fields: []string{"name", "day"},
			PeriodFrom: "2026-03-18", PeriodTo: "2026-12-31"}
		if _, err := e.od.Apply(ctx, nil, d.Name, in); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("anonymous application: %v", err)
		}
		bad := in
		bad.Fields, bad.Purpose = []string{"secret"}, "研究"
		if _, err := e.od.Apply(ctx, e.citizen, d.Name, bad); apperr.FieldsOf(err)["fields"] == "" || apperr.FieldsOf(err)["purpose"] == "" {
			t.Fatalf("bad application: %v", err)
		}
		app, err := e.od.Apply(ctx, e.citizen, d.Name, in)
		if err != nil {
			t.Fatal(err)
		}
		clock, err := e.od.Clock(ctx, app)
		if err != nil || clock.Due.String() != "2026-04-01" || clock.Provisional != 0 {
			t.Fatalf("decision due %v (%v), want 2026-04-01: 10 working days after 2026-03-18", clock.Due, err)
		}
		if _, _, err := e.od.IssueKey(ctx, e.citizen, app.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("key before approval: %v", err)
		}
		if _, err := e.od.Decide(ctx, e.outsider, app.ID, opendata.DecisionInput{Approve: true}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another county's officer decides: %v", err)
		}
		if _, err := e.od.Decide(ctx, e.drafter, app.ID, opendata.DecisionInput{Approve: true, RateLimit: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.od.Decide(ctx, e.drafter, app.ID, opendata.DecisionInput{Approve: false, Reason: "改主意"}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("decided twice: %v", err)
		}
		if _, _, err := e.od.IssueKey(ctx, e.drafter, app.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("someone else issues the applicant's key: %v", err)
		}
		key, k, err := e.od.IssueKey(ctx, e.citizen, app.ID)
		if err != nil || !strings.HasPrefix(key, "ohk_") || !strings.HasPrefix(key, k.Prefix) {
			t.Fatalf("key %q %+v %v", key, k, err)
		}
		page, err := e.od.Rows(ctx, nil, d.Name, key, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		row, _ := json.Marshal(page.Rows[0])
		if string(row) != `{"day":"2026-01-05","name":"甲"}` || len(page.Rows) != 3 {
			t.Fatalf("rows with the key: %s (%d rows), want only the approved fields", row, len(page.Rows))
		}
		if _, err := e.od.Rows(ctx, nil, d.Name, key, 0, 10); err != nil {
			t.Fatalf("second call within the limit: %v", err)
		}
		if _, err := e.od.Rows(ctx, nil, d.Name, key, 0, 10); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("third call in a minute with a limit of 2: %v, want TooMany", err)
		}
		*e.now = e.now.Add(61e9)
		if _, err := e.od.Rows(ctx, nil, d.Name, key, 0, 10); err != nil {
			t.Fatalf("a minute later: %v", err)
		}
		_, uses, err := e.od.Keys(ctx, e.citizen, app.ID)
		if err != nil || len(uses) != 4 || uses[1].Status != 429 {
			t.Fatalf("usage log: %+v %v", uses, err)
		}
		if _, err := e.od.Rows(ctx, nil, d.Name, "", 0, 10); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("conditional rows without a key: %v", err)
		}
		other := e.published(t, "other", opendata.TierOpen)
		if _, err := e.od.Rows(ctx, nil, other.Name, key, 0, 10); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("the key on another dataset: %v", err)
		}
		if err := e.od.RevokeKey(ctx, e.drafter, app.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.od.Rows(ctx, nil, d.Name, key, 0, 10); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("a revoked key: %v", err)
		}
	})
}

func TestOpenDataCKAN(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		for _, n := range []string{"a-one", "b-two", "c-three"} {
			e.published(t, n, opendata.TierOpen)
		}
		e.dataset(t, "d-draft", opendata.TierOpen)
		base := "https://data.example.gov.cn"
		list, err := e.od.CKAN(ctx, base, "package_list", nil)
		if err != nil || strings.Join(list.([]string), ",") != "a-one,b-two,c-three" {
			t.Fatalf("package_list: %v %v", list, err)
		}
		res, err := e.od.CKAN(ctx, base, "package_search", map[string]string{"rows": "2", "start": "2", "sort": "name asc"})
		if err != nil {
			t.Fatal(err)
		}
		m := asJSON(t, res)
		if m["count"] != 3.0 || len(m["results"].([]any)) != 1 || m["results"].([]any)[0].(map[string]any)["name"] != "c-three" {
			t.Fatalf("package_search page: %v", m)
		}
		pkg, err := e.od.CKAN(ctx, base, "package_show", map[string]string{"id": "b-two"})
		if err != nil {
			t.Fatal(err)
		}
		p := asJSON(t, pkg)
		res0 := p["resources"].([]any)[0].(map[string]any)
		if p["owner_org"] == "" || res0["url"] != base+"/opendata/datasets/b-two/download.csv" || !strings.HasPrefix(res0["hash"].(string), "sha256:") {
			t.Fatalf("package_show: %v", p)
		}
		if again, err := e.od.CKAN(ctx, base, "package_show", map[string]string{"id": p["id"].(string)}); err != nil || asJSON(t, again)["name"] != "b-two" {
			t.Fatalf("package_show by id: %v", err)
		}
		if _, err := e.od.CKAN(ctx, base, "package_show", map[string]string{"id": "d-draft"}); err == nil {
			t.Fatal("a draft is shown")
		}
		orgs, _ := e.od.CKAN(ctx, base, "organization_list", nil)
		if len(orgs.([]any)) != 1 {
			t.Fatalf("organization_list: %v", orgs)
		}
		org, err := e.od.CKAN(ctx, base, "organization_show", map[string]string{"id": orgs.([]any)[0].(string), "include_datasets": "true"})
		if err != nil || len(asJSON(t, org)["packages"].([]any)) != 3 {
			t.Fatalf("organization_show: %v %v", org, err)
		}
		if _, err := e.od.CKAN(ctx, base, "package_delete", nil); err == nil {
			t.Fatal("a write action answered")
		}
	})
}

// asJSON is a CKAN answer as a client reads it.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
