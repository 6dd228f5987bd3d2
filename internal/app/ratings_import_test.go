package app_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/rating"
)

// TestImportedBadRatingTicket: a bad rating of another channel dated 30
// days before its import opens a ticket whose clocks start at the import,
// when it reaches the department: right after the import the ticket is
// neither overdue nor warned, its 整改 due date counts 15 working days from
// the import day (劳动节 05-01…05-05 off, 05-09 a make-up Saturday), no
// reminder timer runs before that, and none tells at once. The rating
// keeps its own time.
func TestImportedBadRatingTicket(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		imported := cstAt(4, 20, 10)
		a, clock := demoApp(t, backend, imported)
		ctx := context.Background()
		sup := actor(t, a, "supervisor")
		region, _ := a.Services.Org.RegionByCode(ctx, "330106")
		rec := rating.Record{ProjectNo: "OTHER-0001", ProStatus: "3", Pf: "1", Satisfaction: "1", AssessNumber: "1",
			AssessTime: imported.AddDate(0, 0, -30).Format("2006-01-02 15:04:05"), AnonymityFlag: "1", WritingEvaluation: "材料反复退回"}
		data, _ := json.Marshal([]rating.Record{rec})
		if res, err := a.Services.Ratings.Import(ctx, sup, region.Path, data, false); err != nil || !res.Imported || res.New != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		list, err := a.Services.Ratings.Tickets(ctx, sup, true)
		if err != nil || len(list) != 1 {
			t.Fatalf("tickets: %d %v", len(list), err)
		}
		v, err := a.Services.Ratings.Ticket(ctx, sup, list[0].Ticket.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Rating.At.Equal(imported.AddDate(0, 0, -30)) || !v.Ticket.OpenedAt.Equal(imported) {
			t.Fatalf("rating at %v, ticket opened %v; want the rating's own time and the import", v.Rating.At, v.Ticket.OpenedAt)
		}
		k := v.Clocks.Rectify
		if k.Overdue || v.Clocks.Warning() != "" || k.Due.String() != "2026-05-13" || calendar.DateOf(k.Start) != calendar.DateOf(imported) {
			t.Fatalf("整改 right after the import: %+v %s", k, k.Text())
		}
		waiting, err := a.WaitingJobs(ctx, rating.TicketReminder{}.Kind())
		if err != nil || len(waiting) != 2 {
			t.Fatalf("reminder timers: %d %v", len(waiting), err)
		}
		for _, w := range waiting {
			if !w.RunAt.After(imported) {
				t.Fatalf("a reminder timer at %v, before the clock could turn", w.RunAt)
			}
		}
		newTimers(t, a, clock).until(imported.Add(time.Hour))
		id := strconv.FormatInt(v.Ticket.ID, 10)
		es, err := a.Services.Audit.Find(ctx, audit.Filter{ObjectType: "rating_ticket", ObjectID: id, Action: "rating.ticket.reminder", Limit: 10})
		if err != nil || len(es) != 0 {
			t.Fatalf("reminded right after the import: %d %v", len(es), err)
		}
	})
}

// TestImportRatedStage: a first evaluation of a case held here whose
// stage was rated already is refused on its row, in the dry run as in the
// import, and so is a second one for the same stage in the file; the rest
// of the file is not imported either, as with any bad row.
func TestImportRatedStage(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(4, 20, 10))
		ctx := context.Background()
		sup := actor(t, a, "supervisor")
		region, _ := a.Services.Org.RegionByCode(ctx, "330106")
		rated := decidedCase(t, a, "个体工商户设立登记", "citizen")
		open := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), rated.ID, rating.Input{Level: rating.Satisfied}); err != nil {
			t.Fatal(err)
		}
		rec := func(number, key string) rating.Record {
			return rating.Record{EvaluateID: key, ProjectNo: number, ProStatus: "3", Pf: "1", Satisfaction: "1", AssessNumber: "1",
				AssessTime: cstAt(4, 20, 9).Format("2006-01-02 15:04:05"), AnonymityFlag: "1"}
		}
		data, _ := json.Marshal([]rating.Record{rec(rated.Number, "k1"), rec(open.Number, "k2"), rec(open.Number, "k3")})
		for _, dry := range []bool{true, false} {
			res, err := a.Services.Ratings.Import(ctx, sup, region.Path, data, dry)
			if err != nil || res.Imported || res.Bad != 2 || res.New != 1 {
				t.Fatalf("dry run %v: %+v %v", dry, res, err)
			}
			for i, bad := range []bool{true, false, true} {
				if _, got := res.Rows[i].Errors["projectNo"]; got != bad {
					t.Fatalf("dry run %v, row %d: errors %v", dry, i+1, res.Rows[i].Errors)
				}
			}
		}
	})
}
