package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

var ratingDay = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)

func newRating(key string, caseID int64, stage rating.Stage, level rating.Level, t rating.Target, at time.Time) *rating.Rating {
	return &rating.Rating{Key: key, Subject: rating.SubjectCase, CaseID: caseID, CaseNumber: "N" + key, Stage: stage,
		Number: rating.FirstEvaluation, Level: level, Channel: rating.ChannelPC, Indicators: map[rating.Indicator]rating.Level{rating.IndGuide: level},
		Target: t, Source: rating.SourceLocal, At: at}
}

// TestRatingsStore: ratings are stored in one statement with increasing
// ids, a stage is rated once, the per-day counts follow inserts and
// exclusions, filters and keys work.
func TestRatingsStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		now := func() time.Time { return ratingDay }
		st := b.Open(t, now).Ratings
		ctx := context.Background()
		xh := rating.Target{RegionPath: "/1/2/3/", DepartmentID: 7, ItemCode: "XK1"}
		yh := rating.Target{RegionPath: "/1/2/4/", DepartmentID: 8, ItemCode: "XK2"}
		rs := []*rating.Rating{newRating("a", 1, rating.StageDone, rating.VeryDissatisfied, xh, ratingDay),
			newRating("b", 2, rating.StageDone, rating.Satisfied, xh, ratingDay.Add(time.Hour)),
			newRating("c", 0, rating.StageDone, rating.Satisfied, yh, ratingDay.Add(26*time.Hour))}
		rs[2].Subject, rs[2].CaseID = rating.SubjectVisit, 0
		if err := st.CreateRatings(ctx, rs); err != nil {
			t.Fatal(err)
		}
		if rs[0].ID == 0 || rs[1].ID != rs[0].ID+1 || rs[2].ID != rs[1].ID+1 {
			t.Fatalf("ids %d %d %d", rs[0].ID, rs[1].ID, rs[2].ID)
		}
		got, err := st.FindRatingByID(ctx, rs[0].ID)
		if err != nil || got.Key != "a" || got.Level != rating.VeryDissatisfied || !got.At.Equal(ratingDay) || got.Indicators[rating.IndGuide] != rating.VeryDissatisfied {
			t.Fatalf("read back %+v, %v", got, err)
		}
		again := newRating("d", 1, rating.StageDone, rating.Satisfied, xh, ratingDay)
		if err := st.CreateRatings(ctx, []*rating.Rating{again}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second first rating of the same stage: %v", err)
		}
		checkRatingFilters(t, st, rs)
		checkRatingCounts(t, st, rs)
	})
}

func checkRatingFilters(t *testing.T, st rating.Store, rs []*rating.Rating) {
	ctx := context.Background()
	list, total, err := st.FindRatings(ctx, rating.Filter{RegionPrefix: "/1/2/3/", Limit: 10})
	if err != nil || total != 2 || len(list) != 2 || list[0].Key != "b" {
		t.Fatalf("by region: %d %v", total, err)
	}
	list, _, _ = st.FindRatings(ctx, rating.Filter{From: ratingDay.Add(25 * time.Hour), Limit: 10})
	if len(list) != 1 || list[0].Key != "c" {
		t.Fatalf("by period: %d", len(list))
	}
	keys, err := st.ExistingKeys(ctx, []string{"a", "zz", "c"})
	if err != nil || !keys["a"] || !keys["c"] || keys["zz"] {
		t.Fatalf("keys %v %v", keys, err)
	}
}

