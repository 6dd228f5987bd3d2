package storetest

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// TestDisclosureRepeatedRequests (政府信息公开条例第四十四条): requests tagged
// with one topic are counted per agency and period, with their applicants;
// a topic at or above the threshold becomes a draft for proactive
// disclosure once; officers of another county can neither read nor tag.
func TestDisclosureRepeatedRequests(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newDisclosureEnv(t, b.Open(t, nil), nil)
		ctx := context.Background()
		other, err := e.d.SaveAgency(ctx, identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: e.tree.OtherCounty.ID,
			Name: "余杭区人民政府", Code: "002482150"})
		if err != nil {
			t.Fatal(err)
		}
		file := func(officer *identity.Actor, ag int64, name, topic string) int64 {
			r, err := e.d.SubmitRequest(ctx, officer, disclosure.RequestInput{AgencyID: ag, Channel: disclosure.ChannelInPerson,
				Name: name, Description: "关于" + topic + "的信息", Delivery: "纸质文本"})
			if err != nil {
				t.Fatal(err)
			}
			if topic != "" {
				if _, err := e.d.TagRequest(ctx, officer, r.ID, " "+topic+" "); err != nil {
					t.Fatal(err)
				}
			}
			return r.ID
		}
		const oldHomes = "老旧小区改造 项目清单"
		first := file(e.drafter, e.agency.ID, "张三", oldHomes)
		file(e.drafter, e.agency.ID, "李四", "老旧小区改造  项目清单")
		file(e.drafter, e.agency.ID, "李四", oldHomes)
		file(e.drafter, e.agency.ID, "王五", "2025年部门预算")
		file(e.drafter, e.agency.ID, "赵六", "2025年部门预算")
		file(e.drafter, e.agency.ID, "钱七", "")
		for range 3 {
			file(e.outsider, other.ID, "孙八", oldHomes)
		}
		q := disclosure.RepeatQuery{AgencyID: e.agency.ID}
		topics, err := e.d.RepeatedRequests(ctx, e.drafter, q)
		if err != nil || len(topics) != 1 || topics[0].Topic != oldHomes || topics[0].Requests != 3 || topics[0].Applicants != 2 ||
			len(topics[0].Numbers) != 3 || topics[0].First != "2026-03-18" || topics[0].DocID != nil {
			t.Fatalf("threshold 3: %+v %v", topics, err)
		}
		if topics, _ := e.d.RepeatedRequests(ctx, e.drafter, disclosure.RepeatQuery{AgencyID: e.agency.ID, Min: 2}); len(topics) != 2 ||
			topics[1].Topic != "2025年部门预算" {
			t.Fatalf("threshold 2: %+v", topics)
		}
		if topics, _ := e.d.RepeatedRequests(ctx, e.drafter, disclosure.RepeatQuery{AgencyID: e.agency.ID, From: "2025-01-01",
			To: "2026-03-17"}); len(topics) != 0 {
			t.Fatalf("period before the requests: %+v", topics)
		}
		repeatRefusals(t, e, q, first)

		d, err := e.d.DraftFromRepeated(ctx, e.drafter, q, oldHomes)
		if err != nil || d.Status != disclosure.StatusDraft || d.Title != oldHomes || !strings.Contains(d.BodySource, "第四十四条") ||
			!strings.Contains(d.BodySource, topics[0].Numbers[2]) {
			t.Fatalf("draft: %+v %v", d, err)
		}
		if _, err := e.d.DraftFromRepeated(ctx, e.drafter, q, oldHomes); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second draft of a topic: %v", err)
		}
		if topics, _ := e.d.RepeatedRequests(ctx, e.drafter, q); topics[0].DocID == nil || *topics[0].DocID != d.ID {
			t.Fatalf("report after the draft: %+v", topics)
		}
		if _, err := e.d.DraftFromRepeated(ctx, e.drafter, q, "2025年部门预算"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("draft of a topic under the threshold: %v", err)
		}
		if _, err := e.d.TagRequest(ctx, e.drafter, first, ""); err != nil {
			t.Fatal(err)
		}
		if topics, _ := e.d.RepeatedRequests(ctx, e.drafter, disclosure.RepeatQuery{AgencyID: e.agency.ID, Min: 2}); topics[0].Requests != 2 {
			t.Fatalf("after untagging: %+v", topics)
		}
	})
}

// repeatRefusals: bad thresholds and periods name their field; another
// county's officer may not read the report, tag or draft.
func repeatRefusals(t *testing.T, e *disclosureEnv, q disclosure.RepeatQuery, request int64) {
	ctx := context.Background()
	for _, c := range []struct {
		q     disclosure.RepeatQuery
		field string
	}{{disclosure.RepeatQuery{AgencyID: q.AgencyID, Min: 1}, "min"}, {disclosure.RepeatQuery{AgencyID: q.AgencyID, From: "2026-13-01"}, "from"},
		{disclosure.RepeatQuery{AgencyID: q.AgencyID, From: "2026-03-18", To: "2026-03-01"}, "to"},
		{disclosure.RepeatQuery{AgencyID: q.AgencyID, From: "2020-01-01"}, "from"}} {
		if _, err := e.d.RepeatedRequests(ctx, e.drafter, c.q); apperr.FieldsOf(err)[c.field] == "" {
			t.Fatalf("%+v: %v, want an error on %s", c.q, err, c.field)
		}
	}
	if _, err := e.d.RepeatedRequests(ctx, e.outsider, q); err == nil {
		t.Fatal("another county's officer read the report")
	}
	if _, err := e.d.TagRequest(ctx, e.outsider, request, "x"); err == nil {
		t.Fatal("another county's officer tagged a request")
	}
	if _, err := e.d.DraftFromRepeated(ctx, e.outsider, q, "老旧小区改造 项目清单"); err == nil {
		t.Fatal("another county's officer drafted")
	}
	if _, err := e.d.TagRequest(ctx, e.drafter, request, strings.Repeat("长", 51)); apperr.FieldsOf(err)["topic"] == "" {
		t.Fatalf("long topic: %v", err)
	}
}
