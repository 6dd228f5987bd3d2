package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/org"
	"openhall/internal/rating"
	"openhall/internal/supervision"
)

// TestEvaluationCountsSatisfaction: with ratings over the 西湖区 centre's
// departments and windows and a complaint against a window, the
// evaluation's 好评率 and complaints figures, the public page's 好评率 and
// a frozen report are what a count of the stored ratings gives.
func TestEvaluationCountsSatisfaction(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		decided := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Supervision.EvaluateDue(ctx); err != nil { // the evaluator's job
			t.Fatal(err)
		}
		if err := a.SeedRatings(ctx, "330106", 600, cstAt(3, 9, 9), nil); err != nil {
			t.Fatal(err)
		}
		region, err := a.Services.Org.RegionByCode(ctx, "330106")
		if err != nil {
			t.Fatal(err)
		}
		centre := regionCentre(t, a, region.ID)
		months := supervision.LastMonths(cstAt(3, 9, 10), 12)
		from, to := time.Date(2025, 4, 1, 0, 0, 0, 0, cst), time.Date(2026, 4, 1, 0, 0, 0, 0, cst)
		byDept := handCount(t, a, region.Path, from, to, func(r *rating.Rating) int64 { return r.DepartmentID })
		byWindow := handCount(t, a, region.Path, from, to, func(r *rating.Rating) int64 { return r.WindowID })
		delete(byWindow, 0)
		if len(byDept) < 2 || len(byWindow) < 2 {
			t.Fatalf("the seed spans two departments and two windows: %d, %d", len(byDept), len(byWindow))
		}
		sat := indicator(t, a, supervision.IndSatisfaction)
		for dim, want := range map[supervision.Dimension]map[int64][2]int{supervision.DimDept: byDept, supervision.DimWindow: byWindow} {
			checkSatisfaction(t, sat, supervision.IndicatorQuery{Dim: dim, IDs: keys(want), CentreID: centre.ID, Months: months}, want)
		}

		checkComplaints(t, a, clock, indicator(t, a, supervision.IndComplaints), centre.ID)

		rectifySome(t, a, region.Path)
		pub, err := a.Services.Supervision.PublicCentre(ctx, centre.ID)
		if err != nil {
			t.Fatal(err)
		}
		var good, total int
		for _, c := range byDept {
			good, total = good+c[0], total+c[0]+c[1]
		}
		extra := map[string]supervision.Figure{}
		for _, f := range pub.Extra {
			extra[f.Key] = f
		}
		if len(pub.Extra) != 2 || extra[supervision.IndSatisfaction].Display != satisfactionText(good, total-good) {
			t.Fatalf("the public 好评率 %+v, want %s", pub.Extra, satisfactionText(good, total-good))
		}
		checkRectification(t, a, extra[supervision.IndRectify], centre.ID, months, handTickets(t, a, region.Path, from, to))
		checkMarchReport(t, a, clock, centre, region.Path, decided.Procedure.DepartmentID)
	})
}

