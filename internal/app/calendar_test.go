package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/notify"
)

// holiday2027 is a made-up 2027 schedule (the State Council's is not out
// when the test's clock says December 2026): 1–4 January off, a bridging
// Monday beyond 元旦, which the law alone fixes and the provisional
// answer already keeps.
const holiday2027 = `{"year":2027,"papers":["test"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},
{"name":"元旦","date":"2027-01-02","isOffDay":true},{"name":"元旦","date":"2027-01-03","isOffDay":true},
{"name":"元旦","date":"2027-01-04","isOffDay":true}]}`

// TestImportRecomputesStoredDues: a case accepted in December 2026 with no
// 2027 schedule keeps provisional due dates on its row; importing 2027 on
// one node recomputes them (a job in the import's transaction), and the
// other node's calendar follows the stored version, on both backends (two
// nodes on PostgreSQL).
func TestImportRecomputesStoredDues(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		now := func() time.Time { return time.Date(2026, 12, 21, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: now, Workers: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		other := a
		if backend == "postgres" {
			other = apptest.New(t, backend, apptest.Options{NoTree: true, Now: now, Workers: true, Postgres: a.Config.DB})
		}
		id := acceptedCase(t, a)
		// 22–31 December (8 working days), 1 January 元旦 off, 4 and 5 January.
		if due := promisedDue(t, a, id); due != "2027-01-05" {
			t.Fatalf("provisional promised due on the row: %s", due)
		}
		checkAcceptanceMessage(t, a)
		admin := actorOf(t, other, "admin")
		if _, err := other.Services.Calendar.ImportSchedule(context.Background(), admin, "json", "2027.json", 0, []byte(holiday2027)); err != nil {
			t.Fatal(err)
		}
		// The bounds are generous: under the race detector on a loaded
		// machine the recomputing job has taken over 10 s to run.
		waitFor(t, 30*time.Second, "the first node's calendar to follow", func() bool {
			return a.Services.Calendar.National().Covers(2027)
		})
		waitFor(t, 30*time.Second, "the stored due date to be recomputed", func() bool { return promisedDue(t, a, id) == "2027-01-06" })
		c, cl, err := a.Services.Cases.Get(context.Background(), actorOf(t, a, "clerk"), id)
		if err != nil || cl.Promised.Provisional != 0 || cl.Promised.Due.String() != "2027-01-06" || c.Status != cases.StatusReview {
			t.Fatalf("after the import: %+v %v", cl.Promised, err)
		}
	})
}

// acceptedCase files a 10-working-day item for the demo company and has
// the clerk accept it on Monday 2026-12-21.
func acceptedCase(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	ctx := context.Background()
	v := publishedVersion(t, a, "城市道路占用、挖掘许可")
	filed, err := a.Services.Cases.File(ctx, actorOf(t, a, "company"), cases.FileInput{ItemVersionID: v, Key: "dec-1",
		Form: map[string]string{"summary": "管道抢修", "挖掘面积（平方米）": "10", "挖掘地点": "文三路", "联系人手机": "13987654321"},
		Materials: []cases.MaterialFile{{Code: "m1", FileName: "a.pdf", SHA256: strings.Repeat("a", 64), Size: 10, MIME: "application/pdf"},
			{Code: "m2", FileName: "b.pdf", SHA256: strings.Repeat("b", 64), Size: 10, MIME: "application/pdf"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Cases.Act(ctx, actorOf(t, a, "clerk"), filed.Case.ID, cases.Action{Command: cases.Command{Kind: cases.CmdAccept}}); err != nil {
		t.Fatal(err)
	}
	return filed.Case.ID
}

func promisedDue(t *testing.T, a *apptest.App, id int64) string {
	t.Helper()
	list, _, err := a.Stores.Cases.FindCases(context.Background(), cases.Filter{Status: []cases.Status{cases.StatusReview}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c.PromisedDue
		}
	}
	t.Fatalf("case %d not in review", id)
	return ""
}

// actorOf logs a demo account in and returns its actor.
func actorOf(t *testing.T, a *apptest.App, username string) *identity.Actor {
	t.Helper()
	_, actor, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: username, Password: demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// publishedVersion is the version in effect of the demo item of a name.
func publishedVersion(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	its, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range its {
		if it.Name == name {
			cur, err := a.Services.Catalog.CurrentVersion(context.Background(), it.ID)
			if err != nil {
				t.Fatal(err)
			}
			return cur.ID
		}
	}
	t.Fatalf("no demo item %s", name)
	return 0
}

// checkAcceptanceMessage: the applicant's message announces the due date
// with the 暂定 note, never a zero date.
func checkAcceptanceMessage(t *testing.T, a *apptest.App) {
	t.Helper()
	inbox, err := a.Services.Notify.Inbox(context.Background(), actorOf(t, a, "company"), notify.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range inbox {
		if n.Kind == "case.accepted" {
			if !strings.Contains(n.Body, "2027-01-05（暂定：2027 年节假日安排尚未导入") || strings.Contains(n.Body, "1970") {
				t.Fatalf("the acceptance message: %s", n.Body)
			}
			return
		}
	}
	t.Fatalf("no acceptance message in %d messages", len(inbox))
}