func checkRatingCounts(t *testing.T, st rating.Store, rs []*rating.Rating) {
	ctx := context.Background()
	f := rating.FigureFilter{By: rating.ByDepartment, From: ratingDay.Add(-time.Hour), To: ratingDay.Add(48 * time.Hour), RegionPrefix: "/1/2/"}
	sum := func() map[string]int {
		cs, err := st.CountRatings(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, c := range cs {
			m[c.Key+":"+c.Level.Label()] += c.N
		}
		return m
	}
	if m := sum(); m["7:非常不满意"] != 1 || m["7:满意"] != 1 || m["8:满意"] != 1 {
		t.Fatalf("counts before any fold %v", m)
	}
	// Folded in part, the figures read two ratings from the counts and one
	// from the ratings: the same sums.
	if n, err := st.FoldCounts(ctx, 2); err != nil || n != 2 {
		t.Fatalf("fold of 2: %d %v", n, err)
	}
	if m := sum(); m["7:非常不满意"] != 1 || m["7:满意"] != 1 || m["8:满意"] != 1 {
		t.Fatalf("counts half folded %v", m)
	}
	// Over whole months (March) and part-months (February, April) the
	// monthly and daily counts add up to the same.
	cst := time.FixedZone("CST", 8*3600)
	whole := f
	whole.From, whole.To = time.Date(2026, 2, 15, 0, 0, 0, 0, cst), time.Date(2026, 4, 10, 0, 0, 0, 0, cst)
	cs, err := st.CountRatings(ctx, whole)
	total := 0
	for _, c := range cs {
		total += c.N
	}
	if err != nil || total != 3 {
		t.Fatalf("counts over months: %d %v", total, err)
	}
	if n, err := st.FoldCounts(ctx, 10); err != nil || n != 1 {
		t.Fatalf("fold of the rest: %d %v", n, err)
	}
	if n, err := st.FoldCounts(ctx, 10); err != nil || n != 0 {
		t.Fatalf("fold with nothing new: %d %v", n, err)
	}
	checkUnfoldedExclusion(t, st, sum)
	if err := st.ExcludeRating(ctx, rs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ExcludeRating(ctx, rs[0].ID); err != nil {
		t.Fatal("excluding twice must be harmless:", err)
	}
	if m := sum(); m["7:非常不满意"] != 0 || m["7:满意"] != 1 {
		t.Fatalf("after exclusion %v", m)
	}
	f.DepartmentIDs, f.RegionPrefix = []int64{8}, ""
	if m := sum(); len(m) != 1 || m["8:满意"] != 1 {
		t.Fatalf("one department %v", m)
	}
}

// checkUnfoldedExclusion: a rating excluded before it is folded is never
// counted, neither from the ratings nor once folded.
func checkUnfoldedExclusion(t *testing.T, st rating.Store, sum func() map[string]int) {
	ctx := context.Background()
	late := newRating("e", 5, rating.StageDone, rating.Dissatisfied, rating.Target{RegionPath: "/1/2/3/", DepartmentID: 7}, ratingDay.Add(2*time.Hour))
	if err := st.CreateRatings(ctx, []*rating.Rating{late}); err != nil {
		t.Fatal(err)
	}
	if m := sum(); m["7:不满意"] != 1 {
		t.Fatalf("a rating not folded yet %v", m)
	}
	if err := st.ExcludeRating(ctx, late.ID); err != nil {
		t.Fatal(err)
	}
	if m := sum(); m["7:不满意"] != 0 {
		t.Fatalf("excluded before its fold %v", m)
	}
	if n, err := st.FoldCounts(ctx, 10); err != nil || n != 1 {
		t.Fatalf("fold of the excluded rating: %d %v", n, err)
	}
	if m := sum(); m["7:不满意"] != 0 || m["7:满意"] != 1 || m["8:满意"] != 1 {
		t.Fatalf("after folding the excluded rating %v", m)
	}
}

func TestRatingTicketsStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		now := func() time.Time { return ratingDay }
		st := b.Open(t, now).Ratings
		ctx := context.Background()
		r := newRating("t", 5, rating.StageDone, rating.Dissatisfied, rating.Target{RegionPath: "/1/2/3/", DepartmentID: 7}, ratingDay)
		if err := st.CreateRatings(ctx, []*rating.Rating{r}); err != nil {
			t.Fatal(err)
		}
		tk := &rating.Ticket{RatingID: r.ID, Target: r.Target}
		tk.ApplyTicket(rating.TicketEvent{Kind: rating.TevOpened, At: ratingDay, ActorLabel: "系统", Days: 2, Days2: 15})
		if err := st.CreateTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
		from := tk.Version
		evs, _ := rating.TransitionTicket(tk, rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访", ActorID: 3, ActorLabel: "张三"}, ratingDay.Add(time.Hour))
		tk.ApplyTicket(evs[0])
		if err := st.SaveTicket(ctx, tk, from, tk.Events[1:]); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveTicket(ctx, tk, from, tk.Events[1:]); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a stale save: %v", err)
		}
		got, err := st.FindTicketByRating(ctx, r.ID)
		if err != nil || got.Status != rating.TicketCalledBack || !got.CalledBack || len(got.Events) != 2 || got.Events[1].Reason != "电话回访" ||
			got.CallbackDays != 2 || got.RectifyDays != 15 || got.Events[0].Kind != rating.TevOpened {
			t.Fatalf("loaded %+v %v", got, err)
		}
		checkTicketLists(t, st, tk)
		// A review called back, then found false on appeal, leaves every
		// figure: 回访率 never exceeds 100 %.
		r2 := newRating("t2", 6, rating.StageDone, rating.Dissatisfied, rating.Target{RegionPath: "/1/2/3/", DepartmentID: 7}, ratingDay)
		if err := st.CreateRatings(ctx, []*rating.Rating{r2}); err != nil {
			t.Fatal(err)
		}
		upheld := &rating.Ticket{RatingID: r2.ID, Target: r2.Target}
		upheld.ApplyTicket(rating.TicketEvent{Kind: rating.TevOpened, At: ratingDay, ActorLabel: "系统", Days: 2, Days2: 15})
		if err := st.CreateTicket(ctx, upheld); err != nil {
			t.Fatal(err)
		}
		from = upheld.Version
		evs, _ = rating.TransitionTicket(upheld, rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访", ActorID: 3, ActorLabel: "张三"}, ratingDay.Add(time.Hour))
		upheld.ApplyTicket(evs[0])
		upheld.Appealed, upheld.Upheld, upheld.Status = true, true, rating.TicketClosed // as the supervisor's decision leaves it
		if err := st.SaveTicket(ctx, upheld, from, upheld.Events[1:]); err != nil {
			t.Fatal(err)
		}
		cs, err := st.CountTickets(ctx, rating.FigureFilter{By: rating.ByDepartment, From: ratingDay.Add(-time.Hour), To: ratingDay.Add(time.Hour)})
		if err != nil || len(cs) != 1 || cs[0].Tickets != 1 || cs[0].RealName != 1 || cs[0].CalledBack != 1 || cs[0].Closed != 0 || cs[0].Upheld != 1 {
			t.Fatalf("ticket counts with an appeal upheld %+v %v", cs, err)
		}
		checkTicketPeriod(t, st)
	})
}

