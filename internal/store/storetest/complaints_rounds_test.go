package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/complaint"
)

// Departments of the rounds test.
const (
	deptA = 7 // answers the first round, rated 不满意: the complainant reopens
	deptB = 8 // answers the second round, rated 满意
)

// TestComplaintRounds: a complaint handled by department A, rated 不满意,
// reopened, handled by B and rated 满意, counts by department for each of
// them with its own round (received, answered, its answer's rating, the
// reopening A's answer caused); by window once, with both ratings; the
// first rating stays readable. A second complaint A answers alone adds to
// A, and so does a third, reopened and not yet assigned again: once, as
// its second round is still A's. The rounds of complaints stored before
// the rounds existed are made from their events by the migration, to the
// same figures.
func TestComplaintRounds(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, func() time.Time { return ratingDay })
		st := s.Complaints
		ctx := context.Background()
		reopened := handled(t, st, 4, toB)
		handled(t, st, 1, once)
		handled(t, st, 5, atDesk)
		got, _, err := st.FindComplaintByNumber(ctx, reopened.Number)
		if err != nil || got.AnswerLevel != 2 || got.FirstLevel() != 4 || got.DepartmentID != deptB {
			t.Fatalf("read back: answer level %d, first %d, department %d (%v)", got.AnswerLevel, got.FirstLevel(), got.DepartmentID, err)
		}
		checkRoundFigures(t, st)
		b.Exec(t, s, `DELETE FROM complaint_rounds`)
		b.Exec(t, s, backfill(t, b.Name))
		checkRoundFigures(t, st)
	})
}

func checkRoundFigures(t *testing.T, st complaint.Store) {
	t.Helper()
	a := complaint.Count{Key: "7", Received: 3, Answered: 3, Rated: 3, Satisfied: 1, Reopened: 2}
	b := complaint.Count{Key: "8", Received: 1, Answered: 1, Rated: 1, Satisfied: 1}
	window := complaint.Count{Key: "3", Received: 3, Answered: 3, Rated: 4, Satisfied: 2, Reopened: 2}
	windowOfA := complaint.Count{Key: "3", Received: 3, Answered: 3, Rated: 3, Satisfied: 1, Reopened: 2}
	for _, tc := range []struct {
		name  string
		by    string
		depts []int64
		want  []complaint.Count
	}{
		{"by department", "department", nil, []complaint.Count{a, b}},
		{"B's own", "department", []int64{deptB}, []complaint.Count{b}},
		{"by window", "window", nil, []complaint.Count{window}},
		{"A's by window", "window", []int64{deptA}, []complaint.Count{windowOfA}},
	} {
		counts, err := st.CountComplaints(context.Background(), complaint.FigureFilter{By: tc.by, DepartmentIDs: tc.depts,
			From: ratingDay.Add(-time.Hour), To: ratingDay.Add(24 * time.Hour), RegionPrefix: "/1/2/"})
		if err != nil {
			t.Fatal(err)
		}
		if !sameCounts(counts, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, counts, tc.want)
		}
	}
}

func sameCounts(got, want []complaint.Count) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}

// What happens after the first round.
const (
	once   = iota // nothing
	toB           // reopened, B answers it, rated 满意
	atDesk        // reopened, not yet assigned again
)

// handled stores a complaint about window 3 that department A answers and
// the complainant rates level, then goes on as then says.
func handled(t *testing.T, st complaint.Store, level, then int) *complaint.Complaint {
	t.Helper()
	c := newComplaint("/1/2/3/", "", complaint.Complainant{Name: "王五", Phone: "13900001111"}, ratingDay)
	if err := st.CreateComplaint(context.Background(), c, "", []byte("hash"), numberOf); err != nil {
		t.Fatal(err)
	}
	steps := []complaint.Command{{Kind: complaint.CmdAccept, DepartmentID: deptA, Department: "甲局", Days: 10},
		{Kind: complaint.CmdReply, Text: "已整改"}, {Kind: complaint.CmdAnswer, Text: "已整改"}, {Kind: complaint.CmdRate, Level: level}}
	if then != once {
		steps = append(steps, complaint.Command{Kind: complaint.CmdReopen, Text: "问题仍未解决"})
	}
	if then == toB {
		steps = append(steps, complaint.Command{Kind: complaint.CmdAssign, DepartmentID: deptB, Department: "乙局", Days: 10},
			complaint.Command{Kind: complaint.CmdReply, Text: "已重新办理"}, complaint.Command{Kind: complaint.CmdAnswer, Text: "已重新办理"},
			complaint.Command{Kind: complaint.CmdRate, Level: 2})
	}
	for i, cmd := range steps {
		evs, err := complaint.Transition(c, cmd, ratingDay.Add(time.Duration(i+1)*time.Minute))
		if err != nil {
			t.Fatalf("%s: %v", cmd.Kind, err)
		}
		from := c.Version
		for _, e := range evs {
			c.Apply(e)
		}
		if err := st.SaveComplaint(context.Background(), c, from, c.Events[len(c.Events)-len(evs):]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// backfill is the statement of the backend's migration that makes the
// rounds of the complaints stored before it.
func backfill(t *testing.T, backend string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", backend, "migrations", "0026_complaint_rounds.sql"))
	if err != nil {
		t.Fatal(err)
	}
	_, stmt, ok := strings.Cut(string(b), "-- The rounds of the complaints filed before, from their events.\n")
	if !ok {
		t.Fatal("the migration has no backfill")
	}
	return stmt
}