// handTickets counts per department the tickets of bad reviews given in
// [from, to) in a region and, of them, those rectified or explained
// (appeals upheld left out).
func handTickets(t *testing.T, a *apptest.App, path string, from, to time.Time) map[int64][2]int {
	t.Helper()
	ctx := context.Background()
	rs, _, err := a.Stores.Ratings.FindRatings(ctx, rating.Filter{RegionPrefix: path, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	at := map[int64]time.Time{}
	for _, r := range rs {
		at[r.ID] = r.At
	}
	ts, err := a.Stores.Ratings.FindTickets(ctx, rating.TicketFilter{RegionPrefixes: []string{path}, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64][2]int{}
	for _, tk := range ts {
		if tk.Upheld || at[tk.RatingID].Before(from) || !at[tk.RatingID].Before(to) {
			continue
		}
		c := out[tk.DepartmentID]
		c[0]++
		if tk.Rectified {
			c[1]++
		}
		out[tk.DepartmentID] = c
	}
	return out
}

// rectifySome marks every third ticket of the region rectified, as its
// department's 整改 leaves it.
func rectifySome(t *testing.T, a *apptest.App, path string) {
	t.Helper()
	ctx := context.Background()
	ts, err := a.Stores.Ratings.FindTickets(ctx, rating.TicketFilter{RegionPrefixes: []string{path}, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	for i, tk := range ts {
		evs, err := rating.TransitionTicket(tk, rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访", ActorID: 3, ActorLabel: "张三"}, tk.OpenedAt.Add(time.Hour))
		if i%3 != 0 || err != nil {
			continue // anonymous: no 回访
		}
		from := tk.Version
		tk.ApplyTicket(evs[0])
		tk.Rectified = true // the counting is tested here, not the steps
		if err := a.Stores.Ratings.SaveTicket(ctx, tk, from, evs); err != nil {
			t.Fatal(err)
		}
	}
}

// checkRectification: 差评整改率 is public, for the centre and for each
// department, as the tickets counted by hand give.
func checkRectification(t *testing.T, a *apptest.App, pub supervision.Figure, centreID int64, months []string, want map[int64][2]int) {
	t.Helper()
	var all [2]int
	for _, c := range want {
		all[0], all[1] = all[0]+c[0], all[1]+c[1]
	}
	if v, _ := supervision.RectifyValue(all[1], all[0]); all[1] == 0 || all[1] == all[0] || pub.Key != supervision.IndRectify || pub.Display != v.Display {
		t.Fatalf("the public 差评整改率 %+v, counted %v", pub, all)
	}
	got, err := indicator(t, a, supervision.IndRectify).Values(context.Background(),
		supervision.IndicatorQuery{Dim: supervision.DimDept, IDs: keys(want), CentreID: centreID, Months: months})
	if err != nil || len(got) != len(want) || len(want) < 2 {
		t.Fatalf("差评整改率 of %d departments for %d counted: %v", len(got), len(want), err)
	}
	for id, c := range want {
		if v, _ := supervision.RectifyValue(c[1], c[0]); got[id].Display != v.Display {
			t.Errorf("department %d: 差评整改率 %s, counted %s", id, got[id].Display, v.Display)
		}
	}
}

func regionCentre(t *testing.T, a *apptest.App, regionID int64) *org.Centre {
	t.Helper()
	cs, err := a.Services.Org.Centres(context.Background(), org.CentreFilter{RegionID: &regionID})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no centre in region %d: %v", regionID, err)
	}
	return cs[0]
}

// handCount counts good and bad ratings given in [from, to) in a region,
// per the key a rating is counted under.
func handCount(t *testing.T, a *apptest.App, path string, from, to time.Time, key func(*rating.Rating) int64) map[int64][2]int {
	t.Helper()
	rs, _, err := a.Stores.Ratings.FindRatings(context.Background(), rating.Filter{RegionPrefix: path, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64][2]int{}
	for _, r := range rs {
		if r.Excluded || r.At.Before(from) || !r.At.Before(to) {
			continue
		}
		c := out[key(r)]
		if r.Level.Bad() {
			c[1]++
		} else {
			c[0]++
		}
		out[key(r)] = c
	}
	return out
}

func indicator(t *testing.T, a *apptest.App, key string) supervision.Indicator {
	t.Helper()
	for _, ind := range a.Services.Supervision.Indicators.All() {
		if ind.Key == key {
			return ind
		}
	}
	t.Fatalf("no indicator %s", key)
	return supervision.Indicator{}
}

func checkSatisfaction(t *testing.T, ind supervision.Indicator, q supervision.IndicatorQuery, want map[int64][2]int) {
	t.Helper()
	got, err := ind.Values(context.Background(), q)
	if err != nil || len(got) != len(want) {
		t.Fatalf("%s: %d values for %d subjects: %v", q.Dim, len(got), len(want), err)
	}
	for id, c := range want {
		if got[id].Display != satisfactionText(c[0], c[1]) {
			t.Errorf("%s %d: %s, counted %s", q.Dim, id, got[id].Display, satisfactionText(c[0], c[1]))
		}
	}
}

func satisfactionText(good, bad int) string {
	return fmt.Sprintf("%.1f%%（%d/%d），差评 %d 件", float64(good)*100/float64(good+bad), good, good+bad, bad)
}

func keys(m map[int64][2]int) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	return out
}

// checkMarchReport: March's evaluation shows the department's 好评率 and
// the centre's as counted, weighted in the score; once March is closed,
// a late rating no longer changes the report.
func checkMarchReport(t *testing.T, a *apptest.App, clock *testClock, centre *org.Centre, path string, deptID int64) {
	t.Helper()
	ctx := context.Background()
	march, _ := supervision.ParsePeriod("2026-03")
	addRating(t, a, path, deptID, rating.Satisfied, cstAt(3, 5, 10))
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, cst), time.Date(2026, 4, 1, 0, 0, 0, 0, cst)
	byDept := handCount(t, a, path, from, to, func(r *rating.Rating) int64 { return r.DepartmentID })
	whole := handCount(t, a, path, from, to, func(*rating.Rating) int64 { return 0 })[0]
	clock.Set(cstAt(4, 2, 9))
	ev, err := a.Services.Supervision.Freeze(ctx, actor(t, a, "supervisor"), centre.ID, march)
	if err != nil {
		t.Fatal(err)
	}
	row := evalRow(t, ev.Depts, deptID)
	f, ok := row.Figure(supervision.IndSatisfaction)
	if c := byDept[deptID]; !ok || f.Display != satisfactionText(c[0], c[1]) || f.Weight != 10 {
		t.Fatalf("the department's 好评率 %+v, counted %v", f, c)
	}
	if f, ok := ev.Total.Figure(supervision.IndSatisfaction); !ok || f.Display != satisfactionText(whole[0], whole[1]) {
		t.Fatalf("the centre's 好评率 %+v, counted %v", f, whole)
	}
	addRating(t, a, path, deptID, rating.VeryDissatisfied, cstAt(3, 20, 10))
	again, err := a.Services.Supervision.Evaluate(ctx, actor(t, a, "supervisor"), centre.ID, march)
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := evalRow(t, again.Depts, deptID).Figure(supervision.IndSatisfaction); !again.Frozen || g.Display != f.Display {
		t.Fatalf("the closed March changed: %+v, was %+v", g, f)
	}
}

func evalRow(t *testing.T, rows []supervision.Row, id int64) supervision.Row {
	t.Helper()
	for _, r := range rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no row %d in %+v", id, rows)
	return supervision.Row{}
}

// addRating stores a rating of a department directly, as an import would.
func addRating(t *testing.T, a *apptest.App, path string, deptID int64, level rating.Level, at time.Time) {
	t.Helper()
	r := &rating.Rating{Subject: rating.SubjectCase, Stage: rating.StageDone, Number: rating.FirstEvaluation, Level: level, Channel: rating.ChannelPC,
		Target: rating.Target{RegionPath: path, DepartmentID: deptID}, Source: rating.SourceImport, Key: fmt.Sprintf("test-%d-%d", deptID, at.Unix()), At: at}
	if err := a.Stores.Ratings.CreateRatings(context.Background(), []*rating.Rating{r}); err != nil {
		t.Fatal(err)
	}
}

// checkComplaints: of two complaints against window A01, one is accepted,
// replied to and answered in time, the other never accepted: by 20 March
// it is late (受理 within 5 working days of 9 March: 16 March).
func checkComplaints(t *testing.T, a *apptest.App, clock *testClock, ind supervision.Indicator, centreID int64) {
	t.Helper()
	ctx := context.Background()
	w := demoWindow(t, a, "A01")
	var ids []int64
	for _, text := range []string{"窗口工作人员态度生硬，拒绝解释材料要求", "窗口要求提供清单之外的材料"} {
		filed, err := a.Services.Complaints.Submit(ctx, actor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow, WindowID: w.ID, Content: text})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, filed.Complaint.ID)
	}
	clock.Set(cstAt(3, 10, 9))
	for _, s := range []struct {
		who string
		cmd complaint.Command
	}{
		{"supervisor", complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, "西湖区市场监督管理局"), Days: 5}},
		{"approver", complaint.Command{Kind: complaint.CmdReply, Text: "已约谈该窗口人员并加强培训"}},
		{"supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "经核查，已约谈相关人员"}},
	} {
		if _, err := a.Services.Complaints.Act(ctx, actor(t, a, s.who), ids[0], s.cmd, 0); err != nil {
			t.Fatalf("%s %s: %v", s.who, s.cmd.Kind, err)
		}
	}
	q := supervision.IndicatorQuery{Dim: supervision.DimWindow, IDs: []int64{w.ID}, CentreID: centreID, Months: []string{"2026-03"}}
	for _, c := range []struct {
		at      time.Time
		display string
		score   float64
	}{
		{cstAt(3, 11, 9), "收到 2 件，受理 1 件，已答复 1 件，超期 0 件", 90},
		{cstAt(3, 20, 9), "收到 2 件，受理 1 件，已答复 1 件，超期 1 件", 80},
	} {
		clock.Set(c.at)
		vals, err := ind.Values(ctx, q)
		if err != nil || vals[w.ID].Display != c.display || vals[w.ID].Score != c.score {
			t.Fatalf("A01's complaints on %s: %+v %v, want %s", c.at.Format("01-02"), vals, err, c.display)
		}
	}
}