// checkTicketPeriod: the ticket of a rating imported a month after it was
// given opens at the import, but counts in the rating's period, as the
// rating does.
func checkTicketPeriod(t *testing.T, st rating.Store) {
	ctx := context.Background()
	r := newRating("t3", 11, rating.StageDone, rating.Dissatisfied, rating.Target{RegionPath: "/1/2/3/", DepartmentID: 9}, ratingDay)
	if err := st.CreateRatings(ctx, []*rating.Rating{r}); err != nil {
		t.Fatal(err)
	}
	imported := ratingDay.AddDate(0, 1, 0)
	tk := &rating.Ticket{RatingID: r.ID, Target: r.Target}
	tk.ApplyTicket(rating.TicketEvent{Kind: rating.TevOpened, At: imported, ActorLabel: "系统", Days: 2, Days2: 15})
	if err := st.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	count := func(at time.Time) int {
		cs, err := st.CountTickets(ctx, rating.FigureFilter{By: rating.ByDepartment, From: at.Add(-time.Hour), To: at.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range cs {
			if c.Key == "9" {
				n += c.Tickets
			}
		}
		return n
	}
	if given, opened := count(ratingDay), count(imported); given != 1 || opened != 0 {
		t.Fatalf("tickets counted in the rating's period %d, in the import's %d", given, opened)
	}
}

func checkTicketLists(t *testing.T, st rating.Store, tk *rating.Ticket) {
	ctx := context.Background()
	for name, f := range map[string]rating.TicketFilter{
		"department": {DepartmentIDs: []int64{7}, Open: true, Limit: 10},
		"supervisor": {RegionPrefixes: []string{"/1/2/"}, Limit: 10},
	} {
		list, err := st.FindTickets(ctx, f)
		if err != nil || len(list) != 1 || list[0].ID != tk.ID || len(list[0].Events) != 2 {
			t.Fatalf("%s: %d tickets, %v", name, len(list), err)
		}
	}
	if list, _ := st.FindTickets(ctx, rating.TicketFilter{DepartmentIDs: []int64{8}, Limit: 10}); len(list) != 0 {
		t.Fatal("another department sees the ticket")
	}
	cs, err := st.CountTickets(ctx, rating.FigureFilter{By: rating.ByDepartment, From: ratingDay.Add(-time.Hour), To: ratingDay.Add(time.Hour)})
	if err != nil || len(cs) != 1 || cs[0].Key != "7" || cs[0].Tickets != 1 || cs[0].RealName != 1 || cs[0].CalledBack != 1 || cs[0].Rectified != 0 {
		t.Fatalf("ticket counts %+v %v", cs, err)
	}
}

// TestCountersVisitsLimitsStore covers the counter tablets, the visits
// rated by SMS, the regions' limits and who tickets go to.
func TestCountersVisitsLimitsStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		now := func() time.Time { return ratingDay }
		sv := NewServices(b.Open(t, now), now)
		tr := BuildTree(t, sv)
		ctx := context.Background()
		clerk, _ := Staff(t, sv, "clerk1", identity.RoleWindowClerk, &tr.County.ID, nil)
		approver, _ := Staff(t, sv, "appr1", identity.RoleApprover, nil, &tr.Department.ID)
		admin, _ := Staff(t, sv, "admin1", identity.RoleSysAdmin, &tr.City.ID, nil)
		w, err := sv.Org.SaveWindow(ctx, identity.SystemActor(), 0, org.WindowInput{CentreID: tr.Centre.ID, Number: "A01", Name: "综合窗口",
			Kind: org.WindowComprehensive, DepartmentIDs: []int64{tr.Department.ID}, StaffIDs: []int64{clerk.ID}})
		if err != nil {
			t.Fatal(err)
		}
		st := sv.Stores.Ratings
		checkCounters(t, st, w.ID, clerk.ID)
		v := &rating.Visit{Target: rating.Target{RegionPath: tr.County.Path, WindowID: w.ID, StaffID: clerk.ID}, WindowName: "A01", Phone: "13800001111", CreatedAt: ratingDay}
		if err := st.CreateVisit(ctx, v); err != nil || v.ID == 0 {
			t.Fatal(err)
		}
		if got, err := st.FindVisitByID(ctx, v.ID); err != nil || got.Phone != "13800001111" || got.Target.WindowID != w.ID {
			t.Fatalf("visit %+v %v", got, err)
		}
		l := &rating.Limits{RegionID: tr.County.ID, RegionPath: tr.County.Path, CallbackDays: 1, RectifyDays: 5, DefaultDays: 7, UpdatedAt: ratingDay, UpdatedBy: "x"}
		if err := st.PutLimits(ctx, l); err != nil {
			t.Fatal(err)
		}
		l.RectifyDays = 10
		if err := st.PutLimits(ctx, l); err != nil {
			t.Fatal(err)
		}
		if all, err := st.FindLimits(ctx); err != nil || len(all) != 1 || all[0].RectifyDays != 10 {
			t.Fatalf("limits %+v %v", all, err)
		}
		ids, err := st.DepartmentStaff(ctx, tr.Department.ID, "", []identity.Role{identity.RoleApprover, identity.RoleDeptHead})
		if err != nil || len(ids) != 1 || ids[0] != approver.ID {
			t.Fatalf("department staff %v %v", ids, err)
		}
		ids, err = st.DepartmentStaff(ctx, 0, tr.County.Path, []identity.Role{identity.RoleSysAdmin})
		if err != nil || len(ids) != 1 || ids[0] != admin.ID {
			t.Fatalf("administrators above the county %v %v", ids, err)
		}
		if ids, _ := st.DepartmentStaff(ctx, 0, tr.Province.Path, []identity.Role{identity.RoleSysAdmin}); len(ids) != 0 {
			t.Fatalf("a city administrator is not above the province: %v", ids)
		}
	})
}

