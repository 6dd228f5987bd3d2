package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/opendata"
	"openhall/internal/rating"
)

// The datasets the platform makes of 好差评, complaints and the 行政处罚
// half of 双公示: a tablet's ratings, a complaint about a window and the
// demo's penalty decisions appear in them after a regeneration, counts
// only and with a natural person's name masked.
func TestOpenDataSupervisionSources(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		counter := a01Tablet(t, a)
		for _, level := range []rating.Level{rating.VerySatisfied, rating.VerySatisfied, rating.Dissatisfied} {
			if _, err := a.Services.Ratings.RateCounter(ctx, counter, rating.Input{Level: level}); err != nil {
				t.Fatal(err)
			}
		}
		filed, err := a.Services.Complaints.Submit(ctx, actor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
			WindowID: counter.WindowID, Content: "窗口工作人员态度生硬，拒绝解释材料要求"})
		if err != nil {
			t.Fatal(err)
		}
		scjg := deptID(t, a, "西湖区市场监督管理局")
		if _, err := a.Services.Complaints.Act(ctx, actor(t, a, "supervisor"), filed.Complaint.ID,
			complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5}, 0); err != nil {
			t.Fatal(err)
		}
		ratings := generatedCSV(t, a, "ratings.monthly", "service-ratings-monthly")
		if !strings.Contains(ratings, "\n2026-03,") || !strings.Contains(ratings, ",3,2,0,0,1,0,66.7,1,1,0,0.0\n") {
			t.Errorf("ratings dataset:\n%s", ratings)
		}
		complaints := generatedCSV(t, a, "complaints.monthly", "complaints-monthly")
		if !strings.Contains(complaints, "\n2026-03,西湖区市场监督管理局,1,0,0,0,0,,0\n") || strings.Contains(complaints, "态度生硬") {
			t.Errorf("complaints dataset:\n%s", complaints)
		}
		penalties := generatedCSV(t, a, "publicity.penalties", "penalty-decisions")
		if !strings.Contains(penalties, "杭西市监处罚〔2026〕101号,未取得食品经营许可从事食品经营,杭州西溪某某餐饮管理有限公司") ||
			!strings.Contains(penalties, ",75000.00,2026-03-06,") || strings.Contains(penalties, "陈某某") {
			t.Errorf("penalties dataset:\n%s", penalties)
		}
	})
}

// generatedCSV regenerates a source at once and downloads its dataset.
func generatedCSV(t *testing.T, a *apptest.App, source, name string) string {
	t.Helper()
	ctx := context.Background()
	od := a.Services.OpenData
	if _, err := od.Regenerate(ctx, source, true); err != nil {
		t.Fatalf("regenerate %s: %v", source, err)
	}
	d, err := od.Dataset(ctx, nil, name)
	if err != nil {
		t.Fatalf("dataset %s: %v", name, err)
	}
	v, err := od.Download(ctx, nil, d, 0)
	if err != nil {
		t.Fatalf("download %s: %v", name, err)
	}
	var buf bytes.Buffer
	if err := od.WriteTo(ctx, &buf, d, v, opendata.FormatCSV); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