func checkCounters(t *testing.T, st rating.Store, windowID, clerkID int64) {
	ctx := context.Background()
	first := &rating.Counter{TokenHash: []byte("h1"), WindowID: windowID, WindowNumber: "A01", StaffID: clerkID, StaffName: "甲", StartedAt: ratingDay,
		Target: rating.Target{RegionPath: "/1/", WindowID: windowID, StaffID: clerkID}}
	if err := st.StartCounter(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := *first
	second.ID, second.TokenHash, second.StartedAt = 0, []byte("h2"), ratingDay.Add(time.Hour)
	if err := st.StartCounter(ctx, &second); err != nil {
		t.Fatal(err)
	}
	old, err := st.FindCounterByToken(ctx, []byte("h1"))
	if err != nil || old.Running() {
		t.Fatalf("starting another counter at the window ends the first: %+v %v", old, err)
	}
	running, err := st.FindCounters(ctx, []int64{windowID})
	if err != nil || len(running) != 1 || running[0].ID != second.ID || running[0].Target.StaffID != clerkID {
		t.Fatalf("running %+v %v", running, err)
	}
	if err := st.EndCounter(ctx, second.ID, ratingDay.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.FindCounterByID(ctx, second.ID); c.Running() {
		t.Fatal("ended counter still running")
	}
	if _, err := st.FindCounterByToken(ctx, []byte("nope")); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}
